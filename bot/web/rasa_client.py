"""Server-side client of the Rasa servers (our token-protected REST channel).

With several Rasa servers (RASA_URLS, docs/deploy.md) the client spreads messages across
them in turn; they share the tracker store and the lock store, so any of them can take
any message of any conversation. A server that cannot be reached, or answers 502/503,
is skipped for the next one. A server that took the message but answered late is not
retried elsewhere: the message may already be in the conversation.

It uses aiohttp, not httpx: under load (50 simulated people) httpx's connection pool
checked every idle connection at every request, and the client took about half of the
web app's CPU time per chat turn; aiohttp's pool does not. The session is opened on
first use, inside the event loop that uses it.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from typing import Any

import aiohttp

WEBHOOK_PATH = "/webhooks/drogowskaz/webhook"
FAILOVER_STATUSES = {502, 503, 504}


class RasaUnavailable(RuntimeError):
    """Rasa did not answer usefully (down, timed out, refused our token, or errored)."""


class RasaClient:
    def __init__(self, base_url: str | Sequence[str], token: str, timeout: float) -> None:
        urls = [base_url] if isinstance(base_url, str) else list(base_url)
        if not urls:
            raise ValueError("at least one Rasa URL is needed")
        self.urls = [url.rstrip("/") for url in urls]
        self._next = itertools.cycle(range(len(urls)))
        self._timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=min(timeout, 3.0))
        self._headers = {"Authorization": f"Bearer {token}"}
        self._session: aiohttp.ClientSession | None = None
        self._closed = False
        self.last_used: str | None = None  # which server answered the latest message

    def _client(self) -> aiohttp.ClientSession:
        if self._closed:
            raise RasaUnavailable("this Rasa client is closed")
        if self._session is None:
            self._session = aiohttp.ClientSession(headers=self._headers,
                                                  timeout=self._timeout)
        return self._session

    async def aclose(self) -> None:
        self._closed = True
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(
        self, sender: str, message: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send one user message and return Rasa's bot messages."""
        first = next(self._next)
        problems = []
        for offset in range(len(self.urls)):
            index = (first + offset) % len(self.urls)
            try:
                body = await self._send_to(index, sender, message, metadata)
            except _TryNext as exc:
                problems.append(str(exc))
                continue
            self.last_used = self.urls[index]
            return body
        raise RasaUnavailable("; ".join(problems))

    async def _send_to(self, index: int, sender: str, message: str,
                       metadata: dict[str, Any]) -> list[dict[str, Any]]:
        url = self.urls[index] + WEBHOOK_PATH
        payload = {"sender": sender, "message": message, "metadata": metadata}
        try:
            async with self._client().post(url, json=payload) as response:
                status = response.status
                raw = await response.read() if status == 200 else b""
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
            raise _TryNext(f"cannot reach Rasa at {self.urls[index]}: "
                           f"{type(exc).__name__}") from exc
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise RasaUnavailable(f"Rasa did not answer: {type(exc).__name__}") from exc
        if status in FAILOVER_STATUSES:
            raise _TryNext(f"Rasa at {self.urls[index]} answered HTTP {status}")
        if status != 200:
            raise RasaUnavailable(f"Rasa answered HTTP {status}")
        try:
            body = json.loads(raw)
        except ValueError as exc:
            raise RasaUnavailable("Rasa answered with something that is not JSON") from exc
        if not isinstance(body, list):
            raise RasaUnavailable("Rasa answered with an unexpected JSON shape")
        return [item for item in body if isinstance(item, dict)]

    async def is_up(self) -> bool:
        """True when at least one Rasa server answers."""
        if self._closed:
            return False
        for url in self.urls:
            try:
                async with self._client().get(
                    url + "/", timeout=aiohttp.ClientTimeout(total=2.0)
                ) as response:
                    if response.status == 200:
                        return True
            except (TimeoutError, aiohttp.ClientError):
                continue
        return False


class _TryNext(Exception):
    """This server cannot take the message now; another one may."""
