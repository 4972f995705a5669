"""Opening hours: reading Polish text ("pn-pt 7:30-15:30"), a structured form, open-now.

`parse_hours` reads what offices publish: days as words or abbreviations
("poniedziałek - piątek", "pn.-pt.", "od wtorku do czwartku", "wt, śr i czw"), times as
"7:30", "7.30", "7,30" or whole hours ("8-16"), ranges with "-" or "od ... do ...", days
before or after the times, "nieczynne" for closed days and "całodobowo"/"24h" for
round-the-clock. A range whose end is earlier than its start runs past midnight
(a night shelter's "pn-nd 18:00-08:00"). Anything it does not understand (an unknown
word, a footnote mark, a day given twice, brackets) makes it refuse with `HoursError`
rather than guess: such text is kept as text only.

`WeeklyHours` is the structured form: for each weekday, Monday first, a tuple of
(open, close) minute pairs. Its JSON form is ``{"mon": [["07:30", "15:30"]], ...}``
(days without hours are closed and left out) and its canonical text is what `parse_hours`
reads back to the same value: ``"pn-pt 07:30-15:30; sb 08:00-12:00"``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Final
from zoneinfo import ZoneInfo

from bot.textnorm import fold

WARSAW: Final = ZoneInfo("Europe/Warsaw")
WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_LABELS: Final = ("pn", "wt", "śr", "cz", "pt", "sb", "nd")
DAY_NAMES: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WORKDAYS: Final = frozenset(range(5))
ALL_DAYS: Final = frozenset(range(7))
DAY_MINUTES: Final = 24 * 60
MAX_TEXT: Final = 2000

Interval = tuple[int, int]
"""(open, close) in minutes after midnight. close < open: the range ends the next day;
close == 1440: it ends at midnight ("24:00")."""


class HoursError(ValueError):
    """Opening hours that cannot be read; the message says why, in plain words."""


# ------------------------------------------------------------------ structured form


def _fmt_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _check_day(day: int, intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Sorted intervals of one day, after checking each and that they do not overlap."""
    out = sorted(intervals)
    for start, end in out:
        if not (0 <= start < DAY_MINUTES and 0 <= end <= DAY_MINUTES):
            raise HoursError(f"{DAY_NAMES[day]}: time out of range")
        if start == end:
            raise HoursError(
                f"{DAY_NAMES[day]}: {_fmt_minutes(start)}-{_fmt_minutes(end)} opens and closes "
                "at the same time"
            )
    for (s1, e1), (s2, _e2) in pairwise(out):
        if (e1 if e1 > s1 else DAY_MINUTES) > s2:
            raise HoursError(f"{DAY_NAMES[day]}: the hours overlap")
    return tuple(out)


