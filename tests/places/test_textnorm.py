"""Tests of bot.textnorm."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.textnorm import clean, edit_distance, fold, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Łódź", "lodz"),
        ("ŻÓŁĆ gęślą jaźń", "zolc gesla jazn"),
        ("  Kędzierzyn–Koźle  ", "kedzierzyn-kozle"),
        ("Bielsko\u2014Biała", "bielsko-biala"),
        ("„Kraków”", '"krakow"'),
        ("‘Opole’", "'opole'"),
        ("Zürich Ærø straße", "zurich aero strasse"),
        ("a\tb\nc\u00a0d", "a b c d"),
        ("a\x00b\u200bc", "a b c"),
        ("", ""),
    ],
)
def test_fold_examples(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_words_split_on_dashes_dots_and_quotes() -> None:
    assert words("Kędzierzyn-Koźle") == ["kedzierzyn", "kozle"]
    assert words("Maszki k. Wojciechowa") == ["maszki", "k", "wojciechowa"]
    assert words('Mazewo Dworskie"B"') == ["mazewo", "dworskie", "b"]
    assert words("  ") == []


def test_clean_drops_controls_and_cuts() -> None:
    assert clean("  a\x00\x01b  c ") == "a b c"
    assert clean("x" * 50, max_len=10) == "x" * 10


@pytest.mark.parametrize(
    ("a", "b", "dist"),
    [
        ("kot", "kot", 0),
        ("kot", "kat", 1),
        ("kot", "kto", 1),  # adjacent transposition counts once
        ("wadowice", "wadowce", 1),
        ("", "abc", 3),
        ("sosnowiec", "sosnowca", 3),
    ],
)
def test_edit_distance(a: str, b: str, dist: int) -> None:
    assert edit_distance(a, b) == dist
    assert edit_distance(b, a) == dist


def test_edit_distance_limit_stops_early() -> None:
    assert edit_distance("abcdefgh", "zzzzzzzz", limit=2) == 3
    assert edit_distance("a", "abcdef", limit=1) == 2


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    once = fold(text)
    assert fold(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_fold_output_is_lowercase_single_spaced(text: str) -> None:
    out = fold(text)
    assert out == out.strip()
    assert "  " not in out
    assert "\n" not in out and "\t" not in out
    assert not any(ch in out for ch in "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12), st.text(max_size=12))
def test_edit_distance_is_symmetric_and_bounded(a: str, b: str) -> None:
    d = edit_distance(a, b)
    assert d == edit_distance(b, a)
    assert abs(len(a) - len(b)) <= d <= max(len(a), len(b))
