"""The queue of escalations and one escalation's page: claim, reply (with a preview), close,
reassign."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from bot.db.models import ESCALATION_CHANNELS, STATUSES
from bot.db.repository import escalations
from bot.db.repository import staff as staff_repo
from bot.db.repository.escalations import EscalationError, EscalationView, NotFound
from bot.web.staff.auth import SignedIn, Staff, StaffPost
from bot.web.staff.reply_text import MAX_REPLY, as_delivered, clean_reply, reply_problem
from bot.web.staff.routing import PageNotFound, StaffRoute
from bot.web.staff.templating import render

NOTICES: Final = {
    "claimed": "Sprawa jest teraz Twoja.",
    "sent": "Odpowiedź zapisana. Osoba dostanie ją tak, jak w podglądzie.",
    "closed": "Sprawa zamknięta.",
    "reassigned": "Sprawa przekazana.",
}
STATUS_FILTERS: Final = (("", "Otwarte"), *((s, None) for s in STATUSES),
                         (escalations.ALL, "Wszystkie"))


def _escalation_id(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 12:
        raise PageNotFound()
    return int(raw)


def _found(escalation_id: int) -> EscalationView:
    found = escalations.get(escalation_id)
    if found is None:
        raise PageNotFound()
    return found


def _back(escalation_id: int, key: str) -> RedirectResponse:
    return RedirectResponse(f"/staff/escalations/{escalation_id}?ok={key}", status_code=303)


def escalation_page(staff: Staff, escalation: EscalationView, *, status: int = 200,
                    error: str | None = None, notice: str | None = None, draft: str = "",
                    preview: str | None = None) -> Response:
    return render(
        "escalation.html",
        section="queue",
        status=status,
        staff=staff,
        escalation=escalation,
        messages=escalations.transcript(escalation.id),
        colleagues=[u for u in staff_repo.active_users() if u.id != escalation.claimed_by],
        may_act=escalation.claimed_by in (None, staff.user.id) or staff.user.is_admin,
        error=error,
        notice=notice,
        draft=draft,
        preview=preview,
        shown=None if preview is None else as_delivered(escalation.channel,
                                                        escalation.display_code, preview),
        max_reply=MAX_REPLY,
    )


def queue_router() -> APIRouter:
    router = APIRouter(prefix="/staff", route_class=StaffRoute)

    @router.get("/queue", include_in_schema=False)
    def queue(request: Request, staff: SignedIn) -> Response:
        params = request.query_params
        status = params.get("status", "")
        channel = params.get("channel", "")
        category = params.get("category", "")[:100]
        known_status = status in STATUSES or status == escalations.ALL
        items = escalations.queue(
            status if known_status else None,
            channel if channel in ESCALATION_CHANNELS else None,
            category or None,
        )
        return render(
            "queue.html",
            section="queue",
            staff=staff,
            items=items,
            categories=escalations.categories(),
            status_filters=STATUS_FILTERS,
            chosen={"status": status if known_status else "",
                    "channel": channel if channel in ESCALATION_CHANNELS else "",
                    "category": category},
            notice=NOTICES.get(params.get("ok", "")),
        )

    @router.get("/escalations/{escalation_id}", include_in_schema=False)
    def escalation(request: Request, escalation_id: str, staff: SignedIn) -> Response:
        found = _found(_escalation_id(escalation_id))
        return escalation_page(staff, found, notice=NOTICES.get(request.query_params.get("ok", "")))

    @router.post("/escalations/{escalation_id}/claim", include_in_schema=False)
    def claim(escalation_id: str, posted: StaffPost) -> Response:
        number = _escalation_id(escalation_id)
        return _act(posted.staff, number, "claimed",
                    lambda: escalations.claim(number, posted.staff.user.id))

    @router.post("/escalations/{escalation_id}/close", include_in_schema=False)
    def close(escalation_id: str, posted: StaffPost) -> Response:
        number = _escalation_id(escalation_id)
        return _act(posted.staff, number, "closed",
                    lambda: escalations.close(number, posted.staff.user.id))

    @router.post("/escalations/{escalation_id}/reassign", include_in_schema=False)
    def reassign(escalation_id: str, posted: StaffPost) -> Response:
        number = _escalation_id(escalation_id)
        target = posted.form.get("to")
        if not target.isdigit() or len(target) > 12:
            return escalation_page(posted.staff, _found(number), status=400,
                                   error="Wybierz osobę, której chcesz przekazać sprawę.")
        return _act(posted.staff, number, "reassigned",
                    lambda: escalations.reassign(number, int(target), posted.staff.user.id))

    @router.post("/escalations/{escalation_id}/reply", include_in_schema=False)
    def reply(escalation_id: str, posted: StaffPost) -> Response:
        number = _escalation_id(escalation_id)
        staff, form = posted.staff, posted.form
        text = clean_reply(form.get("text"))
        found = _found(number)
        problem = reply_problem(text)
        if problem is not None:
            return escalation_page(staff, found, status=400, error=problem, draft=text)
        if form.get("action") != "send":
            return escalation_page(staff, found, draft=text, preview=text)
        return _act(staff, number, "sent", lambda: escalations.reply(number, staff.user.id, text),
                    draft=text)

    return router


def _act(staff: Staff, escalation_id: int, done: str, action: Callable[[], object], *,
         draft: str = "") -> Response:
    """Run a staff action; on a refusal show the escalation again with the reason."""
    try:
        action()
    except NotFound:
        raise PageNotFound() from None
    except EscalationError as exc:
        return escalation_page(staff, _found(escalation_id), status=409, error=str(exc),
                               draft=draft)
    return _back(escalation_id, done)
