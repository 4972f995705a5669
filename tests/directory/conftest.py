"""Fixtures of the directory tests: a tiny TERYT register, a fully seeded database per
backend (built once per module), and helpers to write directory CSV files."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.db.repository import directory as repo
from bot.directory import teryt
from bot.directory.csvformat import Register
from bot.places.data import SIMC_FILE, TERC_FILE

# A register small enough to load in milliseconds: two voivodeships, three powiats.
TERC_ROWS = [
    "24;;;;ŚLĄSKIE;województwo;2026-01-01",
    "24;01;;;będziński;powiat;2026-01-01",
    "24;01;01;1;Będzin;gmina miejska;2026-01-01",
    "24;01;02;2;Bobrowniki;gmina wiejska;2026-01-01",
    "24;01;03;3;Siewierz;gmina miejsko-wiejska;2026-01-01",
    "24;01;03;4;Siewierz;miasto;2026-01-01",
    "24;01;03;5;Siewierz;obszar wiejski;2026-01-01",
    "24;75;;;Sosnowiec;miasto na prawach powiatu;2026-01-01",
    "24;75;01;1;Sosnowiec;gmina miejska;2026-01-01",
    "12;;;;MAŁOPOLSKIE;województwo;2026-01-01",
    "12;61;;;Kraków;miasto na prawach powiatu;2026-01-01",
    "12;61;01;1;Kraków;gmina miejska;2026-01-01",
    "12;61;02;9;Kraków-Podgórze;delegatura;2026-01-01",
]
SIMC_ROWS = [
    "0000101\t0000101\t2401011\t96\tBędzin",
    "0000102\t0000102\t2401022\t01\tBobrowniki",
    "0000103\t0000103\t2401034\t96\tSiewierz",
    "0000104\t0000104\t2401035\t01\tWojkowice Kościelne",
    "0943428\t0943428\t2475011\t96\tSosnowiec",
    "0950463\t0950463\t1261029\t98\tKraków-Podgórze",
]
SMALL_GMINAS = ("2401011", "2401022", "2401033", "2475011", "1261011")
SMALL_POWIATS = ("2401", "2475", "1261")
SMALL_REGISTER = Register(gminas=frozenset(SMALL_GMINAS), powiats=frozenset(SMALL_POWIATS))


def write_teryt(directory: Path, *, drop: str | None = None) -> Path:
    """Write a tiny TERC/SIMC pair in the shipped layout; `drop` leaves out one gmina code."""
    directory.mkdir(parents=True, exist_ok=True)
    terc = [row for row in TERC_ROWS if not (drop and row.startswith(
        ";".join((drop[:2], drop[2:4], drop[4:6], drop[6])) + ";"))]
    (directory / TERC_FILE).write_bytes(
        ("\ufeffWOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\r\n" + "\r\n".join(terc) + "\r\n")
        .encode("utf-8")
    )
    simc = [row for row in SIMC_ROWS if not (drop and row.split("\t")[2][:6] == drop[:6])]
    payload = "SYM\tSYMPOD\tTERYT\tRM\tNAZWA\n" + "\n".join(simc) + "\n"
    (directory / SIMC_FILE).write_bytes(gzip.compress(payload.encode("utf-8"), mtime=0))
    return directory


@pytest.fixture
def small_teryt(tmp_path: Path) -> Path:
    return write_teryt(tmp_path / "teryt")


@pytest.fixture
def small_db(migrated_db: Engine, small_teryt: Path) -> Engine:
    """A migrated database holding the tiny register and no offices."""
    repo.load_territory(teryt.load_territory(small_teryt))
    return migrated_db


# ---------------------------------------------------------------- fully seeded, per module


