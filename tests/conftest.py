"""Shared fixtures: databases (SQLite always, PostgreSQL when TEST_DATABASE_URL is set), and
the real stack (action server, Rasa, web app) on free loopback ports for tests/e2e and
tests/kiosk."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from bot.db import migrate
from bot.db.private_schema import private_schema
from bot.db.session import configure
from bot.directory.seed import SeedReport, seed_directory
from bot.launcher import Stack, free_port
from bot.settings import PROJECT_ROOT, load_settings, normalise_database_url

BACKENDS = ["sqlite", "postgresql"]
MODEL = PROJECT_ROOT / "models" / "drogowskaz.tar.gz"


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    return normalise_database_url(url) if url else None


@contextmanager
def backend_url(backend: str, directory: Path) -> Iterator[str]:
    """An empty database on `backend`; skips PostgreSQL when TEST_DATABASE_URL is unset."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'test.db'}"
        return
    base = _postgres_url()
    if base is None:
        pytest.skip("TEST_DATABASE_URL is not set (PostgreSQL tests skipped)")
    with private_schema(base) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL on each backend; PostgreSQL gets a private schema."""
    with backend_url(request.param, tmp_path) as url:
        yield url


@dataclass(frozen=True)
class Seeded:
    url: str
    first: SeedReport
    seconds: float  # wall time of the first `seed_directory`


@pytest.fixture(scope="module", params=BACKENDS)
def seeded_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    """A database migrated and seeded with the real shipped data, once per module."""
    with backend_url(request.param, tmp_path_factory.mktemp("seeded")) as url:
        migrate.upgrade(url)
        engine = configure(url)
        started = time.perf_counter()
        report = seed_directory()
        seconds = time.perf_counter() - started
        engine.dispose()
        yield Seeded(url, report, seconds)


@pytest.fixture
def seeded(seeded_db: Seeded) -> Iterator[Seeded]:
    """The module's seeded database with the module-level Session bound to it."""
    engine = configure(seeded_db.url)
    try:
        yield seeded_db
    finally:
        engine.dispose()


@pytest.fixture
def migrated_db(database_url: str) -> Iterator[Engine]:
    """A database at the newest schema, with the module-level Session bound to it."""
    migrate.upgrade(database_url)
    engine = configure(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


def make_seeded_stack(var_dir: Path) -> Stack:
    """The real services on free loopback ports, migrated and seeded as `make run` has
    them (not started)."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)")
    settings = load_settings(
        {
            "VAR_DIR": str(var_dir),
            "WEB_PORT": str(free_port()),
            "RASA_PORT": str(free_port()),
            "ACTION_PORT": str(free_port()),
            "LOG_LEVEL": "INFO",
            # the tests' HTTP client talks plain http to 127.0.0.1 (see .env.example)
            "STAFF_COOKIE_SECURE": "false",
        }
    )
    migrate.upgrade(settings.database_url)
    engine = configure(settings.database_url)
    try:
        seed_directory()
    finally:
        engine.dispose()
    return Stack(settings, say=lambda line: None)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The three real services on free loopback ports, shared by the whole test session."""
    running = make_seeded_stack(tmp_path_factory.mktemp("var"))
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def web(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"http://127.0.0.1:{stack.settings.web_port}", timeout=30) as client:
        yield client
