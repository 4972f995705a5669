"""Tests of bot.places: the case table, each rule, properties, CLI and hardening."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.places import cli
from bot.places.inflect import deinflect, edits1
from bot.places.model import Place
from bot.places.query import match_voivodeship, parse, tokenize
from bot.places.resolver import PlaceIndex, get_index

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).with_name("cases.csv")
ACCURACY_THRESHOLD = 0.98
ALL_VOIVODESHIPS = {
    "dolnośląskie", "kujawsko-pomorskie", "lubelskie", "lubuskie", "łódzkie", "małopolskie",
    "mazowieckie", "opolskie", "podkarpackie", "podlaskie", "pomorskie", "śląskie",
    "świętokrzyskie", "warmińsko-mazurskie", "wielkopolskie", "zachodniopomorskie",
}  # fmt: skip


@pytest.fixture(scope="module")
def index() -> PlaceIndex:
    return get_index()


def load_cases() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def outcome(index: PlaceIndex, query: str) -> str:
    res = index.resolve(query)
    return res.place.simc if res.status == "found" and res.place else res.status


# ------------------------------------------------------------------ the case table


def test_cases_table_is_broad() -> None:
    rows = load_cases()
    assert len(rows) >= 170
    assert {r["voivodeship"] for r in rows if r["voivodeship"]} == ALL_VOIVODESHIPS
    expected = {r["expected"] for r in rows}
    assert {"ambiguous", "unknown"} <= expected
    cats = " ".join(r["category"] for r in rows)
    for needed in ("loc", "gen", "inst", "nodiac", "typo", "hyphen", "adj", "village", "pair"):
        assert needed in cats


def test_cases_simc_codes_exist(index: PlaceIndex) -> None:
    for row in load_cases():
        if row["expected"] in ("ambiguous", "unknown"):
            continue
        place = index.by_simc(row["expected"])
        assert place is not None, row
        assert place.locality == row["locality"], row
        assert place.voivodeship == row["voivodeship"], row


def test_cases_accuracy(index: PlaceIndex) -> None:
    rows = load_cases()
    failures = [
        (r["query"], r["expected"], got)
        for r in rows
        if (got := outcome(index, r["query"])) != r["expected"]
    ]
    accuracy = 1 - len(failures) / len(rows)
    assert accuracy >= ACCURACY_THRESHOLD, f"accuracy {accuracy:.2%}; failures: {failures}"


# ------------------------------------------------------------------ examples from the brief


@pytest.mark.parametrize(
    ("query", "simc"),
    [
        ("w Sosnowcu", "0943428"),
        ("z Katowic", "0937474"),
        ("w bielsku bialej", "0923584"),
        ("w Stalowej Woli", "0981133"),
        ("w Ostrowie Wielkopolskim", "0937132"),
        ("z Końskich", "0947136"),
        ("do Kędzierzyna-Koźla", "0965424"),
        ("w zyrardowie", "0977210"),
        ("Wadowce", "0926921"),
        ("koło Krakowa", "0950463"),
        ("pod Warszawą", "0918123"),
        ("we Wrocławiu", "0986283"),
        ("ze Szczecina", "0977976"),
        ("w Chełmie", "0929902"),
        ("w Chełmnie", "0983066"),
        ("Zakopane", "0963773"),
        ("Dąbrowa Górnicza", "0939473"),
    ],
)
def test_brief_examples(index: PlaceIndex, query: str, simc: str) -> None:
    res = index.resolve(query)
    assert res.status == "found", res.note
    assert res.place is not None and res.place.simc == simc


def test_chelm_and_chelmno_stay_apart(index: PlaceIndex) -> None:
    chelm = {outcome(index, q) for q in ("w Chełmie", "z Chełma", "Chełm", "chelmem")}
    chelmno = {outcome(index, q) for q in ("w Chełmnie", "z Chełmna", "Chełmno", "chelmnem")}
    assert chelm == {"0929902"}
    assert chelmno == {"0983066"}


# ------------------------------------------------------------------ choosing among homonyms


def test_single_town_is_picked_and_said(index: PlaceIndex) -> None:
    res = index.resolve("Sosnowiec")
    assert res.status == "found" and res.picked_town
    assert res.place is not None and res.place.is_town
    assert res.note.startswith("Wybrałem miasto Sosnowiec")
    assert len(res.candidates) > 1
    assert res.to_dict()["picked_town"] is True


def test_unique_village_is_found_without_picking(index: PlaceIndex) -> None:
    res = index.resolve("Wrocieryż")
    assert res.status == "found" and not res.picked_town
    assert res.place is not None and res.place.kind == "wieś"


def test_ambiguous_village_lists_candidates(index: PlaceIndex) -> None:
    res = index.resolve("Dąbrowa")
    assert res.status == "ambiguous" and res.place is None
    assert len(res.candidates) > 50
    assert "gminę" in res.note
    data = res.to_dict()
    assert data["candidate_count"] == len(res.candidates)
    first = data["candidates"][0]
    assert {"locality", "simc", "gmina", "powiat", "voivodeship"} <= set(first)
    assert set(first["gmina"]) == {"name", "teryt", "type"}


def test_towns_rank_before_villages(index: PlaceIndex) -> None:
    res = index.resolve("w Bielsku")
    assert res.status == "ambiguous"
    kinds = [c.is_town for c in res.candidates]
    assert kinds[0] and kinds == sorted(kinds, reverse=True)


def test_two_towns_same_name_city_with_powiat_rights_wins(index: PlaceIndex) -> None:
    res = index.resolve("w Olsztynie")
    assert res.place is not None and res.place.voivodeship == "warmińsko-mazurskie"
    assert res.picked_town and "śląskie" in res.note


def test_two_small_towns_same_name_are_ambiguous(index: PlaceIndex) -> None:
    res = index.resolve("Ujazd")
    assert res.status == "ambiguous"
    assert [c.is_town for c in res.candidates[:2]] == [True, True]


def test_all_localities_of_one_gmina_count_as_found(index: PlaceIndex) -> None:
    # Every "Kolonia Wola" in gmina X would be served by the same office: no need to ask.
    res = index.resolve("Dąbrowa gmina Kłaj")
    assert res.status == "found"


def test_start_of_a_town_name_is_offered_not_picked(index: PlaceIndex) -> None:
    res = index.resolve("Kędzierzyn")
    assert res.status == "ambiguous"
    assert res.candidates[0].locality == "Kędzierzyn-Koźle"


# ------------------------------------------------------------------ qualifiers


@pytest.mark.parametrize(
    "query",
    [
        "Dąbrowa gmina Kłaj",
        "Dąbrowa, gm. Kłaj",
        "Dąbrowa w gminie Kłaj",
        "Dąbrowa (powiat wielicki)",
        "Dąbrowa pow. wielicki",
        "Dąbrowa w powiecie wielickim",
        "Dąbrowa koło Wieliczki",
        "Dąbrowa Kłaj",
    ],
)
def test_gmina_and_powiat_qualifiers(index: PlaceIndex, query: str) -> None:
    res = index.resolve(query)
    assert res.status == "found", res.note
    assert res.place is not None and res.place.gmina.name == "Kłaj"


@pytest.mark.parametrize(
    "query", ["Dąbrowa w małopolskim", "Dąbrowa, woj. małopolskie", "Dąbrowa (Małopolska)"]
)
def test_voivodeship_qualifier(index: PlaceIndex, query: str) -> None:
    res = index.resolve(query)
    assert res.candidates
    assert {c.voivodeship for c in res.candidates} == {"małopolskie"}


def test_qualifier_that_matches_nothing_says_so(index: PlaceIndex) -> None:
    res = index.resolve("Dąbrowa gmina Wolbrom")
    assert res.status == "ambiguous"
    assert res.note.startswith("Nie znalazłem miejscowości")


def test_whole_name_wins_over_voivodeship_reading(index: PlaceIndex) -> None:
    # "Podlaskim" is also a voivodeship word, but Sokołów Podlaski is a town.
    assert outcome(index, "w Sokołowie Podlaskim") == "0975760"
    assert outcome(index, "w Kamieniu Pomorskim") == index.resolve("Kamień Pomorski").place.simc  # type: ignore[union-attr]


def test_town_then_district(index: PlaceIndex) -> None:
    for query in ("Warszawa Mokotów", "Warszawa, Mokotów", "Gdańsk Wrzeszcz", "Wrzeszcz, Gdańsk"):
        res = index.resolve(query)
        assert res.status == "found", query
        assert res.place is not None and res.place.gmina.teryt in ("1465011", "2261011")


@pytest.mark.parametrize("query", ["ze Śląska", "na Mazowszu", "w małopolskim", "na Pomorzu"])
def test_region_is_not_a_locality(index: PlaceIndex, query: str) -> None:
    res = index.resolve(query)
    assert res.status == "unknown" and res.note.startswith("To region")


def test_chelmo_is_a_candidate_for_chelmie(index: PlaceIndex) -> None:
    res = index.resolve("w Chełmie")
    assert {"Chełm", "Chełmo"} <= {c.locality for c in res.candidates}
    assert res.place is not None and res.place.locality == "Chełm"


def test_near_flag(index: PlaceIndex) -> None:
    res = index.resolve("okolice Poznania")
    assert res.near and res.status == "found"
    assert "okolice" in res.note


# ------------------------------------------------------------------ the gmina rule


def test_districts_and_delegaturas_map_to_the_city_gmina(index: PlaceIndex) -> None:
    cities = {"1465011", "1261011", "1061011", "3064011", "0264011"}
    found = 0
    for idx in range(len(index)):
        place = index.place(idx)
        if place.rm in ("95", "98"):
            assert place.gmina.teryt in cities, place
            found += 1
    assert found == 18 + 19
    assert outcome(index, "na Mokotowie") == "0918130"
    assert index.resolve("na Bałutach").place.gmina.teryt == "1061011"  # type: ignore[union-attr]
    assert index.resolve("w Nowej Hucie").place.gmina.teryt == "1261011"  # type: ignore[union-attr]


def test_urban_rural_gmina_code(index: PlaceIndex) -> None:
    place = index.resolve("Wadowice").place
    assert place is not None
    assert place.gmina.to_dict() == {
        "name": "Wadowice",
        "teryt": "1218093",
        "type": "miejsko-wiejska",
    }


def test_place_to_dict_shape(index: PlaceIndex) -> None:
    place = index.resolve("w Sosnowcu").place
    assert place is not None
    data = place.to_dict()
    assert data["locality"] == "Sosnowiec" and data["simc"] == "0943428"
    assert data["gmina"] == {"name": "Sosnowiec", "teryt": "2475011", "type": "miejska"}
    assert data["powiat"] == "Sosnowiec" and data["voivodeship"] == "śląskie"
    assert {"locality", "simc", "gmina", "powiat", "voivodeship"} <= set(data)
    json.dumps(index.resolve("Dąbrowa").to_dict(), ensure_ascii=False)


# ------------------------------------------------------------------ inflection rules


@pytest.mark.parametrize(
    ("inflected", "nominative"),
    [
        ("zyrardowie", "zyrardow"),
        ("sosnowcu", "sosnowiec"),
        ("sosnowca", "sosnowiec"),
        ("wadowicach", "wadowice"),
        ("katowic", "katowice"),
        ("stalowej", "stalowa"),
        ("mazowieckiej", "mazowiecka"),
        ("wielkopolskim", "wielkopolski"),
        ("trybunalskiego", "trybunalski"),
        ("konskich", "konskie"),
        ("zakopanem", "zakopane"),
        ("dabrowie", "dabrowa"),
        ("dabrowy", "dabrowa"),
        ("gorze", "gora"),
        ("pradze", "praga"),
        ("wolce", "wolka"),
        ("tychach", "tychy"),
        ("suwalkach", "suwalki"),
        ("chelmnie", "chelmno"),
        ("chelmie", "chelm"),
        ("koninie", "konin"),
        ("gnieznie", "gniezno"),
        ("poznaniu", "poznan"),
        ("bytomiu", "bytom"),
        ("krakowem", "krakow"),
        ("kielc", "kielce"),
        ("ostrowi", "ostrow"),
        ("turku", "turek"),
        ("srodzie", "sroda"),
    ],
)
def test_suffix_rules(inflected: str, nominative: str) -> None:
    assert nominative in deinflect(inflected)


def test_suffix_rules_keep_a_stem() -> None:
    assert deinflect("u") == ()
    assert "" not in deinflect("ie")


def test_edits1() -> None:
    edits = edits1("wadowce")
    assert {"wadowice", "wadowc", "awdowce", "badowce"} <= edits
    assert "wadowce" not in edits


@pytest.mark.parametrize(
    ("query", "simc"),
    [
        ("w Germanisze", "0695775"),  # -cha -> -sze, Morfeusz does not know it
        ("we Wrocieryżu", "0250926"),
        ("z Barchnowów", "0173232"),
    ],
)
def test_rule_fallback_for_villages(index: PlaceIndex, query: str, simc: str) -> None:
    assert outcome(index, query) == simc


def test_abbreviations(index: PlaceIndex) -> None:
    assert outcome(index, "Gorzów Wlkp.") == outcome(index, "Gorzów Wielkopolski")
    assert outcome(index, "w Mińsku Maz.") == outcome(index, "Mińsk Mazowiecki")


# ------------------------------------------------------------------ query parsing


def test_parse_splits_name_and_qualifiers() -> None:
    parsed = parse("w Dąbrowie, gmina Kłaj, woj. małopolskie")
    assert parsed.preposition and not parsed.near
    assert parsed.name == ["dabrowie"]
    assert parsed.qualifiers.gmina == ["klaj"]
    assert parsed.qualifiers.voivodeship == "12"
    near = parse("koło Krakowa")
    assert near.near and near.words == ["krakowa"]


def test_voivodeship_phrases() -> None:
    assert match_voivodeship(["na", "dolnym", "slasku"], 1) == ("02", 2)
    assert match_voivodeship(["kujawsko", "pomorskie"], 0) == ("04", 2)
    assert match_voivodeship(["mazowszu"], 0) == ("14", 1)
    assert match_voivodeship(["krakow"], 0) is None


def test_tokenize_drops_tags_digits_and_streets() -> None:
    assert tokenize("<b>Sosnowiec</b>") == ["sosnowiec"]
    assert tokenize("ul. Długa 5, 12-345 Kraków") == [",", "krakow"]


# ------------------------------------------------------------------ finding a place in a sentence


@pytest.mark.parametrize(
    ("text", "locality"),
    [
        ("szukam noclegu w sosnowcu na dzis", "Sosnowiec"),
        ("Mieszkam w Dąbrowie Górniczej i szukam pracy", "Dąbrowa Górnicza"),
        ("jestem z Krakowa", "Kraków"),
        ("czy w Gdańsku jest schronisko?", "Gdańsk"),
        ("jade do bielska bialej jutro", "Bielsko-Biała"),
        ("Wracam do domu w Katowicach", "Katowice"),
        ("Pomoc w Pile", "Piła"),
        ("w Dąbrowie gmina Kłaj mieszkam", "Dąbrowa"),
        ("wyszedłem z zakładu i jestem w sosnowcy", "Sosnowiec"),
    ],
)
def test_find_in_text(index: PlaceIndex, text: str, locality: str) -> None:
    res = index.find_in_text(text)
    assert res is not None and res.place is not None, text
    assert res.place.locality == locality


@pytest.mark.parametrize(
    "text", ["potrzebuje pomocy", "nie mam gdzie spać", "dobra, to gdzie mam iść?", "", "a" * 5000]
)
def test_find_in_text_none(index: PlaceIndex, text: str) -> None:
    assert index.find_in_text(text) is None


# ------------------------------------------------------------------ hardening


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "x" * 10_000,
        "Kraków " * 2000,
        "\x00\x01\x02\x7f",
        "<script>alert(1)</script>",
        "'; DROP TABLE places; --",
        "Robert'); DROP TABLE Students;--",
        "\ud800\udfff",
        "😀" * 50,
        "w w w w w w w w w w w w w w w",
        "gmina",
    ],
)
def test_bad_input_is_unknown_quickly(index: PlaceIndex, text: str) -> None:
    started = time.perf_counter()
    res = index.resolve(text)
    assert time.perf_counter() - started < 0.5
    assert res.status == "unknown"
    assert res.note
    json.dumps(res.to_dict(), ensure_ascii=False)


def test_unknown_gives_suggestions(index: PlaceIndex) -> None:
    res = index.resolve("Krakowwwo")
    assert res.status == "unknown"
    assert res.suggestions and res.suggestions[0] == "Kraków"
    assert len(res.suggestions) <= 5
    assert "Czy chodziło o" in res.note


# ------------------------------------------------------------------ properties


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_resolve_never_raises(index: PlaceIndex, text: str) -> None:
    res = index.resolve(text)
    assert res.status in ("found", "ambiguous", "unknown")
    assert (res.place is not None) == (res.status == "found")
    index.find_in_text(text)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(["w", "z", "koło", "gmina", "powiat", ",", "(", "Dąbrowa", "Kraków",
                         "śląskie", "woj.", "pod", "Nowa", "Wieś", "-", "ul."]),
        max_size=12,
    ).map(" ".join)
)  # fmt: skip
def test_resolve_never_raises_on_keyword_soup(index: PlaceIndex, text: str) -> None:
    assert index.resolve(text).status in ("found", "ambiguous", "unknown")


def _towns() -> list[Place]:
    return list(get_index().towns())


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(_towns()))
def test_town_name_resolves_to_the_town(index: PlaceIndex, town: Place) -> None:
    res = index.resolve(town.locality)
    if res.status == "found":
        assert res.place is not None
        same_name = [t for t in index.towns() if t.locality == town.locality]
        assert res.place.simc == town.simc or len(same_name) > 1
    else:
        assert res.status == "ambiguous"
        assert town in res.candidates


def test_every_town_name_resolves_to_a_town(index: PlaceIndex) -> None:
    towns = list(index.towns())
    assert len(towns) == 1026
    names = [t.locality for t in towns]
    wrong = []
    for town in towns:
        res = index.resolve(town.locality)
        unique = names.count(town.locality) == 1
        if unique and (res.place is None or res.place.simc != town.simc):
            wrong.append(town.locality)
        if not unique and town not in res.candidates:
            wrong.append(town.locality)
    assert not wrong


# ------------------------------------------------------------------ CLI


def test_cli_found(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.place_command("w Sosnowcu") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["locality"] == "Sosnowiec" and data["gmina"]["teryt"] == "2475011"
    assert data["picked_town"] is True and "Sosnowiec" in data["note"]


def test_cli_ambiguous(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.place_command("Dąbrowa") == 2
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "ambiguous" and len(data["candidates"]) > 10


def test_cli_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.place_command("Krakowwwo") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Nie znalazłem" in captured.err and "Kraków" in captured.err


@pytest.mark.parametrize("text", ["", "   ", "x" * 10_000, "a\x00b", "\x01\x02\x03\x04", "123"])
def test_cli_bad_input(capsys: pytest.CaptureFixture[str], text: str) -> None:
    assert cli.place_command(text) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip()
    assert "Traceback" not in captured.err


def test_cli_main_in_subprocess() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot.places.cli", "z", "Katowic"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["locality"] == "Katowice"


# ------------------------------------------------------------------ packaging


def test_package_import_is_light() -> None:
    code = (
        "import sys, bot.places; "
        "assert 'morfeusz2' not in sys.modules; "
        "assert 'bot.places.resolver' not in sys.modules; "
        "from bot.places import get_index; "
        "assert callable(get_index)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr


def test_runtime_does_not_need_morfeusz_or_shared() -> None:
    code = (
        "import sys; sys.modules['morfeusz2'] = None; "
        "from bot.places.resolver import PlaceIndex; "
        "print(PlaceIndex.load().resolve('w Sosnowcu').place.simc)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0943428"


def test_index_loads_fast_enough() -> None:
    started = time.perf_counter()
    PlaceIndex.load()
    # The target is < 3 s on the project machine; the margin absorbs a busy CI.
    assert time.perf_counter() - started < 6


def test_get_index_is_cached() -> None:
    assert get_index() is get_index()