@dataclass(frozen=True, slots=True)
class OpeningState:
    """Whether a place is open at a moment; None when its hours are not known."""

    is_open: bool | None
    closes_at: datetime | None = None  # when open: the end of the current opening
    next_opening: datetime | None = None  # when closed: the next start within a week


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Opening hours for each weekday, Monday first."""

    days: tuple[tuple[Interval, ...], ...]

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise HoursError("opening hours need seven days")
        checked = tuple(_check_day(day, ranges) for day, ranges in enumerate(self.days))
        if not any(checked):
            raise HoursError("no opening hours given (every day closed)")
        for day, ranges in enumerate(checked):
            for start, end in ranges:
                if end < start:  # runs into the next day: must end before that day opens
                    following = checked[(day + 1) % 7]
                    if following and following[0][0] < end:
                        raise HoursError(
                            f"{DAY_NAMES[day]}: the night hours run into "
                            f"{DAY_NAMES[(day + 1) % 7]}'s hours"
                        )
        object.__setattr__(self, "days", checked)

    # -- conversions

    @classmethod
    def from_mapping(cls, data: Mapping[int, Iterable[Interval]]) -> WeeklyHours:
        return cls(tuple(tuple(data.get(day, ())) for day in range(7)))

    def to_json(self) -> dict[str, list[list[str]]]:
        return {
            WEEKDAYS[day]: [[_fmt_minutes(s), _fmt_minutes(e)] for s, e in ranges]
            for day, ranges in enumerate(self.days)
            if ranges
        }

    @classmethod
    def from_json(cls, data: object) -> WeeklyHours:
        if not isinstance(data, dict):
            raise HoursError("opening hours must be an object of weekdays")
        days: dict[int, list[Interval]] = {}
        for key, ranges in data.items():
            if key not in WEEKDAYS:
                raise HoursError(f"unknown weekday {key!r}")
            if not isinstance(ranges, list):
                raise HoursError(f"{key}: expected a list of [open, close] pairs")
            parsed: list[Interval] = []
            for pair in ranges:
                if not (isinstance(pair, list) and len(pair) == 2):
                    raise HoursError(f"{key}: expected [open, close] pairs")
                parsed.append((_json_time(pair[0], close=False), _json_time(pair[1], close=True)))
            days[WEEKDAYS.index(key)] = parsed
        return cls.from_mapping(days)

    def to_text(self) -> str:
        """Canonical text: consecutive days with the same hours grouped, e.g.
        ``"pn-pt 07:30-15:30; sb 08:00-12:00"``; `parse_hours` reads it back unchanged."""
        parts: list[str] = []
        day = 0
        while day < 7:
            ranges = self.days[day]
            last = day
            while last + 1 < 7 and self.days[last + 1] == ranges:
                last += 1
            if ranges:
                label = DAY_LABELS[day] if last == day else f"{DAY_LABELS[day]}-{DAY_LABELS[last]}"
                times = ", ".join(f"{_fmt_minutes(s)}-{_fmt_minutes(e)}" for s, e in ranges)
                parts.append(f"{label} {times}")
            day = last + 1
        return "; ".join(parts)

    # -- open now

    def _periods(self, around: date) -> list[tuple[datetime, datetime]]:
        """Concrete opening periods from the day before `around` to a week after, merged
        where one ends exactly when the next begins."""
        periods: list[tuple[datetime, datetime]] = []
        for offset in range(-1, 9):
            day = around + timedelta(days=offset)
            for start, end in self.days[day.weekday()]:
                begin = _at(day, start)
                if end <= start or end == DAY_MINUTES:
                    finish = _at(day + timedelta(days=1), end % DAY_MINUTES)
                else:
                    finish = _at(day, end)
                periods.append((begin, finish))
        periods.sort()
        merged: list[tuple[datetime, datetime]] = []
        for begin, finish in periods:
            if merged and begin <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
            else:
                merged.append((begin, finish))
        return merged

    def state_at(self, when: datetime) -> OpeningState:
        """Open or closed at `when` (naive means Warsaw local time), with the time it
        closes or next opens; `closes_at` is None when it never closes within the week."""
        moment = to_warsaw(when)
        periods = self._periods(moment.date())
        horizon = periods[-1][1] if periods else moment
        for begin, finish in periods:
            if begin <= moment < finish:
                return OpeningState(True, closes_at=None if finish >= horizon else finish)
            if begin > moment:
                return OpeningState(False, next_opening=begin)
        return OpeningState(False)

    def is_open(self, when: datetime) -> bool:
        return bool(self.state_at(when).is_open)


def to_warsaw(when: datetime) -> datetime:
    """`when` in Warsaw time (a naive datetime is taken to be Warsaw time already)."""
    if when.tzinfo is None:
        return when.replace(tzinfo=WARSAW)
    return when.astimezone(WARSAW)


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=WARSAW)


_JSON_TIME_RE = re.compile(r"([0-9]{2}):([0-9]{2})")


def _json_time(value: object, *, close: bool) -> int:
    match = _JSON_TIME_RE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise HoursError(f"{value!r} is not a time written HH:MM")
    return _minutes(int(match[1]), int(match[2]), close=close)


def _minutes(hour: int, minute: int, *, close: bool) -> int:
    if minute > 59 or hour > 24 or (hour == 24 and (minute or not close)):
        raise HoursError(f"{hour}:{minute:02d} is not a time of day")
    return hour * 60 + minute


# ------------------------------------------------------------------ reading text

_DAY_WORDS: Final[dict[str, int]] = {
    **dict.fromkeys(("pn", "pon", "poniedzialek", "poniedzialki", "poniedzialku"), 0),
    **dict.fromkeys(("wt", "wto", "wtorek", "wtorki", "wtorku"), 1),
    **dict.fromkeys(("sr", "sro", "sroda", "srody", "srode", "srod"), 2),
    **dict.fromkeys(("cz", "czw", "czwartek", "czwartki", "czwartku"), 3),
    **dict.fromkeys(("pt", "pia", "piat", "piatek", "piatki", "piatku"), 4),
    **dict.fromkeys(("sb", "sob", "sobota", "soboty", "sobote", "sobot"), 5),
    **dict.fromkeys(("nd", "ndz", "niedz", "niedziela", "niedziele", "niedzieli", "niedziel"), 6),
}
_FILLER: Final = frozenset(
    {"w", "godz", "godzina", "godziny", "godzinach", "godzinie", "czynne", "czynny", "czynna",
     "otwarte", "otwarty", "otwarta", "pracy", "urzedowania"}
)
_CLOSED: Final = frozenset({"nieczynne", "nieczynny", "nieczynna", "zamkniete", "zamkniety",
                            "zamknieta", "wolne"})
_SEPARATORS: Final = frozenset({"i", "oraz"})
_REWRITES: Final = (
    (re.compile(r"\b24\s*h\b|\b24\s*/\s*7\b|\bcalodobow\w*|\bcala dobe\b|\bcalej dobie\b"),
     " ~allday~ "),
    (re.compile(r"\bcodziennie\b|\bwszystkie dni\b"), " pn-nd "),
    (re.compile(r"\bdni (?:robocze|powszednie)\b"), " pn-pt "),
    (re.compile(r"\bweekendy?\b"), " sb-nd "),
)
_TOKEN_RE = re.compile(
    r"(?P<time>[0-9]+(?:[:.,][0-9]+)?)|~(?P<allday>allday)~|(?P<word>[a-z]+)|(?P<dash>-)"
    r"|(?P<sep>[,;])|(?P<punct>[.:])|(?P<space>\s+)|(?P<other>.)"
)
_TIME_RE = re.compile(r"([0-9]{1,2})(?:[:.,]([0-9]{2}))?")


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # day, time, dash, do, od, sep, closed, allday
    day: int = 0
    hour: int = 0
    minute: int = 0


def _tokens(text: str) -> list[_Token]:
    folded = fold(text)
    for pattern, replacement in _REWRITES:
        folded = pattern.sub(replacement, folded)
    out: list[_Token] = []
    for match in _TOKEN_RE.finditer(folded):
        kind = match.lastgroup
        value = match.group()
        if kind == "time":
            parsed = _TIME_RE.fullmatch(value)
            if parsed is None:
                raise HoursError(f"cannot read {value!r} as a time")
            out.append(_Token("time", hour=int(parsed[1]), minute=int(parsed[2] or 0)))
        elif kind == "allday":
            out.append(_Token("allday"))
        elif kind == "word":
            if value in _DAY_WORDS:
                out.append(_Token("day", day=_DAY_WORDS[value]))
            elif value in ("od", "do"):
                out.append(_Token(value))
            elif value in _CLOSED:
                out.append(_Token("closed"))
            elif value in _SEPARATORS:
                out.append(_Token("sep"))
            elif value not in _FILLER:
                raise HoursError(f"unknown word {value!r}")
        elif kind in ("dash", "sep"):
            out.append(_Token(kind))
        elif kind == "other":
            raise HoursError(f"unexpected character {value!r}")
    return out


@dataclass(frozen=True, slots=True)
class _Days:
    days: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class _Spec:
    kind: str  # "range", "closed", "allday"
    interval: Interval = (0, 0)


def _day_span(first: int, last: int) -> tuple[int, ...]:
    return tuple((first + step) % 7 for step in range((last - first) % 7 + 1))


def _items(tokens: list[_Token]) -> list[_Days | _Spec]:
    items: list[_Days | _Spec] = []
    i = 0
    count = len(tokens)
    while i < count:
        token = tokens[i]
        if token.kind == "day":
            last = token.day
            j = i + 1
            if j + 1 < count and tokens[j].kind in ("dash", "do") and tokens[j + 1].kind == "day":
                last = tokens[j + 1].day
                j += 2
            items.append(_Days(_day_span(token.day, last)))
            i = j
        elif token.kind == "time":
            j = i + 1
            linked = False
            while j < count and tokens[j].kind in ("dash", "do") and not (
                linked and tokens[j].kind == "dash"
            ):
                linked = True
                j += 1
            if not linked or j >= count or tokens[j].kind != "time":
                raise HoursError(f"{token.hour}:{token.minute:02d} has no closing time")
            end = tokens[j]
            start_min = _minutes(token.hour, token.minute, close=False)
            end_min = _minutes(end.hour, end.minute, close=True)
            if end_min == 0 and start_min > 0:
                end_min = DAY_MINUTES  # "18:00-00:00" ends at midnight
            items.append(_Spec("range", (start_min, end_min)))
            i = j + 1
        elif token.kind in ("closed", "allday"):
            items.append(_Spec(token.kind))
            i += 1
        elif token.kind == "do":
            raise HoursError("'do' without a day or time before it")
        else:  # od, dash, sep: separators
            i += 1
    return items


def _assign(
    result: dict[int, list[Interval]], days: Iterable[int], specs: list[_Spec]
) -> None:
    kinds = {spec.kind for spec in specs}
    if "closed" in kinds and len(specs) > 1:
        raise HoursError("a day is given as both closed and open")
    intervals = [
        (0, DAY_MINUTES) if spec.kind == "allday" else spec.interval
        for spec in specs
        if spec.kind != "closed"
    ]
    for day in days:
        if day in result:
            raise HoursError(f"{DAY_NAMES[day]} is given twice")
        result[day] = list(intervals)


def parse_hours(text: str, *, bare_days: Collection[int] | None = WORKDAYS) -> WeeklyHours:
    """Read opening hours written in Polish; raise `HoursError` saying what is unclear.

    `bare_days` are the days meant by hours written without any day ("7:30-15:30"); with
    None such text is refused.
    """
    if len(text) > MAX_TEXT:
        raise HoursError(f"text longer than {MAX_TEXT} characters")
    items = _items(_tokens(text))
    if not items:
        raise HoursError("no opening hours found")
    result: dict[int, list[Interval]] = {}
    days: list[int] = []
    specs: list[_Spec] = []
    days_first = isinstance(items[0], _Days)
    for item in items:
        if isinstance(item, _Days):
            if not days_first and not specs:
                raise HoursError("days without hours")
            if days_first and specs:
                _assign(result, days, specs)
                days, specs = [], []
            days.extend(item.days)
        else:
            if not days_first and days:
                _assign(result, days, specs)
                days, specs = [], []
            specs.append(item)
    if days_first:
        if not specs:
            raise HoursError("days without hours")
        _assign(result, days, specs)
    elif days:
        _assign(result, days, specs)
    elif result:
        raise HoursError("hours without days")
    else:
        if all(spec.kind == "allday" for spec in specs):
            _assign(result, ALL_DAYS, specs)
        elif bare_days is None:
            raise HoursError("hours without days: say on which days (e.g. 'pn-nd 18:00-08:00')")
        else:
            _assign(result, sorted(bare_days), specs)
    return WeeklyHours.from_mapping(result)
