"""freeze_long_lived: what is alive when a service has loaded is left out of later
garbage collections; what is created later is still collected."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from bot.long_lived import freeze_long_lived


@pytest.fixture
def thawed() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def cycle() -> weakref.ref[Node]:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_loaded_objects_are_frozen_and_later_garbage_is_still_collected(thawed: None) -> None:
    loaded = [{"place": i} for i in range(1000)]
    freeze_long_lived()
    assert gc.get_freeze_count() >= len(loaded)
    collected_generations = {id(o) for g in range(3) for o in gc.get_objects(generation=g)}
    assert not any(id(x) in collected_generations for x in loaded)
    later = cycle()  # a reference cycle made after loading
    gc.collect()
    assert later() is None


def test_garbage_present_at_freezing_is_collected_first(thawed: None) -> None:
    before = cycle()
    freeze_long_lived()
    assert before() is None
