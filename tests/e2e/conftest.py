"""The real stack (action server, Rasa, web app) on free loopback ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.db import migrate
from bot.launcher import Stack, free_port
from bot.settings import PROJECT_ROOT, load_settings

MODEL = PROJECT_ROOT / "models" / "drogowskaz.tar.gz"


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)")
    var_dir: Path = tmp_path_factory.mktemp("var")
    settings = load_settings(
        {
            "VAR_DIR": str(var_dir),
            "WEB_PORT": str(free_port()),
            "RASA_PORT": str(free_port()),
            "ACTION_PORT": str(free_port()),
            "LOG_LEVEL": "INFO",
        }
    )
    migrate.upgrade(settings.database_url)
    running = Stack(settings, say=lambda line: None)
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def web(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"http://127.0.0.1:{stack.settings.web_port}", timeout=30) as client:
        yield client


@pytest.fixture
def rasa(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.settings.rasa_url, timeout=30) as client:
        yield client
