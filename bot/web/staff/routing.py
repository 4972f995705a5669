"""Refusals of the dashboard and the route class that turns them into pages.

Dependencies and handlers raise a `Refusal`; `StaffRoute` answers it with a plain Polish
page (or, for a page asked for without signing in, a redirect to the login form).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute

from bot.web.staff.templating import render

LOGIN_PATH = "/staff/login"


class Refusal(Exception):
    """A request the dashboard does not serve; `status`, `title` and `message` make the page."""

    status = 400
    title = "Nie można tego zrobić"
    message = ""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        if message is not None:
            self.message = message


class SignInRequired(Refusal):
    status = 401
    title = "Zaloguj się"
    message = "Ta część jest tylko dla zalogowanych pracowników. Twoja sesja mogła wygasnąć."

    def __init__(self, next_path: str | None = None) -> None:
        super().__init__()
        self.next_path = next_path


class Forbidden(Refusal):
    status = 403
    title = "Brak dostępu"
    message = "Ta strona jest tylko dla administratorów."


class CsrfRejected(Refusal):
    status = 403
    title = "Formularz nie został przyjęty"
    message = ("Formularz wygasł albo nie pochodzi z tego panelu. Nic nie zostało zmienione. "
               "Wróć, odśwież stronę i spróbuj jeszcze raz.")


class PageNotFound(Refusal):
    status = 404
    title = "Nie znaleziono"
    message = "Nie ma takiej strony albo takiej sprawy."


class BadForm(Refusal):
    status = 400
    title = "Formularz nie został przyjęty"
    message = "Tego formularza nie da się odczytać. Wróć i spróbuj jeszcze raz."


class FormTooLargeRefusal(BadForm):
    status = 413
    message = "Formularz jest za duży. Skróć tekst i spróbuj jeszcze raz."


def safe_next(path: str | None) -> str:
    """Where to go after signing in: only a path inside the dashboard."""
    if (path and path.startswith("/staff/") and not path.startswith("//")
            and "\\" not in path and "//" not in path and len(path) <= 500
            and not path.startswith(LOGIN_PATH)):
        return path
    return "/staff/queue"


def refusal_response(refusal: Refusal, request: Request) -> Response:
    if isinstance(refusal, SignInRequired) and request.method in ("GET", "HEAD"):
        target = LOGIN_PATH
        if refusal.next_path and safe_next(refusal.next_path) == refusal.next_path:
            target += "?next=" + quote(refusal.next_path, safe="/")
        return RedirectResponse(target, status_code=303)
    return render("refused.html", status=refusal.status, refusal=refusal,
                  signed_out=isinstance(refusal, SignInRequired))


class StaffRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except Refusal as refusal:
                return refusal_response(refusal, request)

        return answer
