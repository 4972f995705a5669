"""`drogowskaz db seed`: load the TERYT register and the shipped directory.

The caller migrates the database and binds `bot.db.session.Session` first. Seeding is
idempotent: the register is reloaded only when the shipped TERYT files (or the loader)
changed, and offices are compared row by row. Re-seeding after a data update adds,
updates and removes seed rows only; rows staff added or changed through `import-csv`
are never touched.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from bot.db.repository import directory as repo
from bot.directory import teryt
from bot.directory.csvformat import Problem, read_csv
from bot.places.data import DATA_DIR as TERYT_DIR

SHIPPED_OFFICES: Final = Path(__file__).resolve().parents[1] / "data" / "directory" / "offices.csv"


class SeedError(RuntimeError):
    """The shipped directory does not pass validation (a bug in the shipped data)."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.problems = problems
        listed = "\n".join(f"  {problem}" for problem in problems[:50])
        super().__init__(f"{path} has {len(problems)} problem(s):\n{listed}")


@dataclass(frozen=True, slots=True)
class SeedReport:
    territory_loaded: bool  # False: the same register was already in the database
    offices: repo.OfficeChanges
    territory_seconds: float
    offices_seconds: float


def seed_directory(
    *, teryt_dir: Path = TERYT_DIR, offices_csv: Path = SHIPPED_OFFICES
) -> SeedReport:
    started = time.perf_counter()
    loaded = False
    if repo.source_fingerprint(repo.TERYT_SOURCE) != teryt.fingerprint(teryt_dir):
        loaded = repo.load_territory(teryt.load_territory(teryt_dir)).changed
    territory_done = time.perf_counter()

    data = offices_csv.read_bytes()
    result = read_csv(data, repo.register())
    if not result.ok:
        raise SeedError(offices_csv, result.problems)
    changes = repo.sync_seed_offices(result.records, hashlib.sha256(data).hexdigest())
    return SeedReport(
        territory_loaded=loaded,
        offices=changes,
        territory_seconds=territory_done - started,
        offices_seconds=time.perf_counter() - territory_done,
    )
