"""`db seed` on a tiny register: idempotent, replaces seed rows, never touches staff rows."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.db.repository import directory as repo
from bot.directory.csvformat import write_csv
from bot.directory.record import OfficeRecord
from bot.directory.seed import SeedError, seed_directory
from bot.directory.transfer import export_text, import_csv

from .conftest import write_teryt

A = OfficeRecord(id="ops-bedzin", kind="ops", subtype="MOPS", name="MOPS w Będzinie",
                 confidence="medium", serves_gmina="2401011", phones=("32 267 00 00",))
B = OfficeRecord(id="ops-bobrowniki", kind="ops", subtype="GOPS", name="GOPS Bobrowniki",
                 confidence="medium", serves_gmina="2401022")
C = OfficeRecord(id="pup-bedzin", kind="pup", subtype="PUP", name="PUP w Będzinie",
                 confidence="high", serves_powiat="2401")


def shipped(path: Path, *records: OfficeRecord) -> Path:
    path.write_text(write_csv(records), encoding="utf-8")
    return path


def test_seeding_twice_changes_nothing(migrated_db: Engine, small_teryt: Path,
                                       tmp_path: Path) -> None:
    offices = shipped(tmp_path / "offices.csv", A, B, C)
    first = seed_directory(teryt_dir=small_teryt, offices_csv=offices)
    assert first.territory_loaded
    assert first.offices == repo.OfficeChanges(added=3)
    counts = repo.directory_counts()
    assert (counts.voivodeships, counts.powiats, counts.gminas, counts.localities) == (2, 3, 5, 6)
    before = export_text()

    second = seed_directory(teryt_dir=small_teryt, offices_csv=offices)
    assert not second.territory_loaded
    assert second.offices == repo.OfficeChanges(unchanged=3)
    assert export_text() == before
    assert repo.directory_counts().teryt_loaded_at == counts.teryt_loaded_at


def test_reseeding_replaces_seed_rows_but_keeps_staff_rows(
    migrated_db: Engine, small_teryt: Path, tmp_path: Path
) -> None:
    seed_directory(teryt_dir=small_teryt, offices_csv=shipped(tmp_path / "v1.csv", A, B, C))
    # Staff add a row of their own and correct the Bobrowniki centre's phone.
    staff_row = OfficeRecord(id="staff-1", kind="food", name="Jadłodajnia",
                             confidence="high", serves_gmina="2475011")
    corrected_b = replace(B, phones=("32 287 78 63",))
    outcome = import_csv(shipped(tmp_path / "staff.csv", staff_row, corrected_b))
    assert outcome.changes == repo.OfficeChanges(added=1, updated=1)

    # A data update: A changes, B is dropped from the seed, C stays, D is new.
    changed_a = replace(A, name="Miejski Ośrodek Pomocy Społecznej w Będzinie")
    d = replace(C, id="ops-siewierz", kind="ops", subtype="OPS", name="OPS Siewierz",
                serves_gmina="2401033", serves_powiat=None)
    report = seed_directory(teryt_dir=small_teryt,
                            offices_csv=shipped(tmp_path / "v2.csv", changed_a, C, d))
    assert report.offices == repo.OfficeChanges(added=1, updated=1, unchanged=1, removed=0)
    stored = {r.id: r for r in repo.export_offices()}
    assert stored["ops-bedzin"] == changed_a
    assert stored["ops-siewierz"] == d
    assert stored["staff-1"] == staff_row  # never touched
    assert stored["ops-bobrowniki"] == corrected_b  # staff own it now; not removed
    assert repo.origins() == {"ops-bedzin": "seed", "ops-bobrowniki": "staff",
                              "pup-bedzin": "seed", "ops-siewierz": "seed", "staff-1": "staff"}

    # The staff correction of a row still in the seed is kept, not reverted.
    again = seed_directory(teryt_dir=small_teryt,
                           offices_csv=shipped(tmp_path / "v3.csv", changed_a, B, C, d))
    assert again.offices.kept_staff == 1
    assert repo.get_office("ops-bobrowniki") == repo.StoredOffice(corrected_b, "staff")

    # A seed row that disappears is removed.
    last = seed_directory(teryt_dir=small_teryt, offices_csv=shipped(tmp_path / "v4.csv", C))
    assert last.offices.removed == 2
    assert set(repo.origins()) == {"pup-bedzin", "ops-bobrowniki", "staff-1"}


def test_an_invalid_shipped_file_changes_no_office(
    migrated_db: Engine, small_teryt: Path, tmp_path: Path
) -> None:
    seed_directory(teryt_dir=small_teryt, offices_csv=shipped(tmp_path / "v1.csv", A))
    broken = tmp_path / "broken.csv"
    broken.write_text(write_csv([replace(B, serves_gmina="9999991"), C]), encoding="utf-8")
    with pytest.raises(SeedError, match="no gmina 9999991"):
        seed_directory(teryt_dir=small_teryt, offices_csv=broken)
    assert [r.id for r in repo.export_offices()] == ["ops-bedzin"]


def test_a_register_update_never_drops_gminas_staff_rows_use(
    migrated_db: Engine, small_teryt: Path, tmp_path: Path
) -> None:
    seed_directory(teryt_dir=small_teryt, offices_csv=shipped(tmp_path / "v1.csv", A, B))
    # Bobrowniki (2401022) disappears from a new register: its seed row goes with it ...
    without = write_teryt(tmp_path / "teryt2", drop="2401022")
    report = seed_directory(teryt_dir=without, offices_csv=shipped(tmp_path / "v2.csv", A))
    assert report.territory_loaded
    assert repo.get_gmina("2401022") is None
    assert [r.id for r in repo.export_offices()] == ["ops-bedzin"]
    assert repo.directory_counts().localities == 5

    # ... but a staff row in a gmina that would disappear stops the load, changing nothing.
    seed_directory(teryt_dir=small_teryt, offices_csv=shipped(tmp_path / "v3.csv", A))
    import_csv(shipped(tmp_path / "staff.csv", replace(B, id="staff-b")))
    with pytest.raises(repo.DirectoryError, match="staff-b"):
        seed_directory(teryt_dir=without, offices_csv=shipped(tmp_path / "v4.csv", A))
    assert repo.get_gmina("2401022") is not None
    assert repo.directory_counts().localities == 6
