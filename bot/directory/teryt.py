"""The territorial register from the shipped TERYT files (bot/data/teryt/), as plain values.

Voivodeships, powiats and gminas come from TERC; every locality from the reduced SIMC
(`simc.tsv.gz`, see bot/data/teryt/SOURCE.md). A locality belongs to the gmina given by
the rule in that SOURCE.md (`bot.places.data.gmina_key`): WOJ+POW+GMI among the gminas,
and for districts of Warszawa and delegaturas of Kraków, Łódź, Poznań and Wrocław the
city gmina (GMI 01).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from bot.places.data import DATA_DIR, GMINA_TYPES, SIMC_FILE, TERC_FILE, gmina_key

# Bump when the way units are derived from the files changes, so `db seed` reloads them.
LOADER_VERSION: Final = "1"


@dataclass(frozen=True, slots=True)
class Voivodeship:
    code: str  # WOJ, 2 digits
    name: str  # lower case, as usually written: "małopolskie"


@dataclass(frozen=True, slots=True)
class Powiat:
    code: str  # WOJ+POW, 4 digits
    name: str  # "krakowski", or the city for a city with powiat rights: "Kraków"
    voivodeship: str
    is_city: bool  # a city with powiat rights (POW 61-79)


@dataclass(frozen=True, slots=True)
class Gmina:
    code: str  # WOJ+POW+GMI+RODZ, 7 characters
    name: str
    type: str  # miejska, wiejska, miejsko-wiejska
    powiat: str
    voivodeship: str


@dataclass(frozen=True, slots=True)
class Locality:
    sym: str  # SIMC identifier, 7 digits
    parent_sym: str  # SYMPOD: equal to sym for an independent locality
    name: str
    rm: str  # kind of locality (WMRODZ): 96 miasto, 01 wieś, 95 dzielnica ...
    gmina: str  # 7-character code of the gmina it belongs to


@dataclass(frozen=True, slots=True)
class Territory:
    voivodeships: tuple[Voivodeship, ...]
    powiats: tuple[Powiat, ...]
    gminas: tuple[Gmina, ...]
    localities: tuple[Locality, ...]
    fingerprint: str  # changes whenever the files or the loader change


class TerytError(ValueError):
    """The shipped files are inconsistent (a locality with no gmina...)."""


def _fingerprint(terc_bytes: bytes, simc_bytes: bytes) -> str:
    digest = hashlib.sha256(LOADER_VERSION.encode())
    digest.update(terc_bytes)
    digest.update(simc_bytes)
    return digest.hexdigest()


def fingerprint(data_dir: Path = DATA_DIR) -> str:
    """What `load_territory(data_dir).fingerprint` will be, without parsing the files."""
    return _fingerprint((data_dir / TERC_FILE).read_bytes(), (data_dir / SIMC_FILE).read_bytes())


def load_territory(data_dir: Path = DATA_DIR) -> Territory:
    terc_bytes = (data_dir / TERC_FILE).read_bytes()
    simc_bytes = (data_dir / SIMC_FILE).read_bytes()

    voivodeships: list[Voivodeship] = []
    powiats: list[Powiat] = []
    gminas: list[Gmina] = []
    reader = csv.DictReader(io.StringIO(terc_bytes.decode("utf-8-sig")), delimiter=";")
    for row in reader:
        woj, pow_, gmi, rodz, name = row["WOJ"], row["POW"], row["GMI"], row["RODZ"], row["NAZWA"]
        if not pow_:
            voivodeships.append(Voivodeship(woj, name.lower()))
        elif not gmi:
            powiats.append(Powiat(woj + pow_, name, woj, int(pow_) >= 61))
        elif rodz in GMINA_TYPES:
            gminas.append(Gmina(woj + pow_ + gmi + rodz, name, GMINA_TYPES[rodz], woj + pow_, woj))

    by_key = {g.code[:6]: g.code for g in gminas}
    lines = gzip.decompress(simc_bytes).decode("utf-8").splitlines()
    if not lines or lines[0].split("\t") != ["SYM", "SYMPOD", "TERYT", "RM", "NAZWA"]:
        raise TerytError(f"{SIMC_FILE}: unexpected header")
    localities: list[Locality] = []
    for number, line in enumerate(lines[1:], start=2):
        sym, sympod, unit, rm, name = line.split("\t")
        gmina = by_key.get(gmina_key(unit))
        if gmina is None:
            raise TerytError(f"{SIMC_FILE} line {number}: no gmina for unit {unit}")
        localities.append(Locality(sym, sympod, name, rm, gmina))
    return Territory(
        tuple(voivodeships), tuple(powiats), tuple(gminas), tuple(localities),
        _fingerprint(terc_bytes, simc_bytes),
    )
