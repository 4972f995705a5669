"""Two-stage fallback: first ask to rephrase; the second time in a row, pass the question
to a person (an escalation staff see in /staff)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import NORMAL, escalate
from actions.tracker_events import user_intents_newest_first

FALLBACK_INTENT = "nlu_fallback"


def failed_attempts_in_a_row(tracker: Tracker) -> int:
    """How many of the latest user messages in this session were not understood."""
    count = 0
    for intent in user_intents_newest_first(tracker):
        if intent != FALLBACK_INTENT:
            break
        count += 1
    return count


class ActionHandleFallback(Action):
    def name(self) -> str:
        return "action_handle_fallback"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        if failed_attempts_in_a_row(tracker) <= 1:
            dispatcher.utter_message(response="utter_please_rephrase")
        else:
            dispatcher.utter_message(response="utter_dont_know")
            await escalate(dispatcher, tracker, priority=NORMAL, default_category="not_understood")
        return []
