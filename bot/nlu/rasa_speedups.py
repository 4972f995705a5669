"""Measured speed-ups of the Rasa 3.6 server, installed when Rasa loads our components or
our input channel (before the model is loaded). Each is tested against Rasa's own code
in tests/rasa_env/test_speedups.py:

1. Action answers validated without re-checking the schema (below).
2. The SQL tracker store: SQLite in WAL mode with a connection pool, one multi-row
   INSERT per message, prepared statements for reading and counting events, event
   classes looked up once: bot/nlu/tracker_store_speedups.py.
3. Calls to the action server on kept-alive connections, JSON written with ujson:
   bot/nlu/action_endpoint.py.
4. The prediction graph run in a precomputed order without dask: bot/nlu/graph_runner.py.

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
from typing import Any

import jsonschema
from jsonschema import exceptions, validators
from rasa.core import processor

from bot.nlu import action_endpoint, tracker_store_speedups
from bot.nlu.graph_runner import SequentialGraphRunner

ORIGINAL = jsonschema.validate
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


def install() -> None:
    """Use `validate` for every `from jsonschema import validate` from now on, and the
    other speed-ups listed above (idempotent)."""
    jsonschema.validate = validate
    tracker_store_speedups.install()
    action_endpoint.install()
    processor.DaskGraphRunner = SequentialGraphRunner  # type: ignore[misc]
