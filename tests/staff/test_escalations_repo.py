"""The escalations repository on SQLite and (with TEST_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, text

from bot.db.models import AuditLog, Escalation, EscalationMessage
from bot.db.repository import audit, escalations
from bot.db.repository.escalations import EscalationError, InvalidTransition, NotFound
from bot.db.session import Session
from bot.escalation_codes import ALPHABET

from .conftest import add_user, escalate

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def lines_of(escalation_id: int) -> list[tuple[str, str]]:
    return [(m.author, m.text) for m in escalations.transcript(escalation_id)]


def actions() -> list[tuple[str, str, str | None]]:
    return [(e.username, e.action, e.target) for e in reversed(audit.page(1, 500).entries)]


def test_an_escalation_keeps_its_transcript_and_gets_a_code(migrated_db: Engine) -> None:
    created = escalations.create_escalation(
        channel="kiosk", session_id="abc12345", sender_id="kiosk-abc12345",
        category="ask_shelter", priority="normal", place="Sosnowiec", gmina_teryt="2475011",
        transcript=[("user", "Gdzie mogę dziś spać?", T0),
                    ("bot", "Mogę przekazać pytanie pracownikowi.", T0 + timedelta(seconds=1)),
                    ("bot", "", T0 + timedelta(seconds=2))],  # only buttons: left out
    )
    assert created.status == "new" and created.priority == "normal"
    assert len(created.code) == 6 and set(created.code) <= set(ALPHABET)
    assert created.display_code == f"{created.code[:3]}-{created.code[3:]}"
    assert escalations.display_code(created.code) == created.display_code
    assert (created.place, created.gmina_teryt) == ("Sosnowiec", "2475011")
    assert lines_of(created.id) == [("user", "Gdzie mogę dziś spać?"),
                                    ("bot", "Mogę przekazać pytanie pracownikowi.")]
    assert escalations.transcript(created.id)[0].created_at == T0
    assert escalations.open_escalation("kiosk", "abc12345") == created
    assert escalations.open_escalation("telegram", "abc12345") is None


def test_the_same_conversation_gets_one_open_escalation(migrated_db: Engine) -> None:
    first = escalations.create_escalation(
        channel="telegram", session_id="42-0", sender_id="telegram-42-0", category="crisis",
        priority="normal", place=None, gmina_teryt=None,
        transcript=[("user", "Nie daję rady", T0), ("bot", "Jestem tu.", T0)],
    )
    again = escalations.create_escalation(
        channel="telegram", session_id="42-0", sender_id="telegram-42-0", category="crisis",
        priority="urgent", place="Bytom", gmina_teryt="2462011",
        transcript=[("user", "Nie daję rady", T0), ("bot", "Jestem tu.", T0),
                    ("user", "Chcę z kimś pogadać", T0 + timedelta(minutes=1))],
    )
    assert again.id == first.id and again.code == first.code
    assert again.priority == "urgent"
    assert again.place == "Bytom" and again.gmina_teryt == "2462011"
    assert lines_of(first.id) == [("user", "Nie daję rady"), ("bot", "Jestem tu."),
                                  ("user", "Chcę z kimś pogadać")]
    calmer = escalations.create_escalation(
        channel="telegram", session_id="42-0", sender_id="telegram-42-0", category="crisis",
        priority="normal", place=None, gmina_teryt=None, transcript=[],
    )
    assert calmer.priority == "urgent"  # never lowered
    assert calmer.place == "Bytom"


def test_a_closed_escalation_does_not_absorb_a_new_request(migrated_db: Engine) -> None:
    jan = add_user("jan")
    first = escalate("sess00001")
    escalations.close(first.id, jan.id)
    assert escalations.open_escalation("kiosk", "sess00001") is None
    second = escalate("sess00001")
    assert second.id != first.id and second.code != first.code
    assert escalations.open_escalation("kiosk", "sess00001") == second


def test_concurrent_requests_of_one_conversation_make_one_escalation(
    migrated_db: Engine,
) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        made = list(pool.map(lambda _: escalate("raced0001").id, range(12)))
    assert len(set(made)) == 1
    with Session() as session:
        assert session.scalar(select(func.count()).select_from(Escalation)) == 1


def test_a_taken_code_is_drawn_again(migrated_db: Engine,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = iter(["KF7M3X", "KF7M3X", "HAT479"])
    monkeypatch.setattr(escalations, "new_code", lambda: next(drawn))
    assert escalate("first0001").code == "KF7M3X"
    assert escalate("second001").code == "HAT479"


def test_codes_are_found_however_they_are_typed(migrated_db: Engine) -> None:
    created = escalate("typed0001")
    for typed in (created.code, created.display_code, created.display_code.lower(),
                  f" {created.code[:3]} {created.code[3:]} "):
        found = escalations.get_by_code(typed)
        assert found is not None and found.id == created.id
    assert escalations.get_by_code("ZZZ-ZZZ") is None
    assert escalations.get_by_code("' OR 1=1 --") is None


def test_bad_requests_are_refused_clearly(migrated_db: Engine) -> None:
    with pytest.raises(EscalationError, match="kanał"):
        escalate("badchan01", channel="email")
    with pytest.raises(EscalationError, match="priorytet"):
        escalate("badprio01", priority="high")
    with pytest.raises(EscalationError, match="autor"):
        escalate("badauth01", lines=[("admin", "hej")])
    with pytest.raises(NotFound):
        escalations.add_user_message(999_999, "halo")


def test_the_queue_puts_urgent_first_then_the_oldest(migrated_db: Engine) -> None:
    old = escalate("old000001", at=T0)
    newer = escalate("newer0001", at=T0 + timedelta(minutes=5))
    urgent_new = escalate("urgent001", priority="urgent", at=T0 + timedelta(minutes=9))
    urgent_old = escalate("urgent002", priority="urgent", at=T0 + timedelta(minutes=7))
    with Session.begin() as session:  # created_at is the creation time; set it for the test
        for view, minutes in ((old, 0), (newer, 5), (urgent_new, 9), (urgent_old, 7)):
            session.execute(
                text("UPDATE escalation SET created_at = :at WHERE id = :id"),
                {"at": T0 + timedelta(minutes=minutes), "id": view.id},
            )
    order = [e.id for e in escalations.queue(None, None, None)]
    assert order == [urgent_old.id, urgent_new.id, old.id, newer.id]


def test_the_queue_filters(migrated_db: Engine) -> None:
    jan = add_user("jan")
    kiosk = escalate("kiosk0001", category="ask_shelter")
    telegram = escalate("42-1", channel="telegram", category="crisis", priority="urgent")
    closed = escalate("closed001", category="ask_shelter")
    escalations.close(closed.id, jan.id)

    def ids(*args: str | None) -> set[int]:
        return {e.id for e in escalations.queue(*args)}

    assert ids(None, None, None) == {kiosk.id, telegram.id}
    assert ids(escalations.ALL, None, None) == {kiosk.id, telegram.id, closed.id}
    assert ids("closed", None, None) == {closed.id}
    assert ids(None, "telegram", None) == {telegram.id}
    assert ids(None, None, "ask_shelter") == {kiosk.id}
    assert ids(escalations.ALL, "kiosk", "ask_shelter") == {kiosk.id, closed.id}
    assert ids("nonsense", None, None) == set()
    assert escalations.categories() == ["ask_shelter", "crisis"]


def test_claim_reply_close_with_audit_rows(migrated_db: Engine) -> None:
    jan = add_user("jan")
    case = escalate("flow00001")
    claimed = escalations.claim(case.id, jan.id)
    assert (claimed.status, claimed.claimed_by, claimed.claimed_by_username) == (
        "claimed", jan.id, "jan")
    assert escalations.claim(case.id, jan.id) == claimed  # again: nothing changes

    message = escalations.reply(case.id, jan.id, "Proszę przyjść jutro o 9:00.")
    assert message.author == "staff" and message.staff_username == "jan"
    answered = escalations.get(case.id)
    assert answered is not None and answered.status == "answered"
    assert answered.answered_at is not None

    replies = escalations.undelivered_replies("kiosk")
    assert [(r.message_id, r.code, r.session_id, r.sender_id, r.text) for r in replies] == [
        (message.id, case.code, "flow00001", "kiosk-flow00001", "Proszę przyjść jutro o 9:00.")]
    assert escalations.undelivered_replies("telegram") == []
    escalations.mark_delivered(message.id)
    assert escalations.undelivered_replies("kiosk") == []
    delivered = escalations.transcript(case.id)[-1]
    assert delivered.delivered_at is not None

    closed = escalations.close(case.id, jan.id)
    assert closed.status == "closed" and closed.closed_at is not None
    assert actions() == [("test", "user_add", "jan"), ("jan", "claim", case.code),
                         ("jan", "reply", case.code), ("jan", "close", case.code)]


def test_invalid_transitions_are_refused_and_change_nothing(migrated_db: Engine) -> None:
    jan, ewa = add_user("jan"), add_user("ewa")
    boss = add_user("boss", "admin")
    case = escalate("trans0001")
    escalations.claim(case.id, jan.id)
    with pytest.raises(InvalidTransition, match="prowadzi już jan"):
        escalations.claim(case.id, ewa.id)
    with pytest.raises(InvalidTransition, match="inna osoba"):
        escalations.reply(case.id, ewa.id, "Ja odpowiem")
    with pytest.raises(InvalidTransition, match="inna osoba"):
        escalations.close(case.id, ewa.id)
    with pytest.raises(InvalidTransition, match="inna osoba"):
        escalations.reassign(case.id, ewa.id, ewa.id)
    with pytest.raises(EscalationError, match="pusta"):
        escalations.reply(case.id, jan.id, "   ")
    assert lines_of(case.id) == [("user", "Gdzie mogę dziś spać?")]

    moved = escalations.reassign(case.id, ewa.id, jan.id)
    assert moved.claimed_by_username == "ewa"
    escalations.reply(case.id, boss.id, "Administrator może odpowiedzieć za każdego.")
    escalations.close(case.id, ewa.id)
    for action in (lambda: escalations.claim(case.id, jan.id),
                   lambda: escalations.reply(case.id, ewa.id, "Jeszcze jedno"),
                   lambda: escalations.close(case.id, ewa.id),
                   lambda: escalations.reassign(case.id, jan.id, ewa.id),
                   lambda: escalations.add_user_message(case.id, "Halo?")):
        with pytest.raises(InvalidTransition, match="zamknięta"):
            action()
    with pytest.raises(NotFound):
        escalations.claim(123_456, jan.id)
    with Session() as session:
        staff_lines = session.scalar(select(func.count()).select_from(EscalationMessage)
                                     .where(EscalationMessage.author == "staff"))
        rows = session.scalar(select(func.count()).select_from(AuditLog))
    assert staff_lines == 1
    assert rows == 3 + 1 + 1 + 1 + 1  # three accounts, claim, reassign, reply, close


def test_reassign_only_to_an_active_colleague(migrated_db: Engine) -> None:
    from bot.db.repository import staff

    jan, ewa = add_user("jan"), add_user("ewa")
    case = escalate("reass0001")
    staff.set_active(ewa.id, False, by="test")
    with pytest.raises(InvalidTransition, match="aktywnemu"):
        escalations.reassign(case.id, ewa.id, jan.id)
    with pytest.raises(InvalidTransition, match="wyłączone"):
        escalations.claim(case.id, ewa.id)
    given = escalations.reassign(case.id, jan.id, jan.id)
    assert (given.status, given.claimed_by) == ("claimed", jan.id)


def test_a_message_after_the_answer_puts_the_case_back_in_the_queue(
    migrated_db: Engine,
) -> None:
    jan = add_user("jan")
    case = escalate("again0001")
    escalations.reply(case.id, jan.id, "Proszę zadzwonić do MOPS.")
    escalations.add_user_message(case.id, "A jaki jest numer?")
    back = escalations.get(case.id)
    assert back is not None and back.status == "claimed" and back.claimed_by == jan.id
    assert lines_of(case.id)[-1] == ("user", "A jaki jest numer?")
    assert back.id in {e.id for e in escalations.queue("claimed", None, None)}


def test_text_that_looks_like_sql_or_html_is_stored_as_it_is(migrated_db: Engine) -> None:
    hostile = "'); DROP TABLE escalation; -- <script>alert(1)</script>"
    case = escalate("hostile01", lines=[("user", hostile)], category=hostile[:100])
    assert lines_of(case.id) == [("user", hostile)]
    assert escalations.queue(None, None, hostile[:100])[0].id == case.id
