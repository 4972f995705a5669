"""Property tests of bot.places: any text is answered safely, real names (drawn from the
shipped TERYT data) are found however they are typed, gibberish is never found."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from functools import cache

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.places.model import Place, Resolution
from bot.places.query import (
    CONNECTORS,
    FILLERS,
    GMINA_WORDS,
    NEAR_PREPS,
    PLAIN_PREPS,
    POWIAT_WORDS,
    STREET_WORDS,
    VOIVODESHIP_PHRASES,
    WOJ_WORDS,
)
from bot.places.resolver import MAX_QUERY_CHARS, PlaceIndex, get_index
from bot.textnorm import fold, words

from .conftest import FUZZ, budget
from .strategies import any_text

STATUSES = {"found", "ambiguous", "unknown"}
MATCHES = {"", "exact", "inflected", "rule", "typo", "prefix"}

# Names holding a preposition, filler or street word as a word of its own ("Pod Lasem",
# "Moja Wola", "Osiedle Pionierów", "Oś"): the parser reads such words as what they usually
# are, so the bare name is not always found (about 50 of 54,000 localities).
NOT_A_NAME_WORD = PLAIN_PREPS | NEAR_PREPS | FILLERS | STREET_WORDS
# With qualifiers after a name, a voivodeship adjective or region word inside the name or
# the gmina/powiat name ("Nakło Śląskie, woj. śląskie") is read as a qualifier: such names
# are left out of the qualifier properties (see test_known_limitation_below).
KEYWORD_WORDS = (
    NOT_A_NAME_WORD
    | GMINA_WORDS
    | POWIAT_WORDS
    | WOJ_WORDS
    | CONNECTORS
    | {word for phrase in VOIVODESHIP_PHRASES for word in phrase}
)


@pytest.fixture(scope="module")
def index() -> PlaceIndex:
    return get_index()


def plain_name(name: str) -> bool:
    return not any(word in NOT_A_NAME_WORD for word in fold(name).split())


def keyword_free(*texts: str) -> bool:
    return not any(word in KEYWORD_WORDS for text in texts for word in words(text))


@cache
def _tricky_rows() -> tuple[int, ...]:
    """Rows whose names have a hyphen, a dot or three words or more ("Kędzierzyn-Koźle",
    "Maszki k. Wojciechowa", "Nowe Miasto nad Pilicą"): where parsing can go wrong."""
    index = get_index()
    return tuple(
        i for i in range(len(index))
        if "-" in (name := index.place(i).locality) or "." in name or name.count(" ") >= 2
    )


@st.composite
def localities(draw: st.DrawFn, accept: Callable[[Place], bool] = lambda p: True) -> Place:
    """An independent locality of the shipped data (SIMC), its name plain; half of the
    time one with a tricky name."""
    index = get_index()
    if draw(st.booleans()):
        tricky = _tricky_rows()
        row = tricky[draw(st.integers(0, len(tricky) - 1))]
    else:
        row = draw(st.integers(0, len(index) - 1))
    place = index.place(row)
    assume(place.is_independent and plain_name(place.locality) and accept(place))
    return place


def check(res: Resolution) -> None:
    """The documented shape of every resolution."""
    assert res.status in STATUSES
    assert res.match in MATCHES
    simcs = [c.simc for c in res.candidates]
    assert len(simcs) == len(set(simcs))
    if res.status == "found":
        assert res.place is not None and res.place in res.candidates and res.match
    elif res.status == "ambiguous":
        assert res.place is None and res.candidates
    else:
        assert res.place is None and res.candidates == [] and not res.picked_town
    if res.suggestions:
        assert res.status == "unknown"
    assert res.note.strip()
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Co") for ch in res.query)
    data = json.loads(json.dumps(res.to_dict(), ensure_ascii=False))
    assert data["status"] == res.status and data["candidate_count"] == len(res.candidates)


def summary(res: Resolution) -> tuple[str, str | None, tuple[str, ...], str, bool]:
    return (
        res.status,
        res.place.simc if res.place else None,
        tuple(c.simc for c in res.candidates),
        res.match,
        res.near,
    )


def lists(res: Resolution, place: Place) -> bool:
    return res.place == place or place in res.candidates


# ------------------------------------------------------------------ any text


keyword_soup = st.lists(
    st.sampled_from([
        *sorted(KEYWORD_WORDS),
        *[",", ";", "(", ")", "/", ".", "-", "woj.", "gm.", "pow.", "k.", "ul.", "12-345"],
        *["Kraków", "Dąbrowa", "Nowa Wieś", "Wola", "Sosnowiec", "śląskie", "Mazury", "<b>"],
    ])
    | any_text.map(lambda s: s[:20]),
    max_size=30,
).map(" ".join)


@settings(FUZZ, max_examples=budget(250))
@given(st.one_of(any_text, keyword_soup))
def test_any_text_gets_a_well_formed_answer(index: PlaceIndex, text: str) -> None:
    res = index.resolve(text)
    check(res)
    assert len(res.query) <= MAX_QUERY_CHARS
    assert summary(index.resolve(text)) == summary(res)  # deterministic
    check(index.resolve_name(text))
    found = index.find_in_text(text)
    if found is not None:
        check(found)


@settings(FUZZ, max_examples=budget(8))
@given(st.one_of(any_text, keyword_soup).filter(bool))
def test_100_kb_of_text_is_refused_or_searched_safely(index: PlaceIndex, chunk: str) -> None:
    text = (chunk + " ") * (100_000 // (len(chunk) + 1) + 1)
    res = index.resolve(text)
    check(res)
    assert res.status == "unknown" and len(res.query) <= MAX_QUERY_CHARS
    found = index.find_in_text(text)
    if found is not None:
        check(found)


# ------------------------------------------------------------------ real names


@settings(FUZZ, max_examples=budget(600))
@given(localities(), st.data())
def test_a_real_name_is_found_however_it_is_typed(
    index: PlaceIndex, place: Place, data: st.DataObject
) -> None:
    clean = index.resolve(place.locality)
    check(clean)
    assert lists(clean, place), (place.locality, clean.status, clean.note)
    # Random case, diacritics dropped from random letters, noise around: the same answer.
    flips = data.draw(st.lists(st.booleans(), min_size=2 * len(place.locality),
                               max_size=2 * len(place.locality)))
    typed = "".join(
        (ch.upper() if flips[2 * i] else ch.lower()) if not flips[2 * i + 1] else fold(ch) or ch
        for i, ch in enumerate(place.locality)
    )
    before, after = data.draw(st.sampled_from(
        [("", ""), ("  ", "\n"), ("<b>", "</b>"), ("„", "”"), ("", "."), ("\t", "!"), ("", "?")]
    ))
    variant = index.resolve(before + typed + after)
    check(variant)
    assert summary(variant) == summary(clean), typed


@settings(FUZZ, max_examples=budget(400))
@given(localities(), st.sampled_from(["w", "z", "do", "u", "przy", "koło", "pod", "obok"]))
def test_a_real_name_after_a_preposition_is_still_listed(
    index: PlaceIndex, place: Place, preposition: str
) -> None:
    # The nominative after a preposition may also be an inflected form of another name
    # ("z Kukle": Kukle or Kukla), so the answer may list more places, never fewer.
    res = index.resolve(f"{preposition} {place.locality}")
    check(res)
    assert lists(res, place), (preposition, place.locality, res.status, res.note)
    assert res.near == (fold(preposition) in NEAR_PREPS)


def _qualifiable(place: Place) -> bool:
    return keyword_free(place.locality, place.gmina.name, place.powiat)


def _in_several_voivodeships(place: Place) -> bool:
    if not _qualifiable(place):
        return False
    return len({c.voivodeship for c in get_index().resolve(place.locality).candidates}) > 1


@settings(FUZZ, max_examples=budget(300))
@given(localities(_in_several_voivodeships),
       st.sampled_from(["{name}, woj. {voiv}", "{name} woj {voiv}", "{name} ({voiv})",
                        "{name}, {voiv}", "{name}, województwo {voiv}"]))
def test_a_voivodeship_keeps_only_its_places(
    index: PlaceIndex, place: Place, pattern: str
) -> None:
    # Names found in several voivodeships, so that a qualifier read wrongly shows.
    res = index.resolve(pattern.format(name=place.locality, voiv=place.voivodeship))
    check(res)
    assert lists(res, place), (place.locality, place.voivodeship, res.status, res.note)
    assert {c.voivodeship for c in res.candidates} == {place.voivodeship}


@settings(FUZZ, max_examples=budget(300))
@given(localities(_qualifiable), st.sampled_from(["{name} gmina {gmina}", "{name}, gm. {gmina}",
                                                  "{name}, powiat {powiat}",
                                                  "{name} pow. {powiat}"]))
def test_a_gmina_or_powiat_keeps_its_place(index: PlaceIndex, place: Place, pattern: str) -> None:
    res = index.resolve(pattern.format(name=place.locality, gmina=place.gmina.name,
                                       powiat=place.powiat))
    check(res)
    assert lists(res, place), (place.locality, place.gmina.name, res.status, res.note)
    if res.place is not None and "gm" in pattern:
        assert words(res.place.gmina.name) == words(place.gmina.name)


@pytest.mark.parametrize(
    ("query", "locality", "voivodeship"),
    [
        # Found by these tests and fixed: a street word joined to a name by a hyphen was
        # dropped as the start of an address ("Wierzbica" and 14 other places instead).
        ("Wierzbica-Osiedle", "Wierzbica-Osiedle", "lubelskie"),
        ("klonownica-plac", "Klonownica-Plac", "lubelskie"),
        ("w Leźnica Wielka-Osiedle", "Leźnica Wielka-Osiedle", "łódzkie"),
        # ... and "woj. kujawsko-pomorskie" was read as "pomorskie".
        ("Młynek, woj. kujawsko-pomorskie", "Młynek", "kujawsko-pomorskie"),
        ("Krąg woj. kujawsko-pomorskie", "Krąg", "kujawsko-pomorskie"),
    ],
)
def test_fixed_cases(index: PlaceIndex, query: str, locality: str, voivodeship: str) -> None:
    res = index.resolve(query)
    check(res)
    assert res.status == "found" and res.place is not None
    assert (res.place.locality, res.place.voivodeship) == (locality, voivodeship)


@pytest.mark.xfail(strict=True, reason="known limitation: a voivodeship adjective inside a "
                   "name is read as a qualifier when qualifiers follow")
def test_known_limitation_below(index: PlaceIndex) -> None:
    res = index.resolve("Nakło Śląskie, woj. śląskie")
    assert res.place is not None and res.place.locality == "Nakło Śląskie"


# ------------------------------------------------------------------ gibberish

# No Polish place name has a "q" or an "x"; a word with two of them is at least two edits
# away from every name word, so no reading (exact, inflected, rule, typo, prefix) exists.
gibberish_word = st.from_regex(r"[a-z]{0,4}[qx][a-z]{0,3}[qx][a-z]{0,4}", fullmatch=True)
gibberish = st.lists(gibberish_word, min_size=1, max_size=5).map(" ".join)


@settings(FUZZ, max_examples=budget(200))
@given(gibberish, st.sampled_from(["", "w ", "koło ", "mieszkam w "]), st.booleans())
def test_gibberish_is_never_a_place(
    index: PlaceIndex, text: str, lead: str, capital: bool
) -> None:
    query = lead + (text.title() if capital else text)
    res = index.resolve(query)
    check(res)
    assert res.status == "unknown", (query, res.status, res.note)
    assert index.find_in_text(f"Szukam pomocy. {query}, proszę.") is None
