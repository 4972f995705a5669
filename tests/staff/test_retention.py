"""`retention.purge`: what is deleted after RETENTION_DAYS, and what is kept (both backends)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, update

from bot.db.models import AuditLog, Escalation, EscalationMessage
from bot.db.repository import conversations, escalations, retention, staff
from bot.db.session import Session

from .conftest import add_user, escalate

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def closed_at(escalation_id: int, moment: datetime) -> None:
    with Session.begin() as session:
        session.execute(update(Escalation).where(Escalation.id == escalation_id)
                        .values(closed_at=moment))


def test_purge_deletes_old_data_and_keeps_the_rest(migrated_db: Engine) -> None:
    jan = add_user("jan")
    conversations.record_turn("kiosk", "old000001", now=NOW - timedelta(days=91))
    conversations.record_turn("kiosk", "new000001", now=NOW - timedelta(days=89))
    conversations.record_turn("telegram", "77-0", now=NOW - timedelta(days=1))

    old_closed = escalate("old000001", lines=[("user", "a"), ("bot", "b")])
    recent_closed = escalate("new000001")
    still_open = escalate("open00001")  # open escalations are never deleted
    talking = escalate("77-0", channel="telegram")  # closed long ago, still chatting
    for case in (old_closed, recent_closed, talking):
        escalations.close(case.id, jan.id)
    closed_at(old_closed.id, NOW - timedelta(days=95))
    closed_at(recent_closed.id, NOW - timedelta(days=80))
    closed_at(talking.id, NOW - timedelta(days=95))

    staff.login_succeeded(jan.id, session_id="e" * 64, csrf_token="c",
                          expires_at=NOW - timedelta(minutes=1))
    staff.login_succeeded(jan.id, session_id="f" * 64, csrf_token="c",
                          expires_at=NOW + timedelta(hours=1))
    with Session.begin() as session:
        first_entry = session.scalar(select(func.min(AuditLog.id)))
        session.execute(update(AuditLog).where(AuditLog.id == first_entry)
                        .values(at=NOW - timedelta(days=400)))

    report = retention.purge(90, now=NOW)

    assert report.cutoff == NOW - timedelta(days=90)
    assert (report.conversations, report.escalations, report.messages) == (1, 2, 3)
    assert (report.staff_sessions, report.audit_entries) == (1, 1)
    assert report.sender_ids == ("kiosk-old000001",)
    assert conversations.get_conversation("kiosk", "old000001") is None
    assert conversations.get_conversation("kiosk", "new000001") is not None
    assert escalations.get(old_closed.id) is None and escalations.get(talking.id) is None
    assert escalations.get(recent_closed.id) is not None
    assert escalations.get(still_open.id) is not None
    assert escalations.transcript(old_closed.id) == []
    with Session() as session:
        kept_lines = session.scalar(select(func.count()).select_from(EscalationMessage))
        purge_rows = session.scalars(select(AuditLog.detail).where(AuditLog.action == "purge"))
        details = list(purge_rows)
    assert kept_lines == 2  # the recent closed one and the open one
    assert len(details) == 1 and "1 rozmów, 2 zamkniętych spraw" in (details[0] or "")
    assert staff.current_session("f" * 64, now=NOW) is not None

    again = retention.purge(90, now=NOW)
    assert (again.conversations, again.escalations, again.staff_sessions) == (0, 0, 0)


def test_purge_refuses_a_period_of_no_days(migrated_db: Engine) -> None:
    with pytest.raises(ValueError, match="at least one day"):
        retention.purge(0)
