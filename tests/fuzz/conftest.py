"""Hypothesis settings of the fuzz tests, and the directory fixtures they share.

The tests take their settings from one profile, looked up (never loaded globally, so the
other test directories keep their own settings):

- ``fuzz`` (default, CI): derandomized and without an example database, so every run
  tries the same examples and writes nothing (no ``.hypothesis/`` directory);
- ``explore``: random examples and the example database in ``.hypothesis/`` (ignored by
  git), for hunting bugs locally, e.g.
  ``FUZZ_PROFILE=explore FUZZ_SCALE=20 .venv/bin/pytest -q tests/fuzz``.

``FUZZ_SCALE`` multiplies every test's number of examples (default 1).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

# tests/directory is the package `directory` (tests/ has no __init__.py); make it
# importable however pytest was started.
_TESTS = Path(__file__).resolve().parents[1]
if str(_TESTS) not in sys.path:
    sys.path.insert(0, str(_TESTS))
if str(_TESTS.parent) not in sys.path:
    sys.path.insert(0, str(_TESTS.parent))

from directory.conftest import small_db, small_teryt  # noqa: E402

__all__ = ["FUZZ", "budget", "small_db", "small_teryt"]

settings.register_profile(
    "fuzz",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
settings.register_profile("explore", settings.get_profile("fuzz"), derandomize=False,
                          database=settings.default.database)

FUZZ = settings.get_profile(os.environ.get("FUZZ_PROFILE", "fuzz"))
_SCALE = max(1, int(os.environ.get("FUZZ_SCALE", "1")))


def budget(examples: int) -> int:
    """The number of examples a test tries: ``examples`` times ``FUZZ_SCALE``."""
    return examples * _SCALE
