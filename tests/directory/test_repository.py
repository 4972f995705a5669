"""Look-ups over the real shipped data (seeded once per module and backend)."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import Seeded

from bot.db.repository import directory as repo
from bot.directory.hours import WARSAW
from bot.directory.seed import SHIPPED_OFFICES, seed_directory
from bot.directory.transfer import export_text

KRAKOW = (50.0614, 19.9366)


def test_the_full_seed_is_quick_and_complete(seeded: Seeded) -> None:
    assert seeded.seconds < 45, f"seeding took {seeded.seconds:.1f} s"
    assert seeded.first.territory_loaded
    assert seeded.first.offices.added == 443
    counts = repo.directory_counts()
    assert (counts.voivodeships, counts.powiats, counts.gminas, counts.localities) == (
        16, 380, 2479, 101865)
    assert counts.offices == 443 and counts.by_origin == {"seed": 443}
    assert counts.by_kind["ops"] == 366 and counts.by_kind["night_shelter"] == 16
    assert counts.with_hours == 102 and counts.with_coordinates == 188
    assert counts.teryt_loaded_at is not None and counts.teryt_loaded_at.tzinfo is not None


def test_seeding_again_changes_nothing_and_exports_the_shipped_file(seeded: Seeded) -> None:
    report = seed_directory()
    assert not report.territory_loaded
    assert report.offices == repo.OfficeChanges(unchanged=443)
    assert export_text()[0].encode("utf-8") == SHIPPED_OFFICES.read_bytes()


def test_gmina_by_code(seeded: Seeded) -> None:
    gmina = repo.get_gmina("2475011")
    assert gmina == repo.GminaInfo(
        code="2475011", name="Sosnowiec", type="miejska", powiat_code="2475",
        powiat_name="Sosnowiec", powiat_is_city=True, voivodeship_code="24",
        voivodeship_name="śląskie",
    )
    rural = repo.get_gmina("1206072")
    assert rural is not None and (rural.name, rural.powiat_name) == ("Liszki", "krakowski")
    assert repo.get_gmina("0000000") is None


def test_offices_of_a_gmina_fall_back_to_its_powiat(seeded: Seeded) -> None:
    found = repo.offices_for_gmina("2475011", ["ops", "pup", "zon", "shelter"])
    by_kind = {(f.office.kind, f.served_via) for f in found}
    assert ("ops", "gmina") in by_kind
    assert ("pup", "powiat") in by_kind and ("zon", "powiat") in by_kind
    assert [f.office.kind for f in found] == sorted(
        (f.office.kind for f in found), key=["ops", "pup", "zon", "shelter"].index)
    mops = found[0].office
    assert mops.name == "Miejski Ośrodek Pomocy Społecznej w Sosnowcu"
    assert mops.phones == ("32 296 22 01",)

    # Rzezawa (powiat bocheński): its own GOPS, and the powiat's PCPR in Bochnia.
    rzezawa = repo.offices_for_gmina("1201072", ["ops", "pcpr"])
    assert [(f.office.kind, f.served_via) for f in rzezawa] == [("ops", "gmina"),
                                                                 ("pcpr", "powiat")]
    assert "Bochni" in rzezawa[1].office.name
    assert repo.offices_for_gmina("1201072", ["prison"]) == []
    assert repo.offices_for_gmina("0000000", ["ops"]) == []


def test_warsaw_district_centres_serve_the_city_gmina(seeded: Seeded) -> None:
    found = repo.offices_for_gmina("1465011", ["ops"])
    assert len(found) == 12
    assert all("Dzielnicy" in f.office.name for f in found)
    assert found[0].office.confidence == "high"  # higher confidence first


def test_nearest_offices(seeded: Seeded) -> None:
    nearby = repo.nearest_offices(*KRAKOW, ["ops"], limit=5, radius_km=30)
    assert len(nearby) == 5
    distances = [n.distance_km for n in nearby]
    assert distances == sorted(distances) and distances[-1] <= 30
    assert all(n.office.kind == "ops" for n in nearby)
    assert repo.nearest_offices(*KRAKOW, ["pcpr"], limit=1)[0].office.id == "rjps-265"
    assert repo.nearest_offices(52.23, 21.01, ["ops"], radius_km=20) == []  # no coordinates
    assert repo.nearest_offices(*KRAKOW, [], limit=5) == []


@pytest.mark.parametrize(
    ("moment", "is_open", "next_opening"),
    [
        ("2026-11-23 10:00", True, None),  # Monday
        ("2026-11-28 10:00", False, "2026-11-30 08:00"),  # Saturday
        ("2026-11-24 16:30", False, "2026-11-25 08:00"),
    ],
)
def test_opening_state_of_an_office(
    seeded: Seeded, moment: str, is_open: bool, next_opening: str | None
) -> None:
    # OPS Bemowo: pn-pt 8:00-16:00
    state = repo.opening_state("ops-1465011-caa167",
                               datetime.fromisoformat(moment).replace(tzinfo=WARSAW))
    assert state is not None and state.is_open is is_open
    expected = (datetime.fromisoformat(next_opening).replace(tzinfo=WARSAW)
                if next_opening else None)
    assert state.next_opening == expected


def test_opening_state_when_hours_are_unknown(seeded: Seeded) -> None:
    unknown = repo.opening_state("ops-2475011-2e75ec", datetime(2026, 11, 23, 10))
    assert unknown is not None and unknown.is_open is None  # only text hours
    assert repo.opening_state("no-such-office", datetime(2026, 11, 23, 10)) is None
