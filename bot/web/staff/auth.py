"""Signing staff in and out, sessions, CSRF and lockout.

- The session cookie holds a random token; the database keeps only its SHA-256
  (`staff_session.id`), so a copy of the database cannot be used to sign in.
- Cookies are HttpOnly, SameSite=Strict, Path=/staff, and Secure unless
  STAFF_COOKIE_SECURE is false.
- Every POST form carries a CSRF token, compared in constant time: the session's token
  once signed in; before that (the login form) a random token that is also in a
  short-lived cookie (double submit).
- After LOGIN_MAX_FAILURES failed logins in a row an account is locked for
  LOGIN_LOCK_MINUTES; while locked even the right password is refused. Every failure
  gets the same answer, and an unknown name costs the same hashing time, so the login
  form never tells whether a username exists.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Final

from fastapi import Depends, Request
from fastapi.responses import Response

from bot.db.models import utcnow
from bot.db.repository import staff as staff_repo
from bot.db.repository.staff import UserView
from bot.settings import Settings
from bot.web.staff.forms import Form, FormTooLarge, NotAForm, read_form
from bot.web.staff.passwords import hash_password, needs_rehash, verify_password
from bot.web.staff.routing import (
    BadForm,
    CsrfRejected,
    Forbidden,
    FormTooLargeRefusal,
    SignInRequired,
)

SESSION_COOKIE: Final = "staff_session"
LOGIN_CSRF_COOKIE: Final = "staff_login_csrf"
COOKIE_PATH: Final = "/staff"
LOGIN_CSRF_SECONDS: Final = 3600
MAX_TOKEN_LENGTH: Final = 200


@dataclass(frozen=True, slots=True)
class Staff:
    """Who is signed in for this request."""

    user: UserView
    session_id: str
    csrf: str


@dataclass(frozen=True, slots=True)
class Posted:
    """A signed-in person's form whose CSRF token was right."""

    staff: Staff
    form: Form


# ---------------------------------------------------------------- tokens


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_token(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; an empty or missing token never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def _set_cookie(response: Response, settings: Settings, name: str, value: str,
                max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path=COOKIE_PATH, httponly=True,
                        samesite="strict", secure=settings.staff_cookie_secure)


def set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    _set_cookie(response, settings, SESSION_COOKIE, token, settings.staff_session_hours * 3600)


def set_login_csrf_cookie(response: Response, settings: Settings, token: str) -> None:
    _set_cookie(response, settings, LOGIN_CSRF_COOKIE, token, LOGIN_CSRF_SECONDS)


def clear_cookie(response: Response, settings: Settings, name: str) -> None:
    response.delete_cookie(name, path=COOKIE_PATH, httponly=True, samesite="strict",
                           secure=settings.staff_cookie_secure)


# ---------------------------------------------------------------- signing in


def attempt_login(settings: Settings, username: str, password: str,
                  *, now: datetime | None = None) -> str | None:
    """Check a login; on success start a session and return its cookie token, else None."""
    moment = now or utcnow()
    record = staff_repo.login_record(username)
    matches = verify_password(None if record is None else record.password_hash, password)
    if (record is None or not matches or not record.user.active
            or record.user.locked_at(moment)):
        staff_repo.login_failed(None if record is None else record.user.id,
                                max_failures=settings.login_max_failures,
                                lock_minutes=settings.login_lock_minutes, now=moment)
        return None
    if needs_rehash(record.password_hash):
        staff_repo.rehash_password(record.user.id, hash_password(password))
    token = new_token()
    staff_repo.login_succeeded(
        record.user.id,
        session_id=token_hash(token),
        csrf_token=new_token(),
        expires_at=moment + timedelta(hours=settings.staff_session_hours),
        now=moment,
    )
    return token


def session_of(request: Request) -> Staff | None:
    """The signed-in person of this request, or None."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    found = staff_repo.current_session(token_hash(token))
    if found is None:
        return None
    return Staff(user=found.user, session_id=found.id, csrf=found.csrf_token)


# ---------------------------------------------------------------- dependencies


def _asked_path(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def signed_in(request: Request) -> Staff:
    """Dependency of every dashboard route: a signed-in person, or SignInRequired."""
    staff = session_of(request)
    if staff is None:
        reading = request.method in ("GET", "HEAD")
        raise SignInRequired(_asked_path(request) if reading else None)
    return staff


def admin(staff: Annotated[Staff, Depends(signed_in)]) -> Staff:
    """Dependency of admin pages: staff accounts get 403."""
    if not staff.user.is_admin:
        raise Forbidden()
    return staff


async def checked_form(request: Request) -> Form:
    """The request's form (size-limited); BadForm when it is not a form."""
    try:
        return await read_form(request)
    except FormTooLarge:
        raise FormTooLargeRefusal() from None
    except NotAForm:
        raise BadForm() from None


async def posted(request: Request, staff: Annotated[Staff, Depends(signed_in)]) -> Posted:
    """Dependency of every POST of a signed-in person: the form, with its CSRF token checked."""
    form = await checked_form(request)
    if not same_token(staff.csrf, form.get("csrf")):
        raise CsrfRejected()
    return Posted(staff, form)


async def admin_posted(request: Request, staff: Annotated[Staff, Depends(admin)]) -> Posted:
    form = await checked_form(request)
    if not same_token(staff.csrf, form.get("csrf")):
        raise CsrfRejected()
    return Posted(staff, form)


SignedIn = Annotated[Staff, Depends(signed_in)]
Admin = Annotated[Staff, Depends(admin)]
StaffPost = Annotated[Posted, Depends(posted)]
AdminPost = Annotated[Posted, Depends(admin_posted)]
