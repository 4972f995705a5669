"""A person behind the bot on Telegram: the escalation, messages attached to it, the staff
reply delivered to the chat, and the assistant back after the case is closed."""

from __future__ import annotations

import asyncio
import re

import pytest
from e2e.staff_browser import StaffBrowser, add_user
from test_telegram_channel import buttons, start, to_chat, wait_texts
from test_telegram_commands import press, settle
from tg_fake_api import FakeBotApi
from tg_fixtures import channel, fake_api, new_chat, text  # noqa: F401

from bot.db.repository import escalations
from bot.db.repository import telegram as chats
from bot.launcher import Stack
from bot.telegram.channel import TelegramChannel

pytestmark = pytest.mark.e2e

CODE_RE = re.compile(r"\b([A-Z0-9]{3}-[A-Z0-9]{3})\b")


async def test_staff_answer_reaches_the_chat_and_the_bot_resumes_after_closing(
    channel: TelegramChannel, fake_api: FakeBotApi, stack: Stack  # noqa: F811
) -> None:
    chat_id = new_chat()
    sent = await start(fake_api, chat_id)
    await settle(fake_api, chat_id)
    menu = dict(next(p for p in to_chat(fake_api, chat_id) if buttons(p)))
    menu["_message_id"] = 7_000_000 + chat_id % 1000
    before = len(to_chat(fake_api, chat_id))
    press(fake_api, chat_id, menu, "/request_human", "human-1")
    sent = await wait_texts(fake_api, chat_id, before + 1)
    found = CODE_RE.search(sent[before]["text"])
    assert found and "Odpowiedź przyjdzie tutaj" in sent[before]["text"], sent[before:]
    code = found.group(1)
    ticket = escalations.get_by_code(code)
    assert ticket is not None and ticket.channel == "telegram"
    _, session_id = await channel.sender_id(chat_id)
    assert ticket.session_id == session_id

    # while the case is open, what the person writes goes to staff
    before = len(await settle(fake_api, chat_id))
    fake_api.push(message=text(chat_id, "Jeszcze jedno: mam psa, czy mogę z nim przyjść?"))
    sent = await wait_texts(fake_api, chat_id, before + 1)
    assert code in sent[before]["text"] and "Dopisałem" in sent[before]["text"]
    assert escalations.transcript(ticket.id)[-1].text.startswith("Jeszcze jedno")

    staff = StaffBrowser(stack)
    try:
        staff.login(add_user(stack))
        staff.answer(ticket.id, "Tak, schronisko przyjmuje osoby z psami.")
        before = len(to_chat(fake_api, chat_id))
        sent = await wait_texts(fake_api, chat_id, before + 1, timeout=30)
        assert "Tak, schronisko przyjmuje osoby z psami." in sent[before]["text"]
        assert code in sent[before]["text"]
        await asyncio.sleep(1)
        assert not escalations.undelivered_replies("telegram") or all(
            r.escalation_id != ticket.id for r in escalations.undelivered_replies("telegram"))
        assert staff.post(f"/staff/escalations/{ticket.id}/close").status_code == 200
    finally:
        staff.close()

    # closed: the assistant answers again
    before = len(await settle(fake_api, chat_id))
    fake_api.push(message=text(chat_id, "dziekuje bardzo"))
    sent = await wait_texts(fake_api, chat_id, before + 1)
    assert "Dopisałem" not in sent[before]["text"]

    # /usun_dane removes the escalation too
    assert chats.forget_chat(chat_id)
    assert escalations.get_by_code(code) is None
