"""action_handle_fallback: rephrase first, then the offer of a person."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import Engine

from actions.fallback import ActionHandleFallback
from bot.db.repository import escalations


def user(intent: str) -> dict[str, Any]:
    return {"event": "user", "text": "...", "parse_data": {"intent": {"name": intent}}}


def bot_turn() -> list[dict[str, Any]]:
    return [{"event": "action", "name": "action_handle_fallback"},
            {"event": "action", "name": "action_listen"}]


async def responses(events: list[dict[str, Any]]) -> list[str | None]:
    tracker = Tracker.from_dict({
        "sender_id": "kiosk-fallback1", "slots": {}, "latest_message": events[-1]["parse_data"],
        "events": events, "paused": False, "followup_action": None, "active_loop": {},
        "latest_action_name": "action_listen",
    })
    dispatcher = CollectingDispatcher()
    await ActionHandleFallback().run(dispatcher, tracker, {})
    return [m["response"] for m in dispatcher.messages]


START = [{"event": "action", "name": "action_session_start"}, {"event": "session_started"}]


async def test_first_failure_asks_to_rephrase() -> None:
    assert await responses([*START, user("nlu_fallback")]) == ["utter_please_rephrase"]


async def test_second_failure_in_a_row_passes_the_question_to_a_person(
    migrated_db: Engine,
) -> None:
    events = [*START, user("nlu_fallback"), *bot_turn(), user("nlu_fallback")]
    said = await responses(events)
    assert said[:2] == ["utter_dont_know", "utter_handoff_kiosk"]
    [ticket] = escalations.queue(None, None, None)
    assert (ticket.channel, ticket.session_id) == ("kiosk", "fallback1")
    assert ticket.category == "not_understood" and ticket.priority == "normal"


async def test_an_understood_message_in_between_starts_counting_again() -> None:
    events = [*START, user("nlu_fallback"), *bot_turn(), user("ask_shelter"), *bot_turn(),
              user("nlu_fallback")]
    assert await responses(events) == ["utter_please_rephrase"]


async def test_failures_of_an_earlier_session_do_not_count() -> None:
    events = [*START, user("nlu_fallback"), *bot_turn(), *START, user("nlu_fallback")]
    assert await responses(events) == ["utter_please_rephrase"]
