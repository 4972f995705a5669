"""Greeting: says hello by the time of day, says it is a program, shows the menu."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

POLAND = ZoneInfo("Europe/Warsaw")
EVENING_FROM_HOUR = 18


def greeting_response(now: datetime) -> str:
    """Name of the greeting response for a moment in time (Polish local time)."""
    local = now.astimezone(POLAND)
    if local.hour >= EVENING_FROM_HOUR or local.hour < 4:
        return "utter_greet_evening"
    return "utter_greet_day"


def has_greeted_before(tracker: Tracker) -> bool:
    """True when the assistant already greeted in the current session."""
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return False
        if event.get("event") == "action" and event.get("name") == "action_greet":
            return True
    return False


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        if has_greeted_before(tracker):
            dispatcher.utter_message(response="utter_greet_again")
        else:
            dispatcher.utter_message(response=greeting_response(datetime.now(POLAND)))
            dispatcher.utter_message(response="utter_what_i_do")
        dispatcher.utter_message(response="utter_menu")
        return []
