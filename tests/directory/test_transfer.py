"""import-csv / export-csv against SQLite and PostgreSQL (tiny register)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import IntegrityError

from bot.db import migrate
from bot.db.repository import directory as repo
from bot.directory import transfer
from bot.directory.csvformat import write_csv
from bot.directory.hours import parse_hours
from bot.directory.record import OfficeRecord
from bot.directory.transfer import export_csv, import_csv

from .rows import VALID, csv_bytes, with_
from .strategies import office_records

MOPS = OfficeRecord(
    id="ops-sosnowiec", kind="ops", subtype="MOPS", name="MOPS w Sosnowcu", confidence="high",
    serves_gmina="2475011", phones=("32 296 22 01",), hours=parse_hours("pn-pt 7:30-15:30"),
    hours_text="pn-pt 7:30-15:30", latitude=50.2863, longitude=19.1041,
)
SHELTER = OfficeRecord(
    id="night-sosnowiec", kind="night_shelter", name="Noclegownia", confidence="low",
    serves_gmina="2475011", hours=parse_hours("pn-nd 18:00-08:00", bare_days=None),
    for_whom="men", note="<b>bold</b> '); DROP TABLE office; --",
)


def write(path: Path, *records: OfficeRecord) -> Path:
    path.write_text(write_csv(records), encoding="utf-8")
    return path


def test_import_adds_rows_and_export_writes_them_back(small_db: Engine, tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", MOPS, SHELTER)
    outcome = import_csv(source)
    assert outcome.ok and outcome.rows == 2
    assert outcome.changes == repo.OfficeChanges(added=2)
    assert repo.origins() == {"ops-sosnowiec": "staff", "night-sosnowiec": "staff"}
    stored = repo.get_office("night-sosnowiec")
    assert stored is not None and stored.office == SHELTER  # hostile text stored as data
    assert "office" in inspect(small_db).get_table_names()

    exported = tmp_path / "out.csv"
    assert export_csv(exported) == 2
    assert exported.read_bytes() == source.read_bytes()  # same format, byte for byte
    again = import_csv(exported)
    assert again.changes == repo.OfficeChanges(unchanged=2)


def test_a_bad_row_in_the_middle_writes_nothing(small_db: Engine, tmp_path: Path) -> None:
    rows = [with_(id=f"row{n}") for n in range(5)]
    rows[2] = with_(id="row2", postal_code="4120")
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(*rows))
    outcome = import_csv(path)
    assert not outcome.ok and outcome.changes is None
    assert [str(p) for p in outcome.problems] == [
        "line 8: postal_code: '4120' is not a postal code written NN-NNN"
    ]
    assert repo.export_offices() == []


def test_a_database_error_rolls_everything_back(small_db: Engine, tmp_path: Path) -> None:
    # The register changes between validation and writing: the foreign key refuses the
    # second row and the first is not kept either.
    import_csv(write(tmp_path / "first.csv", MOPS))
    ghost = OfficeRecord(id="ghost", kind="ops", name="x", confidence="low",
                         serves_gmina="9999991")
    with pytest.raises(IntegrityError):
        repo.import_offices([OfficeRecord(id="new", kind="ops", name="n", confidence="low",
                                          serves_gmina="2401011"), ghost])
    assert [r.id for r in repo.export_offices()] == ["ops-sosnowiec"]


def test_import_upserts_by_id_and_marks_changes_as_staff(small_db: Engine, tmp_path: Path) -> None:
    repo.sync_seed_offices([MOPS, SHELTER], "seed-1")
    assert repo.origins() == {"ops-sosnowiec": "seed", "night-sosnowiec": "seed"}
    changed = replace(MOPS, phones=("32 000 00 00",))
    new = replace(MOPS, id="ops-bedzin", serves_gmina="2401011", name="MOPS w Będzinie")
    outcome = import_csv(write(tmp_path / "edit.csv", changed, SHELTER, new))
    assert outcome.changes == repo.OfficeChanges(added=1, updated=1, unchanged=1)
    assert repo.origins() == {"ops-sosnowiec": "staff", "night-sosnowiec": "seed",
                              "ops-bedzin": "staff"}


def test_import_needs_the_register(migrated_db: Engine, tmp_path: Path) -> None:
    outcome = import_csv(write(tmp_path / "in.csv", MOPS))
    assert [str(p) for p in outcome.problems] == [
        "file: file: the TERYT register is not loaded: run `drogowskaz db seed` first"
    ]


def test_check_only_writes_nothing(small_db: Engine, tmp_path: Path) -> None:
    outcome = import_csv(write(tmp_path / "in.csv", MOPS), dry_run=True)
    assert outcome.ok and outcome.changes is None and outcome.rows == 1
    assert repo.export_offices() == []


def test_empty_and_header_only_files(small_db: Engine, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert next(str(p) for p in import_csv(empty).problems).startswith(
        "line 1: header: the file is empty"
    )
    header_only = tmp_path / "header.csv"
    header_only.write_bytes(csv_bytes())
    outcome = import_csv(header_only)
    assert outcome.ok and outcome.changes == repo.OfficeChanges()


def test_oversized_file_is_refused_before_reading(
    small_db: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(csv_bytes(VALID) + b"#" * 2048)
    monkeypatch.setattr(transfer, "MAX_BYTES", 1024)
    outcome = import_csv(big)
    assert len(outcome.problems) == 1
    assert str(outcome.problems[0]).startswith("file: file: the file is larger than")


def test_migration_0002_goes_down_and_up_with_data(small_db: Engine, database_url: str,
                                                   tmp_path: Path) -> None:
    import_csv(write(tmp_path / "in.csv", MOPS))
    small_db.dispose()
    migrate.downgrade(database_url, "0001")
    tables = set(inspect(small_db).get_table_names())
    assert "office" not in tables and "gmina" not in tables and "conversation" in tables
    migrate.upgrade(database_url)
    assert {"office", "gmina", "locality"} <= set(inspect(small_db).get_table_names())


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(records=st.lists(office_records(), min_size=1, max_size=4, unique_by=lambda r: r.id))
def test_valid_rows_round_trip_through_the_database(
    small_db: Engine, tmp_path: Path, records: list[OfficeRecord]
) -> None:
    source = write(tmp_path / "rows.csv", *records)
    outcome = import_csv(source)
    assert outcome.ok, outcome.problems
    stored = {r.id: r for r in repo.export_offices()}
    assert [stored[r.id] for r in records] == records
