"""Unit tests of the dashboard's pieces: passwords, tokens, CSRF comparison, lockout through
`attempt_login`, redirects after login, reply cleaning, ages, settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bot.db.repository import staff
from bot.settings import PROJECT_ROOT, SettingsError, load_settings
from bot.web.staff import auth, labels
from bot.web.staff.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from bot.web.staff.reply_text import (
    KIOSK_FRAME,
    MAX_REPLY,
    TELEGRAM_FRAME,
    as_delivered,
    clean_reply,
    reply_problem,
)
from bot.web.staff.routing import safe_next

from .conftest import STAFF_PASSWORD, add_user, app_settings

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def test_passwords_are_argon2id_and_checked() -> None:
    stored = hash_password("poprawne-haslo-1")
    assert stored.startswith("$argon2id$")
    assert "poprawne" not in stored
    assert verify_password(stored, "poprawne-haslo-1")
    assert not verify_password(stored, "poprawne-haslo-2")
    assert not verify_password("not a hash", "poprawne-haslo-1")
    assert not verify_password(None, "anything at all")  # unknown user: dummy check
    assert not needs_rehash(stored)
    assert needs_rehash("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo")


@pytest.mark.parametrize(
    ("password", "problem"),
    [("krotkie", "co najmniej 10"), (" " * 12, "spacji"), ("x" * 300, "najwyżej"),
     ("aaaaaaaaaaaa", "zbyt proste"), ("jan.kowalski-1", "nazwy użytkownika")],
)
def test_weak_passwords_are_refused(password: str, problem: str) -> None:
    found = password_problem(password, "jan.kowalski")
    assert found is not None and problem in found


def test_a_good_password_passes() -> None:
    assert password_problem("Trzy słowa razem 7", "jan") is None


def test_tokens_and_their_comparison() -> None:
    token = auth.new_token()
    assert len(token) >= 43 and token != auth.new_token()
    assert len(auth.token_hash(token)) == 64 and auth.token_hash(token) != token
    assert auth.same_token(token, token)
    assert not auth.same_token(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert not auth.same_token("", "")
    assert not auth.same_token(None, token)
    assert not auth.same_token(token, None)


@pytest.mark.parametrize(
    ("asked", "goes_to"),
    [("/staff/escalations/3", "/staff/escalations/3"),
     ("/staff/queue?status=new", "/staff/queue?status=new"),
     ("https://evil.example/", "/staff/queue"), ("//evil.example/staff/", "/staff/queue"),
     ("/staff//evil.example", "/staff/queue"), ("/staff/\\evil", "/staff/queue"),
     ("/kiosk", "/staff/queue"), ("/staff/login", "/staff/queue"), (None, "/staff/queue")],
)
def test_only_dashboard_paths_are_followed_after_login(asked: str | None, goes_to: str) -> None:
    assert safe_next(asked) == goes_to


def test_lockout_through_attempt_login(migrated_db: Engine, database_url: str) -> None:
    settings = app_settings(database_url, LOGIN_MAX_FAILURES="3", LOGIN_LOCK_MINUTES="10")
    add_user("jan")
    assert auth.attempt_login(settings, "jan", "wrong", now=T0) is None
    assert auth.attempt_login(settings, "jan", "wrong", now=T0) is None
    token = auth.attempt_login(settings, "jan", STAFF_PASSWORD, now=T0)
    assert token is not None  # a success resets the count
    for _ in range(3):
        assert auth.attempt_login(settings, "jan", "wrong", now=T0) is None
    # locked: even the right password is refused, until the lock ends
    assert auth.attempt_login(settings, "jan", STAFF_PASSWORD,
                              now=T0 + timedelta(minutes=9)) is None
    later = auth.attempt_login(settings, "jan", STAFF_PASSWORD, now=T0 + timedelta(minutes=10))
    assert later is not None
    session = staff.current_session(auth.token_hash(later), now=T0 + timedelta(minutes=11))
    assert session is not None and session.user.username == "jan"
    assert session.expires_at == T0 + timedelta(minutes=10, hours=12)
    # the database holds only the token's hash
    assert staff.current_session(later, now=T0 + timedelta(minutes=11)) is None


def test_a_disabled_account_cannot_sign_in(migrated_db: Engine, database_url: str) -> None:
    settings = app_settings(database_url)
    jan = add_user("jan")
    staff.set_active(jan.id, False, by="test")
    assert auth.attempt_login(settings, "jan", STAFF_PASSWORD) is None


def test_replies_are_cleaned_into_what_the_person_gets() -> None:
    typed = "  Dzień dobry,\r\n\r\n\r\n\r\nproszę\tprzyjść \u202ejutro\u0007.   \n"
    assert clean_reply(typed) == "Dzień dobry,\n\nproszę przyjść jutro."
    assert clean_reply(clean_reply(typed)) == clean_reply(typed)
    assert clean_reply("🙂 Zażółć gęślą jaźń") == "🙂 Zażółć gęślą jaźń"
    assert reply_problem("") is not None
    assert reply_problem("x" * (MAX_REPLY + 1)) is not None
    assert reply_problem("x" * MAX_REPLY) is None


def test_the_preview_frames_the_reply_as_each_channel_does() -> None:
    from bot.telegram.channel import STAFF_REPLY_TEXT

    assert TELEGRAM_FRAME == STAFF_REPLY_TEXT
    kiosk_js = (PROJECT_ROOT / "bot" / "web" / "static" / "kiosk.js").read_text("utf-8")
    assert 'staffAnswer: "Odpowiedź pracownika:"' in kiosk_js
    assert 'TEXT.staffAnswer + "\\n" + String(answer.text' in kiosk_js
    assert KIOSK_FRAME == "Odpowiedź pracownika:\n{text}"
    assert as_delivered("telegram", "KF7-M3X", "Hej") == (
        "Odpowiedź pracownika (sprawa KF7-M3X):\n\nHej")
    assert as_delivered("kiosk", "KF7-M3X", "Hej") == "Odpowiedź pracownika:\nHej"


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [(0, "przed chwilą"), (12, "12 min"), (60, "1 godz."), (125, "2 godz. 5 min"),
     (24 * 60, "1 dzień"), (26 * 60, "1 dzień 2 godz."), (5 * 24 * 60 + 30, "5 dni")],
)
def test_ages_are_short_and_polish(minutes: int, shown: str) -> None:
    assert labels.age(T0, T0 + timedelta(minutes=minutes)) == shown


def test_how_long_ago() -> None:
    assert labels.ago(T0, T0) == "przed chwilą"
    assert labels.ago(T0, T0 + timedelta(minutes=12)) == "12 min temu"


def test_times_are_shown_in_warsaw() -> None:
    assert labels.when(datetime(2026, 7, 1, 10, 0, tzinfo=UTC)) == "01.07.2026 12:00"
    assert labels.when(datetime(2026, 12, 1, 10, 0, tzinfo=UTC)) == "01.12.2026 11:00"


def test_staff_settings_defaults_and_checks() -> None:
    defaults = load_settings({})
    assert defaults.staff_cookie_secure is True
    assert (defaults.staff_session_hours, defaults.retention_days) == (12, 90)
    assert (defaults.login_max_failures, defaults.login_lock_minutes) == (5, 15)
    assert load_settings({"STAFF_COOKIE_SECURE": "false"}).staff_cookie_secure is False
    assert load_settings({"STAFF_COOKIE_SECURE": "0"}).staff_cookie_secure is False
    for env, message in [({"STAFF_COOKIE_SECURE": "maybe"}, "true or false"),
                         ({"RETENTION_DAYS": "0"}, "RETENTION_DAYS"),
                         ({"STAFF_SESSION_HOURS": "1000"}, "STAFF_SESSION_HOURS"),
                         ({"LOGIN_MAX_FAILURES": "lots"}, "whole number")]:
        with pytest.raises(SettingsError, match=message):
            load_settings(env)
