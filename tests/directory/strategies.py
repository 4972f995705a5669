"""Hypothesis strategies for valid directory records (over the tiny test register)."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from hypothesis import strategies as st

from bot.directory.hours import WeeklyHours, parse_hours
from bot.directory.kinds import CONFIDENCE, FOR_WHOM, KINDS, OPS_SUBTYPES
from bot.directory.record import OfficeRecord

from .conftest import SMALL_GMINAS

T = TypeVar("T")

# Any printable text, including HTML/SQL-looking and non-Latin characters.
_CHARS = st.characters(blacklist_categories=("Cc", "Cs"))
_MULTILINE = st.characters(blacklist_categories=("Cc", "Cs"), whitelist_characters="\n\t")


def _text(max_size: int, *, multiline: bool = False) -> st.SearchStrategy[str]:
    alphabet = _MULTILINE if multiline else _CHARS
    return st.text(alphabet, min_size=1, max_size=max_size).map(str.strip).filter(bool)


def _optional(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


_DAY = st.none() | st.lists(st.integers(0, 288), min_size=2, max_size=2, unique=True).map(
    lambda pair: (min(pair) * 5, max(pair) * 5)
)
_NIGHTS = [
    parse_hours(text, bare_days=None)
    for text in ("pn-nd 18:00-08:00", "pt 22:00-06:00; sb 22:00-24:00", "pn-nd 00:00-24:00")
]


def weekly_hours() -> st.SearchStrategy[WeeklyHours]:
    """Valid hours by construction: one range per day, or a night-shelter pattern."""
    days = st.tuples(*[_DAY] * 7).filter(lambda ds: any(d is not None for d in ds)).map(
        lambda ds: WeeklyHours(tuple(() if d is None else (d,) for d in ds))
    )
    return days | st.sampled_from(_NIGHTS)


_PARTIAL_DATES = st.dates(date(1990, 1, 1), date(2030, 12, 31)).flatmap(
    lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]])
)


@st.composite
def office_records(draw: st.DrawFn) -> OfficeRecord:
    gmina = draw(st.sampled_from(SMALL_GMINAS))
    area = draw(st.sampled_from(["gmina", "powiat", "both"]))
    latitude = draw(st.none() | st.floats(49.0, 54.8))
    return OfficeRecord(
        id=draw(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}", fullmatch=True)),
        kind=draw(st.sampled_from(KINDS)),
        name=draw(_text(60)),
        confidence=draw(st.sampled_from(CONFIDENCE)),
        subtype=draw(_optional(st.sampled_from(OPS_SUBTYPES))),
        street_address=draw(_optional(_text(40))),
        postal_code=draw(_optional(st.from_regex(r"[0-9]{2}-[0-9]{3}", fullmatch=True))),
        locality=draw(_optional(_text(30))),
        serves_gmina=None if area == "powiat" else gmina,
        serves_powiat=None if area == "gmina" else gmina[:4],
        phones=tuple(draw(st.lists(
            st.from_regex(r"\+?[0-9]{2,3}( [0-9]{2,3}){1,3}", fullmatch=True),
            max_size=3, unique=True))),
        email=draw(_optional(st.from_regex(r"[a-z0-9.]{1,10}@[a-z0-9]{1,10}\.[a-z]{2,4}",
                                           fullmatch=True))),
        website=draw(_optional(st.from_regex(r"https?://[a-z0-9]{1,10}\.[a-z]{2,4}(/[a-z0-9]{1,8})?",
                                             fullmatch=True))),
        hours=draw(_optional(weekly_hours())),
        hours_text=draw(_optional(_text(60, multiline=True))),
        for_whom=draw(_optional(st.sampled_from(FOR_WHOM))),
        latitude=latitude,
        longitude=None if latitude is None else draw(st.floats(14.2, 24.1)),
        source_url=draw(_optional(st.from_regex(r"https://[a-z]{1,10}\.pl/[a-z0-9?=&%-]{0,20}",
                                                fullmatch=True))),
        source_date=draw(_optional(_PARTIAL_DATES)),
        verified_at=draw(_optional(st.dates(date(2000, 1, 1), date(2030, 12, 31)))),
        note=draw(_optional(_text(80, multiline=True))),
    )
