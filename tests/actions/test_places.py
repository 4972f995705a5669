"""The place form and the office look-ups, with a real Tracker, CollectingDispatcher and
the real seeded directory (SQLite, and PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

from typing import Any

from conftest import Seeded
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.places import ActionShowOffices, ValidatePlaceForm

SOSNOWIEC = "2475011"


def tracker(
    *,
    text: str = "x",
    intent: str = "inform_city",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    form_active: bool = False,
    metadata: dict[str, Any] | None = None,
) -> Tracker:
    return Tracker.from_dict({
        "sender_id": "kiosk-places001",
        "slots": slots or {},
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.9},
                           "entities": entities or [], "metadata": metadata or {}},
        "events": [{"event": "session_started"}, {"event": "user", "text": text}],
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": "place_form"} if form_active else {},
        "latest_action_name": "action_listen",
    })


def city(value: str) -> list[dict[str, Any]]:
    return [{"entity": "city", "value": value}]


async def extract(t: Tracker) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    result = await ValidatePlaceForm().extract_gmina_teryt(dispatcher, t, {})
    return result, dispatcher.messages


async def show(t: Tracker) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    assert await ActionShowOffices().run(dispatcher, t, {}) == []
    return dispatcher.messages


async def test_an_inflected_place_becomes_its_gmina() -> None:
    result, messages = await extract(tracker(text="nocleg w sosnowcu", intent="ask_shelter",
                                             entities=city("sosnowcu")))
    assert result == {"gmina_teryt": SOSNOWIEC, "place": "Sosnowiec"}
    assert "Sosnowiec" in messages[0]["text"]  # says which of the ten Sosnowiec it took


async def test_while_asking_the_whole_answer_counts_as_the_place() -> None:
    result, _ = await extract(tracker(text="w bielsku bialej", form_active=True))
    assert result["place"] == "Bielsko-Biała"
    # ...but not when the form is not asking
    assert (await extract(tracker(text="w bielsku bialej")))[0] == {}


async def test_a_button_payload_is_not_a_place_name() -> None:
    assert (await extract(tracker(text="/inform_city", form_active=True)))[0] == {}


async def test_a_shared_location_needs_no_place_name() -> None:
    krakow = {"location": {"latitude": 50.0614, "longitude": 19.9366}}
    form = ValidatePlaceForm()
    dispatcher = CollectingDispatcher()
    assert await form.required_slots(["gmina_teryt"], dispatcher, tracker(metadata=krakow),
                                     {}) == []
    assert await form.required_slots(["gmina_teryt"], dispatcher, tracker(), {}) == [
        "gmina_teryt"]


async def test_a_few_same_named_places_are_offered_as_buttons() -> None:
    result, messages = await extract(tracker(entities=city("Mszana")))
    assert result == {"gmina_teryt": None}
    assert messages[0]["response"] == "utter_which_place"
    assert len(messages[0]["buttons"]) == 3
    chosen = messages[0]["buttons"][1]["payload"]
    assert chosen.startswith('/inform_city{"city": "Mszana gmina ')


async def test_many_same_named_places_ask_for_the_gmina() -> None:
    result, messages = await extract(tracker(entities=city("Dąbrowa")))
    assert result == {"gmina_teryt": None}
    assert messages[0]["response"] == "utter_place_too_many"
    assert messages[0]["count"] > 100


async def test_an_unknown_place_is_said_to_be_unknown() -> None:
    result, messages = await extract(tracker(entities=city("Qwxzyville")))
    assert result == {"gmina_teryt": None}
    assert messages[0]["response"] == "utter_place_unknown"
    assert messages[0]["name"] == "Qwxzyville"


async def test_offices_come_from_the_directory_with_their_source(seeded: Seeded) -> None:
    messages = await show(tracker(slots={"gmina_teryt": SOSNOWIEC,
                                         "directory_kinds": ["night_shelter", "ops"]}))
    cards = [m["custom"]["card"] for m in messages if m.get("custom")]
    kinds = [c["kind"] for c in cards]
    assert "Noclegownia" in kinds and "Ośrodek pomocy społecznej" in kinds
    mops = next(c for c in cards if c["kind"] == "Ośrodek pomocy społecznej")
    assert mops["address"].startswith("ul. 3 Maja 33")
    assert "źródło:" in mops["updated"]
    for message in messages:
        if message.get("custom"):
            assert message["custom"]["text"].startswith(message["custom"]["card"]["kind"])


async def test_no_record_means_the_responsible_unit_not_an_invented_address(
    seeded: Seeded,
) -> None:
    # Wyszki (podlaskie) has no row in the directory.
    messages = await show(tracker(slots={"gmina_teryt": "2003082", "directory_kinds": ["ops"]}))
    assert [m["response"] for m in messages] == ["utter_ops_not_in_directory"]
    assert messages[0]["gmina"] == "Wyszki"
    assert messages[0]["office"] == "urząd gminy"


async def test_without_a_place_the_action_asks_for_one(seeded: Seeded) -> None:
    assert [m["response"] for m in await show(tracker())] == ["utter_ask_place"]


async def test_a_shared_location_finds_the_nearest_offices(seeded: Seeded) -> None:
    krakow = {"location": {"latitude": 50.0614, "longitude": 19.9366}}
    messages = await show(tracker(metadata=krakow, slots={"directory_kinds": ["ops"]}))
    assert messages[0]["response"] == "utter_offices_near"
    distances = [m["custom"]["card"]["distance"] for m in messages[1:]]
    assert distances and all(d.endswith(" km") for d in distances)
