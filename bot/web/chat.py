"""The chat contract shared by every front end: request validation and reply shape."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_TEXT_CHARS = 2000
MAX_PAYLOAD_CHARS = 500
# Everything but line breaks and tabs in the Unicode "C" categories (controls, format,
# surrogates, private use, unassigned) is dropped from user text.
_KEEP_CONTROLS = {"\n", "\t"}
_PAYLOAD = re.compile(r"^/[a-z][a-z0-9_]{0,63}(\{.*\})?$", re.DOTALL)
_SESSION_ID = r"^[A-Za-z0-9_-]{8,64}$"


def clean_text(text: str) -> str:
    """Drop control characters, unify spaces and trim."""
    kept = "".join(
        ch
        for ch in text
        if ch in _KEEP_CONTROLS or not unicodedata.category(ch).startswith("C")
    )
    kept = re.sub(r"[ \t\u00a0]+", " ", kept)
    kept = re.sub(r"\s*\n\s*", "\n", kept)
    return kept.strip()


class ChatRequest(BaseModel):
    """`{"session_id": "...", "text": "..."}` or `{"session_id": "...", "payload": "/intent"}`."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    session_id: str = Field(
        pattern=_SESSION_ID,
        description="Conversation id chosen by the front end: 8-64 letters, digits, - or _.",
    )
    text: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    payload: str | None = Field(default=None, max_length=MAX_PAYLOAD_CHARS)

    @field_validator("text")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return None if value is None else clean_text(value)

    @field_validator("payload")
    @classmethod
    def _payload_shape(cls, value: str | None) -> str | None:
        if value is not None and not _PAYLOAD.match(value):
            raise ValueError("payload must be a button payload such as /ask_shelter")
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> ChatRequest:
        if (self.text is None) == (self.payload is None):
            raise ValueError("send exactly one of 'text' or 'payload'")
        if self.text is not None and not self.text:
            raise ValueError(
                "text is empty (nothing left after removing spaces and control characters)"
            )
        return self

    @property
    def message(self) -> str:
        return self.payload if self.payload is not None else (self.text or "")


def to_reply_message(rasa_message: dict[str, Any]) -> dict[str, Any] | None:
    """Turn one Rasa bot message into the API's message shape (None when it has nothing).

    An office card from the directory arrives as Rasa's `custom` payload
    `{"text": ..., "card": {...}}` and becomes a message with a `card` field; likewise the
    release checklist (`checklist`) and an escalation's answer code (`ticket`).
    """
    custom = rasa_message.get("custom")
    if isinstance(custom, dict) and isinstance(custom.get("card"), dict):
        card = {str(k): str(v) for k, v in custom["card"].items()}
        return {"text": str(custom.get("text") or ""), "buttons": [], "card": card}
    if isinstance(custom, dict) and isinstance(custom.get("checklist"), dict):
        # the release checklist: its plain text plus its structure, for printing
        return {"text": str(custom.get("text") or ""), "buttons": [],
                "checklist": custom["checklist"]}
    if isinstance(custom, dict) and isinstance(custom.get("ticket"), dict):
        ticket = {"code": str(custom["ticket"].get("code") or "")}
        return {"text": str(custom.get("text") or ""), "buttons": [], "ticket": ticket}
    text = rasa_message.get("text")
    buttons = [
        {"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))}
        for button in rasa_message.get("buttons") or []
        if isinstance(button, dict) and button.get("payload")
    ]
    if not text and not buttons:
        return None
    return {"text": str(text or ""), "buttons": buttons}


def validation_problems(errors: list[Any]) -> list[dict[str, str]]:
    """Readable list of what is wrong in a request, one entry per problem."""
    problems = []
    for error in errors:
        location = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
        kind = error.get("type", "")
        if kind == "extra_forbidden":
            message = "unknown field (allowed: session_id, text, payload)"
        elif kind == "missing":
            message = "this field is required"
        elif kind == "string_too_long":
            limit = error.get("ctx", {}).get("max_length")
            message = f"too long: at most {limit} characters"
        elif kind == "string_pattern_mismatch" and location == "session_id":
            message = "must be 8-64 characters: letters, digits, - or _"
        else:
            message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        problems.append({"field": location or "(body)", "problem": message})
    return problems
