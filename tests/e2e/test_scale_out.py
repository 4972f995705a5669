"""The scale-out profile on loopback: PostgreSQL tracker store and application database,
Redis lock store, two Rasa servers and two action servers behind one web app. One
conversation moves between the two Rasa processes and keeps its state."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import create_engine, text

from bot.db import migrate
from bot.db.private_schema import private_schema
from bot.db.session import configure
from bot.directory.seed import seed_directory
from bot.launcher import (
    Stack,
    answers,
    free_port,
    scale_out_settings_env,
    scale_out_store_env,
)
from bot.settings import load_settings, normalise_database_url
from e2e.chat_client import cards, chat
from e2e.stack_control import restart, service

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, str]]:
    base = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set (the scale-out profile needs PostgreSQL)")
    if not answers(6379):
        pytest.skip("no Redis on 127.0.0.1:6379 (the scale-out profile needs it)")
    with private_schema(normalise_database_url(base)) as url:
        settings = load_settings({
            "VAR_DIR": str(tmp_path_factory.mktemp("scaled")),
            "WEB_PORT": str(free_port()),
            "STAFF_COOKIE_SECURE": "false",
            **scale_out_settings_env(url),
        })
        migrate.upgrade(settings.database_url)
        engine = configure(settings.database_url)
        try:
            seed_directory()
        finally:
            engine.dispose()
        stack = Stack(settings, say=lambda line: None)
        stores = scale_out_store_env(url, "t" + uuid.uuid4().hex[:10])
        for service in stack.services:
            service.env.update(stores)
        stack.start()
        try:
            yield stack, url
        finally:
            stack.stop()







def test_one_conversation_moves_between_two_rasa_processes(
    scaled: tuple[Stack, str],
) -> None:
    stack, url = scaled
    names = [s.name for s in stack.services]
    assert names == ["action server 1", "action server 2", "Rasa server 1", "Rasa server 2",
                     "web app"]
    first, second = service(stack, "Rasa server 1"), service(stack, "Rasa server 2")
    session = "s" + uuid.uuid4().hex
    with httpx.Client(base_url=f"http://127.0.0.1:{stack.settings.web_port}",
                      timeout=60) as web:
        asked = chat(web, session, payload="/ask_shelter")  # either process; form asks
        assert "Gdzie jesteś" in " ".join(str(m["text"]) for m in asked)

        first.stop()  # only process 2 can answer now (and its action server 2)
        assert cards(chat(web, session, text="Kraków")), "the form state came along"

        restart(first)
        second.stop()  # only process 1 now (and action server 1)
        assert cards(chat(web, session, payload="/ask_office_contact")), \
            "the place known from process 2 is known to process 1"
        restart(second)

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            stored = connection.execute(
                text("SELECT count(*) FROM events WHERE sender_id = :s"),
                {"s": f"kiosk-{session}"},
            ).scalar_one()
    finally:
        engine.dispose()
    assert stored > 10  # the whole conversation is in the PostgreSQL tracker store
