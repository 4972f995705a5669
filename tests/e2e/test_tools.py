"""The two tools through the real stack: the release checklist and the eligibility
pre-check, typed the way people type."""

from __future__ import annotations

import uuid

import httpx
import pytest

from e2e.chat_client import chat

pytestmark = pytest.mark.e2e



def texts(messages: list[dict[str, object]]) -> str:
    return "\n".join(str(m["text"]) for m in messages)


def test_release_checklist_from_date_and_place(web: httpx.Client) -> None:
    session = "t" + uuid.uuid4().hex
    first = chat(web, session, payload="/ask_release_checklist")
    assert "Kiedy wychodzisz?" in texts(first)
    assert "Gdzie będziesz mieszkać" in texts(chat(web, session, text="za 2 tygodnie"))
    done = chat(web, session, text="w sosnowcu")
    lists = [m for m in done if isinstance(m.get("checklist"), dict)]
    assert len(lists) == 1, done
    checklist = lists[0]["checklist"]
    assert isinstance(checklist, dict)
    phases = [s["title"] for s in checklist["sections"]]
    assert phases[0] == "Przed wyjściem" and len(phases) == 4
    offices = [step["office"] for s in checklist["sections"] for step in s["steps"]
               if step.get("office")]
    assert offices, checklist
    assert "(do " in str(lists[0]["text"])
    assert done[-1]["buttons"]


def test_release_checklist_without_a_date(web: httpx.Client) -> None:
    session = "t" + uuid.uuid4().hex
    chat(web, session, payload="/ask_release_checklist")
    chat(web, session, text="nie wiem")
    done = chat(web, session, payload="/deny")  # no place either
    checklist = next(m["checklist"] for m in done if isinstance(m.get("checklist"), dict))
    assert isinstance(checklist, dict)
    assert checklist["notes"] and "(do " not in texts(done)


def test_eligibility_pre_check(web: httpx.Client) -> None:
    session = "t" + uuid.uuid4().hex
    first = chat(web, session, payload='/ask_income_criterion{"topic": "eligibility_check"}')
    assert "Ile osób mieszka z Tobą" in texts(first)
    assert "Ile pieniędzy" in texts(chat(web, session, text="we dwoje"))
    result = texts(chat(web, session, text="1200 zl"))
    assert "600\u00a0zł" in result  # per person
    assert "823\u00a0zł" in result and "decyduje ośrodek" in result
    assert "art. 8 ustawy o pomocy społecznej" in result
    # the answers are not kept: asking again starts from the first question
    again = chat(web, session, payload='/ask_income_criterion{"topic": "eligibility_check"}')
    assert "Ile osób mieszka z Tobą" in texts(again)


def test_eligibility_can_be_declined(web: httpx.Client) -> None:
    session = "t" + uuid.uuid4().hex
    chat(web, session, payload='/ask_income_criterion{"topic": "eligibility_check"}')
    assert "Dobrze" in texts(chat(web, session, payload="/deny"))
