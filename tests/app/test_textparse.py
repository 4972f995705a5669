"""Dates and numbers as people type them (no diacritics, typos, words)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.textparse.dates import UNKNOWN, parse_date
from bot.textparse.numbers import amount, household_size

TODAY = date(2026, 11, 22)  # a Sunday


@pytest.mark.parametrize(("text", "expected"), [
    ("15 grudnia", date(2026, 12, 15)),
    ("15 grudnia 2026", date(2026, 12, 15)),
    ("wychodze 15 grudnia", date(2026, 12, 15)),
    ("15 grudzien", date(2026, 12, 15)),
    ("15 grudnai", date(2026, 12, 15)),  # typo
    ("3 STYCZNIA", date(2027, 1, 3)),  # January said in November is next year
    ("15.12", date(2026, 12, 15)),
    ("15.12.2026", date(2026, 12, 15)),
    ("15-12-26", date(2026, 12, 15)),
    ("15 12 2026", date(2026, 12, 15)),
    ("2027-02-01", date(2027, 2, 1)),
    ("w marcu", date(2027, 3, 1)),
    ("jutro", date(2026, 11, 23)),
    ("dzisiaj wyszedlem", TODAY),
    ("wczoraj", date(2026, 11, 21)),
    ("za tydzien", date(2026, 11, 29)),
    ("za 2 tygodnie", date(2026, 12, 6)),
    ("za dwa tygodnie", date(2026, 12, 6)),
    ("za 3 miesiace", date(2027, 2, 22)),
    ("za miesiąc", date(2026, 12, 22)),
    ("za pol roku", date(2027, 5, 22)),
    ("w przyszlym tygodniu", date(2026, 11, 23)),
    ("w piatek", date(2026, 11, 27)),
    ("nie wiem", UNKNOWN),
    ("jeszcze nie wiadomo", UNKNOWN),
])
def test_release_dates(text: str, expected: date | str) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["", "sosnowiec", "31.02", "45 grudnia", "za duzo",
                                  "chce sie zabic", "lis i mar",
                                  "15.12.1990", "<script>", "\x00\x01"])
def test_not_a_date(text: str) -> None:
    assert parse_date(text, TODAY) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("1", 1), ("3", 3), ("3 osoby", 3), ("trzy", 3), ("troje", 3), ("czworo", 4),
    ("sam", 1), ("mieszkam sama", 1), ("dwie osoby", 2), ("we dwoje", 2),
    ("czetry", 4), ("20", 20),
])
def test_household_sizes(text: str, expected: int) -> None:
    assert household_size(text) == expected


@pytest.mark.parametrize("text", ["", "duzo", "0", "21", "2 albo 3", "nie wiem"])
def test_not_a_household_size(text: str) -> None:
    assert household_size(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("1200", 1200.0), ("1 200 zł", 1200.0), ("1200zl", 1200.0), ("1.200", 1200.0),
    ("850,50", 850.5), ("1,5 tys", 1500.0), ("2 tys.", 2000.0), ("półtora tysiąca", 1500.0),
    ("tysiac dwiescie", 1200.0), ("dwa tysiace trzysta", 2300.0), ("osiemset zl", 800.0),
    ("nic", 0.0), ("nie mam dochodu", 0.0), ("0", 0.0), ("zero", 0.0),
    ("dostaje 900 zl renty", 900.0),
])
def test_amounts(text: str, expected: float) -> None:
    assert amount(text) == expected


@pytest.mark.parametrize("text", ["", "duzo", "800 albo 900", "9999999", "nie wiem"])
def test_not_an_amount(text: str) -> None:
    assert amount(text) is None
