"""The web app: `POST /api/chat` for every front end, `/healthz`, and the kiosk page.

The browser only ever talks to this app; the app talks to Rasa server-side with the
shared token. Run with `uvicorn bot.web.app:create_app --factory`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.db import repository
from bot.db.repository import conversations
from bot.db.session import configure
from bot.long_lived import freeze_long_lived
from bot.settings import Settings, load_settings
from bot.web.answers import answers_router
from bot.web.chat import ChatRequest, to_reply_message, validation_problems
from bot.web.kiosk import kiosk_router
from bot.web.rasa_client import RasaClient, RasaUnavailable
from bot.web.staff import staff_router

log = logging.getLogger("drogowskaz.web")

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_BODY_BYTES = 64 * 1024
CHANNEL = "kiosk"

UNAVAILABLE_TEXT = "Przepraszam, chwilowo nie mogę odpowiedzieć. Spróbuję ponownie za chwilę."
NO_ANSWER_TEXT = (
    "Chwilowo nie mogę tego sprawdzić. Spróbuj za chwilę albo wybierz inny temat."
)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
        "style-src 'self'; script-src 'self'; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every HTTP response that does not set them itself.

    A plain ASGI middleware: Starlette's BaseHTTPMiddleware runs each request in an
    extra task with its own response stream, a measurable part of the web app's time
    per chat turn under load."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def note_turn(session_id: str) -> None:
    """Count the turn in the conversation's bookkeeping row (never raises: bookkeeping
    must never stop a person from getting an answer)."""
    try:
        await run_in_threadpool(conversations.record_turn, CHANNEL, session_id)
    except Exception:
        log.warning("could not record the conversation turn", exc_info=True)


def error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def unavailable_reply() -> JSONResponse:
    return JSONResponse(
        {
            "error": "the assistant is temporarily unavailable",
            "retry": True,
            "messages": [{"text": UNAVAILABLE_TEXT, "buttons": []}],
        },
        status_code=503,
        headers={"Retry-After": "5"},
    )


async def read_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None when it is larger than `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            return None
    return bytes(body)


def create_app(settings: Settings | None = None) -> FastAPI:
    config = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = configure(config.database_url)
        app.state.rasa = RasaClient(config.rasa_urls, config.rasa_token, config.rasa_timeout)
        freeze_long_lived()
        try:
            yield
        finally:
            await app.state.rasa.aclose()
            engine.dispose()

    app = FastAPI(
        title="Drogowskaz",
        summary="Chat API of the Drogowskaz assistant",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(kiosk_router(config))
    app.include_router(answers_router())
    app.include_router(staff_router(config))

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        try:
            await run_in_threadpool(repository.ping)
            database = "ok"
        except Exception:  # any driver error means "not reachable right now"
            log.warning("database health check failed", exc_info=True)
            database = "unavailable"
        return {"status": "ok", "database": database}

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/kiosk")

    @app.post(
        "/api/chat",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ChatRequest.model_json_schema()}},
            }
        },
    )
    async def chat(request: Request) -> JSONResponse:
        raw = await read_body(request, MAX_BODY_BYTES)
        if raw is None:
            return error(413, f"request body too large (at most {MAX_BODY_BYTES} bytes)")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return error(400, "the request body must be JSON, e.g. "
                              '{"session_id": "abc12345", "text": "dzień dobry"}')
        if not isinstance(data, dict):
            return error(400, "the request body must be a JSON object")
        try:
            chat_request = ChatRequest.model_validate(data)
        except ValidationError as exc:
            return error(422, "invalid chat request", details=validation_problems(exc.errors()))

        # The bookkeeping row is written while Rasa answers, not before: its commit
        # waits for the disk, and the answer does not depend on it.
        noted = asyncio.create_task(note_turn(chat_request.session_id))
        rasa: RasaClient = request.app.state.rasa
        try:
            bot_messages = await rasa.send(
                f"{CHANNEL}-{chat_request.session_id}",
                chat_request.message,
                {"channel": CHANNEL},
            )
        except RasaUnavailable as exc:
            log.warning("chat turn failed: %s", exc)
            return unavailable_reply()
        finally:
            await noted

        messages = [m for m in map(to_reply_message, bot_messages) if m is not None]
        if not messages:
            messages = [{"text": NO_ANSWER_TEXT, "buttons": []}]
        return JSONResponse({"messages": messages})

    return app
