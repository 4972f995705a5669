"""Escalations: a person's request handed to staff, its transcript and the staff's replies.

The assistant's side (bot actions, channels) creates escalations, adds the person's
later messages and delivers staff replies; the staff dashboard lists, claims, answers,
closes and reassigns them. Every function is one transaction and returns frozen
values, never ORM objects. Staff actions write their audit row in the same transaction.

Statuses: new -> claimed (someone took it) -> answered (a reply was written) -> closed.
A message from the person on an answered escalation brings it back to "claimed" (or
"new" when nobody holds it), so it shows up as waiting again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession

from bot.db.models import (
    AUTHORS,
    ESCALATION_CHANNELS,
    PRIORITIES,
    Escalation,
    EscalationMessage,
    StaffUser,
    utcnow,
)
from bot.db.repository import audit
from bot.db.session import Session
from bot.escalation_codes import format_code, new_code, normalise_code

OPEN_STATUSES: Final = ("new", "claimed", "answered")
ALL: Final = "all"  # queue(status=ALL): every escalation, closed ones too
MAX_TEXT: Final = 4000  # characters of one transcript line or reply
QUEUE_LIMIT: Final = 500
_CODE_ATTEMPTS: Final = 8


# ---------------------------------------------------------------- errors


class EscalationError(Exception):
    """An escalation request or staff action that cannot be done; the message is Polish,
    plain, and meant to be shown to staff as it is."""


class NotFound(EscalationError):
    pass


class InvalidTransition(EscalationError):
    """The action does not fit the escalation's status or who holds it."""


# ---------------------------------------------------------------- result types


@dataclass(frozen=True, slots=True)
class EscalationView:
    id: int
    code: str  # stored form, e.g. "KF7M3X"; `display_code` is "KF7-M3X"
    channel: str  # "kiosk" or "telegram"
    session_id: str
    sender_id: str
    category: str
    place: str | None
    gmina_teryt: str | None
    priority: str  # "urgent" or "normal"
    status: str  # "new", "claimed", "answered" or "closed"
    created_at: datetime
    updated_at: datetime
    claimed_by: int | None
    claimed_by_username: str | None
    answered_at: datetime | None
    closed_at: datetime | None

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    @property
    def is_open(self) -> bool:
        return self.status != "closed"


@dataclass(frozen=True, slots=True)
class MessageView:
    id: int
    escalation_id: int
    author: str  # "user", "bot" or "staff"
    text: str
    created_at: datetime
    staff_user_id: int | None
    staff_username: str | None
    delivered_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReplyView:
    """A staff reply still to be delivered, with where it goes."""

    message_id: int
    escalation_id: int
    code: str
    channel: str
    session_id: str
    sender_id: str
    text: str
    created_at: datetime


# ---------------------------------------------------------------- codes


def display_code(code: str) -> str:
    """How an answer code is shown to people: "KF7M3X" -> "KF7-M3X"."""
    return format_code(code)


# ---------------------------------------------------------------- helpers


