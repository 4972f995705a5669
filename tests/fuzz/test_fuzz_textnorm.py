"""Property tests of bot.textnorm: fold, words, clean and edit_distance on any text."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot import textnorm
from bot.textnorm import clean, edit_distance, fold, words

from .conftest import FUZZ, budget
from .strategies import POLISH, any_text, chars

PL_TO_ASCII = str.maketrans(POLISH, "acelnoszzACELNOSZZ")
# The characters fold unifies to ASCII "-", "'" and '"' (its own tables).
DASHES_AND_QUOTES = frozenset(chr(k) for k in {**textnorm._DASHES, **textnorm._QUOTES})
# Categories that must never come out of fold or clean: control, format, surrogate,
# private use, line and paragraph separators.
INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})

polish_text = st.text(st.sampled_from(POLISH + "abcxyzABCXYZ019 -'"), max_size=80)


def big(chunk: str, size: int = 100_000) -> str:
    """``chunk`` repeated to at least ``size`` characters."""
    return chunk * (size // max(1, len(chunk)) + 1) if chunk else "x" * size


def assert_no_invisible(out: str) -> None:
    bad = [f"U+{ord(ch):04X}" for ch in out if unicodedata.category(ch) in INVISIBLE]
    assert not bad, bad


def assert_single_spaced(out: str) -> None:
    assert out == out.strip()
    assert "  " not in out
    assert all(ch == " " or not ch.isspace() for ch in out)


# ------------------------------------------------------------------ fold


@settings(FUZZ, max_examples=budget(600))
@given(any_text)
@example("´é")  # was "e": the slow path turned "´" into a space, the fast one into "'"
@example("″é")  # was "''e"
@example("\U000f0000\U000e0041x")  # private use beyond the BMP, tag characters
def test_fold_invariants(text: str) -> None:
    out = fold(text)
    assert fold(out) == out  # idempotent
    assert out.casefold() == out  # lowercase in the casefold sense (Cherokee folds up)
    assert not any(ch in POLISH for ch in out)
    assert not any(unicodedata.combining(ch) for ch in out)  # no diacritics left
    assert not any(ch in DASHES_AND_QUOTES for ch in out)
    assert_no_invisible(out)
    assert_single_spaced(out)


@settings(FUZZ, max_examples=budget(400))
@given(any_text, any_text)
@example("´", "é")
@example("″", "ż")
def test_fold_works_word_by_word(a: str, b: str) -> None:
    # A character folds the same whatever the rest of the text holds.
    expected = " ".join(part for part in (fold(a), fold(b)) if part)
    assert fold(a + " " + b) == expected


@settings(FUZZ, max_examples=budget(300))
@given(polish_text)
def test_fold_of_polish_text_matches_a_plain_reference(text: str) -> None:
    reference = " ".join(text.translate(PL_TO_ASCII).lower().split())
    assert fold(text) == reference
    assert len(fold(text)) <= len(text)


@settings(FUZZ, max_examples=budget(10))
@given(st.text(chars, min_size=1, max_size=40))
def test_fold_words_and_clean_take_100_kb(chunk: str) -> None:
    text = big(chunk)
    out = fold(text)
    assert fold(out) == out
    assert_no_invisible(out)
    assert all(re.fullmatch(r"[0-9a-z]+", w) for w in words(text))
    cut = clean(text)
    assert len(cut) <= 500
    assert_no_invisible(cut)


# ------------------------------------------------------------------ words


@settings(FUZZ, max_examples=budget(400))
@given(any_text, any_text)
def test_words_are_ascii_tokens_of_the_folded_text(a: str, b: str) -> None:
    found = words(a)
    assert all(re.fullmatch(r"[0-9a-z]+", w) for w in found)
    assert words(fold(a)) == found
    assert words(a + " " + b) == found + words(b)


# ------------------------------------------------------------------ clean


@settings(FUZZ, max_examples=budget(400))
@given(any_text, st.integers(0, 300))
def test_clean_invariants(text: str, max_len: int) -> None:
    whole = clean(text, 10**9)
    out = clean(text, max_len)
    assert out == whole[:max_len]  # cutting is the last step
    assert len(out) <= max_len
    assert_no_invisible(out)
    assert out == out.lstrip() and "  " not in out
    assert all(ch == " " or not ch.isspace() for ch in out)
    assert clean(whole, 10**9) == whole  # idempotent when nothing is cut
    assert fold(whole) == fold(text)  # clean only drops what fold drops too


# ------------------------------------------------------------------ edit_distance


def osa_reference(a: str, b: str) -> int:
    """Textbook optimal-string-alignment distance (full table)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


short = st.text(st.sampled_from("abcdeąę"), max_size=10)


@settings(FUZZ, max_examples=budget(500))
@given(short, short, st.integers(0, 6))
def test_edit_distance_matches_the_reference_and_its_limit(a: str, b: str, limit: int) -> None:
    dist = edit_distance(a, b)
    assert dist == osa_reference(a, b)
    bounded = edit_distance(a, b, limit=limit)
    if dist <= limit:
        assert bounded == dist
    else:  # limit + 1 when it stops early, else the distance itself ("aab", "bbca", 2)
        assert limit < bounded <= dist
    assert (dist == 0) == (a == b)
