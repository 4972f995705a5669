"""SequentialGraphRunner against Rasa's DaskGraphRunner: the same outputs for the same
graph, on small graphs and on our trained model (the NLU pipeline and the policies)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.core import processor
from rasa.core.agent import Agent
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlu import rasa_speedups
from bot.nlu.graph_runner import SequentialGraphRunner, execution_order

MODEL = Path(__file__).resolve().parents[2] / "models" / "drogowskaz.tar.gz"
CALLS: list[str] = []


class Join(GraphComponent):
    """Joins its inputs' outputs with its own name; records that it ran."""

    def __init__(self, name: str) -> None:
        self.name = name

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: Any, resource: Any,
               execution_context: Any) -> Join:
        return cls(config["name"])

    def run(self, **parts: str) -> str:
        CALLS.append(self.name)
        return self.name + "(" + ",".join(parts[key] for key in sorted(parts)) + ")"


def node(name: str, needs: dict[str, str], target: bool = False) -> SchemaNode:
    return SchemaNode(needs=needs, uses=Join, constructor_name="create", fn="run",
                      config={"name": name}, eager=True, is_target=target)


# a diamond (b and c both need a, d needs both) fed by an input, plus a node no target needs
SCHEMA = GraphSchema({
    "a": node("a", {"x": "message"}),
    "b": node("b", {"x": "a"}),
    "c": node("c", {"x": "a", "y": "message"}),
    "d": node("d", {"x": "b", "y": "c"}, target=True),
    "unused": node("unused", {"x": "message"}),
})


def runners(schema: GraphSchema, tmp_path: Path) -> list[DaskGraphRunner]:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(schema, "test")
    return [cls.create(schema, storage, context) for cls in (DaskGraphRunner,
                                                            SequentialGraphRunner)]


def test_every_node_runs_after_what_it_needs_and_only_what_targets_need() -> None:
    order = execution_order(SCHEMA, ["d"])
    assert sorted(order) == ["a", "b", "c", "d"]
    for name in order:
        for need in SCHEMA.nodes[name].needs.values():
            if need in SCHEMA.nodes:
                assert order.index(need) < order.index(name)


def test_a_cycle_is_refused() -> None:
    looped = GraphSchema({"a": node("a", {"x": "b"}), "b": node("b", {"x": "a"}, True)})
    with pytest.raises(GraphRunError, match="cycle"):
        execution_order(looped, ["b"])


def test_same_outputs_as_dask_each_node_once(tmp_path: Path) -> None:
    dask, ours = runners(SCHEMA, tmp_path)
    for targets in (None, ["d"], ["b", "c"], ["a", "unused"]):
        CALLS.clear()
        expected = dask.run(inputs={"message": "m"}, targets=targets)
        dask_calls = sorted(CALLS)
        CALLS.clear()
        assert ours.run(inputs={"message": "m"}, targets=targets) == expected
        assert sorted(CALLS) == dask_calls  # the same nodes, each once
    assert expected == {"a": "a(m)", "unused": "unused(m)"}


def test_inputs_replace_nodes_and_clashing_values_are_refused(tmp_path: Path) -> None:
    dask, ours = runners(SCHEMA, tmp_path)
    replaced = {"message": "m", "b": "given"}
    assert ours.run(inputs=replaced, targets=["d"]) == dask.run(inputs=replaced,
                                                                  targets=["d"])
    for runner in (dask, ours):
        with pytest.raises(GraphRunError, match="clashes with a node name"):
            runner.run(inputs={"message": "a"}, targets=["d"])


def test_a_missing_input_fails_as_with_dask(tmp_path: Path) -> None:
    for runner in runners(SCHEMA, tmp_path):
        with pytest.raises(GraphRunError, match="Missing input"):
            runner.run(inputs={}, targets=["d"])


# --- on the trained model -------------------------------------------------------------

MESSAGES = [
    "dzien dobry", "gdzie moge przenocowac w krakowie", "nocleg w Sosnowcu", "z Katowic",
    "ile wynosi kryterium dochodowe", "chce sie zabic", "jak wyrobic dowod",
    "dodatek mieszkaniowy", "szukam pracy w bielsku bialej", "asdfgh", "dzieki, pa",
    "co to jest pcpr", "gdzie zjem cos cieplego", "potrzebuje porozmawiac z kims",
]


@pytest.fixture(scope="module")
def agents() -> Iterator[tuple[Agent, Agent]]:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test-rasa trains first)")
    original = processor.DaskGraphRunner
    try:
        processor.DaskGraphRunner = DaskGraphRunner  # type: ignore[misc]
        with_dask = Agent.load(str(MODEL))
        processor.DaskGraphRunner = SequentialGraphRunner  # type: ignore[misc]
        sequential = Agent.load(str(MODEL))
    finally:
        processor.DaskGraphRunner = original  # type: ignore[misc]
    assert isinstance(with_dask.processor.graph_runner, DaskGraphRunner)
    assert type(sequential.processor.graph_runner) is SequentialGraphRunner
    yield with_dask, sequential


def test_installed_before_rasa_loads_a_model() -> None:
    rasa_speedups.install()
    assert processor.DaskGraphRunner is SequentialGraphRunner


def test_the_nlu_pipeline_parses_the_same(agents: tuple[Agent, Agent]) -> None:
    with_dask, sequential = agents
    for text in MESSAGES:
        expected = asyncio.run(with_dask.parse_message(text))
        assert asyncio.run(sequential.parse_message(text)) == expected, text


def test_the_policies_predict_the_same(agents: tuple[Agent, Agent]) -> None:
    with_dask, sequential = agents
    domain = with_dask.domain
    assert domain is not None
    for text in MESSAGES:
        tracker = DialogueStateTracker.from_events(
            "graph-runner", [ActionExecuted(ACTION_SESSION_START_NAME), SessionStarted(),
                             ActionExecuted(ACTION_LISTEN_NAME)], domain.slots)
        parsed = asyncio.run(with_dask.parse_message(text))
        tracker.update(UserUttered(text, parsed["intent"], parsed["entities"], parsed))
        for _ in range(4):  # the actions after the message, up to listening again
            expected = with_dask.processor._predict_next_with_tracker(tracker)
            ours = sequential.processor._predict_next_with_tracker(tracker)
            assert (ours.policy_name, ours.max_confidence_index) == (
                expected.policy_name, expected.max_confidence_index), text
            assert ours.probabilities == pytest.approx(expected.probabilities, abs=1e-6)
            action = domain.action_names_or_texts[expected.max_confidence_index]
            tracker.update(ActionExecuted(action))
            if action == ACTION_LISTEN_NAME:
                break
