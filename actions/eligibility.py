"""The eligibility pre-check: household size and monthly net income, compared with the
social-assistance income criteria in facts.yml; says what to ask the MOPS for and that
the MOPS decides. The answers are cleared when the result has been given."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.content_format import number_text
from actions.content_store import Content, content
from actions.form_input import read_answer
from bot.textparse.numbers import amount, household_size

TOOL = "eligibility"
SINGLE = "kryterium_osoba_samotna"
FAMILY = "kryterium_osoba_w_rodzinie"


def money(value: float) -> str:
    return f"{number_text(round(value, 2) if value % 1 else int(value))}\u00a0zł"


class ValidateEligibilityForm(FormValidationAction):
    def name(self) -> str:
        return "validate_eligibility_form"

    async def extract_household_size(self, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return read_answer(dispatcher, tracker, "household_size", household_size,
                           "utter_household_unclear")

    async def extract_net_income(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> dict[str, Any]:
        return read_answer(dispatcher, tracker, "net_income", amount, "utter_income_unclear")

    def validate_household_size(self, slot_value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return {"household_size": slot_value}

    def validate_net_income(self, slot_value: Any, dispatcher: CollectingDispatcher,
                            tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return {"net_income": slot_value}


@dataclass(frozen=True)
class Assessment:
    size: int
    income: float
    per_person: float
    criterion_fact: str  # which fact is the criterion
    limit: float  # the criterion for the whole household
    below: bool
    periodic_minimum: float  # 0 when above the criterion


def assess(size: int, income: float, facts: Content) -> Assessment:
    fact = SINGLE if size == 1 else FAMILY
    limit = facts.fact_value(fact) * size
    below = income <= limit
    periodic = 0.0
    if below:
        share = facts.fact_value("zasilek_okresowy_min_procent") / 100
        gap = limit - income
        periodic = max(math.ceil(gap * share * 100) / 100,
                       facts.fact_value("zasilek_okresowy_min_kwota"))
    return Assessment(size, income, income / size, fact, limit, below, periodic)


def result_messages(result: Assessment, facts: Content) -> list[str]:
    tool = facts.tools[TOOL]
    values = {"dochod": money(result.income), "na_osobe": money(result.per_person),
              "granica": money(result.limit), "okresowy": money(result.periodic_minimum)}
    single = result.size == 1
    out: list[str] = []
    if result.below:
        out.append(tool.text("single_below" if single else "family_below", **values))
        out.append(tool.text("periodic", **values))
        out.append(tool.text("permanent"))
    else:
        out.append(tool.text("single_above" if single else "family_above", **values))
        out.append(tool.text("special"))
    if single:
        out.append(tool.text("meal_single"))
    out.append(tool.text("housing"))
    basis = str(facts.facts[result.criterion_fact].get("legal_basis") or "")
    if basis:
        out.append(tool.text("legal_basis", podstawa=basis))
    out.append(tool.text("mops_decides"))
    return out


class ActionEligibilityResult(Action):
    def name(self) -> str:
        return "action_eligibility_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        facts = content()
        size, income = tracker.get_slot("household_size"), tracker.get_slot("net_income")
        clear = [SlotSet("household_size", None), SlotSet("net_income", None)]
        if not isinstance(size, int | float) or not isinstance(income, int | float):
            dispatcher.utter_message(response="utter_eligibility_skipped")
            return clear
        for text in result_messages(assess(int(size), float(income), facts), facts):
            dispatcher.utter_message(text=text)
        tool = facts.tools[TOOL]
        dispatcher.utter_message(
            text=tool.text("next_step"),
            buttons=[{"title": b.title, "payload": b.payload} for b in tool.buttons],
        )
        return clear


class ActionEligibilitySkipped(Action):
    """The person does not want to answer: stop asking, keep nothing."""

    def name(self) -> str:
        return "action_eligibility_skipped"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_eligibility_skipped")
        return [SlotSet("household_size", None), SlotSet("net_income", None),
                SlotSet("requested_slot", None)]
