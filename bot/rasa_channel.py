"""Rasa input channel used by our web app and Telegram bridge (runs inside Rasa).

It is Rasa's REST channel with one difference: every webhook call must carry the
shared secret (`Authorization: Bearer <RASA_TOKEN>`), so nothing but our own server-side
code can talk to the assistant, even on loopback.

credentials.yml:
    bot.rasa_channel.SecureRestInput:
      token: ${RASA_TOKEN}
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.long_lived import freeze_long_lived
from bot.nlu import rasa_speedups
from bot.nlu.action_endpoint import close_sessions

# Rasa imports its input channels before it loads the model: the graph runner it loads
# the model with is one of the speed-ups (bot/nlu/rasa_speedups.py).
rasa_speedups.install()

ALLOWED_CHANNELS = ("kiosk", "telegram", "test")


class SecureRestInput(RestInput):
    """REST channel that refuses any call without the shared bearer token."""

    @classmethod
    def name(cls) -> str:
        return "drogowskaz"

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("SecureRestInput needs a non-empty token (RASA_TOKEN)")
        self.token = token

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SecureRestInput:
        return cls((credentials or {}).get("token") or "")

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        scheme, _, supplied = header.partition(" ")
        if scheme.lower() != "bearer" or not supplied:
            return False
        return hmac.compare_digest(supplied.encode(), self.token.encode())

    def _extract_input_channel(self, request: Request) -> str:
        metadata = self.get_metadata(request) or {}
        channel = metadata.get("channel")
        return channel if channel in ALLOWED_CHANNELS else self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = (request.json or {}).get("metadata")
        return metadata if isinstance(metadata, dict) else None

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[None]]
    ) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.listener("after_server_start")
        async def leave_the_model_alone(_app: Any, _loop: Any) -> None:
            # the model is loaded by now (before_server_start): see bot/long_lived.py
            freeze_long_lived()

        @blueprint.listener("before_server_stop")
        async def close_action_server_sessions(_app: Any, _loop: Any) -> None:
            await close_sessions()

        @blueprint.middleware("request")
        async def require_token(request: Request) -> HTTPResponse | None:
            if request.method == "POST" and not self._authorised(request):
                return response.json({"error": "missing or wrong bearer token"}, status=401)
            return None

        return blueprint
