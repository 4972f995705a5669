"""Tables of the application database (directory, conversations, escalations...)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    column,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.directory.kinds import CONFIDENCE, KINDS, ORIGINS


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


# ---------------------------------------------------------------- territorial register (TERYT)


class Voivodeship(Base):
    """Województwo (TERC row without POW)."""

    __tablename__ = "voivodeship"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))


class Powiat(Base):
    """Powiat, or a city with powiat rights (`is_city`, POW 61-79)."""

    __tablename__ = "powiat"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)  # WOJ+POW
    name: Mapped[str] = mapped_column(String(100))
    voivodeship_code: Mapped[str] = mapped_column(ForeignKey("voivodeship.code"), index=True)
    is_city: Mapped[bool] = mapped_column(Boolean)


class Gmina(Base):
    """Gmina (TERC RODZ 1, 2 or 3): the unit whose social assistance centre serves a place."""

    __tablename__ = "gmina"

    code: Mapped[str] = mapped_column(String(7), primary_key=True)  # WOJ+POW+GMI+RODZ
    name: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(20))  # miejska, wiejska, miejsko-wiejska
    powiat_code: Mapped[str] = mapped_column(ForeignKey("powiat.code"), index=True)
    voivodeship_code: Mapped[str] = mapped_column(ForeignKey("voivodeship.code"))


class Locality(Base):
    """Every SIMC locality (town, village, part of a town...) with the gmina it lies in."""

    __tablename__ = "locality"

    sym: Mapped[str] = mapped_column(String(7), primary_key=True)
    parent_sym: Mapped[str] = mapped_column(String(7))
    name: Mapped[str] = mapped_column(String(100), index=True)
    rm: Mapped[str] = mapped_column(String(2))  # WMRODZ code: 96 miasto, 01 wieś ...
    gmina_code: Mapped[str] = mapped_column(ForeignKey("gmina.code"), index=True)


class DirectorySource(Base):
    """Which version of a seed source is loaded ("teryt", "offices") and when."""

    __tablename__ = "directory_source"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# ---------------------------------------------------------------- offices and shelters

class Office(Base):
    """An office, shelter or other place people are sent to (see bot/directory/csvformat.py).

    `origin` is "seed" for rows from the shipped directory (replaced on re-seeding) and
    "staff" for rows added or changed through `import-csv` (never touched by seeding).
    """

    __tablename__ = "office"
    __table_args__ = (
        CheckConstraint(column("kind").in_(KINDS), name="ck_office_kind"),
        CheckConstraint(column("origin").in_(ORIGINS), name="ck_office_origin"),
        CheckConstraint(column("confidence").in_(CONFIDENCE), name="ck_office_confidence"),
        Index("ix_office_gmina_kind", "serves_gmina", "kind"),
        Index("ix_office_powiat_kind", "serves_powiat", "kind"),
        Index("ix_office_latitude", "latitude"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    origin: Mapped[str] = mapped_column(String(5))
    kind: Mapped[str] = mapped_column(String(20))
    subtype: Mapped[str | None] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(300))
    street_address: Mapped[str | None] = mapped_column(String(300))
    postal_code: Mapped[str | None] = mapped_column(String(6))
    locality: Mapped[str | None] = mapped_column(String(100))
    serves_gmina: Mapped[str | None] = mapped_column(ForeignKey("gmina.code"))
    serves_powiat: Mapped[str | None] = mapped_column(ForeignKey("powiat.code"))
    phones: Mapped[list[str]] = mapped_column(JSON, default=list)
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(500))
    # {"mon": [["07:30", "15:30"]], ...}: bot.directory.hours.WeeklyHours.to_json()
    hours: Mapped[dict[str, list[list[str]]] | None] = mapped_column(JSON(none_as_null=True))
    hours_text: Mapped[str | None] = mapped_column(Text)
    for_whom: Mapped[str | None] = mapped_column(String(10))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    source_url: Mapped[str | None] = mapped_column(String(1000))
    source_date: Mapped[str | None] = mapped_column(String(10))
    confidence: Mapped[str] = mapped_column(String(6))
    verified_at: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# ---------------------------------------------------------------- Telegram channel


class TelegramChat(Base):
    """Which conversation a Telegram chat is in: Rasa sender `telegram-<chat_id>-<generation>`.

    /nowa raises `generation` (a fresh conversation); /usun_dane deletes the row.
    """

    __tablename__ = "telegram_chat"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# ---------------------------------------------------------------- escalations to staff

# Fixed vocabularies (the migration 0004 keeps frozen copies).
STAFF_ROLES = ("admin", "staff")
ESCALATION_CHANNELS = ("kiosk", "telegram")
PRIORITIES = ("urgent", "normal")
STATUSES = ("new", "claimed", "answered", "closed")
AUTHORS = ("user", "bot", "staff")


class StaffUser(Base):
    """A prison educator, psychologist or social worker who answers escalations.

    Never deleted (disabled instead), so the audit log and old replies keep their author.
    """

    __tablename__ = "staff_user"
    __table_args__ = (
        CheckConstraint(column("role").in_(STAFF_ROLES), name="ck_staff_user_role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))  # argon2id, PHC string
    role: Mapped[str] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StaffSession(Base):
    """A signed-in browser. `id` is the SHA-256 (hex) of the cookie's token, never the token."""

    __tablename__ = "staff_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Escalation(Base):
    """A person's request handed to staff, with `code` (6 characters, no dash) to fetch the
    answer on a kiosk. At most one escalation per conversation is open (not closed)."""

    __tablename__ = "escalation"
    __table_args__ = (
        CheckConstraint(column("channel").in_(ESCALATION_CHANNELS), name="ck_escalation_channel"),
        CheckConstraint(column("priority").in_(PRIORITIES), name="ck_escalation_priority"),
        CheckConstraint(column("status").in_(STATUSES), name="ck_escalation_status"),
        Index("ix_escalation_queue", "status", "priority", "created_at"),
        # one open escalation per conversation, even when two requests race
        Index("uq_escalation_open_session", "channel", "session_id", unique=True,
              sqlite_where=sql_text("status != 'closed'"),
              postgresql_where=sql_text("status != 'closed'")),
        Index("ix_escalation_closed_at", "closed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    session_id: Mapped[str] = mapped_column(String(128))
    sender_id: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(100))
    place: Mapped[str | None] = mapped_column(Text)
    gmina_teryt: Mapped[str | None] = mapped_column(String(7))
    priority: Mapped[str] = mapped_column(String(6))
    status: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class EscalationMessage(Base):
    """One line of an escalation's transcript: the person, the assistant, or a staff reply.

    `delivered_at` is set when the person's channel delivered a staff reply.
    """

    __tablename__ = "escalation_message"
    __table_args__ = (
        CheckConstraint(column("author").in_(AUTHORS), name="ck_escalation_message_author"),
        Index("ix_escalation_message_undelivered", "author", "delivered_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    escalation_id: Mapped[int] = mapped_column(
        ForeignKey("escalation.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(String(5))
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditLog(Base):
    """Who did what in the staff dashboard (and the purge). `username` is a copy, kept
    when the account is gone."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(30))
    target: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
