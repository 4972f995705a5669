"""Property tests of the directory CSV format and `import-csv` / `export-csv`.

Valid rows (hostile but legal text, fields at their length limits) survive
write → read → write and export → import → export unchanged, on SQLite and PostgreSQL.
One corrupted row anywhere in a file (a bad cell, broken quoting, a wrong number of
fields, bytes that are not UTF-8, control characters, huge fields) makes the whole file
fail with problems that name that row's line only, and leaves the database as it was.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path

from directory.conftest import SMALL_GMINAS, SMALL_REGISTER
from hypothesis import Phase, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, select

from bot.db.models import Office
from bot.db.repository import directory as repo
from bot.db.session import Session
from bot.directory.csvformat import COLUMNS, MAX_LENGTH, read_csv, record_to_row, write_csv
from bot.directory.kinds import CONFIDENCE, FOR_WHOM, KINDS
from bot.directory.record import OfficeRecord
from bot.directory.transfer import export_text, import_csv

from .conftest import FUZZ, budget
from .strategies import office_records

# ------------------------------------------------------------------ valid records


def records() -> st.SearchStrategy[OfficeRecord]:
    """Valid records over the tiny test register, their free text hostile."""
    return office_records(SMALL_GMINAS)


record_lists = st.lists(records(), min_size=1, max_size=4, unique_by=lambda r: r.id)


def cells_text(cells: list[str], *, quote_all: bool = False) -> str:
    """One CSV line, written like `write_csv` does (or with every cell quoted: the csv
    module does not quote a cell holding a lone CR when lines end with LF)."""
    out = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    csv.writer(out, lineterminator="\n", quoting=quoting).writerow(cells)
    return out.getvalue()


def row_text(record: OfficeRecord, header: tuple[str, ...] = COLUMNS) -> str:
    row = record_to_row(record)
    return cells_text([row[name] for name in header])


# ------------------------------------------------------------------ corruptions


@dataclass(frozen=True)
class Corruption:
    what: str
    data: bytes  # the corrupted row as it is written into the file
    columns: frozenset[str]  # a problem must name one of these columns


def _not(pattern: str) -> st.SearchStrategy[str]:
    """Cell text that, once stripped, is non-empty and does not fully match ``pattern``."""
    return st.text(max_size=12).filter(
        lambda s: s.strip() != "" and re.fullmatch(pattern, s.strip()) is None
    )


CONTROL = st.sampled_from("\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\x9f")
BAD_CELLS: dict[str, st.SearchStrategy[str]] = {
    "id": st.sampled_from(["a b", "-start", "ąę", "x" * 65, "a/b", "<b>", "a;b", "'1'"]),
    "kind": st.text(max_size=15).filter(lambda s: s.strip() not in KINDS),
    "postal_code": _not(r"[0-9]{2}-[0-9]{3}"),
    "phones": st.sampled_from(["12a 345", "12", "32 296 22 01 wew. 5", "+4 (8)", "☎ 123 456"]),
    "email": st.sampled_from(["no-at-sign", "a@b", "a b@c.pl", "<a@b.pl>", "a@b@c.pl", "a@.pl,"]),
    "website": st.sampled_from(["javascript:alert(1)", "ftp://x.pl", "http://", "www.x.pl",
                                "https://a b.pl", "file:///etc/passwd"]),
    "source_url": st.sampled_from(["data:text/html,<b>", "//x.pl", "https://x.pl/a b"]),
    "hours": st.sampled_from(["pn-pt 25:00-26:00", "pn-pt 8:00-8:00", "codziennie rano",
                              "pn pn 8-16", "pn-pt 7:61-15:00", "pn-pt 8-16 (obiad)",
                              "pn-pt 8-16; pn 9-10", "'; DROP TABLE office; --"]),
    "for_whom": st.text(max_size=10).filter(lambda s: s.strip() not in ("", *FOR_WHOM)),
    "confidence": st.text(max_size=10).filter(lambda s: s.strip() not in ("", *CONFIDENCE)),
    "latitude": st.sampled_from(["91", "50,1", "1e3", "nan", "inf", "60.0", "-", "0x32"]),
    "longitude": st.sampled_from(["181", "19,1", "NaN", "-inf", "5.0", "+19.0", "19."]),
    "source_date": st.sampled_from(["2026-13", "2026-02-30", "26", "dziś", "2026-1-1"]),
    "verified_at": st.sampled_from(["2026-02", "2026-02-30", "2026/01/01", "jutro", "2026"]),
    "serves_gmina": st.sampled_from(["9999991", "240101", "2401014", "abc", "24010111"]),
    "serves_powiat": st.sampled_from(["9999", "24011", "x", "24 01"]),
}
# A bad value may also be reported on the column it is checked together with.
PAIRED = {
    "latitude": {"longitude"},
    "longitude": {"latitude"},
    "serves_gmina": {"serves_powiat"},
    "serves_powiat": {"serves_gmina"},
    "kind": {"hours", "subtype"},
}
SINGLE_LINE_TEXT = ("name", "street_address", "locality", "subtype", "email", "website")
BAD_BYTES = (b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80", b"\xc0\xaf")


@st.composite
def corruptions(draw: st.DrawFn, record: OfficeRecord, earlier_ids: list[str]) -> Corruption:
    """``record``'s row, made invalid in one of many ways."""
    row = record_to_row(record)
    kinds = ["cell", "control", "multiline-control", "too-long", "required", "no-area",
             "area-mismatch", "extra-field", "missing-field", "junk-after-quote",
             "unclosed-quote", "not-utf8", "line-break"]
    if earlier_ids:
        kinds.append("repeated-id")
    how = draw(st.sampled_from(kinds))

    def with_cells(**changes: str) -> bytes:
        cells = [changes.get(name, row[name]) for name in COLUMNS]
        return cells_text(cells, quote_all=True).encode()

    if how == "cell":
        column = draw(st.sampled_from(sorted(BAD_CELLS)))
        value = draw(BAD_CELLS[column])
        return Corruption(f"{column}={value!r}", with_cells(**{column: value}),
                          frozenset({column, *PAIRED.get(column, ())}))
    if how in ("control", "line-break"):
        column = draw(st.sampled_from(SINGLE_LINE_TEXT))
        char = draw(CONTROL) if how == "control" else draw(st.sampled_from(["\n", "\r", "\r\n"]))
        value = "a" + draw(st.text(max_size=5)) + char + "x"  # inside, not stripped off
        return Corruption(f"{column}={value!r}", with_cells(**{column: value}),
                          frozenset({column, *PAIRED.get(column, ())}))
    if how == "multiline-control":
        column = draw(st.sampled_from(["note", "hours_text"]))
        value = "ok\n" + draw(CONTROL) + "x"
        return Corruption(f"{column}={value!r}", with_cells(**{column: value}), frozenset({column}))
    if how == "too-long":
        column = draw(st.sampled_from(["name", "street_address", "locality", "note",
                                       "hours_text", "phones", "website", "source_url"]))
        size = MAX_LENGTH[column] + draw(st.integers(1, 20_000))
        return Corruption(f"{column} of {size}", with_cells(**{column: "9" * size}),
                          frozenset({column}))
    if how == "required":
        column = draw(st.sampled_from(["id", "kind", "name", "confidence"]))
        blank = draw(st.sampled_from(["", " ", "\t", "  \n "]))
        return Corruption(f"no {column}", with_cells(**{column: blank}),
                          frozenset({column, *PAIRED.get(column, ())}))
    if how == "no-area":
        return Corruption("no area", with_cells(serves_gmina="", serves_powiat=""),
                          frozenset({"serves_gmina"}))
    if how == "area-mismatch":
        gmina = draw(st.sampled_from(SMALL_GMINAS))
        powiat = draw(st.sampled_from(sorted({g[:4] for g in SMALL_GMINAS} - {gmina[:4]})))
        return Corruption("gmina outside powiat", with_cells(serves_gmina=gmina,
                                                             serves_powiat=powiat),
                          frozenset({"serves_powiat"}))
    if how == "repeated-id":
        return Corruption("repeated id", with_cells(id=draw(st.sampled_from(earlier_ids))),
                          frozenset({"id"}))
    cells = [row[name] for name in COLUMNS]
    if how == "extra-field":
        extra = draw(st.lists(st.text(max_size=5), min_size=1, max_size=3))
        return Corruption("extra field", cells_text(cells + extra, quote_all=True).encode(),
                          frozenset({"row"}))
    if how == "missing-field":
        drop = draw(st.integers(1, len(cells) - 1))
        return Corruption("missing field", cells_text(cells[:-drop]).encode(), frozenset({"row"}))
    if how == "junk-after-quote":
        return Corruption("junk after a closing quote",
                          ('"' + record.id + '"x' + cells_text(cells)[len(record.id):]).encode(),
                          frozenset({"file"}))
    if how == "unclosed-quote":
        return Corruption("unclosed quote", ('"' + cells_text(cells)).encode(),
                          frozenset({"file", "row", "id"}))
    bad = draw(st.sampled_from(BAD_BYTES))  # not-utf8
    at = draw(st.integers(0, len(record.id)))
    text = cells_text(cells).encode()
    return Corruption(f"bytes {bad!r}", text[:at] + bad + text[at:], frozenset({"file"}))


