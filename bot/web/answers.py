"""Reading a staff answer with a code on the kiosk: `POST /api/answer {"code": "KF7-M3X"}`.

The kiosk leaves no trace, so a person who asked for a person gets a short code and reads
the answer later, on any kiosk. Wrong codes are answered slowly and counted per client:
after MAX_FAILURES wrong codes in WINDOW_SECONDS that client must wait.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import defaultdict, deque
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from bot.db.repository import escalations
from bot.escalation_codes import format_code, normalise_code

log = logging.getLogger("drogowskaz.answers")

MAX_BODY_BYTES = 1024
MAX_FAILURES = 10
WINDOW_SECONDS = 600.0
WRONG_CODE_DELAY = 0.5

STATUS_TEXT = {
    "new": "Pytanie czeka na pracownika. Sprawdź później.",
    "claimed": "Pracownik zajmuje się Twoim pytaniem. Sprawdź później.",
    "answered": "Pracownik odpowiedział.",
    "closed": "Sprawa jest zamknięta.",
}
NOT_FOUND_TEXT = "Nie znam takiego kodu. Sprawdź litery i cyfry i wpisz go jeszcze raz."
BAD_CODE_TEXT = "Kod ma sześć znaków, na przykład KF7-M3X."
TOO_MANY_TEXT = "Za dużo prób. Spróbuj za kilka minut albo zapytaj wychowawcę."


class Attempts:
    """Wrong codes per client within a sliding window (in memory, per process)."""

    def __init__(self) -> None:
        self._failures: defaultdict[str, deque[float]] = defaultdict(deque)

    def blocked(self, client: str, now: float) -> bool:
        failures = self._failures[client]
        while failures and now - failures[0] > WINDOW_SECONDS:
            failures.popleft()
        return len(failures) >= MAX_FAILURES

    def failed(self, client: str, now: float) -> None:
        self._failures[client].append(now)


def _problem(status: int, text: str) -> JSONResponse:
    return JSONResponse({"error": text}, status_code=status)


def answer_payload(ticket: escalations.EscalationView,
                   messages: list[escalations.MessageView]) -> dict[str, Any]:
    replies = [m for m in messages if m.author == "staff"]
    return {
        "code": format_code(ticket.code),
        "status": ticket.status,
        "status_text": STATUS_TEXT.get(ticket.status, ""),
        "answers": [{"text": m.text, "at": m.created_at.isoformat()} for m in replies],
    }


def answers_router() -> APIRouter:
    router = APIRouter()
    attempts = Attempts()

    @router.post("/api/answer", summary="Read the staff answer for a kiosk code")
    async def read_answer(request: Request) -> JSONResponse:
        client = request.client.host if request.client else "?"
        if attempts.blocked(client, time.monotonic()):
            return _problem(429, TOO_MANY_TEXT)
        raw = await request.body()
        if len(raw) > MAX_BODY_BYTES:
            return _problem(413, BAD_CODE_TEXT)
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return _problem(400, BAD_CODE_TEXT)
        typed = data.get("code") if isinstance(data, dict) else None
        code = normalise_code(typed) if isinstance(typed, str) else None
        if code is None:
            return _problem(422, BAD_CODE_TEXT)
        try:
            ticket = await run_in_threadpool(escalations.get_by_code, code)
            messages = (await run_in_threadpool(escalations.transcript, ticket.id)
                        if ticket is not None else [])
        except Exception:
            log.exception("reading an answer failed")
            return _problem(503, "Chwilowo nie mogę sprawdzić kodu. Spróbuj za chwilę.")
        if ticket is None or ticket.channel != "kiosk":
            attempts.failed(client, time.monotonic())
            await asyncio.sleep(WRONG_CODE_DELAY)
            return _problem(404, NOT_FOUND_TEXT)
        for message in messages:
            if message.author == "staff" and message.delivered_at is None:
                await run_in_threadpool(escalations.mark_delivered, message.id)
        return JSONResponse(answer_payload(ticket, messages))

    return router
