"""Reading a conversation's events: what the person's messages were taken to mean."""

from __future__ import annotations

from collections.abc import Iterator

from rasa_sdk import Tracker


def user_intents_newest_first(tracker: Tracker) -> Iterator[str | None]:
    """The intent of each user message of the current session, newest first."""
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return
        if event.get("event") == "user":
            yield ((event.get("parse_data") or {}).get("intent") or {}).get("name")
