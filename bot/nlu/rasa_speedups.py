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
Finding the kept validator meant writing the schema out as JSON at every call (2% of the
Rasa server's time): Rasa builds the action-answer schema afresh for each answer, so
`RemoteAction.action_response_format_spec` now returns one schema, built once, whose
validator is found by identity.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from jsonschema import exceptions, validators
from rasa.core import processor
from rasa.core.actions.action import RemoteAction

from bot.nlu import action_endpoint, tracker_store_speedups
from bot.nlu.graph_runner import SequentialGraphRunner

ORIGINAL = jsonschema.validate
ORIGINAL_RESPONSE_SPEC = RemoteAction.action_response_format_spec
RESPONSE_SPEC = ORIGINAL_RESPONSE_SPEC()
_VALIDATORS: dict[str, Any] = {}


def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """`jsonschema.validate` with each distinct schema checked only once."""
    if cls is not None or args or kwargs:
        ORIGINAL(instance, schema, cls, *args, **kwargs)
        return
    validator = RESPONSE_VALIDATOR if schema is RESPONSE_SPEC else checked_validator(schema)
    if validator is None:
        ORIGINAL(instance, schema)
        return
    error = exceptions.best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


def checked_validator(schema: Any) -> Any:
    """The validator of `schema`, checked once per distinct schema; None if the schema
    cannot be written as JSON (the original function then handles it)."""
    try:
        key = json.dumps(schema, sort_keys=True)
    except (TypeError, ValueError):
        return None
    validator = _VALIDATORS.get(key)
    if validator is None:
        checked = validators.validator_for(schema)
        checked.check_schema(schema)
        validator = _VALIDATORS[key] = checked(schema)
    return validator


RESPONSE_VALIDATOR = checked_validator(RESPONSE_SPEC)  # nothing changes RESPONSE_SPEC


def response_spec() -> dict[str, Any]:
    """RemoteAction.action_response_format_spec, built once."""
    return RESPONSE_SPEC


def install() -> None:
    """Use `validate` for every `from jsonschema import validate` from now on, and the
    other speed-ups listed above (idempotent)."""
    jsonschema.validate = validate
    RemoteAction.action_response_format_spec = staticmethod(response_spec)  # type: ignore
    tracker_store_speedups.install()
    action_endpoint.install()
    processor.DaskGraphRunner = SequentialGraphRunner  # type: ignore[misc]
