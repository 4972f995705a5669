"""A valid directory row and helpers to write test CSV files."""

from __future__ import annotations

import csv
import io

from bot.directory.csvformat import COLUMNS

VALID = {
    "id": "ops-sosnowiec",
    "kind": "ops",
    "subtype": "MOPS",
    "name": "Miejski Ośrodek Pomocy Społecznej w Sosnowcu",
    "street_address": "ul. 3 Maja 33",
    "postal_code": "41-200",
    "locality": "Sosnowiec",
    "serves_gmina": "2475011",
    "serves_powiat": "",
    "phones": "32 296 22 01; +48 (32) 296-22-02",
    "email": "kancelaria@mopssosnowiec.pl",
    "website": "https://mopssosnowiec.pl",
    "hours": "pn 7:30-18:00; wt-pt 7:30-15:30",
    "hours_text": "pn 7:30-18:00\nwt-pt 7:30-15:30",
    "for_whom": "any",
    "latitude": "50.2863",
    "longitude": "19.1041",
    "source_url": "https://mopssosnowiec.pl/o-osrodku",
    "source_date": "2025-10",
    "confidence": "high",
    "verified_at": "2026-11-20",
    "note": "Line one.\nLine two.",
}


def csv_bytes(*rows: dict[str, str], header: list[str] | None = None, newline: str = "\n",
              bom: bool = False) -> bytes:
    names = header or list(COLUMNS)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(names)
    for row in rows:
        writer.writerow([row.get(name, "") for name in names])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def with_(**changes: str) -> dict[str, str]:
    return {**VALID, **changes}
