"""The cached jsonschema validation Rasa uses for action-server answers, once our
components are loaded: installed, and with exactly the errors of the original."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

import bot.nlu.polish_tokenizer  # noqa: F401 - loading our components installs it
from bot.nlu import action_endpoint, rasa_speedups, tracker_store_speedups

SPEC = RemoteAction.action_response_format_spec()
GOOD: dict[str, Any] = {"events": [{"event": "slot", "name": "place", "value": "Kraków"}],
                        "responses": [{"text": "Dzień dobry"}]}
BAD: list[dict[str, Any]] = [
    {"events": "not a list", "responses": []},
    {"events": [{"no_event_key": 1}], "responses": []},
    {"events": [], "responses": "x"},
]


def test_installed_when_rasa_loads_our_components() -> None:
    assert jsonschema.validate is rasa_speedups.validate


def test_the_answer_schema_is_rasas_built_once() -> None:
    assert RemoteAction.action_response_format_spec() is rasa_speedups.RESPONSE_SPEC
    assert rasa_speedups.ORIGINAL_RESPONSE_SPEC() == rasa_speedups.RESPONSE_SPEC


def test_valid_answers_pass_and_rasa_accepts_them() -> None:
    rasa_speedups.validate(GOOD, SPEC)
    assert RemoteAction("action_x", None)._validate_action_result(GOOD) is True


@pytest.mark.parametrize("answer", BAD)
def test_invalid_answers_fail_exactly_like_the_original(answer: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError) as ours:
        rasa_speedups.validate(answer, SPEC)
    with pytest.raises(jsonschema.ValidationError) as original:
        rasa_speedups.ORIGINAL(answer, SPEC)
    assert (ours.value.message, list(ours.value.path)) == (
        original.value.message, list(original.value.path))


def test_a_broken_schema_is_still_refused() -> None:
    with pytest.raises(jsonschema.SchemaError):
        rasa_speedups.validate({}, {"type": "no-such-type"})


def test_sqlite_tracker_stores_use_wal(tmp_path: Path) -> None:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    tracker = DialogueStateTracker.from_dict(
        "kiosk-wal00001", [{"event": "action", "name": "action_listen", "timestamp": 1.0}])
    asyncio.run(store.save(tracker))
    assert asyncio.run(store.retrieve("kiosk-wal00001")) is not None


def test_sqlite_tracker_stores_reuse_their_connections(tmp_path: Path) -> None:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from sqlalchemy.pool import QueuePool

    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "p.db"))
    assert isinstance(store.engine.pool, QueuePool)
    for turn in range(3):
        tracker = DialogueStateTracker.from_dict("kiosk-pool0001", [
            {"event": "action", "name": "action_listen", "timestamp": float(t)}
            for t in range(turn + 1)])
        asyncio.run(store.save(tracker))
    assert store.engine.pool.checkedin() >= 1  # connections went back to the pool
    retrieved = asyncio.run(store.retrieve("kiosk-pool0001"))
    assert retrieved is not None and len(retrieved.events) == 3


def test_other_databases_keep_rasas_engine_settings() -> None:
    url = "postgresql://rasa@127.0.0.1:5432/test"
    speedups = tracker_store_speedups
    assert speedups.engine_kwargs(url) == speedups.ORIGINAL_ENGINE_KWARGS(url)
    assert speedups.engine_kwargs("sqlite://") == {}


CONVERSATION: list[dict[str, Any]] = [
    {"event": "session_started", "timestamp": 1.1},
    {"event": "action", "name": "action_listen", "timestamp": 1.2},
    {"event": "user", "text": "nocleg w Łodzi", "timestamp": 2.0,
     "parse_data": {"intent": {"name": "ask_shelter", "confidence": 0.9},
                    "entities": [{"entity": "city", "value": "Łodzi", "start": 9, "end": 14}],
                    "text": "nocleg w Łodzi"}},
    {"event": "slot", "name": "place", "value": "Łódź", "timestamp": 2.1},
    {"event": "bot", "text": "Noclegownia: ul. Przykładowa 1 / czynne 24h", "timestamp": 2.2},
]


def stored_rows(store: Any, sender: str) -> list[tuple[Any, ...]]:
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(
            "SELECT sender_id, type_name, timestamp, intent_name, action_name, data "
            "FROM events WHERE sender_id = ? ORDER BY id", (sender,))]


def test_tracker_save_writes_exactly_the_rows_of_rasas_save(tmp_path: Path) -> None:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    assert SQLTrackerStore.save is tracker_store_speedups.save
    ours = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "ours.db"))
    theirs = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "rasa.db"))
    for upto in (2, 3, 5, 5):  # first turn, more events, the rest, nothing new
        tracker = DialogueStateTracker.from_dict("kiosk-save0001", CONVERSATION[:upto])
        asyncio.run(tracker_store_speedups.save(ours, tracker))
        asyncio.run(tracker_store_speedups.ORIGINAL_SAVE(theirs, tracker))
        assert stored_rows(ours, "kiosk-save0001") == stored_rows(theirs, "kiosk-save0001")
    assert len(stored_rows(ours, "kiosk-save0001")) == 5
    back = asyncio.run(ours.retrieve("kiosk-save0001"))
    assert back is not None
    assert list(back.events) == list(
        DialogueStateTracker.from_dict("kiosk-save0001", CONVERSATION).events)


@pytest.mark.parametrize("value", [
    {"text": "Zażółć gęślą jaźń / ul. 3 Maja", "n": [1, 2.5, None, True], "e": {}},
    {"big": 2**70, "nested": [{"a": "\u0000\u2028"}]},
    {"float": 0.1 + 0.2, "small": 1e-300, "emoji": "🙂"},
])
def test_action_server_json_is_the_same_json(value: dict[str, Any]) -> None:
    import json

    written = action_endpoint.dumps(value)
    assert json.loads(written) == value


def test_endpoint_sessions_write_json_with_ujson() -> None:
    from rasa.utils.endpoints import EndpointConfig

    async def serializer() -> Any:
        async with EndpointConfig("http://127.0.0.1:1/webhook").session() as client:
            return client.json_serialize

    assert asyncio.run(serializer()) is action_endpoint.dumps


async def echo_server(port: int, peers: list[Any]) -> Any:
    """A small HTTP server that answers JSON and notes each request's client address."""
    from aiohttp import web

    async def webhook(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername") if request.transport
                     else None)
        return web.json_response({"got": await request.json()})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


def test_action_calls_reuse_one_connection_and_survive_a_restart() -> None:
    import socket

    from rasa.utils.endpoints import EndpointConfig

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")

    async def scenario() -> tuple[list[Any], list[Any], list[Any]]:
        first: list[Any] = []
        server = await echo_server(port, first)
        answers = [await endpoint.request(json={"n": n, "text": "Łódź"}) for n in range(3)]
        await server.cleanup()  # the action server restarts
        second: list[Any] = []
        server = await echo_server(port, second)
        answers.append(await endpoint.request(json={"n": 3}))
        await server.cleanup()
        await action_endpoint.close_sessions()
        return answers, first, second

    answers, first, second = asyncio.run(scenario())
    assert answers == [{"got": {"n": n, "text": "Łódź"}} for n in range(3)] + [
        {"got": {"n": 3}}]
    assert len(first) == 3 and len(set(first)) == 1  # one kept-alive connection
    assert len(second) == 1
