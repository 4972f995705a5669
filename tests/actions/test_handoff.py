"""Escalations from the action server: what is stored, and what the person is told when
the database is away."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import Engine

from actions.handoff import ActionCrisisAlert, ActionRequestHuman
from bot.db.repository import escalations
from bot.db.session import configure


def tracker(sender: str, events: list[dict[str, Any]],
            slots: dict[str, Any] | None = None) -> Tracker:
    return Tracker.from_dict({
        "sender_id": sender, "slots": slots or {}, "latest_message": events[-1]["parse_data"],
        "events": events, "paused": False, "followup_action": None, "active_loop": {},
        "latest_action_name": "action_listen",
    })


def user(text: str, intent: str, at: float) -> dict[str, Any]:
    return {"event": "user", "text": text, "timestamp": at,
            "parse_data": {"intent": {"name": intent}, "text": text}}


def bot(text: str, at: float) -> dict[str, Any]:
    return {"event": "bot", "text": text, "timestamp": at}


CONVERSATION = [
    {"event": "session_started", "timestamp": 1_800_000_000.0},
    user("gdzie sie zarejestrowac jako bezrobotny", "ask_employment", 1_800_000_001.0),
    bot("Zarejestruj się w urzędzie pracy.", 1_800_000_002.0),
    user("/request_human", "request_human", 1_800_000_003.0),
]


async def test_request_human_stores_the_transcript_category_and_place(
    migrated_db: Engine,
) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker("telegram-555-0", CONVERSATION, {"place": "Sosnowiec", "gmina_teryt": "2475011"})
    assert await ActionRequestHuman().run(dispatcher, t, {}) == []
    assert dispatcher.messages[0]["response"] == "utter_handoff_telegram"
    code = dispatcher.messages[0]["code"]
    ticket = escalations.get_by_code(code)
    assert ticket is not None
    assert (ticket.channel, ticket.session_id, ticket.sender_id) == (
        "telegram", "555-0", "telegram-555-0")
    assert (ticket.category, ticket.place, ticket.gmina_teryt) == (
        "ask_employment", "Sosnowiec", "2475011")
    lines = [(m.author, m.text) for m in escalations.transcript(ticket.id)]
    assert lines == [("user", "gdzie sie zarejestrowac jako bezrobotny"),
                     ("bot", "Zarejestruj się w urzędzie pracy."),
                     ("user", "[przycisk: request_human]")]


async def test_a_crisis_after_a_request_makes_the_same_case_urgent(migrated_db: Engine) -> None:
    first = CollectingDispatcher()
    await ActionRequestHuman().run(first, tracker("kiosk-crisis001", CONVERSATION), {})
    crisis = [*CONVERSATION, user("nie chce juz zyc", "crisis", 1_800_000_010.0)]
    second = CollectingDispatcher()
    await ActionCrisisAlert().run(second, tracker("kiosk-crisis001", crisis), {})
    assert second.messages[0]["response"] == "utter_crisis_alert_kiosk"
    assert second.messages[1]["custom"]["ticket"]["code"] == first.messages[0]["code"]
    [ticket] = escalations.queue(None, None, None)
    assert ticket.priority == "urgent"
    assert escalations.transcript(ticket.id)[-1].text == "nie chce juz zyc"


async def test_database_away_tells_the_person_and_writes_nothing(tmp_path: Path) -> None:
    engine = configure(f"sqlite:///{tmp_path / 'missing' / 'nowhere.db'}")
    try:
        dispatcher = CollectingDispatcher()
        await ActionRequestHuman().run(dispatcher, tracker("kiosk-nodb0001", CONVERSATION), {})
        assert [m["response"] for m in dispatcher.messages] == ["utter_handoff_failed"]
        crisis = CollectingDispatcher()
        await ActionCrisisAlert().run(crisis, tracker("kiosk-nodb0001", CONVERSATION), {})
        assert [m["response"] for m in crisis.messages] == ["utter_crisis_alert_failed"]
    finally:
        engine.dispose()
