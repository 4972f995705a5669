"""Conversations: which exist, on which channel, when they were last active."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from bot.db.models import Conversation, utcnow
from bot.db.session import Session


def record_turn(channel: str, session_id: str, *, now: datetime | None = None) -> int:
    """Note one user turn in a conversation, creating it on first use; returns its turn count."""
    moment = now or utcnow()
    for attempt in range(2):
        try:
            with Session.begin() as session:
                turns = session.execute(
                    update(Conversation)
                    .where(Conversation.channel == channel, Conversation.session_id == session_id)
                    .values(turns=Conversation.turns + 1, last_active_at=moment)
                    .returning(Conversation.turns)
                ).scalar_one_or_none()
                if turns is not None:
                    return int(turns)
                session.add(
                    Conversation(channel=channel, session_id=session_id, started_at=moment,
                                 last_active_at=moment, turns=1)
                )
                return 1
        except IntegrityError:
            # Two first turns of the same conversation raced; the row exists now.
            if attempt:
                raise
    raise AssertionError("unreachable")


def get_conversation(channel: str, session_id: str) -> Conversation | None:
    with Session() as session:
        return session.scalars(
            select(Conversation).where(
                Conversation.channel == channel, Conversation.session_id == session_id
            )
        ).one_or_none()


def delete_conversations_inactive_since(cutoff: datetime) -> int:
    """Delete conversations whose last activity is older than `cutoff`; returns how many."""
    with Session.begin() as session:
        result = session.execute(
            delete(Conversation).where(Conversation.last_active_at < cutoff)
        )
        return int(getattr(result, "rowcount", 0) or 0)
