"""Five measured speed-ups of the Rasa 3.6 server, installed when Rasa loads our components.

1. Action answers validated without re-checking the schema (below).
2. The SQLite tracker store (bot/endpoints.yml, one machine) in WAL mode with
   synchronous=NORMAL: each message's commit no longer waits for a full sync of the
   journal (the next hot spot in the same profile). WAL keeps the file consistent if a
   process dies; only a power cut can lose the last moments. PostgreSQL (the scale-out
   profile) is untouched.
3. The SQLite tracker store keeps its connections open: SQLAlchemy 1.4 gives a file
   database no pool, so every retrieve and save opened the file, ran the pragmas and
   closed it again (about 8% of the Rasa server's time under load). A small QueuePool
   reuses them; PostgreSQL keeps Rasa's own pool settings.
4. The SQL tracker store (SQLite and PostgreSQL) writes a message's new events with one
   multi-row INSERT instead of SQLAlchemy's unit of work (an ORM object, a flush and an
   INSERT per event): the same rows, in the same order, in the same transaction.
   About 7% of the Rasa server's time under load (50 simulated users) went to the flush.
5. The JSON sent to the action server (the whole tracker, for every custom action) is
   written with ujson, already installed with Rasa, instead of the json module (about
   5% of the Rasa server's time); the text is the same JSON.

Rasa checks every custom action's answer with `jsonschema.validate(result, spec)`
(imported from jsonschema at each call), and `jsonschema.validate` first re-checks the
*schema* itself every time. Profiling the load benchmark (py-spy, 25 simulated users)
showed that re-check taking about 40% of the Rasa server's CPU time per message. Schemas
do not change, so the checked validator is kept per schema and only the instance is
validated: the same errors, raised the same way (check_schema once, then best_match over
iter_errors). Calls with a validator class or options go to the original function.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import aiohttp
import jsonschema
import ujson
from jsonschema import exceptions, validators
from rasa.core import tracker_store
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.engine.url import make_url
from sqlalchemy.pool import QueuePool

ORIGINAL = jsonschema.validate
ORIGINAL_ENGINE_KWARGS = tracker_store.create_engine_kwargs
ORIGINAL_SAVE = SQLTrackerStore.save
SQLITE_POOL_SIZE = 4
_VALIDATORS: dict[str, Any] = {}


def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """`jsonschema.validate` with each distinct schema checked only once."""
    if cls is not None or args or kwargs:
        ORIGINAL(instance, schema, cls, *args, **kwargs)
        return
    try:
        key = json.dumps(schema, sort_keys=True)
    except (TypeError, ValueError):
        ORIGINAL(instance, schema)
        return
    validator = _VALIDATORS.get(key)
    if validator is None:
        checked = validators.validator_for(schema)
        checked.check_schema(schema)
        validator = _VALIDATORS[key] = checked(schema)
    error = exceptions.best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


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


def dumps(value: Any) -> str:
    """JSON text as json.dumps writes it (ujson, which is several times faster)."""
    try:
        return str(ujson.dumps(value, ensure_ascii=False, escape_forward_slashes=False))
    except (TypeError, OverflowError, ValueError):
        return json.dumps(value)  # what ujson refuses, json may still write (or explain)


def session(self: EndpointConfig) -> aiohttp.ClientSession:
    """EndpointConfig.session (Rasa 3.6) with JSON bodies written by `dumps`."""
    auth = None
    if self.basic_auth:
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
    return aiohttp.ClientSession(
        headers=self.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        json_serialize=dumps,
    )


def install() -> None:
    """Use `validate` for every `from jsonschema import validate` from now on, and the
    SQLite pragmas and pool for every engine (idempotent)."""
    jsonschema.validate = validate
    tracker_store.create_engine_kwargs = engine_kwargs
    SQLTrackerStore.save = save  # type: ignore[method-assign]
    EndpointConfig.session = session  # type: ignore[method-assign]
    if not event.contains(Engine, "connect", sqlite_pragmas):
        event.listen(Engine, "connect", sqlite_pragmas)
