"""How the Rasa server talks to the action server: one kept-alive HTTP session per
endpoint, JSON written with ujson.

Rasa 3.6's `EndpointConfig.request` opens `async with self.session()` for every call, so
every custom action (several per message with a form) paid for a new aiohttp session, a
new TCP connection on both sides and its teardown: about 5% of the Rasa server's time
under load, plus the action server's side. `session()` here hands `request` a session
that stays open for the endpoint (per event loop), so connections are reused. Idle
connections are dropped after KEEPALIVE_SECONDS, before a server's own keep-alive limit
(Sanic's default is 5 s), so a request is not sent on a connection the server is
closing. A connection the server closed (an action server restarted) is noticed by
aiohttp and not reused. `close_sessions()` closes them when the server stops.

The JSON sent to the action server (the whole tracker, for every custom action) is
written with ujson, already installed with Rasa, instead of the json module (about 5%
of the Rasa server's time); the text is the same JSON.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from types import TracebackType
from typing import Any

import aiohttp
import ujson
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

KEEPALIVE_SECONDS = 4.0
_ATTRIBUTE = "_drogowskaz_session"
_OPEN: weakref.WeakKeyDictionary[aiohttp.ClientSession, asyncio.AbstractEventLoop] = (
    weakref.WeakKeyDictionary())


def dumps(value: Any) -> str:
    """JSON text as json.dumps writes it (ujson, which is several times faster)."""
    try:
        return str(ujson.dumps(value, ensure_ascii=False, escape_forward_slashes=False))
    except (TypeError, OverflowError, ValueError):
        return json.dumps(value)  # what ujson refuses, json may still write (or explain)


class Borrowed:
    """`async with` around a long-lived session that leaves it open at the end."""

    def __init__(self, client: aiohttp.ClientSession) -> None:
        self.client = client

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.client

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        trace: TracebackType | None) -> None:
        return None


def new_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    """What Rasa's EndpointConfig.session creates, with ujson and kept-alive connections."""
    auth = None
    if endpoint.basic_auth:
        auth = aiohttp.BasicAuth(endpoint.basic_auth["username"],
                                 endpoint.basic_auth["password"])
    return aiohttp.ClientSession(
        headers=endpoint.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        json_serialize=dumps,
        connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
    )


def session(self: EndpointConfig) -> Borrowed:
    """EndpointConfig.session: this endpoint's open session on the running event loop."""
    loop = asyncio.get_running_loop()
    held = self.__dict__.get(_ATTRIBUTE)
    if held is None or held[0] is not loop or held[1].closed:
        held = (loop, new_session(self))
        self.__dict__[_ATTRIBUTE] = held
        _OPEN[held[1]] = loop
    return Borrowed(held[1])


async def close_sessions() -> None:
    """Close the sessions opened on the running event loop (when the server stops)."""
    loop = asyncio.get_running_loop()
    for client, its_loop in list(_OPEN.items()):
        if its_loop is loop and not client.closed:
            await client.close()


def install() -> None:
    """Use `session` for every EndpointConfig from now on (idempotent)."""
    EndpointConfig.session = session  # type: ignore[method-assign,assignment]
