"""The audit log: who did what in the staff dashboard, newest first.

Actions write their audit row with `write()` inside their own transaction, so an action
and its record are stored together or not at all. `record()` is for events that change
nothing else (a failed login is recorded by bot.db.repository.staff).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from bot.db.models import AuditLog, utcnow
from bot.db.session import Session

SYSTEM: Final = "system"  # username of entries not made by a person (the purge)
MAX_TARGET: Final = 200
MAX_USERNAME: Final = 40
MAX_DETAIL: Final = 4000


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    username: str
    action: str
    target: str | None
    detail: str | None


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: list[AuditEntry]
    page: int  # 1-based
    pages: int  # at least 1
    total: int


def _aware(moment: datetime) -> datetime:
    """SQLite returns stored UTC times without their zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def write(
    session: OrmSession,
    username: str,
    action: str,
    target: str | None = None,
    detail: str | None = None,
    *,
    now: datetime | None = None,
) -> None:
    """Add an audit row to the caller's transaction."""
    session.add(
        AuditLog(
            at=now or utcnow(),
            username=username[:MAX_USERNAME],
            action=action,
            target=None if target is None else target[:MAX_TARGET],
            detail=None if detail is None else detail[:MAX_DETAIL],
        )
    )


def record(username: str, action: str, target: str | None = None,
           detail: str | None = None) -> None:
    """Store one audit row on its own."""
    with Session.begin() as session:
        write(session, username, action, target, detail)


def page(number: int = 1, per_page: int = 50) -> AuditPage:
    """One page of the log, newest first; a page beyond the last gives the last."""
    per_page = max(1, per_page)
    with Session.begin() as session:
        total = int(session.scalar(select(func.count()).select_from(AuditLog)) or 0)
        pages = max(1, -(-total // per_page))
        current = min(max(1, number), pages)
        rows = session.scalars(
            select(AuditLog)
            .order_by(AuditLog.at.desc(), AuditLog.id.desc())
            .offset((current - 1) * per_page)
            .limit(per_page)
        ).all()
        entries = [
            AuditEntry(row.id, _aware(row.at), row.username, row.action, row.target, row.detail)
            for row in rows
        ]
    return AuditPage(entries=entries, page=current, pages=pages, total=total)
