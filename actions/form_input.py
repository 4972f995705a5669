"""What the tool forms read from a message, and when they step aside for another answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

# Intents that always get their own answer, even in the middle of a question.
ALWAYS_ANSWERED = {"crisis", "request_human", "goodbye"}
CONFIDENT = 0.8


def latest_text(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "")[:300]


def latest_intent(tracker: Tracker) -> tuple[str, float]:
    intent = tracker.latest_message.get("intent") or {}
    return str(intent.get("name") or ""), float(intent.get("confidence") or 0.0)


def is_button(tracker: Tracker) -> bool:
    return latest_text(tracker).startswith("/")


def steps_aside(tracker: Tracker) -> bool:
    """True when the message is not an answer to the form's question but something the
    assistant must answer itself (crisis, a person, leaving, refusing, another topic)."""
    name, confidence = latest_intent(tracker)
    if name in ALWAYS_ANSWERED or name == "deny" or is_button(tracker):
        return True
    return name.startswith("ask_") and confidence >= CONFIDENT


def read_answer(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str,
                parse: Callable[[str], float | None], unclear_response: str) -> dict[str, Any]:
    """The value of `slot` read from the latest message while the form asks for it.

    {} when the form is not asking for `slot`, or the message is something else to
    answer (the form steps aside); {slot: None} plus `unclear_response` when the answer
    cannot be read, so the form asks again."""
    if tracker.get_slot("requested_slot") != slot or latest_intent(tracker)[0] in ALWAYS_ANSWERED:
        return {}
    value = parse(latest_text(tracker))
    if value is not None:
        return {slot: float(value)}
    if steps_aside(tracker):
        return {}
    dispatcher.utter_message(response=unclear_response)
    return {slot: None}
