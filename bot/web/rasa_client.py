"""Server-side client of the Rasa servers (our token-protected REST channel).

With several Rasa servers (RASA_URLS, docs/deploy.md) the client spreads messages across
them in turn; they share the tracker store and the lock store, so any of them can take
any message of any conversation. A server that cannot be reached, or answers 502/503,
is skipped for the next one. A server that took the message but answered late is not
retried elsewhere: the message may already be in the conversation.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import httpx

WEBHOOK_PATH = "/webhooks/drogowskaz/webhook"
FAILOVER_STATUSES = {502, 503, 504}


class RasaUnavailable(RuntimeError):
    """Rasa did not answer usefully (down, timed out, refused our token, or errored)."""


class RasaClient:
    def __init__(self, base_url: str | Sequence[str], token: str, timeout: float) -> None:
        urls = [base_url] if isinstance(base_url, str) else list(base_url)
        if not urls:
            raise ValueError("at least one Rasa URL is needed")
        self.urls = urls
        self._next = itertools.cycle(range(len(urls)))
        self._clients = [
            httpx.AsyncClient(
                base_url=url,
                timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)),
                headers={"Authorization": f"Bearer {token}"},
            )
            for url in urls
        ]
        self.last_used: str | None = None  # which server answered the latest message

    async def aclose(self) -> None:
        for client in self._clients:
            await client.aclose()

    async def send(
        self, sender: str, message: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send one user message and return Rasa's bot messages."""
        first = next(self._next)
        problems = []
        for offset in range(len(self._clients)):
            index = (first + offset) % len(self._clients)
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
        client = self._clients[index]
        try:
            response = await client.post(
                WEBHOOK_PATH, json={"sender": sender, "message": message, "metadata": metadata}
            )
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise _TryNext(f"cannot reach Rasa at {self.urls[index]}: "
                           f"{type(exc).__name__}") from exc
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"Rasa did not answer: {type(exc).__name__}") from exc
        if response.status_code in FAILOVER_STATUSES:
            raise _TryNext(f"Rasa at {self.urls[index]} answered HTTP {response.status_code}")
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError as exc:
            raise RasaUnavailable("Rasa answered with something that is not JSON") from exc
        if not isinstance(body, list):
            raise RasaUnavailable("Rasa answered with an unexpected JSON shape")
        return [item for item in body if isinstance(item, dict)]

    async def is_up(self) -> bool:
        """True when at least one Rasa server answers."""
        for client in self._clients:
            try:
                response = await client.get("/", timeout=2.0)
            except httpx.HTTPError:
                continue
            if response.status_code == 200:
                return True
        return False


class _TryNext(Exception):
    """This server cannot take the message now; another one may."""
