"""action_greet with a real Tracker and CollectingDispatcher."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.greeting import ActionGreet, greeting_response


def tracker_with(events: list[dict[str, Any]]) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": "kiosk-test0001",
            "slots": {},
            "latest_message": {"text": "dzien dobry", "intent": {"name": "greet"}},
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


SESSION_START = [
    {"event": "action", "name": "action_session_start"},
    {"event": "session_started"},
    {"event": "action", "name": "action_listen"},
]


async def run_greet(events: list[dict[str, Any]]) -> list[str | None]:
    dispatcher = CollectingDispatcher()
    result = await ActionGreet().run(dispatcher, tracker_with(events), {})
    assert result == []
    return [message.get("response") for message in dispatcher.messages]


async def test_first_greeting_introduces_the_program_and_shows_the_menu() -> None:
    responses = await run_greet([*SESSION_START, {"event": "user", "text": "czesc"}])
    assert responses[0] in ("utter_greet_day", "utter_greet_evening")
    assert responses[1:] == ["utter_what_i_do", "utter_menu"]


async def test_second_greeting_in_a_session_is_short() -> None:
    events = [
        *SESSION_START,
        {"event": "user", "text": "czesc"},
        {"event": "action", "name": "action_greet"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "hej"},
    ]
    assert await run_greet(events) == ["utter_greet_again", "utter_menu"]


async def test_a_new_session_forgets_the_earlier_greeting() -> None:
    events = [
        *SESSION_START,
        {"event": "user", "text": "czesc"},
        {"event": "action", "name": "action_greet"},
        *SESSION_START,
        {"event": "user", "text": "dzien dobry"},
    ]
    assert (await run_greet(events))[1:] == ["utter_what_i_do", "utter_menu"]


@pytest.mark.parametrize(
    ("utc_hour", "expected"),
    [
        (6, "utter_greet_day"),  # 07:00 in Warsaw (winter, UTC+1)
        (15, "utter_greet_day"),  # 16:00
        (17, "utter_greet_evening"),  # 18:00
        (23, "utter_greet_evening"),  # 00:00
        (2, "utter_greet_evening"),  # 03:00
    ],
)
def test_greeting_follows_polish_time(utc_hour: int, expected: str) -> None:
    assert greeting_response(datetime(2026, 11, 22, utc_hour, 0, tzinfo=UTC)) == expected
