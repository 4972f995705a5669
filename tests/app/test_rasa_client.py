"""RasaClient against small real HTTP servers on loopback: answers, failover between
Rasa servers, and every way a server can fail to answer usefully."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from bot.web.rasa_client import WEBHOOK_PATH, RasaClient, RasaUnavailable

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Servers:
    """Starts aiohttp servers on free ports; each records the requests it got."""

    def __init__(self) -> None:
        self.runners: list[web.AppRunner] = []
        self.seen: dict[str, list[dict[str, Any]]] = {}

    async def start(self, handler: Handler) -> str:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        seen = self.seen.setdefault(url, [])

        async def webhook(request: web.Request) -> web.StreamResponse:
            seen.append({"auth": request.headers.get("Authorization"),
                         "body": await request.json()})
            return await handler(request)

        async def root(_request: web.Request) -> web.Response:
            return web.Response(text="Hello from Rasa: 3.6.21")

        app = web.Application()
        app.router.add_post(WEBHOOK_PATH, webhook)
        app.router.add_get("/", root)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        self.runners.append(runner)
        return url


@pytest.fixture
async def servers() -> AsyncIterator[Servers]:
    made = Servers()
    yield made
    for runner in made.runners:
        await runner.cleanup()


def answering(messages: Any, status: int = 200) -> Handler:
    async def handler(_request: web.Request) -> web.Response:
        return web.Response(text=json.dumps(messages), status=status,
                            content_type="application/json")
    return handler


async def test_sends_the_message_with_the_token_and_returns_the_bot_messages(
        servers: Servers) -> None:
    url = await servers.start(answering([{"text": "Cześć"}, "not a message", {"text": "2"}]))
    client = RasaClient(url, "s3cret", 5)
    try:
        got = await client.send("kiosk-abc", "dzień dobry", {"channel": "kiosk"})
    finally:
        await client.aclose()
    assert got == [{"text": "Cześć"}, {"text": "2"}]
    assert servers.seen[url] == [{"auth": "Bearer s3cret", "body": {
        "sender": "kiosk-abc", "message": "dzień dobry", "metadata": {"channel": "kiosk"}}}]
    assert client.last_used == url


async def test_messages_alternate_between_servers(servers: Servers) -> None:
    first = await servers.start(answering([{"text": "1"}]))
    second = await servers.start(answering([{"text": "2"}]))
    client = RasaClient([first, second], "t", 5)
    try:
        answers = [await client.send("kiosk-x", "hej", {}) for _ in range(4)]
    finally:
        await client.aclose()
    assert answers == [[{"text": "1"}], [{"text": "2"}]] * 2
    assert len(servers.seen[first]) == len(servers.seen[second]) == 2


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_a_server_that_is_down_or_busy_is_skipped(servers: Servers, status: int) -> None:
    busy = await servers.start(answering({"error": "busy"}, status=status))
    good = await servers.start(answering([{"text": "ok"}]))
    refused = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    client = RasaClient([refused, busy, good], "t", 5)
    try:
        assert await client.send("kiosk-x", "hej", {}) == [{"text": "ok"}]
    finally:
        await client.aclose()
    assert client.last_used == good


async def test_no_server_reachable_is_unavailable() -> None:
    client = RasaClient([f"http://127.0.0.1:{free_port()}" for _ in range(2)], "t", 2)
    try:
        with pytest.raises(RasaUnavailable, match="cannot reach Rasa"):
            await client.send("kiosk-x", "hej", {})
        assert not await client.is_up()
    finally:
        await client.aclose()


@pytest.mark.parametrize("handler, reason", [
    (answering({"error": "boom"}, status=500), "HTTP 500"),
    (answering({"error": "token"}, status=401), "HTTP 401"),
    (answering({"not": "a list"}), "unexpected JSON shape"),
])
async def test_a_server_that_took_the_message_is_not_retried(
        servers: Servers, handler: Handler, reason: str) -> None:
    broken = await servers.start(handler)
    other = await servers.start(answering([{"text": "never"}]))
    client = RasaClient([broken, other], "t", 5)
    try:
        with pytest.raises(RasaUnavailable, match=reason):
            await client.send("kiosk-x", "hej", {})
    finally:
        await client.aclose()
    assert servers.seen[other] == []  # the message may already be in the conversation


async def test_an_answer_that_is_not_json_is_unavailable(servers: Servers) -> None:
    async def html(_request: web.Request) -> web.Response:
        return web.Response(text="<html>proxy error</html>", content_type="text/html")

    client = RasaClient(await servers.start(html), "t", 5)
    try:
        with pytest.raises(RasaUnavailable, match="not JSON"):
            await client.send("kiosk-x", "hej", {})
    finally:
        await client.aclose()


async def test_a_late_answer_times_out_without_trying_another_server(
        servers: Servers) -> None:
    async def slow(_request: web.Request) -> web.Response:
        await asyncio.sleep(3)
        return web.json_response([{"text": "late"}])

    late = await servers.start(slow)
    other = await servers.start(answering([{"text": "never"}]))
    client = RasaClient([late, other], "t", 0.5)
    try:
        with pytest.raises(RasaUnavailable, match="did not answer"):
            await client.send("kiosk-x", "hej", {})
        assert await client.is_up()  # both answer on "/"
    finally:
        await client.aclose()
    assert servers.seen[other] == []


async def test_a_closed_client_refuses_to_send(servers: Servers) -> None:
    url = await servers.start(answering([{"text": "ok"}]))
    client = RasaClient(url, "t", 5)
    assert await client.send("kiosk-x", "hej", {}) == [{"text": "ok"}]
    await client.aclose()
    with pytest.raises(RasaUnavailable, match="closed"):
        await client.send("kiosk-x", "hej", {})
    assert not await client.is_up()
    assert len(servers.seen[url]) == 1
