"""What the tool forms read from a message, and when they step aside for another answer."""

from __future__ import annotations

from rasa_sdk import Tracker

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