def _aware(moment: datetime) -> datetime:
    """SQLite returns stored UTC times without their zone; naive input is taken as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _maybe(moment: datetime | None) -> datetime | None:
    return None if moment is None else _aware(moment)


def _view(row: Escalation, claimed_by_username: str | None) -> EscalationView:
    return EscalationView(
        id=row.id,
        code=row.code,
        channel=row.channel,
        session_id=row.session_id,
        sender_id=row.sender_id,
        category=row.category,
        place=row.place,
        gmina_teryt=row.gmina_teryt,
        priority=row.priority,
        status=row.status,
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
        claimed_by=row.claimed_by,
        claimed_by_username=claimed_by_username,
        answered_at=_maybe(row.answered_at),
        closed_at=_maybe(row.closed_at),
    )


def _load(session: OrmSession, escalation_id: int, *, lock: bool = False) -> Escalation:
    row = session.get(Escalation, escalation_id, with_for_update=lock)
    if row is None:
        raise NotFound("Nie ma takiej sprawy.")
    return row


def _username(session: OrmSession, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return session.scalar(select(StaffUser.username).where(StaffUser.id == user_id))


def _view_of(session: OrmSession, row: Escalation) -> EscalationView:
    return _view(row, _username(session, row.claimed_by))


def _check_text(text: str) -> str:
    if not text.strip():
        raise EscalationError("Wiadomość jest pusta.")
    if len(text) > MAX_TEXT:
        raise EscalationError(f"Wiadomość jest za długa (najwyżej {MAX_TEXT} znaków).")
    return text


def _acting_user(session: OrmSession, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None or not user.active:
        raise InvalidTransition("To konto jest wyłączone albo nie istnieje.")
    return user


def _may_act(row: Escalation, user: StaffUser) -> None:
    """Only the person holding an escalation (or an admin) may act on it once it is held."""
    if row.claimed_by is not None and row.claimed_by != user.id and user.role != "admin":
        raise InvalidTransition("Tę sprawę prowadzi inna osoba. Poproś ją albo "
                                "administratora o przekazanie sprawy.")


def _not_closed(row: Escalation) -> None:
    if row.status == "closed":
        raise InvalidTransition("Ta sprawa jest już zamknięta.")


def _reopen_on_user_message(row: Escalation) -> None:
    if row.status == "answered":
        row.status = "claimed" if row.claimed_by is not None else "new"


# ---------------------------------------------------------------- the assistant's side


def create_escalation(
    *,
    channel: str,
    session_id: str,
    sender_id: str,
    category: str,
    priority: str,
    place: str | None,
    gmina_teryt: str | None,
    transcript: Sequence[tuple[str, str, datetime]],
) -> EscalationView:
    """Hand a conversation to staff, with its transcript (author, text, time) so far.

    When the conversation already has an open escalation, no second one is made: the
    transcript lines newer than its last stored line are added, the priority is raised
    to urgent when asked (never lowered), a missing place is filled in, and that
    escalation is returned.
    """
    if channel not in ESCALATION_CHANNELS:
        raise EscalationError(f"Nieznany kanał {channel!r}.")
    if priority not in PRIORITIES:
        raise EscalationError(f"Nieznany priorytet {priority!r}.")
    # Lines without text (a message that was only buttons) are left out; very long ones
    # are cut, so that a transcript never stops the person from reaching staff.
    lines = [(author, text[:MAX_TEXT], _aware(at)) for author, text, at in transcript
             if text.strip()]
    for author, _text, _at in lines:
        if author not in AUTHORS:
            raise EscalationError(f"Nieznany autor wiadomości {author!r}.")
    for attempt in range(_CODE_ATTEMPTS):
        try:
            return _create_once(channel, session_id, sender_id, category[:100], priority,
                                place, gmina_teryt, lines)
        except IntegrityError:
            # The random code was taken, or the same conversation was escalated at the
            # same moment; the next attempt draws a new code or finds that escalation.
            if attempt == _CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _create_once(
    channel: str,
    session_id: str,
    sender_id: str,
    category: str,
    priority: str,
    place: str | None,
    gmina_teryt: str | None,
    lines: list[tuple[str, str, datetime]],
) -> EscalationView:
    moment = utcnow()
    with Session.begin() as session:
        row = session.scalars(
            select(Escalation)
            .where(Escalation.channel == channel, Escalation.session_id == session_id,
                   Escalation.status != "closed")
            .with_for_update()
        ).first()
        if row is None:
            row = Escalation(
                code=new_code(), channel=channel, session_id=session_id, sender_id=sender_id,
                category=category, place=place, gmina_teryt=gmina_teryt, priority=priority,
                status="new", created_at=moment, updated_at=moment,
            )
            session.add(row)
            session.flush()
            newer = lines
        else:
            last = session.scalar(
                select(func.max(EscalationMessage.created_at))
                .where(EscalationMessage.escalation_id == row.id)
            )
            newer = lines if last is None else [line for line in lines
                                                if line[2] > _aware(last)]
            if priority == "urgent":
                row.priority = "urgent"
            if row.place is None and place is not None:
                row.place = place
            if row.gmina_teryt is None and gmina_teryt is not None:
                row.gmina_teryt = gmina_teryt
            if any(author == "user" for author, _text, _at in newer):
                _reopen_on_user_message(row)
            row.updated_at = moment
        session.add_all(
            EscalationMessage(escalation_id=row.id, author=author, text=text, created_at=at)
            for author, text, at in newer
        )
        session.flush()
        return _view_of(session, row)


def open_escalation(channel: str, session_id: str) -> EscalationView | None:
    """The conversation's escalation that is not closed yet, if any."""
    with Session.begin() as session:
        row = session.scalars(
            select(Escalation).where(Escalation.channel == channel,
                                     Escalation.session_id == session_id,
                                     Escalation.status != "closed")
        ).first()
        return None if row is None else _view_of(session, row)


