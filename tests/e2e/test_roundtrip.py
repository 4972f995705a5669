"""End to end through real processes: web app -> Rasa -> action server -> reply."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from bot.db.repository import conversations
from bot.db.session import configure
from bot.launcher import Stack
from e2e.chat_client import chat

pytestmark = pytest.mark.e2e


def new_session() -> str:
    return "t" + uuid.uuid4().hex



def test_polish_greeting_round_trips_through_the_action_server(
    web: httpx.Client, rasa: httpx.Client, stack: Stack
) -> None:
    session_id = new_session()
    messages = chat(web, session_id, text="Dzień dobry")
    texts = [str(m["text"]) for m in messages]
    assert texts[0] in (
        "Dzień dobry! Jestem Drogowskaz. To program komputerowy, nie człowiek.",
        "Dobry wieczór! Jestem Drogowskaz. To program komputerowy, nie człowiek.",
    )
    menu = messages[-1]["buttons"]
    assert isinstance(menu, list)
    assert {"title": "Nocleg", "payload": "/ask_shelter"} in menu
    assert len(menu) == 10

    # Rasa's own record shows the custom action ran (it can only come from the action server).
    tracker = rasa.get(
        f"/conversations/kiosk-{session_id}/tracker", params={"token": stack.settings.rasa_token}
    ).json()
    actions = [e["name"] for e in tracker["events"] if e["event"] == "action"]
    assert "action_greet" in actions
    assert tracker["latest_message"]["intent"]["name"] == "greet"

    # Greeting again in the same conversation gives the short form.
    again = chat(web, session_id, text="hej")
    assert again[0]["text"] == "Jestem tu dalej. Wybierz temat albo napisz pytanie."


def test_button_payloads_drive_the_dialogue(web: httpx.Client) -> None:
    messages = chat(web, new_session(), payload="/crisis")
    texts = "\n".join(str(m["text"]) for m in messages)
    assert texts.startswith("Dobrze, że piszesz.")
    assert "112" in texts and "116 123" in texts


def test_topic_answers_and_their_buttons_come_from_the_content(web: httpx.Client) -> None:
    session_id = new_session()
    messages = chat(web, session_id, payload="/ask_shelter")
    assert messages[0]["text"].startswith("Jeśli nie masz gdzie spać")  # type: ignore[union-attr]
    buttons = [b for m in messages for b in m["buttons"]]  # type: ignore[attr-defined]
    tonight = next(b for b in buttons if "topic" in b["payload"])
    # The answer ends by asking where the person is, to show addresses.
    assert "Napisz nazwę miejscowości" in str(messages[-1]["text"])
    follow_up = chat(web, session_id, payload=tonight["payload"])
    assert follow_up[0]["text"] != messages[0]["text"]
    assert all(m["text"] for m in follow_up)


def test_each_conversation_is_recorded(web: httpx.Client, stack: Stack) -> None:
    session_id = new_session()
    chat(web, session_id, text="cześć")
    chat(web, session_id, payload="/ask_capabilities")
    engine = configure(stack.settings.database_url)
    try:
        conversation = conversations.get_conversation("kiosk", session_id)
    finally:
        engine.dispose()
    assert conversation is not None and conversation.turns == 2


def test_rasa_refuses_callers_without_the_token(rasa: httpx.Client, stack: Stack) -> None:
    body = {"sender": "intruder", "message": "hej"}
    assert rasa.post("/webhooks/drogowskaz/webhook", json=body).status_code == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert rasa.post("/webhooks/drogowskaz/webhook", json=body, headers=wrong).status_code == 401
    assert rasa.get("/conversations/kiosk-x/tracker").status_code == 401
    assert rasa.get("/status", params={"token": "wrong"}).status_code == 401
    # Rasa's default REST channel is not enabled at all.
    assert rasa.post("/webhooks/rest/webhook", json=body).status_code == 404


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port` (from /proc/net/tcp*)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as handle:
            next(handle)
            for line in handle:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:
                    found.add(address)
    return found


def test_rasa_and_the_action_server_listen_on_loopback_only(stack: Stack) -> None:
    for port in (stack.settings.rasa_port, stack.settings.action_port):
        assert listening_addresses(port) == {"0100007F"}, port


def test_conversations_are_kept_in_the_sql_tracker_store(web: httpx.Client, stack: Stack) -> None:
    chat(web, new_session(), text="dzien dobry")
    assert Path(stack.settings.tracker_db).stat().st_size > 0


def test_the_web_app_reports_health(web: httpx.Client) -> None:
    assert web.get("/healthz").json() == {"status": "ok", "database": "ok"}