@dataclass(frozen=True)
class BadFile:
    data: bytes
    line: int  # where the corrupted row starts
    corruption: Corruption


@st.composite
def bad_files(draw: st.DrawFn, valid: list[OfficeRecord] | None = None) -> BadFile:
    """A file of valid rows with one corrupted row at a random place."""
    rows = valid if valid is not None else draw(record_lists)
    spot = draw(st.integers(0, len(rows) - 1))
    corruption = draw(corruptions(rows[spot], [r.id for r in rows[:spot]]))
    parts = [cells_text(list(COLUMNS)).encode()]
    line = 2
    for n, record in enumerate(rows):
        if n == spot:
            start = line
            parts.append(corruption.data)
        else:
            parts.append(row_text(record).encode())
        line += parts[-1].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n")
    return BadFile(b"".join(parts), start, corruption)


def assert_names_the_row(problems: list[object], bad: BadFile) -> None:
    text = [str(p) for p in problems]
    assert text, bad.corruption.what
    assert all(t.startswith(f"line {bad.line}: ") for t in text), (bad.corruption.what, text)
    assert any(getattr(p, "column", None) in bad.corruption.columns for p in problems), (
        bad.corruption.what, text)


# ------------------------------------------------------------------ without a database


@settings(FUZZ, max_examples=budget(100))
@given(record_lists, st.permutations(COLUMNS), st.booleans())
def test_valid_rows_survive_write_read_write(
    rows: list[OfficeRecord], header: list[str], windows: bool
) -> None:
    text = write_csv(rows)
    result = read_csv(text.encode(), SMALL_REGISTER)
    assert result.ok, result.problems
    assert result.records == sorted(rows, key=lambda r: r.id)
    assert write_csv(result.records) == text
    # Any column order, a BOM and CRLF line ends (as a spreadsheet saves) read the same.
    shuffled = cells_text(header) + "".join(row_text(r, tuple(header)) for r in rows)
    if windows:
        shuffled = "\ufeff" + shuffled.replace("\n", "\r\n")
    again = read_csv(shuffled.encode(), SMALL_REGISTER)
    assert again.ok, again.problems
    assert again.records == rows


