"""Whole conversations: fake Bot API <- python-telegram-bot -> real Rasa + action server."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from tg_fake_api import FakeBotApi
from tg_fixtures import channel, fake_api, message, new_chat, text, user  # noqa: F401

from bot.db.repository import conversations
from bot.db.repository import telegram as chats
from bot.telegram.channel import (
    ERASE_YES,
    ERASED_TEXT,
    NOT_TEXT_TEXT,
    TelegramChannel,
)
from bot.web.rasa_client import RasaClient

pytestmark = pytest.mark.e2e


def to_chat(api: FakeBotApi, chat_id: int) -> list[dict[str, Any]]:
    return [c.params for c in api.sent() if str(c.params.get("chat_id")) == str(chat_id)]


async def wait_texts(api: FakeBotApi, chat_id: int, count: int,
                     timeout: float = 60) -> list[dict[str, Any]]:
    for _ in range(int(timeout / 0.05)):
        sent = to_chat(api, chat_id)
        if len(sent) >= count:
            return sent
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {count} messages, got {to_chat(api, chat_id)}")


def buttons(params: dict[str, Any]) -> list[dict[str, str]]:
    markup = params.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


async def start(api: FakeBotApi, chat_id: int) -> list[dict[str, Any]]:
    api.push(message=text(chat_id, "/start"))
    for _ in range(1200):
        sent = to_chat(api, chat_id)
        if any(buttons(p) for p in sent):
            return sent
        await asyncio.sleep(0.05)
    raise AssertionError(f"no menu: {to_chat(api, chat_id)}")


async def test_start_shows_the_menu_and_a_button_press_is_answered(
    channel: TelegramChannel, fake_api: FakeBotApi  # noqa: F811
) -> None:
    chat_id = new_chat()
    sent = await start(fake_api, chat_id)
    keyboard = sent[0]["reply_markup"]["keyboard"]
    assert keyboard[0][0] == {"text": "Wyślij lokalizację", "request_location": True}
    menu = next(p for p in sent if buttons(p))
    assert {"text": "Nocleg", "callback_data": "/ask_shelter"} in buttons(menu)

    before = len(to_chat(fake_api, chat_id))
    bot_message = message(chat_id, text=menu["text"], reply_markup=menu["reply_markup"])
    bot_message["from"] = {"id": 4242, "is_bot": True, "first_name": "Drogowskaz"}
    fake_api.push(callback_query={"id": "cb-1", "from": user(chat_id), "chat_instance": "c",
                                  "data": "/ask_shelter", "message": bot_message})
    answers = await wait_texts(fake_api, chat_id, before + 1)
    assert any(c.params["callback_query_id"] == "cb-1"
               for c in fake_api.sent("answerCallbackQuery"))
    removed = [c.params for c in fake_api.sent("editMessageReplyMarkup")
               if str(c.params.get("chat_id")) == str(chat_id)]
    assert removed and str(removed[0]["message_id"]) == str(bot_message["message_id"])
    assert "reply_markup" not in removed[0] or not removed[0]["reply_markup"]
    assert answers[before]["text"].startswith("Jeśli nie masz gdzie spać")
    assert all(len(p["text"]) <= 4096 for p in answers)


async def test_a_location_gives_office_cards(
    channel: TelegramChannel, fake_api: FakeBotApi  # noqa: F811
) -> None:
    chat_id = new_chat()
    fake_api.push(message=text(chat_id, "/start"))
    await wait_texts(fake_api, chat_id, 2)
    await asyncio.sleep(1)
    before = len(to_chat(fake_api, chat_id))
    # Kraków: only Małopolska rows have coordinates in the shipped directory.
    fake_api.push(message=message(chat_id, location={"latitude": 50.0614,
                                                     "longitude": 19.9366}))
    sent = await wait_texts(fake_api, chat_id, before + 2)
    await asyncio.sleep(1)
    cards = [p["text"] for p in to_chat(fake_api, chat_id)[before:] if "Adres:" in p["text"]]
    assert cards, to_chat(fake_api, chat_id)[before:]
    assert all("Telefon:" in card for card in cards)
    assert sent


async def test_erasing_deletes_database_rows_and_rasa_transcript(
    channel: TelegramChannel, fake_api: FakeBotApi  # noqa: F811
) -> None:
    chat_id = new_chat()
    await start(fake_api, chat_id)
    sender, session_id = await channel.sender_id(chat_id)
    assert conversations.get_conversation("telegram", session_id) is not None
    settings = channel.settings
    async with httpx.AsyncClient(base_url=settings.rasa_url, timeout=30) as rasa:
        tracker = (await rasa.get(f"/conversations/{sender}/tracker",
                                  params={"token": settings.rasa_token})).json()
        assert any(e["event"] == "user" for e in tracker["events"])

        fake_api.push(message=text(chat_id, "/usun_dane"))
        question = (await wait_texts(fake_api, chat_id, len(to_chat(fake_api, chat_id)) + 1))[-1]
        assert {b["callback_data"] for b in buttons(question)} == {ERASE_YES, "tg:erase:no"}
        bot_message = message(chat_id, text=question["text"],
                              reply_markup=question["reply_markup"])
        count = len(to_chat(fake_api, chat_id))
        fake_api.push(callback_query={"id": "cb-erase", "from": user(chat_id),
                                      "chat_instance": "c", "data": ERASE_YES,
                                      "message": bot_message})
        done = await wait_texts(fake_api, chat_id, count + 1)
        assert done[-1]["text"] == ERASED_TEXT

        assert conversations.get_conversation("telegram", session_id) is None
        assert chats.current_generation(chat_id) == 0
        tracker = (await rasa.get(f"/conversations/{sender}/tracker",
                                  params={"token": settings.rasa_token})).json()
        assert not any(e["event"] in ("user", "bot") for e in tracker["events"])


async def test_rasa_outage_says_try_later_and_retries(
    channel: TelegramChannel, fake_api: FakeBotApi  # noqa: F811
) -> None:
    chat_id = new_chat()
    real = channel.rasa
    channel.rasa = RasaClient("http://127.0.0.1:9", "x", 2)  # nothing listens there
    try:
        fake_api.push(message=text(chat_id, "Dzień dobry"))
        sent = await wait_texts(fake_api, chat_id, 1)
        assert "Spróbuj za chwilę" in sent[0]["text"]
        assert len(channel.pending[chat_id]) == 1
    finally:
        await channel.rasa.aclose()
        channel.rasa = real
    sent = await wait_texts(fake_api, chat_id, 2)
    assert "Drogowskaz" in sent[1]["text"]
    # the message leaves the queue once every part of its answer has been sent
    for _ in range(200):
        if not channel.pending.get(chat_id):
            break
        await asyncio.sleep(0.05)
    assert not channel.pending.get(chat_id)


async def test_non_text_messages_get_a_helpful_reply(
    channel: TelegramChannel, fake_api: FakeBotApi  # noqa: F811
) -> None:
    chat_id = new_chat()
    fake_api.push(message=message(chat_id, photo=[{"file_id": "f", "file_unique_id": "u",
                                                   "width": 1, "height": 1}]))
    sent = await wait_texts(fake_api, chat_id, 1)
    assert sent[0]["text"] == NOT_TEXT_TEXT
