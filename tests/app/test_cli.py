"""The `drogowskaz` console command, run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DROGOWSKAZ = Path(sys.executable).parent / "drogowskaz"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DROGOWSKAZ), *args], capture_output=True, text=True, timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("run", "db", "place"):
        assert command in result.stdout


def test_db_upgrade_then_current(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    before = run("db", "current", env=env)
    assert before.returncode == 1
    assert "revision none" in before.stdout
    upgraded = run("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    after = run("db", "current", env=env)
    assert after.returncode == 0
    assert "up to date" in after.stdout


def test_place_resolves_an_inflected_name_without_diacritics() -> None:
    result = run("place", "w", "bielsku", "bialej")
    assert result.returncode == 0, result.stderr
    place = json.loads(result.stdout)
    assert place["locality"] == "Bielsko-Biała"
    assert place["gmina"]["teryt"] == "2461011"
    assert place["voivodeship"] == "śląskie"


def test_place_lists_candidates_when_a_name_is_ambiguous() -> None:
    result = run("place", "Dąbrowa")
    assert result.returncode == 2
    assert len(json.loads(result.stdout)["candidates"]) > 1


def test_place_says_clearly_when_it_does_not_know() -> None:
    result = run("place", "Qwxzyville")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip()
    assert "Traceback" not in result.stderr


def test_configuration_errors_are_reported_without_a_traceback() -> None:
    result = run("db", "current", env={"WEB_PORT": "lots"})
    assert result.returncode == 2
    assert "configuration error: WEB_PORT must be a whole number" in result.stderr
    assert "Traceback" not in result.stderr
