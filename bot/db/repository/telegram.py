"""Telegram chats: the current conversation of each chat, and erasing a chat's records.

A chat's Rasa sender id is `telegram-<chat_id>-<generation>`; its `conversation` rows use
channel "telegram" and session id `<chat_id>-<generation>`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.db.models import Conversation, Escalation, EscalationMessage, TelegramChat, utcnow
from bot.db.session import Session

CHANNEL = "telegram"


def session_id(chat_id: int, generation: int) -> str:
    return f"{chat_id}-{generation}"


def chat_of_session(session: str) -> int | None:
    """The chat id of a session id `<chat_id>-<generation>` (None if it is not one)."""
    chat, _, generation = session.rpartition("-")
    try:
        return int(chat) if generation.isdigit() else None
    except ValueError:
        return None


def current_generation(chat_id: int) -> int:
    """The chat's conversation generation (0 for a chat never seen)."""
    with Session.begin() as session:
        generation = session.scalar(
            select(TelegramChat.generation).where(TelegramChat.chat_id == chat_id)
        )
        return int(generation or 0)


def start_new_conversation(chat_id: int, *, now: datetime | None = None) -> int:
    """Move the chat to a fresh conversation; returns the new generation."""
    moment = now or utcnow()
    for attempt in range(2):
        try:
            with Session.begin() as session:
                row = session.get(TelegramChat, chat_id)
                if row is None:
                    session.add(TelegramChat(chat_id=chat_id, generation=1, updated_at=moment))
                    return 1
                row.generation += 1
                row.updated_at = moment
                return int(row.generation)
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def forget_chat(chat_id: int) -> list[str]:
    """Delete the chat's mapping, all its conversation rows and its escalations.

    Returns the Rasa sender ids the chat has used, so their transcripts can be erased too.
    """
    with Session.begin() as session:
        generation = session.scalar(
            select(TelegramChat.generation).where(TelegramChat.chat_id == chat_id)
        )
        last = int(generation or 0)
        ids = [session_id(chat_id, n) for n in range(last + 1)]
        session.execute(
            delete(Conversation).where(
                Conversation.channel == CHANNEL, Conversation.session_id.in_(ids)
            )
        )
        # escalations with their transcripts and replies
        escalation_ids = select(Escalation.id).where(
            Escalation.channel == CHANNEL, Escalation.session_id.in_(ids)
        )
        session.execute(delete(EscalationMessage).where(
            EscalationMessage.escalation_id.in_(escalation_ids)))
        session.execute(delete(Escalation).where(Escalation.id.in_(escalation_ids)))
        session.execute(delete(TelegramChat).where(TelegramChat.chat_id == chat_id))
        return [f"{CHANNEL}-{sid}" for sid in ids]
