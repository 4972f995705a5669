"""action_answer_topic with a real Tracker and CollectingDispatcher, on the real content."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.content_store import content
from actions.topics import ActionAnswerTopic

DOMAIN_INTENTS = [
    "ask_shelter", "ask_office_contact", "ask_financial_aid", "ask_income_criterion",
    "ask_housing_allowance", "ask_disability_assessment", "ask_family_benefits",
    "ask_food_clothing", "ask_employment", "ask_health_insurance", "ask_id_documents",
    "ask_postpenitentiary_help", "ask_probation", "ask_application_process",
    "ask_addiction_help", "ask_release_checklist",
]


def tracker_for(intent: str, entities: list[dict[str, Any]] | None = None) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": "kiosk-topics01",
            "slots": {},
            "latest_message": {"text": "x", "intent": {"name": intent, "confidence": 0.9},
                               "entities": entities or []},
            "events": [{"event": "session_started"}, {"event": "user", "text": "x"}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


async def run(intent: str, topic: str | None = None
              ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "topic", "value": topic}] if topic else []
    events = await ActionAnswerTopic().run(dispatcher, tracker_for(intent, entities), {})
    return dispatcher.messages, events


async def answer(intent: str, topic: str | None = None) -> list[dict[str, Any]]:
    return (await run(intent, topic))[0]


@pytest.mark.parametrize("intent", DOMAIN_INTENTS)
async def test_every_domain_intent_gets_sourced_messages_and_next_steps(intent: str) -> None:
    messages, events = await run(intent)
    assert 2 <= len(messages) <= 5
    assert all(m["text"] for m in messages)
    assert not any("{" in m["text"] for m in messages), "unfilled placeholder"
    assert all(not m["buttons"] for m in messages[:-1])
    follow_up = [e["name"] for e in events if e.get("event") == "followup"]
    if follow_up:  # a tool: its form asks the next question instead of buttons
        assert follow_up == ["release_form"] and intent == "ask_release_checklist"
        assert not messages[-1]["buttons"]
    else:
        assert 2 <= len(messages[-1]["buttons"]) <= 4


async def test_the_eligibility_button_starts_the_pre_check() -> None:
    messages, events = await run("ask_income_criterion", "eligibility_check")
    assert [e["name"] for e in events if e.get("event") == "followup"] == ["eligibility_form"]
    assert not messages[-1]["buttons"]


async def test_a_button_opens_its_sub_topic() -> None:
    messages = await answer("ask_financial_aid", "zasilek_staly")
    assert messages != await answer("ask_financial_aid")
    text = " ".join(m["text"] for m in messages)
    assert "1\u00a0229\u00a0zł (od 1.01.2025)" in text  # the amount with its validity date


async def test_a_sub_topic_of_another_intent_falls_back_to_the_root() -> None:
    assert await answer("ask_shelter", "zasilek_staly") == await answer("ask_shelter")


async def test_the_answer_says_which_offices_to_look_up_next() -> None:
    _, events = await run("ask_shelter", "shelter_tonight")
    assert events == [{"event": "slot", "timestamp": None, "name": "directory_kinds",
                       "value": ["night_shelter", "warming_centre", "ops"]}]
    _, events = await run("ask_id_documents")
    assert events[0]["value"] is None  # nothing to look up for ID cards


async def test_unknown_intent_is_answered_honestly() -> None:
    messages = await answer("ask_something_new")
    assert [m["response"] for m in messages] == ["utter_topic_not_ready", "utter_ask_ops"]


def test_every_button_leads_somewhere_the_domain_knows() -> None:
    topics = content().topics
    for topic in topics.values():
        for button in topic.buttons:
            match = re.match(r'^/(\w+)(?:\{"topic": "(\w+)"\})?$', button.payload)
            assert match, button.payload
            if match.group(2):
                assert topics[match.group(2)].intent == match.group(1)


def test_every_message_names_its_sources() -> None:
    known = content().sources
    for topic in content().topics.values():
        assert topic.checked
        for sources in topic.sources:
            assert sources and all(s in known for s in sources)
