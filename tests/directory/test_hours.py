"""Opening hours: reading Polish text, the structured form, open now and next opening."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.directory.hours import WARSAW, HoursError, WeeklyHours, parse_hours


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("pn-pt 7:30-15:30", "pn-pt 07:30-15:30"),
        ("poniedziałek - piątek : 7:30 - 15:30", "pn-pt 07:30-15:30"),
        ("Poniedziałek - piątek \n07:30 - 15:30", "pn-pt 07:30-15:30"),
        ("Od poniedziałku do piątku w godzinach od 7:00 do 15:00.", "pn-pt 07:00-15:00"),
        ("7.00 - 15.00 od poniedziałku do piątku", "pn-pt 07:00-15:00"),
        ("7,30-15,30", "pn-pt 07:30-15:30"),  # bare hours of an office: Monday to Friday
        ("pn 8:00-16:00; wt-pt 7:00-15:00", "pn 08:00-16:00; wt-pt 07:00-15:00"),
        ("PON 8-18\nWT-CZW 8-16\nPT 8-14", "pn 08:00-18:00; wt-cz 08:00-16:00; pt 08:00-14:00"),
        ("pn., śr., cz. 7:00-15:00; wt. 7:00-17:00, pt. 7:00-13:00",
         "pn 07:00-15:00; wt 07:00-17:00; śr-cz 07:00-15:00; pt 07:00-13:00"),
        ("7.30-16.30 poniedziałek\n7.30 - 15.30 wtorek - czwartek\n7.30 - 14.30 piątek",
         "pn 07:30-16:30; wt-cz 07:30-15:30; pt 07:30-14:30"),
        ("poniedziałek oraz od środy do piątku w godz. od 7:30 do 15:30\nwtorek od 7:30 do 18:00",
         "pn 07:30-15:30; wt 07:30-18:00; śr-pt 07:30-15:30"),
        ("Poniedziałek   8:00 - 16:00 \nWtorek - Piątek  7:15 - 15:15\n"
         "Sobota - Niedziela  Nieczynne",
         "pn 08:00-16:00; wt-pt 07:15-15:15"),
        ("poniedziałek                  od 7:30- do 17:00", "pn 07:30-17:00"),
        ("pn 8-12, 13-16", "pn 08:00-12:00, 13:00-16:00"),
        # Night shelters: a range ending before it starts runs past midnight.
        ("pn-nd 18:00-08:00", "pn-nd 18:00-08:00"),
        ("codziennie 20:00-8:00", "pn-nd 20:00-08:00"),
        ("sb-nd 18:00-24:00", "sb-nd 18:00-24:00"),
        ("pt 22:00-00:00", "pt 22:00-24:00"),
        ("całodobowo", "pn-nd 00:00-24:00"),
        ("24h", "pn-nd 00:00-24:00"),
        ("dni robocze 8-16", "pn-pt 08:00-16:00"),
    ],
)
def test_hours_are_read(text: str, canonical: str) -> None:
    assert parse_hours(text).to_text() == canonical


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("pn 7:30-18:00; wt-czw 7:30-15:30 (piątek: zob. źródło)", "unexpected character"),
        ("CUS pn-pt 7:30-15:30; Biuro Obsługi Mieszkańców pn 8:00-17:00", "unknown word"),
        ("poniedziałek : 08:00 do 17:00\nwtorek-piątek 7:30 do 15:30\npiątek 7:30 do 14:30",
         "Friday is given twice"),
        ("Poniedziałek 7:30-1`5:30", "unexpected character"),
        ("Poniedziałek : 9 00 - 17 00", "no closing time"),
        ("pn-pt", "days without hours"),
        ("pn 8:00-16:00 wt", "days without hours"),
        ("8:00-16:00 wt 9:00-17:00", "hours without days"),
        ("pn 8:00-8:00", "same time"),
        ("pn 8:00-12:00, 11:00-16:00", "overlap"),
        ("pn 25:00-26:00", "not a time"),
        ("pn 8:61-9:00", "not a time"),
        ("pn 2022-2023", "cannot read"),
        ("nieczynne", "no opening hours"),
        ("", "no opening hours"),
        ("pn-nd 18:00-08:00, 07:00-09:00", "run into"),
        ("pn 20:00-10:00; wt 09:00-12:00", "run into"),
    ],
)
def test_unclear_hours_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(HoursError, match=reason):
        parse_hours(text)


def test_hours_without_days_need_days_for_places_other_than_offices() -> None:
    with pytest.raises(HoursError, match="say on which days"):
        parse_hours("18:00-08:00", bare_days=None)
    assert parse_hours("pn-nd 18:00-08:00", bare_days=None).to_text() == "pn-nd 18:00-08:00"


def test_json_form() -> None:
    hours = parse_hours("pn-pt 7:30-15:30; sb 18:00-02:00")
    data = hours.to_json()
    assert data["mon"] == [["07:30", "15:30"]]
    assert data["sat"] == [["18:00", "02:00"]]
    assert "sun" not in data
    assert WeeklyHours.from_json(data) == hours
    bad_forms: list[object] = [{"monday": []}, {"mon": [["7:30", "15:30"]]}, [],
                               {"mon": [["08:00"]]}]
    for bad in bad_forms:
        with pytest.raises(HoursError):
            WeeklyHours.from_json(bad)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=WARSAW)


OFFICE = parse_hours("pn 8:00-17:00; wt-pt 7:30-15:30")
NIGHT = parse_hours("pn-nd 18:00-08:00")
FRIDAY_NIGHT = parse_hours("pt 20:00-06:00")


@pytest.mark.parametrize(
    ("hours", "moment", "is_open", "closes", "opens"),
    [
        (OFFICE, "2026-11-23 10:00", True, "2026-11-23 17:00", None),  # Monday
        (OFFICE, "2026-11-23 17:00", False, None, "2026-11-24 07:30"),  # closing time: closed
        (OFFICE, "2026-11-27 16:00", False, None, "2026-11-30 08:00"),  # Friday after hours
        (OFFICE, "2026-11-28 12:00", False, None, "2026-11-30 08:00"),  # Saturday
        (NIGHT, "2026-11-24 02:00", True, "2026-11-24 08:00", None),  # Monday's night
        (NIGHT, "2026-11-24 12:00", False, None, "2026-11-24 18:00"),
        (NIGHT, "2026-11-23 07:59", True, "2026-11-23 08:00", None),  # Sunday's night
        (FRIDAY_NIGHT, "2026-11-28 05:00", True, "2026-11-28 06:00", None),  # Saturday early
        (FRIDAY_NIGHT, "2026-11-28 06:00", False, None, "2026-12-04 20:00"),
    ],
)
def test_open_now_and_next_opening(
    hours: WeeklyHours, moment: str, is_open: bool, closes: str | None, opens: str | None
) -> None:
    state = hours.state_at(at(moment))
    assert state.is_open is is_open
    assert state.closes_at == (at(closes) if closes else None)
    assert state.next_opening == (at(opens) if opens else None)
    assert hours.is_open(at(moment)) is is_open


def test_round_the_clock_never_closes() -> None:
    state = parse_hours("całodobowo").state_at(at("2026-11-25 03:00"))
    assert state.is_open is True and state.closes_at is None and state.next_opening is None


def test_moments_are_taken_in_warsaw_time() -> None:
    # 06:45 UTC on a winter Monday is 07:45 in Warsaw; in summer (UTC+2) 05:45 UTC is 07:45.
    assert OFFICE.is_open(datetime(2026, 11, 24, 6, 45, tzinfo=UTC))
    assert OFFICE.is_open(datetime(2026, 6, 2, 5, 45, tzinfo=UTC))
    assert not OFFICE.is_open(datetime(2026, 6, 2, 5, 15, tzinfo=UTC))
    # A naive datetime is Warsaw time already.
    assert OFFICE.is_open(datetime(2026, 11, 24, 7, 45))
    # Across the spring clock change the night shelter still closes at 08:00 local time.
    state = NIGHT.state_at(at("2026-03-29 01:00"))
    assert state.is_open and state.closes_at == at("2026-03-29 08:00")


@st.composite
def weekly_hours(draw: st.DrawFn) -> WeeklyHours:
    """Random hours, one range a day, night ranges included (invalid draws are rejected)."""
    days: list[tuple[tuple[int, int], ...]] = []
    for _ in range(7):
        if draw(st.booleans()):
            days.append(())
            continue
        start = draw(st.integers(0, 287)) * 5
        end = draw(st.integers(1, 288)) * 5
        days.append(((start, end),))
    try:
        return WeeklyHours(tuple(days))
    except HoursError:
        assume(False)
        raise


@given(weekly_hours())
def test_canonical_text_reads_back_to_the_same_hours(hours: WeeklyHours) -> None:
    assert parse_hours(hours.to_text(), bare_days=None) == hours
    assert WeeklyHours.from_json(hours.to_json()) == hours


@given(st.text(max_size=80))
def test_any_text_is_read_or_refused_never_crashes(text: str) -> None:
    with contextlib.suppress(HoursError):
        parse_hours(text)
