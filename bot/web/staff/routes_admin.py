"""Admin pages: staff accounts (add, disable/enable, set a new password) and the audit log."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from bot.db.models import STAFF_ROLES
from bot.db.repository import audit
from bot.db.repository import staff as staff_repo
from bot.db.repository.staff import StaffError, username_problem
from bot.web.staff.auth import Admin, AdminPost, Staff
from bot.web.staff.passwords import hash_password, password_problem
from bot.web.staff.routing import PageNotFound, StaffRoute
from bot.web.staff.templating import render

AUDIT_PER_PAGE: Final = 50
NOTICES: Final = {
    "added": "Konto dodane. Przekaż hasło tej osobie osobiście; może je zmienić po zalogowaniu.",
    "disabled": "Konto wyłączone. Ta osoba została wylogowana.",
    "enabled": "Konto włączone.",
    "password": "Nowe hasło ustawione. Ta osoba została wylogowana ze wszystkich urządzeń.",
}


def _user_id(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 12:
        raise PageNotFound()
    return int(raw)


def users_page(staff: Staff, *, status: int = 200, error: str | None = None,
               notice: str | None = None, form: dict[str, str] | None = None) -> Response:
    return render("users.html", section="users", status=status, staff=staff,
                  users=staff_repo.users(), roles=STAFF_ROLES, error=error, notice=notice,
                  form=form or {"username": "", "role": "staff"})


def admin_router() -> APIRouter:
    router = APIRouter(prefix="/staff/admin", route_class=StaffRoute)

    @router.get("/users", include_in_schema=False)
    def users(request: Request, staff: Admin) -> Response:
        return users_page(staff, notice=NOTICES.get(request.query_params.get("ok", "")))

    @router.post("/users", include_in_schema=False)
    def add_user(posted: AdminPost) -> Response:
        staff, form = posted.staff, posted.form
        username = form.get("username").strip().lower()
        role = form.get("role")
        password, repeated = form.get("password"), form.get("repeat")
        error = username_problem(username)
        if error is None and role not in STAFF_ROLES:
            error = "Wybierz rolę."
        if error is None and password != repeated:
            error = "Hasło i jego powtórzenie różnią się."
        if error is None:
            error = password_problem(password, username)
        if error is None:
            try:
                staff_repo.add_user(username, hash_password(password), role,
                                    by=staff.user.username)
            except StaffError as exc:
                error = str(exc)
        if error is not None:
            return users_page(staff, status=400, error=error,
                              form={"username": username[:40], "role": role})
        return RedirectResponse("/staff/admin/users?ok=added", status_code=303)

    @router.post("/users/{user_id}/active", include_in_schema=False)
    def set_active(user_id: str, posted: AdminPost) -> Response:
        staff, number = posted.staff, _user_id(user_id)
        active = posted.form.get("active") == "1"
        if number == staff.user.id and not active:
            return users_page(staff, status=400,
                              error="Nie możesz wyłączyć własnego konta.")
        try:
            staff_repo.set_active(number, active, by=staff.user.username)
        except staff_repo.UnknownUser:
            raise PageNotFound() from None
        key = "enabled" if active else "disabled"
        return RedirectResponse(f"/staff/admin/users?ok={key}", status_code=303)

    @router.post("/users/{user_id}/password", include_in_schema=False)
    def reset_password(user_id: str, posted: AdminPost) -> Response:
        staff, number = posted.staff, _user_id(user_id)
        target = staff_repo.get_user(number)
        if target is None:
            raise PageNotFound()
        password = posted.form.get("password")
        error = password_problem(password, target.username)
        if error is not None:
            return users_page(staff, status=400, error=f"{target.username}: {error}")
        keep = staff.session_id if number == staff.user.id else None
        staff_repo.set_password(number, hash_password(password), by=staff.user.username,
                                keep_session=keep)
        return RedirectResponse("/staff/admin/users?ok=password", status_code=303)

    @router.get("/audit", include_in_schema=False)
    def audit_log(request: Request, staff: Admin) -> Response:
        raw = request.query_params.get("page", "1")
        number = int(raw) if raw.isdigit() and len(raw) < 9 else 1
        return render("audit.html", section="audit", staff=staff,
                      log=audit.page(number, AUDIT_PER_PAGE))

    return router
