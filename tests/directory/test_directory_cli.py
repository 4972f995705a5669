"""`drogowskaz db seed`, `import-csv` and `export-csv` as a user runs them (SQLite)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.directory.seed import SHIPPED_OFFICES

DROGOWSKAZ = Path(sys.executable).parent / "drogowskaz"


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DROGOWSKAZ), *args], capture_output=True, text=True, timeout=120,
        env={**os.environ, **env},
    )


def test_seed_export_and_import_from_the_command_line(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    unmigrated = run("export-csv", str(tmp_path / "none.csv"), env=env)
    assert unmigrated.returncode == 2 and "run `drogowskaz db seed` first" in unmigrated.stderr

    first = run("db", "seed", env=env)
    assert first.returncode == 0, first.stderr
    assert "TERYT register loaded" in first.stdout
    assert "2479 gminas, 101865 localities" in first.stdout
    assert "443 added, 0 updated, 0 removed, 0 unchanged" in first.stdout
    second = run("db", "seed", env=env)
    assert second.returncode == 0, second.stderr
    assert "already up to date" in second.stdout
    assert "0 added, 0 updated, 0 removed, 443 unchanged" in second.stdout

    exported = tmp_path / "directory.csv"
    result = run("export-csv", str(exported), env=env)
    assert result.returncode == 0 and "443 rows exported" in result.stdout
    assert exported.read_bytes() == SHIPPED_OFFICES.read_bytes()

    # A staff edit with one bad row: every problem is listed and nothing is written.
    lines = exported.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0]
    good = "staff-1,food,,Jadłodajnia,,,Sosnowiec,2475011,,,,,,,,,,,,high,,\n"
    bad = "staff-2,food,,Zupa,,41200,Sosnowiec,2475011,,,,,,,,,,,,sure,,\n"
    edit = tmp_path / "edit.csv"
    edit.write_text(header + good + bad, encoding="utf-8")
    refused = run("import-csv", str(edit), env=env)
    assert refused.returncode == 1
    assert f"{edit}: line 3: postal_code: '41200' is not a postal code" in refused.stderr
    assert f"{edit}: line 3: confidence: use one of: high, medium, low" in refused.stderr
    assert "nothing was written" in refused.stderr
    assert "Traceback" not in refused.stderr

    edit.write_text(header + good, encoding="utf-8")
    checked = run("import-csv", "--check", str(edit), env=env)
    assert checked.returncode == 0 and "checked only" in checked.stdout
    imported = run("import-csv", str(edit), env=env)
    assert imported.returncode == 0, imported.stderr
    assert "1 rows: 1 added, 0 updated, 0 unchanged" in imported.stdout

    to_stdout = run("export-csv", "-", env=env)
    assert to_stdout.returncode == 0
    assert "staff-1,food" in to_stdout.stdout and "444 rows exported" in to_stdout.stderr

    missing = run("import-csv", str(tmp_path / "nope.csv"), env=env)
    assert missing.returncode == 2 and "no such file" in missing.stderr
