"""A person behind the bot, end to end: kiosk -> Rasa -> action server -> escalation in
the database -> staff dashboard over HTTP (cookies, CSRF) -> answer read with the code."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

from bot.db.repository import escalations
from bot.db.session import configure
from bot.launcher import Stack
from e2e.chat_client import chat
from e2e.staff_browser import StaffBrowser, add_user

pytestmark = pytest.mark.e2e

CODE_RE = re.compile(r"\b([A-Z0-9]{3}-[A-Z0-9]{3})\b")



def code_in(messages: list[dict[str, object]]) -> str:
    tickets = [m["ticket"] for m in messages if isinstance(m.get("ticket"), dict)]
    assert tickets, messages
    code = str(tickets[0]["code"])  # type: ignore[index]
    assert CODE_RE.fullmatch(code)
    assert any(code in str(m["text"]) for m in messages if "ticket" not in m)
    return code


def test_kiosk_question_reaches_staff_and_the_answer_is_read_with_the_code(
    web: httpx.Client, stack: Stack
) -> None:
    session = "t" + uuid.uuid4().hex
    chat(web, session, text="gdzie moge przenocowac w krakowie")
    code = code_in(chat(web, session, payload="/request_human"))

    engine = configure(stack.settings.database_url)
    try:
        ticket = escalations.get_by_code(code)
        assert ticket is not None
        assert (ticket.channel, ticket.session_id, ticket.status) == ("kiosk", session, "new")
        assert ticket.priority == "normal" and ticket.category == "ask_shelter"
        lines = escalations.transcript(ticket.id)
        assert lines[0].author == "user" and "przenocowac" in lines[0].text
        assert any(line.author == "bot" for line in lines)
    finally:
        engine.dispose()

    # before an answer: the code works and says it waits
    waiting = web.post("/api/answer", json={"code": code.lower().replace("-", " ")})
    assert waiting.status_code == 200 and waiting.json()["answers"] == []
    assert waiting.json()["status"] == "new"

    staff = StaffBrowser(stack)
    try:
        staff.login(add_user(stack))
        queue = staff.client.get("/staff/queue").text
        assert code in queue
        reply = "Noclegownia przy ul. Przykładowej jest otwarta od 18. <b>Zapraszamy</b>"
        staff.answer(ticket.id, reply)
        answered = web.post("/api/answer", json={"code": code}).json()
        assert answered["status"] == "answered"
        assert [a["text"] for a in answered["answers"]] == [reply]  # text, never HTML
        assert staff.post(f"/staff/escalations/{ticket.id}/close").status_code == 200
    finally:
        staff.close()
    assert web.post("/api/answer", json={"code": code}).json()["status"] == "closed"


def test_a_crisis_alerts_staff_urgently(web: httpx.Client, stack: Stack) -> None:
    session = "t" + uuid.uuid4().hex
    messages = chat(web, session, text="nie chce juz zyc")
    texts = " ".join(str(m["text"]) for m in messages)
    assert "112" in texts and "116 123" in texts  # the numbers come first
    code = code_in(messages)
    engine = configure(stack.settings.database_url)
    try:
        ticket = escalations.get_by_code(code)
        assert ticket is not None and ticket.priority == "urgent"
        assert ticket.category == "crisis"
        assert escalations.queue(None, None, None)[0].priority == "urgent"  # urgent first
    finally:
        engine.dispose()


def test_wrong_codes_are_refused_and_limited(web: httpx.Client) -> None:
    assert web.post("/api/answer", json={"code": "??"}).status_code == 422
    assert web.post("/api/answer", content=b"\xff").status_code == 400
    assert web.post("/api/answer", json={"code": "AAA-AAA"}).status_code == 404
