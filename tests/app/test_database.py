"""The database layer on SQLite and (with TEST_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, inspect

from bot.db import migrate, repository
from bot.db.repository import conversations
from bot.db.session import make_engine


def test_migrations_go_up_and_down(database_url: str) -> None:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        assert "conversation" in inspect(engine).get_table_names()
        assert migrate.current_revision(engine) == migrate.head_revision(database_url)
        migrate.downgrade(database_url, "base")
        assert "conversation" not in inspect(engine).get_table_names()
        assert migrate.current_revision(engine) is None
    finally:
        engine.dispose()


def test_upgrade_twice_changes_nothing(database_url: str) -> None:
    migrate.upgrade(database_url)
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision(database_url)
    finally:
        engine.dispose()


def test_turns_are_counted_per_conversation(migrated_db: Engine) -> None:
    assert conversations.record_turn("kiosk", "abcdefgh1") == 1
    assert conversations.record_turn("kiosk", "abcdefgh1") == 2
    assert conversations.record_turn("kiosk", "abcdefgh2") == 1
    assert conversations.record_turn("telegram", "abcdefgh1") == 1
    conversation = conversations.get_conversation("kiosk", "abcdefgh1")
    assert conversation is not None
    assert conversation.turns == 2
    assert conversations.get_conversation("kiosk", "nothere00") is None


def test_concurrent_first_turns_create_one_conversation(migrated_db: Engine) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(
            pool.map(lambda _: conversations.record_turn("kiosk", "raced0001"), range(16))
        )
    assert sorted(counts) == list(range(1, 17))
    conversation = conversations.get_conversation("kiosk", "raced0001")
    assert conversation is not None and conversation.turns == 16


def test_old_conversations_are_purged(migrated_db: Engine) -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    conversations.record_turn("kiosk", "old000001", now=now - timedelta(days=100))
    conversations.record_turn("kiosk", "new000001", now=now - timedelta(days=1))
    deleted = conversations.delete_conversations_inactive_since(now - timedelta(days=90))
    assert deleted == 1
    assert conversations.get_conversation("kiosk", "old000001") is None
    assert conversations.get_conversation("kiosk", "new000001") is not None


def test_text_that_looks_like_sql_is_stored_as_data(migrated_db: Engine) -> None:
    hostile = "x'); DROP TABLE conversation; --"[:64]
    conversations.record_turn("kiosk", hostile)
    assert conversations.get_conversation("kiosk", hostile) is not None
    assert repository.ping()
