"""One directory row as a plain, immutable value (what the CSV holds and the database stores)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.directory.hours import WeeklyHours


@dataclass(frozen=True, slots=True)
class OfficeRecord:
    """An office, shelter or other place, with where its data came from.

    Empty values are None (or an empty tuple for phones), never empty strings.
    """

    id: str
    kind: str
    name: str
    confidence: str
    subtype: str | None = None
    street_address: str | None = None
    postal_code: str | None = None
    locality: str | None = None
    serves_gmina: str | None = None  # TERYT gmina code, 7 characters
    serves_powiat: str | None = None  # TERYT powiat code WOJ+POW, 4 characters
    phones: tuple[str, ...] = ()
    email: str | None = None
    website: str | None = None
    hours: WeeklyHours | None = None
    hours_text: str | None = None  # the hours as the source wrote them
    for_whom: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    source_url: str | None = None
    source_date: str | None = None  # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    verified_at: date | None = None
    note: str | None = None
