"""Fixtures of the Telegram tests: the channel against a fake Bot API and the real stack.

tests/telegram is not a package (a package named `telegram` would hide
python-telegram-bot), so test modules import these fixtures explicitly.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any

import pytest
from tg_fake_api import FakeBotApi, RunningFakeApi

from bot.db.session import configure
from bot.launcher import Stack
from bot.telegram.channel import TelegramChannel

_chats = itertools.count(700_000_001)
_messages = itertools.count(1)


@pytest.fixture
def fake_api() -> Iterator[FakeBotApi]:
    with RunningFakeApi() as api:
        yield api


@pytest.fixture
async def channel(stack: Stack, fake_api: FakeBotApi) -> AsyncIterator[TelegramChannel]:
    settings = replace(stack.settings, telegram_token="123456:TEST-token",
                       telegram_api_base_url=fake_api.base_url)
    engine = configure(settings.database_url)
    # retried for up to 2 minutes: Rasa can be slow on a busy machine
    bot_channel = TelegramChannel(settings, retry_delays=(0.5,) * 240)
    application = bot_channel.build_application()
    async with application:
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        await application.start()
        bot_channel.start_delivery(application, every=0.3)
        try:
            yield bot_channel
        finally:
            await application.updater.stop()
            await application.stop()
            await bot_channel.aclose()
    engine.dispose()


def new_chat() -> int:
    return next(_chats)


def user(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Jan", "language_code": "pl"}


def message(chat_id: int, **content: Any) -> dict[str, Any]:
    return {"message_id": next(_messages), "date": 1_800_000_000,
            "chat": {"id": chat_id, "type": "private"}, "from": user(chat_id), **content}


def text(chat_id: int, body: str) -> dict[str, Any]:
    content: dict[str, Any] = {"text": body}
    if body.startswith("/"):
        command = body.split()[0]
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return message(chat_id, **content)
