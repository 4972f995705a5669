"""Shared fixtures: databases (SQLite always, PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from bot.db import migrate
from bot.db.session import configure
from bot.settings import normalise_database_url

BACKENDS = ["sqlite", "postgresql"]


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    return normalise_database_url(url) if url else None


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL on each backend; PostgreSQL gets a private schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    base = _postgres_url()
    if base is None:
        pytest.skip("TEST_DATABASE_URL is not set (PostgreSQL tests skipped)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def migrated_db(database_url: str) -> Iterator[Engine]:
    """A database at the newest schema, with the module-level Session bound to it."""
    migrate.upgrade(database_url)
    engine = configure(database_url)
    try:
        yield engine
    finally:
        engine.dispose()
