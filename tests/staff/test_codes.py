"""Answer codes: random, unambiguous, shown grouped, accepted however a person types them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.escalation_codes import ALPHABET, LENGTH, format_code, new_code, normalise_code

codes = st.text(alphabet=ALPHABET, min_size=LENGTH, max_size=LENGTH)


def test_the_alphabet_has_no_look_alikes() -> None:
    for ambiguous in "0O1I2Z5S8BVGQD":
        assert ambiguous not in ALPHABET
    assert len(set(ALPHABET)) == len(ALPHABET) == 22


def test_new_codes_are_random_and_well_formed() -> None:
    drawn = {new_code() for _ in range(2000)}
    assert len(drawn) > 1990
    assert all(len(code) == LENGTH and set(code) <= set(ALPHABET) for code in drawn)


@given(codes, st.sampled_from(["{}", "{} ", " {}", "{}\t"]), st.booleans(), st.booleans())
def test_any_way_of_typing_a_code_gives_it_back(code: str, frame: str, dash: bool,
                                                lower: bool) -> None:
    shown = format_code(code) if dash else f"{code[:3]} {code[3:]}"
    typed = frame.format(shown.lower() if lower else shown)
    assert normalise_code(typed) == code


def test_codes_are_shown_in_two_groups() -> None:
    assert format_code("KF7M3X") == "KF7-M3X"
    assert normalise_code("kf7-m3x") == "KF7M3X"
    assert normalise_code("KF7 – M3X") == "KF7M3X"


@pytest.mark.parametrize("typed", ["", "KF7-M3", "KF7-M3XA", "KF0-M3X", "KF7-M3Ö",
                                   "KF7M3X" * 10, "'; DROP TABLE escalation; --"])
def test_what_cannot_be_a_code_is_refused(typed: str) -> None:
    assert normalise_code(typed) is None
