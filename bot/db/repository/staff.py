"""Staff accounts, their sign-in sessions and login lockout.

Passwords arrive here already hashed (bot.web.staff.passwords); sessions are stored by
the SHA-256 of their cookie token. Every change is written to the audit log in the
same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.db.models import STAFF_ROLES, StaffSession, StaffUser, utcnow
from bot.db.repository import audit
from bot.db.session import Session

USERNAME_RE: Final = re.compile(r"[a-z0-9._-]{3,40}")
UNKNOWN_USER: Final = "?"  # audit username of a login attempt with a name nobody has
# last_seen_at is refreshed at most this often, so reading pages does not write each time
TOUCH_EVERY: Final = timedelta(minutes=1)


class StaffError(ValueError):
    """A change to staff accounts that cannot be made; the message is for the dashboard."""


class UsernameTaken(StaffError):
    pass


class UnknownUser(StaffError):
    pass


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    username: str
    role: str  # "admin" or "staff"
    active: bool
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime
    password_changed_at: datetime

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


@dataclass(frozen=True, slots=True)
class LoginRecord:
    """What a login attempt is checked against."""

    user: UserView
    password_hash: str


@dataclass(frozen=True, slots=True)
class SessionView:
    id: str  # SHA-256 hex of the cookie token
    user: UserView
    csrf_token: str
    created_at: datetime
    expires_at: datetime


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _maybe_aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else _aware(moment)


def _view(row: StaffUser) -> UserView:
    return UserView(
        id=row.id,
        username=row.username,
        role=row.role,
        active=row.active,
        failed_logins=row.failed_logins,
        locked_until=_maybe_aware(row.locked_until),
        created_at=_aware(row.created_at),
        password_changed_at=_aware(row.password_changed_at),
    )


def username_problem(username: str) -> str | None:
    """Why a name cannot be a username (Polish, for the dashboard and the CLI), or None."""
    if not USERNAME_RE.fullmatch(username):
        return ("Nazwa użytkownika: od 3 do 40 znaków, tylko małe litery bez polskich znaków, "
                "cyfry, kropka, podkreślnik i myślnik.")
    return None


# ---------------------------------------------------------------- accounts


def add_user(username: str, password_hash: str, role: str, *, by: str,
             now: datetime | None = None) -> UserView:
    """Create an active account; raises StaffError for a bad name or role, UsernameTaken."""
    problem = username_problem(username)
    if problem is not None:
        raise StaffError(problem)
    if role not in STAFF_ROLES:
        raise StaffError(f"Rola musi być jedną z: {', '.join(STAFF_ROLES)}.")
    moment = now or utcnow()
    try:
        with Session.begin() as session:
            row = StaffUser(username=username, password_hash=password_hash, role=role,
                            active=True, failed_logins=0, locked_until=None,
                            created_at=moment, password_changed_at=moment)
            session.add(row)
            session.flush()
            role_word = "administrator" if role == "admin" else "pracownik"
            audit.write(session, by, "user_add", username, f"rola: {role_word}", now=moment)
            return _view(row)
    except IntegrityError:
        raise UsernameTaken(f"Użytkownik {username} już istnieje.") from None


def get_user(user_id: int) -> UserView | None:
    with Session.begin() as session:
        row = session.get(StaffUser, user_id)
        return None if row is None else _view(row)


def users() -> list[UserView]:
    """Every account, by username."""
    with Session.begin() as session:
        return [_view(row) for row in session.scalars(select(StaffUser).order_by(
            StaffUser.username))]


def active_users() -> list[UserView]:
    return [user for user in users() if user.active]


def set_active(user_id: int, active: bool, *, by: str) -> UserView:
    """Enable or disable an account; disabling also signs it out everywhere."""
    with Session.begin() as session:
        row = session.get(StaffUser, user_id)
        if row is None:
            raise UnknownUser("Nie ma takiego użytkownika.")
        if row.active != active:
            row.active = active
            if not active:
                session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))
            else:
                row.failed_logins = 0
                row.locked_until = None
            audit.write(session, by, "user_enable" if active else "user_disable", row.username)
        return _view(row)


def set_password(user_id: int, password_hash: str, *, by: str,
                 keep_session: str | None = None, now: datetime | None = None) -> None:
    """Store a new password hash and end the account's other sessions.

    `keep_session` is the session that made the change (a person changing their own
    password stays signed in there). Audited as "password_change" when the person
    changes their own password, "password_reset" when an admin sets it.
    """
    moment = now or utcnow()
    with Session.begin() as session:
        row = session.get(StaffUser, user_id)
        if row is None:
            raise UnknownUser("Nie ma takiego użytkownika.")
        row.password_hash = password_hash
        row.password_changed_at = moment
        row.failed_logins = 0
        row.locked_until = None
        query = delete(StaffSession).where(StaffSession.user_id == user_id)
        if keep_session is not None:
            query = query.where(StaffSession.id != keep_session)
        session.execute(query)
        action = "password_change" if by == row.username else "password_reset"
        audit.write(session, by, action, row.username, now=moment)


def rehash_password(user_id: int, password_hash: str) -> None:
    """Replace a hash made with older parameters (same password; not audited)."""
    with Session.begin() as session:
        row = session.get(StaffUser, user_id)
        if row is not None:
            row.password_hash = password_hash


# ---------------------------------------------------------------- signing in


def login_record(username: str) -> LoginRecord | None:
    """The account a login names, with its hash; None when no account has that name."""
    if not USERNAME_RE.fullmatch(username):
        return None
    with Session.begin() as session:
        row = session.scalars(select(StaffUser).where(StaffUser.username == username)).first()
        return None if row is None else LoginRecord(_view(row), row.password_hash)


def login_failed(user_id: int | None, *, max_failures: int, lock_minutes: int,
                 now: datetime | None = None) -> bool:
    """Count a failed login of the account (None: no such account); True when this failure
    locked it. A locked account is not counted further until its lock ends."""
    moment = now or utcnow()
    with Session.begin() as session:
        row = None if user_id is None else session.get(StaffUser, user_id, with_for_update=True)
        if row is None:
            audit.write(session, UNKNOWN_USER, "login_failed", detail="nieznana nazwa",
                        now=moment)
            return False
        if row.locked_until is not None and _aware(row.locked_until) > moment:
            audit.write(session, row.username, "login_failed",
                        detail="konto zablokowane", now=moment)
            return False
        row.failed_logins += 1
        locked = row.failed_logins >= max_failures
        detail = f"nieudana próba {row.failed_logins} z {max_failures}"
        if locked:
            row.locked_until = moment + timedelta(minutes=lock_minutes)
            row.failed_logins = 0
            detail += f"; zablokowano na {lock_minutes} min"
        audit.write(session, row.username, "login_failed", detail=detail, now=moment)
        return locked


def login_succeeded(user_id: int, *, session_id: str, csrf_token: str, expires_at: datetime,
                    now: datetime | None = None) -> SessionView:
    """Start a session (stored under `session_id`, the token's hash) and reset the counter."""
    moment = now or utcnow()
    with Session.begin() as session:
        row = session.get(StaffUser, user_id, with_for_update=True)
        if row is None or not row.active:
            raise UnknownUser("Nie ma takiego aktywnego użytkownika.")
        row.failed_logins = 0
        row.locked_until = None
        session.add(StaffSession(id=session_id, user_id=user_id, csrf_token=csrf_token,
                                 created_at=moment, last_seen_at=moment, expires_at=expires_at))
        audit.write(session, row.username, "login", now=moment)
        return SessionView(session_id, _view(row), csrf_token, moment, expires_at)


def current_session(session_id: str, *, now: datetime | None = None) -> SessionView | None:
    """The live session with this id (not expired, account active), or None."""
    moment = now or utcnow()
    with Session.begin() as session:
        found = session.execute(
            select(StaffSession, StaffUser)
            .join(StaffUser, StaffSession.user_id == StaffUser.id)
            .where(StaffSession.id == session_id)
        ).one_or_none()
        if found is None:
            return None
        row, user = found
        if _aware(row.expires_at) <= moment or not user.active:
            return None
        if moment - _aware(row.last_seen_at) >= TOUCH_EVERY:
            row.last_seen_at = moment
        return SessionView(row.id, _view(user), row.csrf_token, _aware(row.created_at),
                           _aware(row.expires_at))


def end_session(session_id: str, *, now: datetime | None = None) -> None:
    """Sign out: delete the session (nothing happens for an unknown id)."""
    with Session.begin() as session:
        found = session.execute(
            select(StaffSession.id, StaffUser.username)
            .join(StaffUser, StaffSession.user_id == StaffUser.id)
            .where(StaffSession.id == session_id)
        ).one_or_none()
        if found is None:
            return
        session.execute(delete(StaffSession).where(StaffSession.id == session_id))
        audit.write(session, found.username, "logout", now=now)
