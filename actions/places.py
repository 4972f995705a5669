"""Where to go: the place form and the offices of the user's gmina from the directory."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.office_cards import KIND_NAMES, card_for, card_text, now_in_poland
from bot.db.repository import directory
from bot.directory.record import OfficeRecord
from bot.places import get_index
from bot.places.model import Place, Resolution

MAX_CANDIDATE_BUTTONS = 5
MAX_OFFICES_PER_KIND = 2
DEFAULT_KINDS = ("ops",)
PLACE_FORMS = ("place_form", "release_form")  # forms that ask for gmina_teryt
GMINA_OFFICE = {"miejska": "urząd miasta", "wiejska": "urząd gminy",
                "miejsko-wiejska": "urząd miasta i gminy"}


def database_ready() -> None:
    """Bind the database session on first use in this process (never at import)."""
    from bot.db.session import configure, is_configured
    from bot.settings import load_settings

    if not is_configured():
        configure(load_settings().database_url)


def resolve_place(text: str) -> Resolution:
    index = get_index()
    found = index.find_in_text(text) if len(text.split()) > 3 else None
    return found if found is not None and found.status != "unknown" else index.resolve(text)


def candidate_title(place: Place) -> str:
    return f"{place.locality} (gm. {place.gmina.name}, pow. {place.powiat})"


def candidate_payload(place: Place) -> str:
    value = f"{place.locality} gmina {place.gmina.name} powiat {place.powiat}"
    return '/inform_city{"city": "' + value.replace('"', "") + '"}'


def named_place(tracker: Tracker) -> str | None:
    """The place the latest message names: its city entity, or while the form asks for
    a place, the whole message of an inform_city turn."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "city" and isinstance(entity.get("value"), str):
            return str(entity["value"])
    asking = tracker.active_loop.get("name") in PLACE_FORMS and (
        tracker.get_slot("requested_slot") in (None, "gmina_teryt"))
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    text = str(tracker.latest_message.get("text") or "")
    # A button payload ("/inform_city") is never a place name.
    if asking and intent == "inform_city" and not text.startswith("/"):
        return text or None
    return None


def location_of(tracker: Tracker) -> tuple[float, float] | None:
    """Coordinates a channel sent with the message (Telegram location), if any."""
    location = (tracker.latest_message.get("metadata") or {}).get("location")
    if not isinstance(location, dict):
        return None
    try:
        latitude, longitude = float(location["latitude"]), float(location["longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return latitude, longitude


def extract_place(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    """gmina_teryt and place from the place the latest message names; {} when it names
    none (the form then steps aside, so other rules can answer the message)."""
    text = (named_place(tracker) or "").strip()[:200]
    if not text:
        return {}
    result = resolve_place(text)
    if result.status == "found" and result.place is not None:
        if result.picked_town or result.match == "typo":
            dispatcher.utter_message(text=result.note)
        return {"gmina_teryt": result.place.gmina.teryt, "place": result.place.locality}
    if result.status == "ambiguous":
        candidates = result.candidates
        if len(candidates) <= MAX_CANDIDATE_BUTTONS:
            dispatcher.utter_message(
                response="utter_which_place",
                buttons=[{"title": candidate_title(p), "payload": candidate_payload(p)}
                         for p in candidates],
            )
        else:
            dispatcher.utter_message(response="utter_place_too_many",
                                     count=len(candidates), name=candidates[0].locality)
        return {"gmina_teryt": None}
    dispatcher.utter_message(response="utter_place_unknown", name=text[:60])
    if result.suggestions:
        dispatcher.utter_message(
            response="utter_place_suggestions",
            buttons=[{"title": s, "payload": '/inform_city{"city": "' + s + '"}'}
                     for s in result.suggestions[:MAX_CANDIDATE_BUTTONS]],
        )
    return {"gmina_teryt": None}


class ValidatePlaceForm(FormValidationAction):
    """Fills gmina_teryt from the place the user names; a new place replaces the old one."""

    def name(self) -> str:
        return "validate_place_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        # A shared location needs no place name: the offices come by distance.
        if location_of(tracker) is not None:
            return []
        return list(domain_slots)

    async def extract_gmina_teryt(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return extract_place(dispatcher, tracker)

    def validate_gmina_teryt(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return {"gmina_teryt": slot_value}


def kinds_for(tracker: Tracker) -> tuple[str, ...]:
    kinds = tracker.get_slot("directory_kinds")
    if isinstance(kinds, list) and kinds:
        return tuple(str(k) for k in kinds)
    return DEFAULT_KINDS


def is_open_now(office: OfficeRecord, now: datetime) -> bool:
    return office.hours is not None and office.hours.is_open(now)


def send_card(dispatcher: CollectingDispatcher, office: OfficeRecord, now: datetime,
              distance_km: float | None = None) -> None:
    """One office as a card (and its plain-text version for channels without cards)."""
    card = card_for(office, directory.opening_state(office.id, now), distance_km)
    dispatcher.utter_message(json_message={"text": card_text(card), "card": card})


class ActionShowOffices(Action):
    """Offices of the kinds the topic needs, for the user's gmina (or nearest to a location)."""

    def name(self) -> str:
        return "action_show_offices"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        database_ready()
        kinds = kinds_for(tracker)
        now = now_in_poland()
        location = location_of(tracker)
        if location is not None:
            nearby = directory.nearest_offices(*location, kinds)
            if not nearby:
                dispatcher.utter_message(response="utter_nothing_near")
                return []
            dispatcher.utter_message(response="utter_offices_near")
            for item in nearby[: MAX_OFFICES_PER_KIND * 2]:
                send_card(dispatcher, item.office, now, item.distance_km)
            return []

        code = tracker.get_slot("gmina_teryt")
        gmina = directory.get_gmina(code) if isinstance(code, str) else None
        if gmina is None:
            dispatcher.utter_message(response="utter_ask_place")
            return []
        found = directory.offices_for_gmina(gmina.code, kinds)
        shown_kinds = set()
        for kind in kinds:
            # Open now first (a night shelter at 22:00 matters more than one closed).
            of_kind = sorted(
                (f for f in found if f.office.kind == kind),
                key=lambda f: not is_open_now(f.office, now),
            )[:MAX_OFFICES_PER_KIND]
            for found_office in of_kind:
                send_card(dispatcher, found_office.office, now)
                shown_kinds.add(kind)
        missing = [k for k in kinds if k not in shown_kinds]
        if "ops" in missing:
            gmina_office = GMINA_OFFICE.get(gmina.type, "urząd gminy")
            dispatcher.utter_message(response="utter_ops_not_in_directory",
                                     gmina=gmina.name, office=gmina_office)
        other_missing = [KIND_NAMES[k].lower() for k in missing if k != "ops" and k in KIND_NAMES]
        if other_missing:
            dispatcher.utter_message(response="utter_kinds_not_in_directory",
                                     kinds=", ".join(other_missing), gmina=gmina.name)
        return []


class ActionForgetPlace(Action):
    """The user does not want to give a place: stop asking, keep nothing."""

    def name(self) -> str:
        return "action_forget_place"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_no_place_ok")
        return [SlotSet("requested_slot", None)]
