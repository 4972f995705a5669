"""Hypothesis strategies of the fuzz tests: hostile text, and directory CSV rows."""

from __future__ import annotations

import string
from datetime import date
from typing import TypeVar

from directory.strategies import weekly_hours
from hypothesis import strategies as st

from bot import textnorm
from bot.directory.csvformat import MAX_LENGTH
from bot.directory.kinds import CONFIDENCE, FOR_WHOM, KINDS, OPS_SUBTYPES
from bot.directory.record import OfficeRecord

T = TypeVar("T")

POLISH = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"
# Characters worth trying more often than chance would: Polish letters, every character of
# fold's dash and quote tables, compatibility forms, combining marks, controls, format
# characters, private use in every plane, separators, casefold oddities, emoji sequences.
SPECIAL = (
    POLISH
    + "".join(sorted(chr(k) for k in {**textnorm._DASHES, **textnorm._QUOTES}))
    + "łŁđĐðøØħıŀŧþÞæÆœŒĸßẞﬁﬀŉǰİΣςͅ"
    + "\u0301\u0328\u0307\u0338\u20dd\ufe20\u1ab0"
    + "\x00\x07\x1b\x7f\x85\x9f\t\n\r\x0b\x0c\xa0\u2028\u2029\u3000\u200b\u200d\ufeff\xad"
    + "\u0600\u06dd\u070f\u08e2\u180e\u2066\ufff9"
    + "\ue000\uf8ff\U000f0000\U0010fffd\U000e0001\U000e0041\U000e007f\U0001d173\U0001bca0"
    + "Ꭰꭰ😀👨\u200d👩🏴\U000e0067\U000e0062\U000e007f"
    + "①²½™ℌ㎏ﷺＡｚ"
)
# Any character but a lone surrogate (which cannot reach Python code as text from outside).
chars = st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(SPECIAL))
any_text = st.text(chars, max_size=200)

HOSTILE = (
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "'); DROP TABLE office; --",
    "1' OR '1'='1",
    "\"quoted\", with, commas",
    "=HYPERLINK(\"http://x\")",
    "${jndi:ldap://x}",
    "{{7*7}}",
    "%s%n%x",
    "\\N",
    "NULL",
    "😀 Zażółć gęślą jaźń",
    "\u202eodwrócony",
)


def hostile_text(max_size: int, *, multiline: bool = False) -> st.SearchStrategy[str]:
    """Printable text (no control characters but ``\\n`` and ``\\t`` when ``multiline``),
    stripped and non-empty, often holding HTML, SQL, CSV or template syntax."""
    alphabet = st.characters(
        blacklist_categories=("Cc", "Cs"), whitelist_characters="\n\t" if multiline else ""
    )
    free = st.text(alphabet, min_size=1, max_size=min(max_size, 120))
    mixed = st.lists(st.sampled_from(HOSTILE) | free, min_size=1, max_size=4).map(
        ("\n" if multiline else " ").join
    )
    # Long text is made, not drawn character by character (that would be slow).
    near_limit = st.tuples(st.integers(max(1, max_size - 3), max_size), free).map(
        lambda nf: (nf[1] * nf[0])[: nf[0]]
    )
    return (free | mixed | near_limit).map(lambda s: s.strip()[:max_size].strip()).filter(bool)


# ------------------------------------------------------------------ directory records

_ALNUM = string.ascii_letters + string.digits
_LOWER = string.ascii_lowercase + string.digits


def _word(alphabet: str, min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(alphabet), min_size=min_size, max_size=max_size)


def _optional(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


_PHONE = st.lists(st.integers(10, 999), min_size=2, max_size=4).map(
    lambda parts: " ".join(str(p) for p in parts)
) | st.integers(100_000_000, 999_999_999).map(lambda n: f"+48 {n}")
_DATES = st.dates(date(1990, 1, 1), date(2030, 12, 31))


@st.composite
def office_records(draw: st.DrawFn, gminas: tuple[str, ...]) -> OfficeRecord:
    """A valid record (every check of `check_row` passes) for a register holding
    ``gminas`` and their powiats. Free text is hostile: HTML, SQL, CSV syntax, any script,
    line breaks where allowed, lengths up to each column's limit."""
    gmina = draw(st.sampled_from(gminas))
    area = draw(st.sampled_from(["gmina", "powiat", "both"]))
    kind = draw(st.sampled_from(KINDS))
    latitude = draw(st.none() | st.floats(49.0, 54.8))
    source_date = draw(_optional(_DATES.flatmap(
        lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]])
    )))

    def text(column: str, *, multiline: bool = False) -> str | None:
        return draw(_optional(hostile_text(MAX_LENGTH[column], multiline=multiline)))

    return OfficeRecord(
        id=draw(st.sampled_from(_ALNUM)) + draw(_word(_ALNUM + "._-", 0, 20)),
        kind=kind,
        name=draw(hostile_text(MAX_LENGTH["name"])),
        confidence=draw(st.sampled_from(CONFIDENCE)),
        subtype=draw(_optional(st.sampled_from(OPS_SUBTYPES))),
        street_address=text("street_address"),
        postal_code=draw(_optional(st.integers(0, 99_999).map(
            lambda n: f"{n // 1000:02d}-{n % 1000:03d}"))),
        locality=text("locality"),
        serves_gmina=None if area == "powiat" else gmina,
        serves_powiat=None if area == "gmina" else gmina[:4],
        phones=tuple(draw(st.lists(_PHONE, max_size=3, unique=True))),
        email=draw(_optional(st.builds("{}@{}.{}".format, _word(_LOWER + "._+-", 1, 12),
                                       _word(_LOWER, 1, 10), _word("plcomeu", 2, 4)))),
        website=draw(_optional(st.builds("https://{}.pl/{}".format, _word(_LOWER, 1, 10),
                                         _word(_LOWER + "/-_?=&%", 0, 30)))),
        hours=draw(_optional(weekly_hours())),
        hours_text=text("hours_text", multiline=True),
        for_whom=draw(_optional(st.sampled_from(FOR_WHOM))),
        latitude=latitude,
        longitude=None if latitude is None else draw(st.floats(14.2, 24.1)),
        source_url=draw(_optional(st.builds("http://{}.gov.pl/{}".format, _word(_LOWER, 1, 8),
                                            _word(_LOWER + "/.-", 0, 20)))),
        source_date=source_date,
        verified_at=draw(_optional(_DATES)),
        note=text("note", multiline=True),
    )
