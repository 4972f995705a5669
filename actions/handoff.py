"""Passing a conversation to a person: request_human, the second "not understood" in a
row, and every crisis (urgent). The escalation is written to the application database in
one transaction; the person gets a short code to read the answer later (kiosk) or the
answer arrives in the chat (Telegram)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import InterfaceError, OperationalError

from actions.places import database_ready
from actions.tracker_events import user_intents_newest_first
from bot.db.repository import escalations

log = logging.getLogger(__name__)

MAX_TRANSCRIPT_LINES = 60
URGENT = "urgent"
NORMAL = "normal"
CHANNELS = ("kiosk", "telegram")
GENERAL_INTENTS = {"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge",
                   "ask_capabilities", "inform_city", "request_human", "nlu_fallback"}


def channel_and_session(tracker: Tracker) -> tuple[str, str]:
    """The channel and our session id, from the Rasa sender id "<channel>-<session>"."""
    sender = tracker.sender_id
    channel, _, session = sender.partition("-")
    if channel in CHANNELS and session:
        return channel, session
    metadata_channel = (tracker.latest_message.get("metadata") or {}).get("channel")
    return (str(metadata_channel) if metadata_channel in CHANNELS else "kiosk"), sender


def _when(event: dict[str, Any]) -> datetime:
    stamp = event.get("timestamp")
    if isinstance(stamp, int | float):
        return datetime.fromtimestamp(stamp, UTC)
    return datetime.now(UTC)


def _user_line(event: dict[str, Any]) -> str:
    text = str(event.get("text") or "")
    if text.startswith("/"):  # a button: show which topic it asked for
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name") or text
        return f"[przycisk: {intent}]"
    return text


def transcript(tracker: Tracker) -> list[tuple[str, str, datetime]]:
    """The current session's messages as (author, text, time), oldest first."""
    lines: list[tuple[str, str, datetime]] = []
    for event in tracker.events:
        kind = event.get("event")
        if kind == "session_started":
            lines = []
        elif kind == "user":
            lines.append(("user", _user_line(event), _when(event)))
        elif kind == "bot" and event.get("text"):
            lines.append(("bot", str(event["text"]), _when(event)))
    return [line for line in lines if line[1].strip()][-MAX_TRANSCRIPT_LINES:]


def category(tracker: Tracker, default: str) -> str:
    """The topic the person was asking about: their latest domain intent, else `default`."""
    for intent in user_intents_newest_first(tracker):
        if intent and intent not in GENERAL_INTENTS and intent != "out_of_scope":
            return str(intent)
    return default


T = TypeVar("T")
RETRY_DELAYS = (0.3, 1.0, 2.0)  # the database may be away for a moment (restart, failover)


async def with_retries(call: Callable[[], T]) -> T:
    """`call`, tried again after short pauses when the database is briefly unavailable."""
    for delay in RETRY_DELAYS:
        try:
            return call()
        except (OperationalError, InterfaceError) as exc:
            log.warning("database unavailable (%s); retrying in %.1f s", exc, delay)
            await asyncio.sleep(delay)
    return call()


async def escalate(dispatcher: CollectingDispatcher, tracker: Tracker, *, priority: str,
             default_category: str, crisis: bool = False) -> escalations.EscalationView | None:
    """Create (or update) the conversation's escalation and tell the person what happens."""
    channel, session = channel_and_session(tracker)
    try:
        database_ready()
        ticket = await with_retries(lambda: escalations.create_escalation(
            channel=channel,
            session_id=session,
            sender_id=tracker.sender_id,
            category="crisis" if crisis else category(tracker, default_category),
            priority=priority,
            place=_text_slot(tracker, "place"),
            gmina_teryt=_text_slot(tracker, "gmina_teryt"),
            transcript=transcript(tracker),
        ))
    except Exception:
        # Nothing was written (one transaction); the person is told to ask someone.
        log.exception("could not create an escalation for %s", tracker.sender_id)
        dispatcher.utter_message(
            response="utter_crisis_alert_failed" if crisis else "utter_handoff_failed")
        return None
    code = escalations.display_code(ticket.code)
    prefix = "utter_crisis_alert" if crisis else "utter_handoff"
    dispatcher.utter_message(response=f"{prefix}_{channel}", code=code)
    if channel == "kiosk":  # a code to read the answer later, shown large and printable
        dispatcher.utter_message(json_message={"text": f"Kod: {code}", "ticket": {"code": code}})
    return ticket


class ActionRequestHuman(Action):
    """The person asked for a person."""

    def name(self) -> str:
        return "action_request_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        await escalate(dispatcher, tracker, priority=NORMAL, default_category="request_human")
        return []


class ActionCrisisAlert(Action):
    """After the crisis numbers (sent by Rasa itself): alert staff, urgently."""

    def name(self) -> str:
        return "action_crisis_alert"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        await escalate(dispatcher, tracker, priority=URGENT, default_category="crisis", crisis=True)
        return []


def _text_slot(tracker: Tracker, name: str) -> str | None:
    value = tracker.get_slot(name)
    return value if isinstance(value, str) else None
