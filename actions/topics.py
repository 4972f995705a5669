"""Answers for every topic: the sourced messages of actions/content, then next steps."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.content_store import content

TOPIC_ENTITY = "topic"


def requested_topic(tracker: Tracker) -> str | None:
    """The sub-topic a button asked for (`/ask_x{"topic": "..."}`), if any."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == TOPIC_ENTITY and isinstance(entity.get("value"), str):
            return str(entity["value"])
    return None


class ActionAnswerTopic(Action):
    def name(self) -> str:
        return "action_answer_topic"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        topic = content().topic(intent, requested_topic(tracker))
        if topic is None:
            dispatcher.utter_message(response="utter_topic_not_ready")
            dispatcher.utter_message(response="utter_ask_ops")
            return []
        *first, last = topic.messages
        for text in first:
            dispatcher.utter_message(text=text)
        buttons = [{"title": b.title, "payload": b.payload} for b in topic.buttons]
        dispatcher.utter_message(text=last, buttons=buttons)
        # Which offices the directory look-up after this answer should show.
        events: list[dict[str, Any]] = [SlotSet("directory_kinds", list(topic.directory) or None)]
        if topic.starts:  # an interactive tool: its form asks the next question
            events.append(FollowupAction(topic.starts))
        return events
