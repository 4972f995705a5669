"""A fake Telegram Bot API server on loopback that records every call (tests only)."""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.launcher import free_port

BOT = {"id": 4242, "is_bot": True, "first_name": "Drogowskaz", "username": "drogowskaz_bot",
       "can_join_groups": False, "can_read_all_group_messages": False,
       "supports_inline_queries": False}


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class FakeBotApi:
    port: int = field(default_factory=free_port)
    calls: list[Call] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    fail_next: dict[str, int] = field(default_factory=dict)  # method -> how many 502s
    flood_next: dict[str, int] = field(default_factory=dict)  # method -> how many 429s
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # ---------------------------------------------------------- test side

    def push(self, **update: Any) -> None:
        with self._lock:
            self.updates.append({"update_id": next(self._update_ids), **update})

    def sent(self, method: str = "sendMessage") -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int, timeout: float = 60) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self.sent(method)
            if len(calls) >= count:
                return calls
            await asyncio.sleep(0.05)
        raise AssertionError(f"expected {count} {method} calls, got {self.sent(method)}")

    # ---------------------------------------------------------- server side

    async def _handle(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        form = await request.form()
        params: dict[str, Any] = {}
        for key, value in form.items():
            text = str(value)
            try:
                params[key] = json.loads(text) if key in ("reply_markup", "commands",
                                                          "allowed_updates") else text
            except json.JSONDecodeError:
                params[key] = text
        if not form and request.headers.get("content-type", "").startswith("application/json"):
            params = await request.json()
        with self._lock:
            self.calls.append(Call(method, params))
            failures = self.fail_next.get(method, 0)
            if failures:
                self.fail_next[method] = failures - 1
            floods = self.flood_next.get(method, 0)
            if floods:
                self.flood_next[method] = floods - 1
        if floods:
            return JSONResponse({"ok": False, "error_code": 429,
                                 "description": "Too Many Requests: retry after 1",
                                 "parameters": {"retry_after": 1}}, status_code=429)
        if failures:
            return JSONResponse({"ok": False, "error_code": 502, "description": "Bad Gateway"},
                                status_code=502)
        if method == "getUpdates":
            return JSONResponse({"ok": True, "result": await self._updates(params)})
        return JSONResponse({"ok": True, "result": self._result(method, params)})

    async def _updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
        while True:
            with self._lock:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                if self.updates:
                    return list(self.updates)
            if time.monotonic() >= deadline:
                return []
            await asyncio.sleep(0.05)

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT
        if method in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
            message: dict[str, Any] = {
                "message_id": int(params.get("message_id") or next(self._ids)),
                "date": int(time.time()),
                "chat": {"id": int(params.get("chat_id", 0)), "type": "private"},
                "from": BOT,
                "text": params.get("text", ""),
            }
            markup = params.get("reply_markup")
            if isinstance(markup, dict) and "inline_keyboard" in markup:
                message["reply_markup"] = params["reply_markup"]
            return message
        return True

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/bot{token}/{method}", self._handle,
                                       methods=["GET", "POST"])])


class RunningFakeApi:
    """The fake server in a background thread."""

    def __init__(self) -> None:
        self.api = FakeBotApi()
        self._server = uvicorn.Server(uvicorn.Config(self.api.app(), host="127.0.0.1",
                                                     port=self.api.port, log_level="warning"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> FakeBotApi:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake Bot API did not start")
            time.sleep(0.02)
        return self.api

    def __exit__(self, *_exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(10)
