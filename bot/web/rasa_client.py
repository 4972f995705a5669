"""Server-side client of the Rasa server (our token-protected REST channel)."""

from __future__ import annotations

from typing import Any

import httpx

WEBHOOK_PATH = "/webhooks/drogowskaz/webhook"


class RasaUnavailable(RuntimeError):
    """Rasa did not answer usefully (down, timed out, refused our token, or errored)."""


class RasaClient:
    def __init__(self, base_url: str, token: str, timeout: float) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)),
            headers={"Authorization": f"Bearer {token}"},
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def send(
        self, sender: str, message: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send one user message and return Rasa's bot messages."""
        try:
            response = await self._client.post(
                WEBHOOK_PATH, json={"sender": sender, "message": message, "metadata": metadata}
            )
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"cannot reach Rasa: {type(exc).__name__}") from exc
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
        try:
            response = await self._client.get("/", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200
