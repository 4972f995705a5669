"""Faults on a stack of its own: the action server killed mid-conversation, Rasa
restarted, and messages nobody should send. Conversations keep their state."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import make_seeded_stack

from bot.launcher import Stack
from e2e.chat_client import cards, chat
from e2e.stack_control import restart, service

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def own_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = make_seeded_stack(Path(tmp_path_factory.mktemp("faults")))
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def client(own_stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"http://127.0.0.1:{own_stack.settings.web_port}",
                      timeout=60) as web:
        yield web






def test_action_server_killed_mid_conversation(own_stack: Stack, client: httpx.Client) -> None:
    session = "f" + uuid.uuid4().hex
    chat(client, session, payload="/ask_shelter")
    assert cards(chat(client, session, text="Kraków"))  # the place is now known

    service(own_stack, "action server").stop()
    answer = chat(client, session, payload="/ask_food_clothing")
    text = " ".join(str(m["text"]) for m in answer)
    assert "Chwilowo nie mogę" in text, answer  # a polite answer, not silence

    restart(service(own_stack, "action server"))
    again = chat(client, session, payload="/ask_food_clothing")
    assert cards(again), again  # the place was kept: offices come without asking again


def test_rasa_restart_resumes_conversations(own_stack: Stack, client: httpx.Client) -> None:
    session = "f" + uuid.uuid4().hex
    chat(client, session, payload="/ask_shelter")
    assert cards(chat(client, session, text="w krakowie"))

    service(own_stack, "Rasa server").stop()
    down = client.post("/api/chat", json={"session_id": session, "payload": "/greet"})
    assert down.status_code == 503 and down.headers["Retry-After"]
    restart(service(own_stack, "Rasa server"))

    resumed = chat(client, session, payload="/ask_office_contact")
    assert cards(resumed), resumed  # Kraków came back from the tracker store


@pytest.mark.parametrize("text", [
    "\x00\x01\x02 \x7f",
    "😀😀😀",
    "<script>alert(1)</script>",
    "'; DROP TABLE conversation; --",
    "ą" * 1999,
])
def test_strange_messages_get_a_clear_reply(client: httpx.Client, text: str) -> None:
    session = "f" + uuid.uuid4().hex
    response = client.post("/api/chat", json={"session_id": session, "text": text})
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert response.json()["messages"][0]["text"]
    else:
        assert response.json()["details"]


def test_oversized_empty_and_binary_bodies_are_refused(client: httpx.Client) -> None:
    big = client.post("/api/chat", json={"session_id": "f" + uuid.uuid4().hex,
                                         "text": "x" * 100_000})
    assert big.status_code == 413
    assert client.post("/api/chat", content=b"").status_code == 400
    assert client.post("/api/chat", content=bytes(range(256))).status_code == 400
    # the conversation table survived the SQL-looking message above
    assert client.get("/healthz").status_code == 200
