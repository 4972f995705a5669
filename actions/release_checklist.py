"""The release checklist: the release date and the place the person will live, then one
printable list of steps with deadlines, each with the office from the directory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.content_store import Step, Tool, content
from actions.form_input import ALWAYS_ANSWERED, latest_intent, latest_text, steps_aside
from actions.office_cards import KIND_NAMES, address_of, now_in_poland
from actions.places import database_ready, extract_place
from bot.db.repository import directory
from bot.directory.record import OfficeRecord
from bot.textparse.dates import UNKNOWN, parse_date

PHASE_DAYS = {"before": -1, "release_day": 0, "first_week": 7}
TOOL = "release_checklist"


def polish_date(day: date) -> str:
    return f"{day.day}.{day.month:02d}.{day.year}"


class ValidateReleaseForm(FormValidationAction):
    def name(self) -> str:
        return "validate_release_form"

    async def extract_release_date(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        asked = tracker.get_slot("requested_slot") == "release_date"
        if latest_intent(tracker)[0] in ALWAYS_ANSWERED:
            return {}
        text = latest_text(tracker)
        found = parse_date(text, now_in_poland().date()) if not text.startswith("/") else None
        if found is not None and (asked or found != UNKNOWN):
            return {"release_date": found if isinstance(found, str) else found.isoformat()}
        if not asked or steps_aside(tracker):
            return {}
        dispatcher.utter_message(response="utter_release_date_unclear")
        return {"release_date": None}

    async def extract_gmina_teryt(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        return extract_place(dispatcher, tracker)

    def validate_release_date(self, slot_value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return {"release_date": slot_value}

    def validate_gmina_teryt(self, slot_value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return {"gmina_teryt": slot_value}


@dataclass(frozen=True)
class Section:
    title: str
    deadline: str | None
    steps: list[dict[str, Any]]


def deadline_of(step: Step, release: date | None) -> date | None:
    if release is None:
        return None
    if step.deadline_fact:
        return release + timedelta(days=int(content().fact_value(step.deadline_fact)))
    return release + timedelta(days=PHASE_DAYS[step.phase])


def office_line(office: OfficeRecord) -> dict[str, str]:
    line = {"kind": KIND_NAMES.get(office.kind, office.kind), "name": office.name}
    if (address := address_of(office)) is not None:
        line["address"] = address
    if office.phones:
        line["phone"] = ", ".join(office.phones)
    return line


def build_checklist(tool: Tool, release: date | None, today: date,
                    offices: dict[str, OfficeRecord]) -> tuple[list[Section], list[str]]:
    """The sections of the list, and notes shown above it."""
    notes = []
    if release is None:
        notes.append(tool.text("no_date"))
    elif release <= today:
        notes.append(tool.text("already_out"))
    sections: dict[str, Section] = {}
    for step in tool.steps:
        if step.phase == "before" and release is not None and release <= today:
            continue
        deadline = deadline_of(step, release)
        section = sections.get(step.phase)
        if section is None:
            section = sections[step.phase] = Section(tool.phases[step.phase], None, [])
        item: dict[str, Any] = {"text": step.text}
        if deadline is not None:
            item["deadline"] = polish_date(deadline)
        if step.office is not None:
            office = offices.get(step.office)
            item["office"] = office_line(office) if office is not None else None
        section.steps.append(item)
    return list(sections.values()), notes


def checklist_text(title: str, notes: list[str], sections: list[Section],
                   no_office: str) -> str:
    lines = [title, *notes]
    number = 0
    for section in sections:
        lines.append("")
        lines.append(f"{section.title}:")
        for item in section.steps:
            number += 1
            when = f" (do {item['deadline']})" if "deadline" in item else ""
            lines.append(f"{number}. {item['text']}{when}")
            if "office" in item:
                office = item["office"]
                if office is None:
                    lines.append(f"   {no_office}")
                else:
                    details = ", ".join(office[k] for k in ("address", "phone") if k in office)
                    lines.append(f"   {office['name']}" + (f": {details}" if details else ""))
    return "\n".join(lines)


def offices_for(gmina_code: str | None, kinds: set[str]) -> dict[str, OfficeRecord]:
    if not gmina_code or not kinds:
        return {}
    database_ready()
    gmina = directory.get_gmina(gmina_code)
    if gmina is None:
        return {}
    found: dict[str, OfficeRecord] = {}
    for item in directory.offices_for_gmina(gmina.code, tuple(sorted(kinds))):
        found.setdefault(item.office.kind, item.office)
    return found


class ActionReleaseChecklist(Action):
    def name(self) -> str:
        return "action_release_checklist"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        tool = content().tools[TOOL]
        raw = tracker.get_slot("release_date")
        release = date.fromisoformat(raw) if isinstance(raw, str) and raw != UNKNOWN else None
        gmina = tracker.get_slot("gmina_teryt")
        kinds = {s.office for s in tool.steps if s.office}
        offices = offices_for(gmina if isinstance(gmina, str) else None, kinds)
        today = now_in_poland().date()
        sections, notes = build_checklist(tool, release, today, offices)
        place = tracker.get_slot("place")
        title = tool.text("title") + (f" ({place})" if isinstance(place, str) else "")
        text = checklist_text(title, notes, sections, tool.text("no_office"))
        dispatcher.utter_message(json_message={
            "text": text,
            "checklist": {
                "title": title,
                "notes": notes,
                "sections": [{"title": s.title, "steps": s.steps} for s in sections],
            },
        })
        buttons = [{"title": b.title, "payload": b.payload} for b in tool.buttons]
        dispatcher.utter_message(text=tool.text("keep_it"), buttons=buttons)
        return [SlotSet("release_date", None)]
