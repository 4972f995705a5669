"""Keep the garbage collector off the objects a service loads once and keeps for good.

Every full (generation 2) collection walks every tracked object in the process. Ours
hold large, long-lived structures: the TERYT place index, the NLU model, spaCy and
TensorFlow in the Rasa server. Once the model was loaded a full collection stopped the
Rasa server for about 290 ms (the web app and the action server for about 100 ms), and
every conversation waiting on that process waited with it; with these objects frozen,
the full collections seen under load (bench/load_bench.py, 50 simulated users) took
about 10 ms. (The benchmark's p95 varied more between runs than with or without this.)
`gc.freeze()` moves every object alive now into a permanent generation the collector no
longer walks; they are still freed by reference counting when dropped. Call it once
loading is done.
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    """Collect what is already garbage, then exempt everything alive from later
    collections (idempotent; objects created later are collected as usual)."""
    gc.collect()
    gc.freeze()
