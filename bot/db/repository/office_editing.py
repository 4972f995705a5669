"""Editing one directory row from the staff dashboard, with its audit record.

Rows are checked by the CSV import's own rules (bot.directory.csvformat.check_row) before
they get here; a changed row becomes staff-owned, as with `import-csv`, so re-seeding
never overwrites it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sqlalchemy import select

from bot.db.models import Office, utcnow
from bot.db.repository import audit
from bot.db.repository.directory import _columns, _record
from bot.db.session import Session
from bot.directory.kinds import ORIGIN_STAFF
from bot.directory.record import OfficeRecord
from bot.textnorm import fold

SEARCH_LIMIT: Final = 100


@dataclass(frozen=True, slots=True)
class OfficeSummary:
    id: str
    kind: str
    name: str
    locality: str | None
    origin: str


@dataclass(frozen=True, slots=True)
class OfficeSearch:
    offices: list[OfficeSummary]
    total: int  # how many matched; at most `limit` are listed


@dataclass(frozen=True, slots=True)
class SavedOffice:
    changed: tuple[str, ...]  # names of the fields that changed (empty: nothing to save)


def search_offices(text: str, limit: int = SEARCH_LIMIT) -> OfficeSearch:
    """Offices whose name or locality contains every word of `text` (any case, with or
    without Polish letters), by name; everything for an empty text."""
    words = fold(text).split()
    with Session.begin() as session:
        rows = session.execute(
            select(Office.id, Office.kind, Office.name, Office.locality, Office.origin)
            .order_by(Office.name, Office.id)
        ).all()
    found = [
        OfficeSummary(row.id, row.kind, row.name, row.locality, row.origin)
        for row in rows
        if all(word in fold(f"{row.name} {row.locality or ''}") for word in words)
    ]
    return OfficeSearch(found[:limit], len(found))


def save_office(record: OfficeRecord, *, by: str) -> SavedOffice:
    """Store a checked record over the row with its id; raises KeyError for an unknown id."""
    with Session.begin() as session:
        row = session.get(Office, record.id, with_for_update=True)
        if row is None:
            raise KeyError(record.id)
        before = _columns(_record(row))
        after = _columns(record)
        changed = tuple(name for name in after if after[name] != before[name])
        if not changed:
            return SavedOffice(())
        for name in changed:
            setattr(row, name, after[name])
        row.origin = ORIGIN_STAFF
        row.updated_at = utcnow()
        audit.write(session, by, "office_edit", record.id, "zmienione: " + ", ".join(changed))
        return SavedOffice(changed)
