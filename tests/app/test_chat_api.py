"""The chat API contract: what front ends may send and what they get back.

Rasa is not running here: a request that passes validation reaches a closed port,
which is exactly the "assistant is down" case.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.db import migrate
from bot.db.repository import conversations
from bot.launcher import free_port
from bot.settings import load_settings
from bot.web.app import SECURITY_HEADERS, create_app
from bot.web.chat import clean_text, to_reply_message


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    database_url = f"sqlite:///{tmp_path / 'app.db'}"
    migrate.upgrade(database_url)
    settings = load_settings(
        {"DATABASE_URL": database_url, "RASA_URL": f"http://127.0.0.1:{free_port()}",
         "RASA_TOKEN": "test-token", "RASA_TIMEOUT": "2"}
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def post(client: TestClient, body: object) -> tuple[int, dict[str, object]]:
    response = client.post("/api/chat", json=body)
    return response.status_code, response.json()


def test_health(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({"text": "hej"}, "session_id", "required"),
        ({"session_id": "abc12345"}, "(body)", "exactly one of 'text' or 'payload'"),
        ({"session_id": "abc12345", "text": "a", "payload": "/greet"}, "(body)", "exactly one"),
        ({"session_id": "abc12345", "text": "hej", "user": "x"}, "user", "unknown field"),
        ({"session_id": "abc12345", "text": "x" * 2001}, "text", "at most 2000 characters"),
        ({"session_id": "abc12345", "text": "   \u0000\u0007 "}, "(body)", "text is empty"),
        ({"session_id": "abc12345", "text": ""}, "(body)", "text is empty"),
        ({"session_id": "a/b", "text": "hej"}, "session_id", "8-64 characters"),
        ({"session_id": "abc12345", "payload": "greet"}, "payload", "button payload"),
        ({"session_id": "abc12345", "text": 5}, "text", "valid string"),
    ],
)
def test_bad_requests_are_refused_with_a_clear_message(
    client: TestClient, body: object, field: str, problem: str
) -> None:
    status, reply = post(client, body)
    assert status == 422
    assert reply["error"] == "invalid chat request"
    details = reply["details"]
    assert isinstance(details, list)
    assert any(d["field"] == field and problem in d["problem"] for d in details), details


@pytest.mark.parametrize(
    "raw",
    [b"not json", b"\xff\xfe\x00binary", b"", b"{\"session_id\": "],
)
def test_non_json_bodies_are_refused(client: TestClient, raw: bytes) -> None:
    response = client.post("/api/chat", content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "must be JSON" in response.json()["error"]


def test_a_json_array_is_not_a_chat_request(client: TestClient) -> None:
    status, reply = post(client, ["session_id", "text"])
    assert status == 400
    assert reply["error"] == "the request body must be a JSON object"


def test_huge_bodies_are_refused_before_parsing(client: TestClient) -> None:
    response = client.post(
        "/api/chat",
        content=b'{"session_id": "abc12345", "text": "' + b"a" * 100_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert "too large" in response.json()["error"]


def test_assistant_down_gives_a_friendly_retryable_answer(client: TestClient) -> None:
    response = client.post("/api/chat", json={"session_id": "abc12345", "text": "dzień dobry"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    body = response.json()
    assert body["retry"] is True
    assert "chwilowo" in body["messages"][0]["text"]
    # The turn was still noted: the person did write.
    conversation = conversations.get_conversation("kiosk", "abc12345")
    assert conversation is not None and conversation.turns == 1


def test_kiosk_page_is_served_with_a_strict_content_security_policy(client: TestClient) -> None:
    response = client.get("/kiosk")
    assert response.status_code == 200
    assert "Drogowskaz" in response.text
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert client.get("/static/kiosk.js").status_code == 200


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/static/kiosk.js", 200), ("GET", "/no-such-page", 404),
    ("POST", "/api/chat", 400), ("GET", "/healthz", 200),
])
def test_every_response_carries_the_security_headers(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(method, path, content=b"not json")
    assert response.status_code == status
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


def test_clean_text_drops_control_characters_and_keeps_polish() -> None:
    messy = "  Zażółć\u0000 gęślą\u200b\tjaźń \r\n\n  dalej "
    assert clean_text(messy) == "Zażółć gęślą jaźń\ndalej"
    assert clean_text("🙂🙂") == "🙂🙂"


def test_rasa_messages_become_api_messages() -> None:
    plain = {"recipient_id": "x", "text": "Cześć"}
    assert to_reply_message(plain) == {"text": "Cześć", "buttons": []}
    assert to_reply_message(
        {"text": "Wybierz", "buttons": [{"title": "Nocleg", "payload": "/ask_shelter"}, {"x": 1}]}
    ) == {"text": "Wybierz", "buttons": [{"title": "Nocleg", "payload": "/ask_shelter"}]}
    assert to_reply_message({"recipient_id": "x"}) is None
    card = {"name": "MOPS", "address": "ul. 3 Maja 33", "phone": "32 296 22 00"}
    assert to_reply_message({"custom": {"text": "MOPS\nul. 3 Maja 33", "card": card}}) == {
        "text": "MOPS\nul. 3 Maja 33", "buttons": [], "card": card}


def test_a_broken_bookkeeping_database_does_not_stop_the_reply(
    client: TestClient, tmp_path: Path
) -> None:
    import sqlite3

    with sqlite3.connect(tmp_path / "app.db") as connection:
        connection.execute("DROP TABLE conversation")
    status, reply = post(client, {"session_id": "abc12345", "text": "hej"})
    # Rasa is not running in this test: the reply is the polite "try again" one, not a 500
    assert status == 503
    assert "chwilowo" in str(reply["messages"])
