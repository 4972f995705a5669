"""Commands, repeated button presses and Bot API failures, through the real Rasa stack."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from test_telegram_channel import buttons, start, to_chat, wait_texts
from tg_fake_api import FakeBotApi
from tg_fixtures import channel, fake_api, message, new_chat, text, user  # noqa: F401

from bot.db.repository import conversations
from bot.db.repository import telegram as chats
from bot.telegram.channel import (
    NEW_CONVERSATION_TEXT,
    UNKNOWN_COMMAND_TEXT,
    TelegramChannel,
)

pytestmark = pytest.mark.e2e


def press(api: FakeBotApi, chat_id: int, shown: dict[str, Any], data: str,
          query_id: str) -> None:
    """The person presses a button of the bot message `shown` (as the fake API sent it)."""
    bot_message = message(chat_id, text=shown["text"], reply_markup=shown["reply_markup"])
    bot_message["message_id"] = shown["_message_id"]
    bot_message["from"] = {"id": 4242, "is_bot": True, "first_name": "Drogowskaz"}
    api.push(callback_query={"id": query_id, "from": user(chat_id), "chat_instance": "c",
                             "data": data, "message": bot_message})


async def settle(api: FakeBotApi, chat_id: int, quiet: float = 2.0) -> list[dict[str, Any]]:
    """Wait until the bot has sent nothing new to the chat for `quiet` seconds."""
    seen = -1
    while True:
        current = len(to_chat(api, chat_id))
        if current == seen:
            return to_chat(api, chat_id)
        seen = current
        await asyncio.sleep(quiet)


async def test_menu_and_pomoc_show_the_topics(
    channel: TelegramChannel, fake_api: FakeBotApi  # noqa: F811
) -> None:
    for command in ("/menu", "/pomoc"):
        chat_id = new_chat()
        fake_api.push(message=text(chat_id, command))
        for _ in range(1200):
            menus = [p for p in to_chat(fake_api, chat_id) if buttons(p)]
            if menus:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError(f"{command}: no menu in {to_chat(fake_api, chat_id)}")
        payloads = {b["callback_data"] for b in buttons(menus[0])}
        assert {"/ask_shelter", "/ask_financial_aid"} <= payloads, command


async def test_nowa_starts_a_fresh_conversation(
    channel: TelegramChannel, fake_api: FakeBotApi  # noqa: F811
) -> None:
    chat_id = new_chat()
    await start(fake_api, chat_id)
    first_sender, first_session = await channel.sender_id(chat_id)
    await settle(fake_api, chat_id)
    before = len(to_chat(fake_api, chat_id))

    fake_api.push(message=text(chat_id, "/nowa"))
    sent = await wait_texts(fake_api, chat_id, before + 2)
    assert sent[before]["text"] == NEW_CONVERSATION_TEXT
    assert "Drogowskaz" in sent[before + 1]["text"]  # greeted again

    sender, session = await channel.sender_id(chat_id)
    assert chats.current_generation(chat_id) == 1
    assert (sender, session) != (first_sender, first_session)
    assert conversations.get_conversation("telegram", session) is not None


async def test_a_keyboard_can_be_used_only_once(
    channel: TelegramChannel, fake_api: FakeBotApi  # noqa: F811
) -> None:
    chat_id = new_chat()
    await start(fake_api, chat_id)
    await settle(fake_api, chat_id)
    calls = [c for c in fake_api.sent() if str(c.params.get("chat_id")) == str(chat_id)]
    menu_index = next(i for i, c in enumerate(calls) if buttons(c.params))
    shown = dict(calls[menu_index].params)
    shown["_message_id"] = 5_000_000 + chat_id % 1000  # any id: the fake does not check
    before = len(calls)

    press(fake_api, chat_id, shown, "/ask_shelter", "press-1")
    await wait_texts(fake_api, chat_id, before + 1)
    after_first = len(await settle(fake_api, chat_id))
    press(fake_api, chat_id, shown, "/ask_financial_aid", "press-2")
    await fake_api.wait_for("answerCallbackQuery", 2)
    assert len(await settle(fake_api, chat_id)) == after_first  # nothing more was said
    answered = {c.params["callback_query_id"] for c in fake_api.sent("answerCallbackQuery")}
    assert {"press-1", "press-2"} <= answered  # both presses stop the spinner


async def test_unknown_commands_list_the_known_ones(
    channel: TelegramChannel, fake_api: FakeBotApi  # noqa: F811
) -> None:
    chat_id = new_chat()
    fake_api.push(message=text(chat_id, "/zasilek"))
    sent = await wait_texts(fake_api, chat_id, 1)
    assert sent[0]["text"] == UNKNOWN_COMMAND_TEXT


async def test_bot_api_errors_and_flood_limits_are_retried(
    channel: TelegramChannel, fake_api: FakeBotApi  # noqa: F811
) -> None:
    chat_id = new_chat()
    fake_api.fail_next["sendMessage"] = 2  # two 502 Bad Gateway answers
    fake_api.push(message=text(chat_id, "/zasilek"))
    sent = await wait_texts(fake_api, chat_id, 3)
    assert [p["text"] for p in sent] == [UNKNOWN_COMMAND_TEXT] * 3  # the third got through

    other = new_chat()
    fake_api.flood_next["sendMessage"] = 1  # 429, retry after 1 s
    fake_api.push(message=text(other, "/zasilek"))
    sent = await wait_texts(fake_api, other, 2)
    assert [p["text"] for p in sent] == [UNKNOWN_COMMAND_TEXT] * 2
    assert len(await settle(fake_api, other, quiet=1.5)) == 2  # not sent twice
