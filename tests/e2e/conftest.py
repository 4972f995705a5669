"""Fixtures of the end-to-end tests; `stack` and `web` are shared, in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bot.launcher import Stack


@pytest.fixture
def rasa(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.settings.rasa_url, timeout=30) as client:
        yield client