def add_user_message(escalation_id: int, text: str) -> None:
    """Add a later message of the person; an answered escalation waits for staff again."""
    _check_text(text)
    moment = utcnow()
    with Session.begin() as session:
        row = _load(session, escalation_id, lock=True)
        _not_closed(row)
        session.add(EscalationMessage(escalation_id=row.id, author="user", text=text,
                                      created_at=moment))
        _reopen_on_user_message(row)
        row.updated_at = moment


def get(escalation_id: int) -> EscalationView | None:
    with Session.begin() as session:
        row = session.get(Escalation, escalation_id)
        return None if row is None else _view_of(session, row)


def get_by_code(code: str) -> EscalationView | None:
    """The escalation with this answer code, typed in any case, with or without the dash."""
    stored = normalise_code(code)
    if stored is None:
        return None
    with Session.begin() as session:
        row = session.scalars(select(Escalation).where(Escalation.code == stored)).first()
        return None if row is None else _view_of(session, row)


def transcript(escalation_id: int) -> list[MessageView]:
    """Every line of the escalation, oldest first (empty for an unknown id)."""
    with Session.begin() as session:
        rows = session.execute(
            select(EscalationMessage, StaffUser.username)
            .outerjoin(StaffUser, EscalationMessage.staff_user_id == StaffUser.id)
            .where(EscalationMessage.escalation_id == escalation_id)
            .order_by(EscalationMessage.created_at, EscalationMessage.id)
        ).all()
        return [
            MessageView(
                id=message.id,
                escalation_id=message.escalation_id,
                author=message.author,
                text=message.text,
                created_at=_aware(message.created_at),
                staff_user_id=message.staff_user_id,
                staff_username=username,
                delivered_at=_maybe(message.delivered_at),
            )
            for message, username in rows
        ]


def undelivered_replies(channel: str) -> list[ReplyView]:
    """Staff replies on this channel not delivered yet, oldest first."""
    with Session.begin() as session:
        rows = session.execute(
            select(EscalationMessage, Escalation)
            .join(Escalation, EscalationMessage.escalation_id == Escalation.id)
            .where(EscalationMessage.author == "staff",
                   EscalationMessage.delivered_at.is_(None),
                   Escalation.channel == channel)
            .order_by(EscalationMessage.created_at, EscalationMessage.id)
        ).all()
        return [
            ReplyView(
                message_id=message.id,
                escalation_id=escalation.id,
                code=escalation.code,
                channel=escalation.channel,
                session_id=escalation.session_id,
                sender_id=escalation.sender_id,
                text=message.text,
                created_at=_aware(message.created_at),
            )
            for message, escalation in rows
        ]


def mark_delivered(message_id: int) -> None:
    """Note that the person's channel delivered this staff reply (the first time counts)."""
    with Session.begin() as session:
        session.execute(
            update(EscalationMessage)
            .where(EscalationMessage.id == message_id, EscalationMessage.delivered_at.is_(None))
            .values(delivered_at=utcnow())
        )


# ---------------------------------------------------------------- the staff's side


