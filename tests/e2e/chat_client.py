"""Talking to the web app's chat endpoint as a front end does (end-to-end tests)."""

from __future__ import annotations

import httpx


def chat(web: httpx.Client, session_id: str, **body: str) -> list[dict[str, object]]:
    """One turn (`text=` or `payload=`); the answer's messages, after checking it is a 200."""
    response = web.post("/api/chat", json={"session_id": session_id, **body})
    assert response.status_code == 200, response.text
    messages = response.json()["messages"]
    assert isinstance(messages, list)
    return messages


def cards(messages: list[dict[str, object]]) -> list[object]:
    """The office cards among an answer's messages."""
    return [m["card"] for m in messages if isinstance(m.get("card"), dict)]
