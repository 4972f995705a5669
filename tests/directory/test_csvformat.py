"""The CSV format on its own (no database): every kind of bad row, file-level problems,
and property tests (random input never crashes the reader; valid rows round-trip)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.directory import csvformat
from bot.directory.csvformat import COLUMNS, read_csv, record_to_row, write_csv
from bot.directory.hours import parse_hours
from bot.directory.record import OfficeRecord

from .conftest import SMALL_REGISTER
from .rows import VALID, csv_bytes, with_
from .strategies import office_records


def test_a_valid_row_is_read_with_every_field() -> None:
    result = read_csv(csv_bytes(VALID), SMALL_REGISTER)
    assert result.ok, result.problems
    (record,) = result.records
    assert record.phones == ("32 296 22 01", "+48 (32) 296-22-02")
    assert record.hours == parse_hours("pn 07:30-18:00; wt-pt 07:30-15:30")
    assert record.hours_text == "pn 7:30-18:00\nwt-pt 7:30-15:30"
    assert record.latitude == 50.2863 and record.longitude == 19.1041
    assert record.verified_at == date(2026, 11, 20)
    assert record.serves_powiat is None  # empty cells are None


BAD_ROWS = [
    # (changes, column, words in the reason)
    ({"id": ""}, "id", "is required"),
    ({"id": "a b"}, "id", "only letters, digits"),
    ({"kind": ""}, "kind", "is required"),
    ({"kind": "hostel"}, "kind", "is not a kind"),
    ({"subtype": "XYZ"}, "subtype", "MOPS, MOPR, OPS, GOPS, CUS"),
    ({"name": ""}, "name", "is required"),
    ({"name": "two\nlines"}, "name", "line break"),
    ({"confidence": ""}, "confidence", "is required"),
    ({"confidence": "certain"}, "confidence", "high, medium, low"),
    ({"postal_code": "41200"}, "postal_code", "NN-NNN"),
    ({"serves_gmina": "247501"}, "serves_gmina", "not a TERYT gmina code"),
    ({"serves_gmina": "2475014"}, "serves_gmina", "not a TERYT gmina code"),
    ({"serves_gmina": "9999991"}, "serves_gmina", "no gmina 9999991"),
    ({"serves_gmina": "", "serves_powiat": ""}, "serves_gmina", "serves_gmina or serves_powiat"),
    ({"serves_powiat": "24"}, "serves_powiat", "not a TERYT powiat code"),
    ({"serves_gmina": "", "serves_powiat": "9999"}, "serves_powiat", "no powiat 9999"),
    ({"serves_powiat": "2401"}, "serves_powiat", "not in powiat 2401"),
    ({"phones": "32 296 22 01 (sekretariat)"}, "phones", "only digits, spaces"),
    ({"phones": "12"}, "phones", "too short"),
    ({"email": "kancelaria@"}, "email", "not an e-mail"),
    ({"email": "a b@c.pl"}, "email", "not an e-mail"),
    ({"website": "www.mops.pl"}, "website", "http:// or https://"),
    ({"website": "javascript:alert(1)"}, "website", "http:// or https://"),
    ({"source_url": "see the leaflet"}, "source_url", "http:// or https://"),
    ({"hours": "pn-pt 7:30-15:30 (kasa 10-14)"}, "hours", "cannot read the opening hours"),
    ({"kind": "night_shelter", "subtype": "", "hours": "18:00-08:00"}, "hours",
     "say on which days"),
    ({"for_whom": "kids"}, "for_whom", "men, women, families"),
    ({"latitude": "50,2863"}, "latitude", "with a dot"),
    ({"latitude": "40.0"}, "latitude", "outside Poland"),
    ({"longitude": "25.5"}, "longitude", "outside Poland"),
    ({"longitude": ""}, "longitude", "both latitude and longitude"),
    ({"source_date": "2023-13"}, "source_date", "YYYY-MM-DD"),
    ({"source_date": "22.10.2025"}, "source_date", "YYYY-MM-DD"),
    ({"verified_at": "2026-11"}, "verified_at", "YYYY-MM-DD"),
    ({"verified_at": "2026-02-30"}, "verified_at", "YYYY-MM-DD"),
    ({"note": "x" * 4001}, "note", "at most 4000"),
    ({"note": "bell \x07"}, "note", "control character"),
]


@pytest.mark.parametrize(("changes", "column", "reason"), BAD_ROWS,
                         ids=[f"{c}-{r[:20]}" for _ch, c, r in BAD_ROWS])
def test_each_bad_cell_is_reported_with_its_line(
    changes: dict[str, str], column: str, reason: str
) -> None:
    # Row 2 is valid and spans lines 2-4 (two cells hold line breaks): the bad row is line 5.
    first = with_(id="first")
    result = read_csv(csv_bytes(first, with_(id=changes.get("id", "second"), **{
        k: v for k, v in changes.items() if k != "id"})), SMALL_REGISTER)
    assert not result.ok
    assert [r.id for r in result.records] == ["first"]
    messages = [str(p) for p in result.problems]
    assert any(m.startswith(f"line 5: {column}: ") and reason in m for m in messages), messages


def test_several_problems_of_one_row_are_all_reported() -> None:
    result = read_csv(csv_bytes(with_(kind="x", postal_code="1", email="no")), SMALL_REGISTER)
    assert {p.column for p in result.problems} == {"kind", "postal_code", "email"}
    assert all(p.line == 2 for p in result.problems)


def test_a_repeated_id_is_reported_on_the_second_line() -> None:
    result = read_csv(csv_bytes(VALID, VALID), SMALL_REGISTER)
    assert [str(p) for p in result.problems] == [
        "line 5: id: 'ops-sosnowiec' is already used on line 2"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "line 1: header: the file is empty"),
        (b"\xef\xbb\xbf\r\n  \r\n", "line 1: header: the file is empty"),
        (csv_bytes(header=[c for c in COLUMNS if c not in ("note", "kind")]),
         "line 1: header: missing columns: kind, note"),
        (csv_bytes(header=[*COLUMNS, "extra", ""]),
         "line 1: header: unknown columns: extra, (empty)"),
        (csv_bytes(header=[*COLUMNS, "note"]), "line 1: header: repeated columns: note"),
        (csv_bytes(VALID) + b"a,b,c\n", "line 5: row: has 3 fields but the header has 22"),
        (csv_bytes(VALID).replace(b"Sosnowcu", "Sosnowcu ł".encode("cp1250")),
         "line 2: file: byte 0xB3 is not UTF-8 text"),
        (csv_bytes(VALID) + b'x,"unclosed\n', "line 5: file: cannot read the CSV"),
    ],
)
def test_file_level_problems(data: bytes, message: str) -> None:
    result = read_csv(data, SMALL_REGISTER)
    assert not result.ok
    assert any(str(p).startswith(message) for p in result.problems), result.problems
    assert result.records == [] or message.startswith("line 5")


def test_header_only_is_an_empty_valid_file() -> None:
    result = read_csv(csv_bytes(), SMALL_REGISTER)
    assert result.ok and result.records == [] and result.rows == 0


def test_bom_crlf_blank_lines_and_column_order_are_accepted() -> None:
    header = list(reversed(COLUMNS))
    data = csv_bytes(VALID, header=header, newline="\r\n", bom=True) + b"\r\n,,,,\r\n"
    result = read_csv(data, SMALL_REGISTER)
    assert result.ok, result.problems
    (record,) = result.records
    assert record.hours_text == "pn 7:30-18:00\nwt-pt 7:30-15:30"  # CRLF inside a cell -> LF
    assert result.rows == 1


def test_html_and_sql_looking_text_is_plain_data() -> None:
    hostile = with_(name="<script>alert('x')</script>", note="'); DROP TABLE office; --")
    (record,) = read_csv(csv_bytes(hostile), SMALL_REGISTER).records
    assert record.name == "<script>alert('x')</script>"
    assert record.note == "'); DROP TABLE office; --"


def test_too_large_files_and_too_many_rows_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    huge = b"x" * (csvformat.MAX_BYTES + 1)
    assert next(str(p) for p in read_csv(huge, SMALL_REGISTER).problems).startswith(
        "file: file: the file is 10.0 MB; the limit is 10 MB"
    )
    monkeypatch.setattr(csvformat, "MAX_ROWS", 3)
    rows = [with_(id=f"r{n}") for n in range(5)]
    result = read_csv(csv_bytes(*rows), SMALL_REGISTER)
    assert "line 11: file: more than 3 rows" in [str(p) for p in result.problems][-1]


def test_written_rows_read_back_exactly() -> None:
    (record,) = read_csv(csv_bytes(VALID), SMALL_REGISTER).records
    text = write_csv([record])
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert read_csv(text.encode(), SMALL_REGISTER).records == [record]
    assert record_to_row(record)["hours"] == "pn 07:30-18:00; wt-pt 07:30-15:30"


# ---------------------------------------------------------------- properties

cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "ops", "2475011", "2401", "41-200", "50.1", "19.2", "high",
                     "pn-pt 8-16", "https://x.pl", "a@b.pl", "2026-01-01", "men", "\n", '"']),
)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({c: cells for c in COLUMNS}), max_size=5))
def test_random_rows_never_crash_the_reader(rows: list[dict[str, str]]) -> None:
    result = read_csv(csv_bytes(*rows), SMALL_REGISTER)
    assert result.ok == (len(result.records) == result.rows)
    for problem in result.problems:
        assert problem.line is None or problem.line >= 2
        assert str(problem).count(": ") >= 2


@settings(max_examples=100)
@given(st.binary(max_size=400))
def test_random_bytes_never_crash_the_reader(data: bytes) -> None:
    result = read_csv(data, SMALL_REGISTER)
    assert result.ok or result.problems


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(office_records(), max_size=4, unique_by=lambda r: r.id))
def test_valid_rows_round_trip(records: list[OfficeRecord]) -> None:
    text = write_csv(records)
    result = read_csv(text.encode("utf-8"), SMALL_REGISTER)
    assert result.ok, result.problems
    assert result.records == sorted(records, key=lambda r: r.id)
    assert write_csv(result.records) == text