@settings(FUZZ, max_examples=budget(150))
@given(bad_files())
def test_one_bad_row_fails_the_file_and_is_named(bad: BadFile) -> None:
    result = read_csv(bad.data, SMALL_REGISTER)
    assert not result.ok
    assert_names_the_row(result.problems, bad)


# ------------------------------------------------------------------ through the database


# Shrinking a failure through a database takes many minutes; the examples these tests
# print are reproducible as they are (and the tests above shrink the same rows quickly).
NO_SHRINK = tuple(phase for phase in Phase if phase is not Phase.shrink)


def _clear() -> None:
    with Session.begin() as session:
        session.execute(delete(Office))


def _snapshot() -> list[tuple[object, ...]]:
    """Every column of every office row, origin and updated_at included."""
    with Session.begin() as session:
        return [tuple(row) for row in session.execute(select(Office.__table__).order_by("id"))]


@settings(FUZZ, max_examples=budget(25), phases=NO_SHRINK)
@given(rows=record_lists)
def test_export_import_export_is_identical(
    small_db: Engine, tmp_path: Path, rows: list[OfficeRecord]
) -> None:
    _clear()
    source = tmp_path / "in.csv"
    source.write_text(write_csv(rows), encoding="utf-8", newline="")
    first = import_csv(source)
    assert first.ok, first.problems
    assert first.changes == repo.OfficeChanges(added=len(rows))
    exported, count = export_text()
    assert count == len(rows)
    assert exported == source.read_text(encoding="utf-8")
    stored = _snapshot()

    again = tmp_path / "export.csv"
    again.write_text(exported, encoding="utf-8", newline="")
    second = import_csv(again)
    assert second.changes == repo.OfficeChanges(unchanged=len(rows))
    assert _snapshot() == stored  # not even updated_at moves
    assert export_text() == (exported, count)


@settings(FUZZ, max_examples=budget(30), phases=NO_SHRINK)
@given(base=record_lists, data=st.data())
def test_a_bad_row_leaves_the_database_unchanged(
    small_db: Engine, tmp_path: Path, base: list[OfficeRecord], data: st.DataObject
) -> None:
    _clear()
    seeded = tmp_path / "base.csv"
    seeded.write_text(write_csv(base), encoding="utf-8", newline="")
    assert import_csv(seeded).ok
    before, exported = _snapshot(), export_text()

    # The next file changes every stored row, adds new ones, and has one bad row.
    changed = [replace(r, name=f"{r.name[:250]} (zmiana)") for r in base]
    new = data.draw(st.lists(records(), max_size=3, unique_by=lambda r: r.id))
    rows = changed + [r for r in new if r.id not in {b.id for b in base}]
    rows = data.draw(st.permutations(rows))
    bad = data.draw(bad_files(rows))
    assume(bad.corruption.what != "repeated id" or len(rows) > 1)
    path = tmp_path / "bad.csv"
    path.write_bytes(bad.data)
    outcome = import_csv(path)
    assert not outcome.ok and outcome.changes is None
    assert_names_the_row(outcome.problems, bad)
    assert _snapshot() == before
    assert export_text() == exported
