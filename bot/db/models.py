"""Tables of the application database (directory, conversations, escalations...)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Conversation(Base):
    """One conversation of one person on one channel (no message content is kept here).

    The transcript lives in Rasa's tracker store; this row lets the app know which
    conversations exist, when they were last active (data retention) and on which
    channel they happened.
    """

    __tablename__ = "conversation"
    __table_args__ = (UniqueConstraint("channel", "session_id", name="uq_conversation_session"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    session_id: Mapped[str] = mapped_column(String(128))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_active_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    turns: Mapped[int] = mapped_column(Integer, default=0)
