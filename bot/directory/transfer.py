"""`import-csv` and `export-csv`: the directory to and from the CSV format of `csvformat`.

Import policy (upsert by id): every row is checked first and nothing is written when any
row fails. Then, in one transaction, rows with a new id are added, rows whose content
differs from the stored row with that id are updated, identical rows are left alone and
rows of the database that are not in the file are kept. Added or changed rows belong to
staff from then on: `db seed` never overwrites or deletes them. An unchanged export
imports with no change at all.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bot.db.repository import directory as repo
from bot.directory.csvformat import MAX_BYTES, Problem, read_csv, write_csv


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    rows: int
    problems: list[Problem] = field(default_factory=list)
    changes: repo.OfficeChanges | None = None  # None: nothing was written

    @property
    def ok(self) -> bool:
        return not self.problems


def read_limited(path: Path) -> bytes | None:
    """The file's bytes, or None when it is larger than the import limit."""
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    return None if len(data) > MAX_BYTES else data


def import_csv(path: Path, *, dry_run: bool = False) -> ImportOutcome:
    """Check `path` and, when every row is valid (and not `dry_run`), store it."""
    data = read_limited(path)
    if data is None:
        return ImportOutcome(0, [Problem(None, "file", f"the file is larger than the limit of "
                                        f"{MAX_BYTES / 1048576:g} MB: split it")])
    register = repo.register()
    if len(register.gminas) == 0:
        return ImportOutcome(0, [Problem(None, "file", "the TERYT register is not loaded: "
                                        "run `drogowskaz db seed` first")])
    result = read_csv(data, register)
    if not result.ok:
        return ImportOutcome(result.rows, result.problems)
    if dry_run:
        return ImportOutcome(result.rows)
    return ImportOutcome(result.rows, changes=repo.import_offices(result.records))


def export_text() -> tuple[str, int]:
    records = repo.export_offices()
    return write_csv(records), len(records)


def export_csv(path: Path) -> int:
    """Write the whole directory to `path` (atomically); returns the number of rows."""
    text, count = export_text()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count
