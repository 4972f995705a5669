"""Admin edits of the directory: search, the CSV import's checks worded in Polish, saving."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine

from bot.db.models import Gmina, Powiat, Voivodeship
from bot.db.repository import audit, directory, office_editing
from bot.db.session import Session
from bot.directory.csvformat import Register, check_row
from bot.directory.hours import HoursError, parse_hours
from bot.web.staff.office_problems import has_polish_wording, polish_reason

from .conftest import ADMIN_PASSWORD, Dashboard

ROW = {
    "id": "ops-sosnowiec",
    "kind": "ops",
    "subtype": "MOPS",
    "name": "Miejski Ośrodek Pomocy Społecznej w Sosnowcu",
    "street_address": "ul. 3 Maja 33",
    "postal_code": "41-200",
    "locality": "Sosnowiec",
    "serves_gmina": "2475011",
    "serves_powiat": "",
    "phones": "32 296 22 01",
    "email": "kancelaria@mopssosnowiec.pl",
    "website": "https://mopssosnowiec.pl",
    "hours": "pn-pt 7:30-15:30",
    "hours_text": "",
    "for_whom": "any",
    "latitude": "50.2863",
    "longitude": "19.1041",
    "source_url": "https://mopssosnowiec.pl/o-osrodku",
    "source_date": "2025-10",
    "confidence": "high",
    "verified_at": "",
    "note": "",
}
REGISTER = Register(gminas=frozenset({"2475011", "2401011"}), powiats=frozenset({"2475", "2401"}))


@pytest.fixture
def office(dashboard: Dashboard) -> Dashboard:
    """The dashboard with a tiny register and two seed offices; signed in as the admin."""
    with Session.begin() as session:
        session.add(Voivodeship(code="24", name="ŚLĄSKIE"))
        session.flush()  # no ORM relationships: parents first, by hand
        session.add_all([Powiat(code="2475", name="Sosnowiec", voivodeship_code="24",
                                is_city=True),
                         Powiat(code="2401", name="będziński", voivodeship_code="24",
                                is_city=False)])
        session.flush()
        session.add_all([Gmina(code="2475011", name="Sosnowiec", type="miejska",
                               powiat_code="2475", voivodeship_code="24"),
                         Gmina(code="2401011", name="Będzin", type="miejska",
                               powiat_code="2401", voivodeship_code="24")])
    first, problems = check_row(ROW, 2, REGISTER)
    second, more = check_row({**ROW, "id": "ops-bedzin", "locality": "Będzin",
                              "name": "MOPS w Będzinie", "serves_gmina": "2401011",
                              "latitude": "", "longitude": ""}, 3, REGISTER)
    assert first is not None and second is not None, problems + more
    directory.sync_seed_offices([first, second], "test")
    dashboard.login_ok("anna", ADMIN_PASSWORD)
    return dashboard


def form_of(html: str) -> dict[str, str]:
    fields = dict(re.findall(r'<input id="f-(\w+)" name="\w+" value="([^"]*)"', html))
    fields.update(re.findall(r'<textarea id="f-(\w+)"[^>]*>([^<]*)</textarea>', html))
    fields.update(re.findall(r'<select id="f-(\w+)".*?<option value="([^"]*)" selected>',
                             html, re.DOTALL))
    return {name: value.replace("&#39;", "'").replace("&amp;", "&") for name, value in
            fields.items()}


def test_search_by_name_or_town_with_or_without_polish_letters(office: Dashboard) -> None:
    def found(query: str) -> list[str]:
        page = office.get(f"/staff/admin/offices?q={query}").text
        return re.findall(r'href="/staff/admin/offices/([\w.-]+)"', page)

    assert sorted(found("")) == ["ops-bedzin", "ops-sosnowiec"]
    assert found("bedzin") == ["ops-bedzin"]
    assert found("BĘDZIN") == ["ops-bedzin"]
    assert found("sosnowcu miejski") == ["ops-sosnowiec"]
    assert found("krakow") == []
    limited = office_editing.search_offices("", limit=1)
    assert limited.total == 2 and len(limited.offices) == 1


def test_an_invalid_edit_shows_polish_reasons_and_saves_nothing(office: Dashboard) -> None:
    path = "/staff/admin/offices/ops-sosnowiec"
    values = form_of(office.get(path).text)
    assert values["postal_code"] == "41-200" and values["kind"] == "ops"
    assert values["hours"] == "pn-pt 07:30-15:30"
    before = directory.get_office("ops-sosnowiec")
    bad = {**values, "postal_code": "41200", "hours": "pn-pt 25:00-26:00", "phones": "abc",
           "email": "nie-mail", "latitude": "99", "name": "", "serves_gmina": "9999991"}
    response = office.post(path, bad, from_page=path)
    assert response.status_code == 400
    page = response.text
    for reason in ("to nie jest kod pocztowy", "nie da się odczytać godzin otwarcia",
                   "numer może zawierać tylko cyfry", "to nie jest adres e-mail",
                   "leży poza Polską", "to pole jest wymagane",
                   "w rejestrze TERYT nie ma gminy 9999991"):
        assert reason in page, reason
    assert 'aria-invalid="true"' in page and "Nie zapisano" in page
    assert 'value="41200"' in page  # what was typed stays in the form
    assert directory.get_office("ops-sosnowiec") == before
    assert "office_edit" not in [e.action for e in audit.page().entries]


def test_a_valid_edit_is_saved_owned_by_staff_and_audited(office: Dashboard) -> None:
    path = "/staff/admin/offices/ops-sosnowiec"
    values = form_of(office.get(path).text)
    changed = {**values, "phones": "32 296 22 01; 32 296 22 99", "note": "Wejście od podwórza"}
    saved = office.post(path, changed, from_page=path)
    assert saved.headers["location"] == f"{path}?ok=saved"
    stored = directory.get_office("ops-sosnowiec")
    assert stored is not None and stored.origin == "staff"
    assert stored.office.phones == ("32 296 22 01", "32 296 22 99")
    assert stored.office.note == "Wejście od podwórza"
    entry = audit.page().entries[0]
    assert (entry.username, entry.action, entry.target) == ("anna", "office_edit",
                                                            "ops-sosnowiec")
    assert entry.detail == "zmienione: phones, note"
    assert "Zmiany zapisane" in office.get(saved.headers["location"]).text

    again = office.post(path, form_of(office.get(path).text), from_page=path)
    assert again.headers["location"] == f"{path}?ok=same"
    # re-seeding does not overwrite what staff changed
    first, _ = check_row(ROW, 2, REGISTER)
    assert first is not None
    assert directory.sync_seed_offices([first], "test-2").kept_staff == 1


def test_unknown_offices_are_not_found(office: Dashboard) -> None:
    assert office.get("/staff/admin/offices/nie-ma-takiej").status_code == 404
    response = office.post("/staff/admin/offices/nie-ma-takiej", dict(ROW),
                           from_page="/staff/admin/offices")
    assert response.status_code == 404


def _problems(**changes: str) -> list[str]:
    _, problems = check_row({**ROW, **changes}, 2, REGISTER)
    assert problems, changes
    return [p.reason for p in problems]


@pytest.mark.parametrize(
    "changes",
    [{"name": ""}, {"name": "x" * 301}, {"name": "a\u0007b"}, {"note": "a\u0007b"},
     {"id": "bad id!"}, {"kind": "castle"}, {"subtype": "XYZ"}, {"postal_code": "41200"},
     {"serves_gmina": "12"}, {"serves_gmina": "9999991"}, {"serves_gmina": "",
                                                           "serves_powiat": "99"},
     {"serves_gmina": "", "serves_powiat": "9999"}, {"serves_gmina": ""},
     {"serves_powiat": "2401"}, {"phones": "abc"}, {"phones": "12"}, {"email": "x"},
     {"website": "ftp://x"}, {"website": "https://a b"}, {"for_whom": "kids"},
     {"latitude": "abc"}, {"latitude": "10.5"}, {"latitude": ""},
     {"source_date": "2025-13"},
     {"verified_at": "2025"}, {"confidence": "sure"},
     {"hours": "pn-pt 25:00-26:00"}, {"hours": "pn-pt 8:00-8:00"}, {"hours": "xyz"},
     {"hours": "pn-pt"}, {"hours": "pn 8-16; pn 9-17"}, {"hours": "8:00"},
     {"hours": "nieczynne"}, {"hours": "do 15"}, {"hours": "pn-pt 8-16; pn nieczynne"}],
)
def test_every_import_problem_has_polish_wording(changes: dict[str, str]) -> None:
    for reason in _problems(**changes):
        assert has_polish_wording_of(reason), reason


def has_polish_wording_of(reason: str) -> bool:
    from bot.directory.csvformat import Problem

    return has_polish_wording(Problem(2, "x", reason)) and polish_reason(reason) != reason


def test_hours_problems_name_the_day_in_polish() -> None:
    with pytest.raises(HoursError) as raised:
        parse_hours("pn 8-16; pn 9-17")
    reason = polish_reason(f"cannot read the opening hours: {raised.value}")
    assert reason == "nie da się odczytać godzin otwarcia: poniedziałek jest podany dwa razy"
    assert polish_reason("something new and unknown") == "something new and unknown"


def test_the_edit_form_is_the_csv_format(migrated_db: Engine) -> None:
    from bot.directory.csvformat import COLUMNS
    from bot.web.staff.routes_offices import FIELDS

    assert {f.name for f in FIELDS} | {"id"} == set(COLUMNS)
