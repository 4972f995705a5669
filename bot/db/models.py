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
