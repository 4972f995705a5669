"""Staff accounts, sessions and lockout in the repository (both backends)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from bot.db.models import StaffSession
from bot.db.repository import audit, staff
from bot.db.repository.staff import StaffError, UsernameTaken
from bot.db.session import Session

from .conftest import add_user

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def entries() -> list[tuple[str, str, str | None]]:
    return [(e.username, e.action, e.detail) for e in reversed(audit.page(1, 500).entries)]


def test_usernames_follow_the_rule(migrated_db: Engine) -> None:
    for bad in ("ab", "Anna", "anna nowak", "żaneta", "a" * 41, "x'--"):
        with pytest.raises(StaffError, match="od 3 do 40 znaków"):
            staff.add_user(bad, "hash", "staff", by="test")
    with pytest.raises(StaffError, match="Rola"):
        staff.add_user("anna", "hash", "boss", by="test")
    anna = add_user("anna.nowak-2_x", "admin")
    assert anna.is_admin and anna.active and anna.failed_logins == 0
    with pytest.raises(UsernameTaken):
        add_user("anna.nowak-2_x")
    assert [u.username for u in staff.users()] == ["anna.nowak-2_x"]


def test_failures_lock_the_account_for_a_while(migrated_db: Engine) -> None:
    jan = add_user("jan")
    for attempt in range(1, 3):
        assert not staff.login_failed(jan.id, max_failures=3, lock_minutes=15, now=T0)
        user = staff.get_user(jan.id)
        assert user is not None and user.failed_logins == attempt
    assert staff.login_failed(jan.id, max_failures=3, lock_minutes=15, now=T0)
    locked = staff.get_user(jan.id)
    assert locked is not None
    assert locked.locked_until == T0 + timedelta(minutes=15)
    assert locked.locked_at(T0 + timedelta(minutes=14)) and not locked.locked_at(
        T0 + timedelta(minutes=15))
    # while locked, failures are recorded but do not extend the lock
    assert not staff.login_failed(jan.id, max_failures=3, lock_minutes=15,
                                  now=T0 + timedelta(minutes=5))
    again = staff.get_user(jan.id)
    assert again is not None and again.locked_until == locked.locked_until
    assert [e[2] for e in entries() if e[1] == "login_failed"] == [
        "nieudana próba 1 z 3", "nieudana próba 2 z 3",
        "nieudana próba 3 z 3; zablokowano na 15 min", "konto zablokowane"]


def test_an_unknown_name_is_recorded_without_the_name(migrated_db: Engine) -> None:
    assert staff.login_record("nobody") is None
    assert staff.login_record("'; DROP TABLE staff_user; --") is None
    assert not staff.login_failed(None, max_failures=3, lock_minutes=15)
    assert entries() == [("?", "login_failed", "nieznana nazwa")]


def test_sessions_expire_and_end(migrated_db: Engine) -> None:
    jan = add_user("jan", now=T0 - timedelta(minutes=1))  # fixed times, whatever the clock
    staff.login_failed(jan.id, max_failures=3, lock_minutes=15, now=T0)
    started = staff.login_succeeded(jan.id, session_id="a" * 64, csrf_token="c" * 43,
                                    expires_at=T0 + timedelta(hours=12), now=T0)
    assert started.user.failed_logins == 0
    found = staff.current_session("a" * 64, now=T0 + timedelta(hours=1))
    assert found is not None and found.user.username == "jan" and found.csrf_token == "c" * 43
    assert staff.current_session("a" * 64, now=T0 + timedelta(hours=12)) is None
    assert staff.current_session("b" * 64, now=T0) is None
    staff.end_session("a" * 64, now=T0 + timedelta(hours=2))
    assert staff.current_session("a" * 64, now=T0) is None
    assert [e[1] for e in entries()] == ["user_add", "login_failed", "login", "logout"]


def test_disabling_signs_out_and_a_new_password_ends_other_sessions(
    migrated_db: Engine,
) -> None:
    jan = add_user("jan")
    far = T0 + timedelta(days=365 * 10)
    for name in ("1", "2", "3"):
        staff.login_succeeded(jan.id, session_id=name * 64, csrf_token="c", expires_at=far)
    staff.set_password(jan.id, "new-hash", by="jan", keep_session="1" * 64)
    with Session() as session:
        left = session.scalars(select(StaffSession.id)).all()
    assert left == ["1" * 64]
    record = staff.login_record("jan")
    assert record is not None and record.password_hash == "new-hash"
    staff.set_active(jan.id, False, by="anna")
    assert staff.current_session("1" * 64) is None
    assert staff.active_users() == []
    staff.set_password(jan.id, "reset-hash", by="anna")
    assert [(e[0], e[1]) for e in entries()[-3:]] == [
        ("jan", "password_change"), ("anna", "user_disable"), ("anna", "password_reset")]
