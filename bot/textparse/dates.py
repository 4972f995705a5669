"""Release dates as people write them: "15 grudnia", "15.12", "15 12 2026",
"za 2 tygodnie", "za miesiąc", "jutro", "w piątek"... without diacritics or with typos.

`parse_date(text, today)` returns a `date`, UNKNOWN when the person says they do not know,
or None when the text holds no date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final

from bot.textnorm import edit_distance, fold
from bot.textparse.numbers import _word_value

UNKNOWN: Final = "unknown"

# Folded month stems -> month number ("grudnia", "grudzien", "grudniu", "gru").
_MONTHS = {
    "styczen": 1, "stycznia": 1, "styczniu": 1, "sty": 1,
    "luty": 2, "lutego": 2, "lutym": 2, "lut": 2,
    "marzec": 3, "marca": 3, "marcu": 3, "mar": 3,
    "kwiecien": 4, "kwietnia": 4, "kwietniu": 4, "kwi": 4,
    "maj": 5, "maja": 5, "maju": 5,
    "czerwiec": 6, "czerwca": 6, "czerwcu": 6, "cze": 6,
    "lipiec": 7, "lipca": 7, "lipcu": 7, "lip": 7,
    "sierpien": 8, "sierpnia": 8, "sierpniu": 8, "sie": 8,
    "wrzesien": 9, "wrzesnia": 9, "wrzesniu": 9, "wrz": 9,
    "pazdziernik": 10, "pazdziernika": 10, "pazdzierniku": 10, "paz": 10,
    "listopad": 11, "listopada": 11, "listopadzie": 11, "lis": 11,
    "grudzien": 12, "grudnia": 12, "grudniu": 12, "gru": 12,
}
_WEEKDAYS = {"poniedzialek": 0, "wtorek": 1, "srode": 2, "sroda": 2, "czwartek": 3,
             "piatek": 4, "sobote": 5, "sobota": 5, "niedziele": 6, "niedziela": 6}
_DONT_KNOW = re.compile(
    r"\b(nie wiem|nie wiadomo|nie pamietam|nie znam|nie jestem pewien|nie jestem pewna"
    r"|nie mam pojecia|jeszcze nie wiem|trudno powiedziec|niewiem|nwm|nie wiem jeszcze)\b"
)
_UNITS = {"dzien": 1, "dni": 1, "dzionki": 1, "tydzien": 7, "tygodnie": 7, "tygodni": 7,
          "tydz": 7, "tyg": 7, "miesiac": 30, "miesiace": 30, "miesiecy": 30, "mies": 30,
          "msc": 30, "rok": 365, "lata": 365, "lat": 365}
MAX_YEARS_AHEAD = 30
MAX_DAYS_BACK = 365


def _month(word: str) -> int | None:
    if word in _MONTHS:
        return _MONTHS[word]
    if len(word) >= 5:
        for known, value in _MONTHS.items():
            if len(known) >= 5 and edit_distance(word, known, 1) <= 1:
                return value
    return None


def _unit(word: str) -> int | None:
    if word in _UNITS:
        return _UNITS[word]
    for known, days in _UNITS.items():
        if len(known) >= 5 and edit_distance(word, known, 1) <= 1:
            return days
    return None


def _build(year: int | None, month: int, day: int, today: date) -> date | None:
    if year is not None and year < 100:
        year += 2000
    try:
        candidate = date(year or today.year, month, day)
    except ValueError:
        return None
    if year is None and candidate < today - timedelta(days=60):
        candidate = candidate.replace(year=today.year + 1)  # "15 stycznia" said in November
    return _plausible(candidate, today)


def _plausible(candidate: date, today: date) -> date | None:
    if today - timedelta(days=MAX_DAYS_BACK) <= candidate <= today.replace(
        year=today.year + MAX_YEARS_AHEAD
    ):
        return candidate
    return None


def _add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError("unreachable")


def parse_date(text: str, today: date) -> date | str | None:
    folded = fold(text)[:300]
    if not folded:
        return None
    # 2026-12-15
    iso = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", folded)
    if iso:
        return _build(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)), today)
    # 15.12.2026, 15-12-26, 15/12, 15.12
    numeric = re.search(r"\b(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?\b", folded)
    if numeric:
        numeric_year = int(numeric.group(3)) if numeric.group(3) else None
        return _build(numeric_year, int(numeric.group(2)), int(numeric.group(1)), today)
    tokens = re.findall(r"[a-z]+|\d+", folded)
    # "15 grudnia (2026)", "piętnastego grudnia" is rare; "grudzien 15" too
    for index, token in enumerate(tokens):
        found_month = _month(token) if not token.isdigit() else None
        if found_month is None:
            continue
        month = found_month
        before = tokens[index - 1] if index else ""
        after = tokens[index + 1] if index + 1 < len(tokens) else ""
        day = int(before) if before.isdigit() else (int(after) if after.isdigit()
                                                     and len(after) <= 2 else None)
        if len(token) <= 3 and day is None:
            continue  # "sie", "lis", "mar" are words too: an abbreviation needs a day
        year_token = tokens[index + 1] if before.isdigit() and index + 1 < len(tokens) else (
            tokens[index + 2] if index + 2 < len(tokens) else "")
        year = int(year_token) if year_token.isdigit() and len(year_token) == 4 else None
        if day is None:  # "w grudniu": the first day of that month
            built = _build(year, month, 1, today)
            if built is not None and built < today:
                built = today if built.month == today.month else built
            return built
        return _build(year, month, day, today)
    # "15 12 2026" or "15 12"
    spaced = re.fullmatch(r"(\d{1,2}) (\d{1,2})(?: (\d{4}))?", folded)
    if spaced:
        year = int(spaced.group(3)) if spaced.group(3) else None
        return _build(year, int(spaced.group(2)), int(spaced.group(1)), today)
    if _DONT_KNOW.search(folded):
        return UNKNOWN
    relative = _relative(tokens, today)
    if relative is not None:
        return relative
    return None


def _relative(tokens: list[str], today: date) -> date | None:
    words = set(tokens)
    if words & {"dzis", "dzisiaj", "teraz", "dzisiej"}:
        return today
    if words & {"pojutrze"}:
        return today + timedelta(days=2)
    if words & {"jutro", "jutra"}:
        return today + timedelta(days=1)
    if words & {"wczoraj"}:
        return today - timedelta(days=1)
    if "przyszlym" in words or "przyszly" in words or "nastepnym" in words:
        if words & {"tygodniu", "tydzien"}:
            return today + timedelta(days=7 - today.weekday())
        if words & {"miesiacu", "miesiac"}:
            return _add_months(today.replace(day=1), 1)
        if words & {"roku", "rok"}:
            return date(today.year + 1, 1, 1)
    for index, token in enumerate(tokens):
        if token not in ("za", "po") or index + 1 >= len(tokens):
            continue
        rest = tokens[index + 1: index + 3]
        count: int | None = 1
        unit_word = rest[0]
        if rest[0].isdigit() and len(rest) > 1:
            count, unit_word = int(rest[0]), rest[1]
        elif _word_value(rest[0]) is not None and len(rest) > 1:
            count, unit_word = _word_value(rest[0]), rest[1]
        elif rest[0] in ("pol", "polroku"):
            count, unit_word = 6, "miesiecy"
        unit = _unit(unit_word)
        if unit is None or count is None or count > 400:
            continue
        if unit == 30:
            return _plausible(_add_months(today, count), today)
        if unit == 365:
            return _plausible(today.replace(year=today.year + count), today)
        return _plausible(today + timedelta(days=count * unit), today)
    for token in tokens:
        weekday = _WEEKDAYS.get(token)
        if weekday is not None:
            ahead = (weekday - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
    return None
