"""Fixtures of the directory tests: a tiny TERYT register, a fully seeded database per
backend (built once per module), and helpers to write directory CSV files."""

from __future__ import annotations

import gzip
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from bot.db import migrate
from bot.db.repository import directory as repo
from bot.db.session import configure
from bot.directory import teryt
from bot.directory.csvformat import Register
from bot.directory.seed import SeedReport, seed_directory
from bot.places.data import SIMC_FILE, TERC_FILE
from bot.settings import normalise_database_url

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


@dataclass(frozen=True)
class Seeded:
    url: str
    first: SeedReport
    seconds: float  # wall time of the first `seed_directory`


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    return normalise_database_url(url) if url else None


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    """A database migrated and seeded with the real shipped data, once per module."""
    admin: Engine | None = None
    schema = ""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'seeded.db'}"
    else:
        base = _postgres_url()
        if base is None:
            pytest.skip("TEST_DATABASE_URL is not set (PostgreSQL tests skipped)")
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(base)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in base else "?"
        url = f"{base}{separator}options=-csearch_path%3D{schema}"
    try:
        migrate.upgrade(url)
        engine = configure(url)
        started = time.perf_counter()
        report = seed_directory()
        seconds = time.perf_counter() - started
        engine.dispose()
        yield Seeded(url, report, seconds)
    finally:
        if admin is not None:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


@pytest.fixture
def seeded(seeded_db: Seeded) -> Iterator[Seeded]:
    """The module's seeded database with the module-level Session bound to it."""
    engine = configure(seeded_db.url)
    try:
        yield seeded_db
    finally:
        engine.dispose()
