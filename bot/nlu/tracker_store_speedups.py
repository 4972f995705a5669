"""Faster paths through Rasa 3.6's SQLTrackerStore, each measured under load and tested
against Rasa's own code in tests/rasa_env/test_speedups.py.

- SQLite (bot/endpoints.yml, one machine) in WAL mode with synchronous=NORMAL: each
  message's commit no longer waits for a full sync of the journal. WAL keeps the file
  consistent if a process dies; only a power cut can lose the last moments. PostgreSQL
  (the scale-out profile) is untouched.
- SQLite keeps its connections open: SQLAlchemy 1.4 gives a file database no pool, so
  every retrieve and save opened the file, ran the pragmas and closed it again (about 8%
  of the Rasa server's time). A small QueuePool reuses them; PostgreSQL keeps Rasa's own
  pool settings.
- `save` writes a message's new events with one multi-row INSERT instead of SQLAlchemy's
  unit of work (an ORM object, a flush and an INSERT per event): the same rows, in the
  same order, in the same transaction (about 7% of the Rasa server's time).
- Reading events back (`_retrieve`) and counting what is stored (`_additional_events`,
  before every save) run the SQL of Rasa's ORM queries as Core statements built once per
  table, with the sender as a bound parameter: Rasa built, compiled and cache-keyed the
  ORM query at every call (about 10% of the Rasa server's time went to the count alone).
  Same filter (the latest session, by timestamp), same order (by id), same rows.
- `Event.resolve_by_type` (once per stored event, for every retrieve) walks every Event
  subclass with `inspect.isabstract` each time; the class found for a type name is kept.
  Event classes are defined when Rasa is imported, before any tracker is read.
"""

from __future__ import annotations

import functools
import itertools
import json
import sqlite3
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core import tracker_store
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.engine.url import make_url
from sqlalchemy.pool import QueuePool

ORIGINAL_ENGINE_KWARGS = tracker_store.create_engine_kwargs
ORIGINAL_SAVE = SQLTrackerStore.save
ORIGINAL_RETRIEVE = SQLTrackerStore._retrieve
ORIGINAL_ADDITIONAL_EVENTS = SQLTrackerStore._additional_events
ORIGINAL_RESOLVE_BY_TYPE = Event.resolve_by_type
SQLITE_POOL_SIZE = 4
_EVENT_CLASSES: dict[str, type[Event]] = {}


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL and synchronous=NORMAL for every SQLite connection this process opens."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def engine_kwargs(url: Any) -> dict[str, Any]:
    """Rasa's `create_engine` arguments, plus a connection pool for a SQLite file."""
    kwargs = ORIGINAL_ENGINE_KWARGS(url)
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        kwargs = {**kwargs, "poolclass": QueuePool, "pool_size": SQLITE_POOL_SIZE,
                  "connect_args": {"check_same_thread": False}}
    return kwargs


@functools.lru_cache(maxsize=8)
def statements(table: sa.Table) -> dict[str, Any]:
    """Core versions of SQLTrackerStore._event_query (latest session / all sessions) and
    of its count, with the sender as the bound parameter `sender_id`."""
    sender = sa.bindparam("sender_id")
    session_start = (
        sa.select(sa.func.max(table.c.timestamp).label("session_start"))
        .where(table.c.sender_id == sender, table.c.type_name == SessionStarted.type_name)
        .subquery()
    )
    in_latest_session = sa.and_(
        table.c.sender_id == sender,
        sa.or_(table.c.timestamp >= session_start.c.session_start,
               session_start.c.session_start.is_(None)),
    )
    return {
        "latest": sa.select(table.c.data).where(in_latest_session).order_by(table.c.id),
        "all": sa.select(table.c.data).where(table.c.sender_id == sender)
        .order_by(table.c.id),
        "count_latest": sa.select(sa.func.count()).select_from(
            sa.select(table.c.id).where(in_latest_session).subquery()),
    }


async def retrieve(self: SQLTrackerStore, sender_id: str,
                   fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
    """SQLTrackerStore._retrieve through a prepared Core statement."""
    query = statements(self.SQLEvent.__table__)[
        "all" if fetch_events_from_all_sessions else "latest"]
    with self.session_scope() as session:
        rows = session.execute(query, {"sender_id": sender_id}).scalars().all()
    events = [json.loads(data) for data in rows]
    if self.domain and events:
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
    return None


def additional_events(self: SQLTrackerStore, session: Any,
                      tracker: DialogueStateTracker) -> Iterator[Any]:
    """SQLTrackerStore._additional_events: the tracker's events not stored yet."""
    stored = session.execute(statements(self.SQLEvent.__table__)["count_latest"],
                             {"sender_id": tracker.sender_id}).scalar_one()
    return itertools.islice(tracker.events, stored, len(tracker.events))


def event_rows(tracker: DialogueStateTracker, events: Any) -> list[dict[str, Any]]:
    """The `events` table rows of `events`, as Rasa's SQLTrackerStore.save writes them."""
    rows = []
    for one in events:
        data = one.as_dict()
        rows.append({
            "sender_id": tracker.sender_id,
            "type_name": one.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        })
    return rows


async def save(self: SQLTrackerStore, tracker: DialogueStateTracker) -> None:
    """SQLTrackerStore.save with the new events written by one multi-row INSERT."""
    await self.stream_events(tracker)
    with self.session_scope() as session:
        rows = event_rows(tracker, self._additional_events(session, tracker))
        if rows:
            session.execute(self.SQLEvent.__table__.insert(), rows)
        session.commit()


def resolve_by_type(type_name: str, default: type[Event] | None = None
                    ) -> type[Event] | None:
    """Event.resolve_by_type, remembering the class found for each type name."""
    found = _EVENT_CLASSES.get(type_name)
    if found is not None:
        return found
    resolved = ORIGINAL_RESOLVE_BY_TYPE(type_name, default)
    if resolved is not None and resolved is not default:
        _EVENT_CLASSES[type_name] = resolved
    return resolved


def install() -> None:
    """Put the functions above in place of Rasa's (idempotent)."""
    tracker_store.create_engine_kwargs = engine_kwargs
    SQLTrackerStore.save = save  # type: ignore[method-assign]
    SQLTrackerStore._retrieve = retrieve  # type: ignore[method-assign]
    SQLTrackerStore._additional_events = additional_events  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign,assignment]
    if not event.contains(Engine, "connect", sqlite_pragmas):
        event.listen(Engine, "connect", sqlite_pragmas)
