"""Data retention: deleting what is no longer needed (`drogowskaz purge`, daily in `make run`).

- `conversation` rows whose last activity is older than the retention period;
- closed escalations whose `closed_at` is older than it, with their whole transcript
  (open escalations are never deleted: someone still has to answer them);
- staff sessions that have expired;
- audit log entries older than AUDIT_RETENTION_DAYS (one year).

The report lists the Rasa sender ids of the deleted conversations and escalations, so
their transcripts in Rasa's tracker store can be erased too
(bot.telegram.erase.erase_transcripts); a sender whose conversation is still kept is
not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as OrmSession

from bot.db.models import (
    AuditLog,
    Conversation,
    Escalation,
    EscalationMessage,
    StaffSession,
    utcnow,
)
from bot.db.repository import audit
from bot.db.session import Session

AUDIT_RETENTION_DAYS: Final = 365
_CHUNK: Final = 500


@dataclass(frozen=True, slots=True)
class PurgeReport:
    cutoff: datetime  # conversations and closed escalations older than this were deleted
    conversations: int
    escalations: int
    messages: int  # transcript lines of the deleted escalations
    staff_sessions: int
    audit_entries: int
    sender_ids: tuple[str, ...]  # Rasa senders whose transcripts can be erased now


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _delete_conversations(session: OrmSession, cutoff: datetime) -> tuple[int, set[str]]:
    rows = session.execute(
        select(Conversation.id, Conversation.channel, Conversation.session_id)
        .where(Conversation.last_active_at < cutoff)
    ).all()
    deleted = 0
    ids = [row.id for row in rows]
    for start in range(0, len(ids), _CHUNK):
        deleted += _rowcount(session.execute(
            delete(Conversation).where(Conversation.id.in_(ids[start:start + _CHUNK]))))
    # The web app and the Telegram channel talk to Rasa as "<channel>-<session id>".
    return deleted, {f"{row.channel}-{row.session_id}" for row in rows}


def _delete_closed_escalations(
    session: OrmSession, cutoff: datetime
) -> tuple[int, int, set[str]]:
    rows = session.execute(
        select(Escalation.id, Escalation.channel, Escalation.session_id, Escalation.sender_id)
        .where(Escalation.status == "closed", Escalation.closed_at < cutoff)
    ).all()
    escalations = messages = 0
    ids = [row.id for row in rows]
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        messages += _rowcount(session.execute(
            delete(EscalationMessage).where(EscalationMessage.escalation_id.in_(chunk))))
        escalations += _rowcount(session.execute(
            delete(Escalation).where(Escalation.id.in_(chunk))))
    senders: set[str] = set()
    for row in rows:
        still_talking = session.scalar(
            select(Conversation.id).where(Conversation.channel == row.channel,
                                          Conversation.session_id == row.session_id)
        )
        if still_talking is None:
            senders.add(row.sender_id)
    return escalations, messages, senders


def purge(
    retention_days: int,
    now: datetime | None = None,
    *,
    audit_days: int = AUDIT_RETENTION_DAYS,
) -> PurgeReport:
    """Delete everything older than the retention periods, in one transaction."""
    if retention_days < 1 or audit_days < 1:
        raise ValueError("retention periods must be at least one day")
    moment = now or utcnow()
    cutoff = moment - timedelta(days=retention_days)
    with Session.begin() as session:
        conversations, conversation_senders = _delete_conversations(session, cutoff)
        escalations, messages, escalation_senders = _delete_closed_escalations(session, cutoff)
        staff_sessions = _rowcount(session.execute(
            delete(StaffSession).where(StaffSession.expires_at <= moment)))
        audit_entries = _rowcount(session.execute(
            delete(AuditLog).where(AuditLog.at < moment - timedelta(days=audit_days))))
        audit.write(
            session, audit.SYSTEM, "purge", None,
            f"starsze niż {retention_days} dni: {conversations} rozmów, {escalations} "
            f"zamkniętych spraw ({messages} wiadomości); {staff_sessions} wygasłych sesji; "
            f"{audit_entries} wpisów dziennika starszych niż {audit_days} dni",
            now=moment,
        )
    return PurgeReport(
        cutoff=cutoff,
        conversations=conversations,
        escalations=escalations,
        messages=messages,
        staff_sessions=staff_sessions,
        audit_entries=audit_entries,
        sender_ids=tuple(sorted(conversation_senders | escalation_senders)),
    )