def queue(
    status: str | None,
    channel: str | None,
    category: str | None,
    *,
    limit: int = QUEUE_LIMIT,
) -> list[EscalationView]:
    """Escalations for the dashboard: urgent first, then the oldest first.

    `status` None means every open one (new, claimed, answered); a status name gives only
    those; ALL ("all") gives every escalation. `channel` and `category` narrow the list
    when given. Unknown values match nothing.
    """
    query = select(Escalation, StaffUser.username).outerjoin(
        StaffUser, Escalation.claimed_by == StaffUser.id
    )
    if status is None:
        query = query.where(Escalation.status.in_(OPEN_STATUSES))
    elif status != ALL:
        query = query.where(Escalation.status == status)
    if channel is not None:
        query = query.where(Escalation.channel == channel)
    if category is not None:
        query = query.where(Escalation.category == category)
    urgent_first = case((Escalation.priority == "urgent", 0), else_=1)
    query = query.order_by(urgent_first, Escalation.created_at, Escalation.id).limit(limit)
    with Session.begin() as session:
        return [_view(row, username) for row, username in session.execute(query).all()]


def categories() -> list[str]:
    """The categories escalations have, for the dashboard's filter."""
    with Session.begin() as session:
        return sorted(session.scalars(select(Escalation.category).distinct()).all())


def claim(escalation_id: int, user_id: int) -> EscalationView:
    """Take a new escalation (taking one you already hold changes nothing)."""
    with Session.begin() as session:
        row = _load(session, escalation_id, lock=True)
        user = _acting_user(session, user_id)
        _not_closed(row)
        if row.claimed_by == user.id:
            return _view(row, user.username)
        if row.claimed_by is not None:
            holder = _username(session, row.claimed_by)
            raise InvalidTransition(f"Tę sprawę prowadzi już {holder}.")
        row.claimed_by = user.id
        if row.status == "new":
            row.status = "claimed"
        row.updated_at = utcnow()
        audit.write(session, user.username, "claim", row.code)
        return _view(row, user.username)


def reply(escalation_id: int, user_id: int, text: str) -> MessageView:
    """Write a reply to the person; the escalation becomes "answered" and held by the author.

    The text is stored as given: the channel delivers exactly this (see `undelivered_replies`).
    """
    _check_text(text)
    moment = utcnow()
    with Session.begin() as session:
        row = _load(session, escalation_id, lock=True)
        user = _acting_user(session, user_id)
        _not_closed(row)
        _may_act(row, user)
        message = EscalationMessage(escalation_id=row.id, author="staff", staff_user_id=user.id,
                                    text=text, created_at=moment)
        session.add(message)
        if row.claimed_by is None:
            row.claimed_by = user.id
        row.status = "answered"
        row.answered_at = moment
        row.updated_at = moment
        audit.write(session, user.username, "reply", row.code, f"{len(text)} znaków",
                    now=moment)
        session.flush()
        return MessageView(message.id, row.id, "staff", text, moment, user.id, user.username,
                           None)


def close(escalation_id: int, user_id: int) -> EscalationView:
    """Close the escalation (nothing more to do); it is deleted after the retention period."""
    moment = utcnow()
    with Session.begin() as session:
        row = _load(session, escalation_id, lock=True)
        user = _acting_user(session, user_id)
        _not_closed(row)
        _may_act(row, user)
        row.status = "closed"
        row.closed_at = moment
        row.updated_at = moment
        audit.write(session, user.username, "close", row.code, now=moment)
        return _view_of(session, row)


def reassign(escalation_id: int, to_user_id: int, by_user_id: int) -> EscalationView:
    """Hand the escalation to another active staff member."""
    with Session.begin() as session:
        row = _load(session, escalation_id, lock=True)
        by = _acting_user(session, by_user_id)
        _not_closed(row)
        _may_act(row, by)
        to = session.get(StaffUser, to_user_id)
        if to is None or not to.active:
            raise InvalidTransition("Można przekazać sprawę tylko aktywnemu pracownikowi.")
        if row.claimed_by == to.id:
            return _view(row, to.username)
        before = _username(session, row.claimed_by)
        row.claimed_by = to.id
        if row.status == "new":
            row.status = "claimed"
        row.updated_at = utcnow()
        audit.write(session, by.username, "reassign", row.code,
                    f"{before or 'nikt'} -> {to.username}")
        return _view(row, to.username)
