"""The tracker store's prepared statements against Rasa's ORM queries, on SQLite and (with
TEST_DATABASE_URL) PostgreSQL: the same events back, the same count of stored events."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from sqlalchemy.engine.url import make_url

from bot.nlu import rasa_speedups, tracker_store_speedups
from bot.nlu.tracker_store_speedups import (
    ORIGINAL_ADDITIONAL_EVENTS,
    ORIGINAL_RESOLVE_BY_TYPE,
    ORIGINAL_RETRIEVE,
    additional_events,
    resolve_by_type,
    retrieve,
)

DOMAIN = Domain.from_dict({"slots": {"place": {"type": "text", "mappings": [
    {"type": "custom"}]}}})


def user(text: str, intent: str, at: float) -> dict[str, Any]:
    return {"event": "user", "text": text, "timestamp": at,
            "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "entities": [],
                           "text": text}}


# two sessions; the second starts at 10.0 and one event of it has an earlier timestamp
TWO_SESSIONS: list[dict[str, Any]] = [
    {"event": "action", "name": "action_session_start", "timestamp": 1.0},
    {"event": "session_started", "timestamp": 1.1},
    {"event": "action", "name": "action_listen", "timestamp": 1.2},
    user("nocleg w Łodzi", "ask_shelter", 2.0),
    {"event": "slot", "name": "place", "value": "Łódź", "timestamp": 2.1},
    {"event": "bot", "text": "Noclegownia / czynne 24h", "timestamp": 2.2},
    {"event": "action", "name": "action_session_start", "timestamp": 9.9},
    {"event": "session_started", "timestamp": 10.0},
    {"event": "action", "name": "action_listen", "timestamp": 10.1},
    user("a praca?", "ask_employment", 11.0),
    {"event": "slot", "name": "place", "value": "Kraków", "timestamp": 9.5},
    {"event": "bot", "text": "Urząd pracy", "timestamp": 11.2},
]


def postgres_store(url: str) -> SQLTrackerStore:
    parsed = make_url(url)
    return SQLTrackerStore(DOMAIN, dialect="postgresql", host=parsed.host,
                           port=parsed.port or 5432, db=parsed.database,
                           username=parsed.username, password=parsed.password)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[SQLTrackerStore]:
    if request.param == "sqlite":
        yield SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
        return
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not url:
        pytest.skip("TEST_DATABASE_URL is not set (PostgreSQL tests skipped)")
    import psycopg2

    schema = "rasa_env_" + uuid.uuid4().hex[:10]
    plain = make_url(url).set(drivername="postgresql")
    admin = psycopg2.connect(plain.render_as_string(hide_password=False))
    admin.autocommit = True
    admin.cursor().execute(f'CREATE SCHEMA "{schema}"')
    monkeypatch.setenv("POSTGRESQL_SCHEMA", schema)
    made = postgres_store(url)
    try:
        yield made
    finally:
        made.engine.dispose()
        admin.cursor().execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


def stored(store: SQLTrackerStore, sender: str, upto: int) -> DialogueStateTracker:
    """A tracker of the first `upto` events, saved with Rasa's own save."""
    tracker = DialogueStateTracker.from_dict(sender, TWO_SESSIONS[:upto], DOMAIN.slots)
    asyncio.run(tracker_store_speedups.ORIGINAL_SAVE(store, tracker))
    return tracker


def test_installed() -> None:
    rasa_speedups.install()
    assert SQLTrackerStore._retrieve is retrieve
    assert SQLTrackerStore._additional_events is additional_events
    assert Event.resolve_by_type("slot") is ORIGINAL_RESOLVE_BY_TYPE("slot")


@pytest.mark.parametrize("upto", [1, 3, 6, 7, 8, 10, 12])
def test_retrieve_returns_what_rasa_returns(store: SQLTrackerStore, upto: int) -> None:
    sender = f"kiosk-ret{upto:05d}"
    stored(store, sender, upto)
    for all_sessions in (False, True):
        ours = asyncio.run(retrieve(store, sender, all_sessions))
        theirs = asyncio.run(ORIGINAL_RETRIEVE(store, sender, all_sessions))
        assert ours is not None and theirs is not None
        assert list(ours.events) == list(theirs.events)
        assert ours.current_slot_values() == theirs.current_slot_values()
    if upto == 12:  # the latest session, by timestamp: not the slot set at 9.5
        latest = asyncio.run(retrieve(store, sender, False))
        assert latest is not None and len(latest.events) == 4


def test_an_unknown_sender_has_no_tracker(store: SQLTrackerStore) -> None:
    assert asyncio.run(retrieve(store, "kiosk-nobody00", False)) is None
    assert asyncio.run(ORIGINAL_RETRIEVE(store, "kiosk-nobody00", False)) is None


@pytest.mark.parametrize("saved", [0, 2, 6, 8, 11])
def test_the_count_of_stored_events_is_rasas(store: SQLTrackerStore, saved: int) -> None:
    sender = f"kiosk-cnt{saved:05d}"
    if saved:
        stored(store, sender, saved)
    tracker = DialogueStateTracker.from_dict(sender, TWO_SESSIONS, DOMAIN.slots)
    with store.session_scope() as session:
        ours = list(additional_events(store, session, tracker))
        theirs = list(ORIGINAL_ADDITIONAL_EVENTS(store, session, tracker))
    assert ours == theirs


def test_a_conversation_saved_turn_by_turn_reads_back_whole(store: SQLTrackerStore) -> None:
    sender = "kiosk-turns001"
    done = 0
    for upto in (3, 6, 9, 12):
        tracker = asyncio.run(store.retrieve(sender))
        if tracker is None:
            tracker = DialogueStateTracker(sender, DOMAIN.slots)
        for one in TWO_SESSIONS[done:upto]:
            tracker.update(Event.from_parameters(one))
        asyncio.run(store.save(tracker))
        done = upto
    whole = asyncio.run(store.retrieve_full_tracker(sender))
    assert whole is not None
    assert list(whole.events) == list(
        DialogueStateTracker.from_dict(sender, TWO_SESSIONS, DOMAIN.slots).events)


def test_event_classes_are_the_ones_rasa_finds() -> None:
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert {"user", "bot", "slot", "action", "session_started", "active_loop"} <= names
    for name in names:
        assert resolve_by_type(name) is ORIGINAL_RESOLVE_BY_TYPE(name)
        assert resolve_by_type(name) is ORIGINAL_RESOLVE_BY_TYPE(name)  # remembered
    assert resolve_by_type("no-such-event", Event) is Event  # type: ignore[type-abstract]
    assert resolve_by_type("topic") is None
    with pytest.raises(ValueError, match="Unknown event name"):
        resolve_by_type("no-such-event")
