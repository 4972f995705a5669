"""Migration 0004 against the models, on SQLite and (with TEST_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.db import migrate
from bot.db.models import Base
from bot.db.session import make_engine

TABLES = {"staff_user", "staff_session", "escalation", "escalation_message", "audit_log"}


def test_migrations_match_the_models_exactly(database_url: str) -> None:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_0004_goes_down_and_up_again(database_url: str) -> None:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        assert set(inspect(engine).get_table_names()) >= TABLES
        indexes = {i["name"] for i in inspect(engine).get_indexes("escalation")}
        assert {"ix_escalation_queue", "uq_escalation_open_session"} <= indexes
        migrate.downgrade(database_url, "0003")
        assert not TABLES & set(inspect(engine).get_table_names())
        assert "office" in inspect(engine).get_table_names()
        migrate.upgrade(database_url)
        assert set(inspect(engine).get_table_names()) >= TABLES
        assert migrate.current_revision(engine) == migrate.head_revision(database_url)
    finally:
        engine.dispose()
