"""The prison kiosk: its page (`GET /kiosk`) and offline read-aloud (`POST /api/tts`).

The page is static HTML, CSS and JavaScript from `static/`; the server only writes the
idle and countdown times into the page's data attributes, so that they come from the
settings (KIOSK_IDLE_SECONDS, KIOSK_COUNTDOWN_SECONDS) and tests can shorten them.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from bot.settings import Settings
from bot.web.tts import MAX_TTS_CHARS, Speaker, SpeechUnavailable, TextProblem, check_text

log = logging.getLogger("drogowskaz.kiosk")

STATIC_DIR = Path(__file__).resolve().parent / "static"
KIOSK_PAGE = STATIC_DIR / "kiosk.html"
# a little more than MAX_TTS_CHARS of Polish text in JSON with \u escapes
MAX_TTS_BODY_BYTES = 16 * 1024

TTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["text"],
    "additionalProperties": False,
    "properties": {
        "text": {"type": "string", "minLength": 1, "maxLength": MAX_TTS_CHARS,
                 "description": "Plain text to read aloud in Polish."}
    },
}


def render_kiosk_page(settings: Settings) -> str:
    """The kiosk page with the idle and countdown seconds filled in (whole numbers only)."""
    page = KIOSK_PAGE.read_text(encoding="utf-8")
    return page.replace(
        "__KIOSK_IDLE_SECONDS__", str(int(settings.kiosk_idle_seconds))
    ).replace("__KIOSK_COUNTDOWN_SECONDS__", str(int(settings.kiosk_countdown_seconds)))


class BodyProblem(TextProblem):
    """The request body is not a JSON object of the right shape (HTTP 400)."""


def _problem(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def parse_tts_body(raw: bytes) -> str:
    """The text of a `{"text": "..."}` body; raises TextProblem with a readable reason."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BodyProblem('the request body must be JSON, e.g. {"text": "Dzień dobry"}') from None
    if not isinstance(data, dict):
        raise BodyProblem("the request body must be a JSON object")
    unknown = sorted(set(data) - {"text"})
    if unknown:
        raise BodyProblem(f"unknown field(s) {', '.join(unknown)} (allowed: text)")
    text = data.get("text")
    if not isinstance(text, str):
        raise BodyProblem("'text' is required and must be a string")
    return check_text(text)


def kiosk_router(settings: Settings, speaker: Speaker | None = None) -> APIRouter:
    router = APIRouter()
    voice = speaker or Speaker()

    @router.get("/kiosk", include_in_schema=False)
    async def kiosk_page() -> HTMLResponse:
        return HTMLResponse(render_kiosk_page(settings))

    @router.post(
        "/api/tts",
        response_class=Response,
        responses={
            200: {"content": {"audio/wav": {}}, "description": "WAV audio (Polish, espeak-ng)"},
            400: {"description": "not a JSON object with only a 'text' string"},
            413: {"description": "body too large"},
            415: {"description": "not a JSON body"},
            422: {"description": "'text' empty, too long or not plain text"},
            503: {"description": "speech synthesis unavailable"},
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": TTS_SCHEMA}},
            }
        },
    )
    async def tts(request: Request) -> Response:
        content_type = request.headers.get("content-type", "")
        if content_type.split(";")[0].strip().lower() != "application/json":
            return _problem(415, "send JSON with Content-Type: application/json")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_TTS_BODY_BYTES:
            return _problem(413, f"request body too large (at most {MAX_TTS_BODY_BYTES} bytes)")
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > MAX_TTS_BODY_BYTES:
                return _problem(413, "request body too large "
                                     f"(at most {MAX_TTS_BODY_BYTES} bytes)")
        try:
            text = parse_tts_body(bytes(body))
        except BodyProblem as exc:
            return _problem(400, str(exc))
        except TextProblem as exc:
            return _problem(422, str(exc))
        try:
            audio = await voice.wav(text)
        except SpeechUnavailable as exc:
            log.warning("read-aloud failed: %s", exc)
            return JSONResponse(
                {"error": "read-aloud is temporarily unavailable", "retry": True},
                status_code=503,
                headers={"Retry-After": "5"},
            )
        return Response(audio, media_type="audio/wav")

    return router
