"""The release checklist and the eligibility pre-check, with a real Tracker,
CollectingDispatcher, the real content and (for offices) the real seeded directory."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from conftest import Seeded
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.content_store import content
from actions.eligibility import (
    ActionEligibilityResult,
    ValidateEligibilityForm,
    assess,
    result_messages,
)
from actions.office_cards import now_in_poland
from actions.release_checklist import (
    ActionReleaseChecklist,
    ValidateReleaseForm,
    build_checklist,
)

SOSNOWIEC = "2475011"


def tracker(text: str, *, intent: str = "inform_city", confidence: float = 0.6,
            requested: str | None = None, form: str = "release_form",
            slots: dict[str, Any] | None = None) -> Tracker:
    return Tracker.from_dict({
        "sender_id": "kiosk-tools0001",
        "slots": {"requested_slot": requested, **(slots or {})},
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": confidence},
                           "entities": [], "metadata": {}},
        "events": [{"event": "session_started"}, {"event": "user", "text": text}],
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": form},
        "latest_action_name": "action_listen",
    })


# ---------------------------------------------------------------- release date


async def release_date(t: Tracker) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    return await ValidateReleaseForm().extract_release_date(dispatcher, t, {}), \
        dispatcher.messages


async def test_a_date_as_people_write_it_is_taken() -> None:
    result, said = await release_date(tracker("za 2 tygodnie", requested="release_date"))
    expected = now_in_poland().date() + timedelta(days=14)
    assert result == {"release_date": expected.isoformat()} and said == []


async def test_not_knowing_the_date_is_an_answer() -> None:
    result, _ = await release_date(tracker("nie wiem jeszcze", intent="deny",
                                           requested="release_date"))
    assert result == {"release_date": "unknown"}


async def test_the_date_in_the_first_message_is_used() -> None:
    result, _ = await release_date(tracker("wychodze 15 grudnia co zalatwic",
                                           intent="ask_release_checklist"))
    assert result["release_date"].endswith("-12-15")


async def test_an_unclear_date_is_asked_again() -> None:
    result, said = await release_date(tracker("kiedys tam", requested="release_date"))
    assert result == {"release_date": None}
    assert said[0]["response"] == "utter_release_date_unclear"


@pytest.mark.parametrize(("text", "intent"), [("chce sie zabic", "crisis"),
                                              ("/ask_shelter", "ask_shelter"),
                                              ("nie chce mowic", "deny")])
async def test_the_form_steps_aside_for_other_answers(text: str, intent: str) -> None:
    result, said = await release_date(tracker(text, intent=intent, confidence=0.95,
                                              requested="release_date"))
    assert result == {} and said == []


# ---------------------------------------------------------------- the checklist


def test_future_release_has_every_phase_with_deadlines() -> None:
    tool = content().tools["release_checklist"]
    today = date(2026, 11, 22)
    sections, notes = build_checklist(tool, date(2026, 12, 15), today, {})
    assert [s.title for s in sections] == ["Przed wyjściem", "W dniu wyjścia",
                                           "W pierwszym tygodniu", "W pierwszym miesiącu"]
    assert notes == []
    assert {step["deadline"] for step in sections[0].steps} == {"14.12.2026"}
    assert {step["deadline"] for step in sections[1].steps} == {"15.12.2026"}
    assert {step["deadline"] for step in sections[2].steps} == {"22.12.2026"}
    assert sections[3].steps[0]["deadline"] == "14.01.2027"  # 30 days: meldunek fact
    office_steps = [s for sec in sections for s in sec.steps if "office" in s]
    assert office_steps and all(s["office"] is None for s in office_steps)  # no place given


def test_after_release_the_before_steps_are_left_out() -> None:
    tool = content().tools["release_checklist"]
    sections, notes = build_checklist(tool, date(2026, 11, 20), date(2026, 11, 22), {})
    assert "Przed wyjściem" not in [s.title for s in sections]
    assert notes == [tool.text("already_out")]


def test_without_a_date_there_are_no_deadlines() -> None:
    tool = content().tools["release_checklist"]
    sections, notes = build_checklist(tool, None, date(2026, 11, 22), {})
    assert notes == [tool.text("no_date")]
    assert not any("deadline" in step for s in sections for step in s.steps)


async def test_the_checklist_names_the_offices_of_the_place(seeded: Seeded) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker("Sosnowiec", slots={"release_date": "2026-12-15", "gmina_teryt": SOSNOWIEC,
                                    "place": "Sosnowiec"})
    events = await ActionReleaseChecklist().run(dispatcher, t, {})
    assert {"event": "slot", "timestamp": None, "name": "release_date", "value": None} in events
    checklist = dispatcher.messages[0]["custom"]["checklist"]
    text = dispatcher.messages[0]["custom"]["text"]
    assert checklist["title"].endswith("(Sosnowiec)")
    offices = [step["office"] for s in checklist["sections"] for step in s["steps"]
               if step.get("office")]
    assert any("Sosnowiec" in o["name"] or "Sosnowc" in o["name"] for o in offices), offices
    assert any(o["kind"] == "Urząd pracy" for o in offices)
    assert "1. " in text and "(do 15.12.2026)" in text
    assert dispatcher.messages[1]["buttons"]  # what to do next


# ---------------------------------------------------------------- eligibility


async def household(t: Tracker) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    result = await ValidateEligibilityForm().extract_household_size(dispatcher, t, {})
    return result, dispatcher.messages


async def test_household_size_and_income_are_read_from_words() -> None:
    result, _ = await household(tracker("we troje", requested="household_size",
                                        form="eligibility_form"))
    assert result == {"household_size": 3.0}
    dispatcher = CollectingDispatcher()
    income = await ValidateEligibilityForm().extract_net_income(
        dispatcher, tracker("tysiac dwiescie zl", requested="net_income",
                            form="eligibility_form"), {})
    assert income == {"net_income": 1200.0}


async def test_an_unclear_household_is_asked_again_but_crisis_steps_aside() -> None:
    result, said = await household(tracker("duzo", requested="household_size",
                                           form="eligibility_form"))
    assert result == {"household_size": None}
    assert said[0]["response"] == "utter_household_unclear"
    result, said = await household(tracker("nie chce zyc", intent="crisis", confidence=0.99,
                                           requested="household_size",
                                           form="eligibility_form"))
    assert result == {} and said == []


def test_a_single_person_below_the_criterion() -> None:
    facts = content()
    result = assess(1, 800, facts)
    assert result.below and result.limit == 1010
    assert result.periodic_minimum == 105  # half of 1010 - 800
    texts = result_messages(result, facts)
    assert "800\u00a0zł" in texts[0] and "1\u00a0010\u00a0zł" in texts[0]
    assert "105\u00a0zł" in texts[1]
    assert any("art. 8 ustawy o pomocy społecznej" in t for t in texts)  # the legal basis
    assert "decyduje ośrodek" in texts[-1]


def test_a_family_above_the_criterion() -> None:
    facts = content()
    result = assess(3, 3000, facts)
    assert not result.below and result.limit == 3 * 823 and result.periodic_minimum == 0
    texts = result_messages(result, facts)
    assert "1\u00a0000\u00a0zł" in texts[0]  # per person
    assert "raczej nie dostaniesz" in texts[0]
    assert not any("posiłek" in t for t in texts)  # the meal threshold is for singles


def test_the_smallest_periodic_benefit_is_the_minimum_amount() -> None:
    assert assess(1, 1000, content()).periodic_minimum == 20


async def test_the_result_forgets_the_answers() -> None:
    dispatcher = CollectingDispatcher()
    t = tracker("nic", form="eligibility_form",
                slots={"household_size": 1.0, "net_income": 0.0})
    events = await ActionEligibilityResult().run(dispatcher, t, {})
    assert [e["name"] for e in events] == ["household_size", "net_income"]
    assert all(e["value"] is None for e in events)
    assert dispatcher.messages[-1]["buttons"]
