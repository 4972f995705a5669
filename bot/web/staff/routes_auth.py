"""Login, logout and changing one's own password."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from bot.db.repository import staff as staff_repo
from bot.settings import Settings
from bot.web.staff.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    SignedIn,
    StaffPost,
    attempt_login,
    checked_form,
    clear_cookie,
    new_token,
    same_token,
    session_of,
    set_login_csrf_cookie,
    set_session_cookie,
)
from bot.web.staff.forms import Form
from bot.web.staff.passwords import hash_password, password_problem, verify_password
from bot.web.staff.routing import LOGIN_PATH, CsrfRejected, StaffRoute, safe_next
from bot.web.staff.templating import render

LOGIN_FAILED: Final = (
    "Nie udało się zalogować. Sprawdź nazwę użytkownika i hasło. "
    "Po kilku nieudanych próbach logowanie jest na jakiś czas zablokowane."
)
NOTICES: Final = {
    "out": "Wylogowano.",
    "password": "Hasło zostało zmienione.",
}


def notice(request: Request) -> str | None:
    return NOTICES.get(request.query_params.get("ok", ""))


def auth_router(settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/staff", route_class=StaffRoute)

    def login_page(request: Request, *, error: str | None = None, username: str = "",
                   next_path: str = "", status: int = 200) -> Response:
        token = new_token()
        response = render("login.html", status=status, login_csrf=token, error=error,
                          username=username, next_path=safe_next(next_path),
                          notice=notice(request))
        set_login_csrf_cookie(response, settings, token)
        return response

    @router.get("", include_in_schema=False)
    def home(staff: SignedIn) -> RedirectResponse:
        return RedirectResponse("/staff/queue", status_code=303)

    @router.get("/login", include_in_schema=False)
    def login_form(request: Request) -> Response:
        if session_of(request) is not None:
            return RedirectResponse("/staff/queue", status_code=303)
        return login_page(request, next_path=request.query_params.get("next", ""))

    @router.post("/login", include_in_schema=False)
    async def login(request: Request, form: Annotated[Form, Depends(checked_form)]) -> Response:
        if not same_token(request.cookies.get(LOGIN_CSRF_COOKIE), form.get("csrf")):
            raise CsrfRejected()
        username = form.get("username").strip().lower()[:100]
        password = form.get("password")[:1000]
        next_path = safe_next(form.get("next"))
        if not username or not password:
            return login_page(request, error="Wpisz nazwę użytkownika i hasło.",
                              username=username, next_path=next_path, status=400)
        token = await run_in_threadpool(attempt_login, settings, username, password)
        if token is None:
            return login_page(request, error=LOGIN_FAILED, username=username,
                              next_path=next_path, status=401)
        response = RedirectResponse(next_path, status_code=303)
        set_session_cookie(response, settings, token)
        clear_cookie(response, settings, LOGIN_CSRF_COOKIE)
        return response

    @router.post("/logout", include_in_schema=False)
    def logout(posted: StaffPost) -> Response:
        staff_repo.end_session(posted.staff.session_id)
        response = RedirectResponse(f"{LOGIN_PATH}?ok=out", status_code=303)
        clear_cookie(response, settings, SESSION_COOKIE)
        return response

    @router.get("/password", include_in_schema=False)
    def password_form(request: Request, staff: SignedIn) -> Response:
        return render("password.html", section="password", staff=staff, notice=notice(request))

    @router.post("/password", include_in_schema=False)
    def change_password(posted: StaffPost) -> Response:
        staff, form = posted.staff, posted.form
        current, new, repeated = form.get("current"), form.get("new"), form.get("repeat")
        record = staff_repo.login_record(staff.user.username)
        error = None
        if record is None or not verify_password(record.password_hash, current):
            error = "Obecne hasło jest nieprawidłowe."
        elif new != repeated:
            error = "Nowe hasło i jego powtórzenie różnią się."
        elif new == current:
            error = "Nowe hasło musi być inne niż obecne."
        else:
            error = password_problem(new, staff.user.username)
        if error is not None:
            return render("password.html", section="password", status=400, staff=staff, error=error)
        staff_repo.set_password(staff.user.id, hash_password(new), by=staff.user.username,
                                keep_session=staff.session_id)
        return RedirectResponse("/staff/password?ok=password", status_code=303)

    return router
