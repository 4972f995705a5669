"""A graph runner for Rasa's prediction graph that calls the nodes in order, without dask.

Rasa 3.6 runs the prediction graph (the NLU pipeline for each message, the policies
for each next action) with `DaskGraphRunner`: at every run it computes the minimal
schema for the targets (a recursive walk without memory, which visits shared ancestors
again and again), builds a dask graph and lets dask's scheduler order and execute it.
Under load (50 simulated users) that bookkeeping took about 9% of the Rasa server's
time, more than the NLU pipeline itself.

`SequentialGraphRunner` keeps everything of `DaskGraphRunner` except `run`: the order of
the nodes for a set of targets is worked out once (a depth-first topological order of the
same minimal schema) and kept; each run then calls the nodes in that order, passing each
one the same `(node name, output)` pairs dask passes. Inputs replace nodes of the same
name, as they do in the dask graph; a need that is neither a node nor an input is passed
as its bare name, as dask passes it (GraphNode then refuses it). A RuntimeError becomes
GraphRunError, as in DaskGraphRunner.run. Every node of the prediction graph is a function
of its inputs, so the order among independent nodes does not change the result: the
Rasa-environment tests compare both runners on the trained model.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner


def execution_order(schema: GraphSchema, targets: list[str]) -> list[str]:
    """The nodes the targets need (themselves included), each after what it needs."""
    order: list[str] = []
    state: dict[str, bool] = {}  # False: being visited, True: placed

    def visit(name: str) -> None:
        placed = state.get(name)
        if placed:
            return
        if placed is False:
            raise GraphRunError(f"The graph has a cycle through node '{name}'.")
        node = schema.nodes.get(name)
        if node is None:  # an input placeholder: provided at run time
            return
        state[name] = False
        for need in node.needs.values():
            visit(need)
        state[name] = True
        order.append(name)

    for target in targets:
        visit(target)
    return order


class SequentialGraphRunner(DaskGraphRunner):
    """DaskGraphRunner whose `run` calls the nodes in a precomputed order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._orders: dict[tuple[str, ...], list[str]] = {}

    def run(
        self,
        inputs: dict[str, Any] | None = None,
        targets: list[str] | None = None,
    ) -> dict[str, Any]:
        run_targets = list(targets if targets else self._graph_schema.target_names)
        order = self._orders.get(tuple(run_targets))
        if order is None:
            order = execution_order(self._graph_schema, run_targets)
            self._orders[tuple(run_targets)] = order

        graph: dict[str, Any] = dict.fromkeys(order)
        if inputs:
            self._add_inputs_to_graph(inputs, graph)  # refuses values that name a node
        results = {name: value for name, value in graph.items() if value is not None}
        nodes = self._graph_schema.nodes
        try:
            for name in order:
                if name in results:  # replaced by an input, as in the dask graph
                    continue
                results[name] = self._instantiated_nodes[name](
                    *(results.get(need, need) for need in nodes[name].needs.values()))
        except RuntimeError as exc:
            raise GraphRunError("Error running runner.") from exc
        return dict(results[target] for target in run_targets)
