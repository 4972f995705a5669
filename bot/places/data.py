"""Reading the shipped TERYT files in bot/data/teryt/ (standard library only)."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.places.model import Gmina, Place

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "teryt"
TERC_FILE = "TERC_Urzedowy_2026-05-11.csv"
WMRODZ_FILE = "WMRODZ_2026-05-11.csv"
SIMC_FILE = "simc.tsv.gz"
FORMS_FILE = "forms.tsv.gz"

GMINA_TYPES = {"1": "miejska", "2": "wiejska", "3": "miejsko-wiejska"}


@dataclass(frozen=True, slots=True)
class Units:
    """TERC units: gminas by WOJ+POW+GMI, powiat names by WOJ+POW, voivodeships by WOJ."""

    gminas: dict[str, Gmina]
    powiats: dict[str, str]
    voivodeships: dict[str, str]


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield from csv.DictReader(fh, delimiter=";")


def load_units(data_dir: Path = DATA_DIR) -> Units:
    """Parse the TERC file."""
    gminas: dict[str, Gmina] = {}
    powiats: dict[str, str] = {}
    voivs: dict[str, str] = {}
    for row in _csv_rows(data_dir / TERC_FILE):
        woj, pow_, gmi, rodz = row["WOJ"], row["POW"], row["GMI"], row["RODZ"]
        if not pow_:
            voivs[woj] = row["NAZWA"].lower()
        elif not gmi:
            powiats[woj + pow_] = row["NAZWA"]
        elif rodz in GMINA_TYPES:
            code = woj + pow_ + gmi
            gminas[code] = Gmina(row["NAZWA"], code + rodz, GMINA_TYPES[rodz])
    return Units(gminas, powiats, voivs)


def load_kinds(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """RM code -> kind of locality in words (WMRODZ)."""
    return {row["RM"]: row["NAZWA_RM"] for row in _csv_rows(data_dir / WMRODZ_FILE)}


def gmina_key(unit_code: str) -> str:
    """WOJ+POW+GMI of the gmina serving a SIMC unit code WOJ+POW+GMI+RODZ_GMI.

    Districts of Warszawa (8) and delegaturas of Kraków, Łódź, Poznań, Wrocław (9)
    belong to the city gmina, GMI 01.
    """
    if unit_code[6] in "89":
        return unit_code[:4] + "01"
    return unit_code[:6]


@dataclass(frozen=True, slots=True)
class Localities:
    """SIMC columns as parallel tuples (Place objects are made on demand)."""

    name: tuple[str, ...]
    simc: tuple[str, ...]
    parent: tuple[str, ...]
    unit: tuple[str, ...]  # WOJ+POW+GMI+RODZ_GMI
    rm: tuple[str, ...]


def load_localities(data_dir: Path = DATA_DIR) -> Localities:
    """All SIMC localities, in SYM order."""
    raw = gzip.decompress((data_dir / SIMC_FILE).read_bytes()).decode("utf-8")
    rows = [line.split("\t") for line in raw.splitlines()[1:]]
    sym, sympod, unit, rm, name = (tuple(col) for col in zip(*rows, strict=True))
    return Localities(name=name, simc=sym, parent=sympod, unit=unit, rm=rm)


def make_place(loc: Localities, idx: int, units: Units, kinds: dict[str, str]) -> Place:
    """The Place for row ``idx``."""
    unit = loc.unit[idx]
    rm = loc.rm[idx]
    return Place(
        locality=loc.name[idx],
        simc=loc.simc[idx],
        gmina=units.gminas[gmina_key(unit)],
        powiat=units.powiats[unit[:4]],
        voivodeship=units.voivodeships[unit[:2]],
        rm=rm,
        kind=kinds.get(rm, rm),
        parent_simc=loc.parent[idx],
    )


def load_forms(data_dir: Path = DATA_DIR) -> dict[str, list[str]]:
    """Folded inflected form -> folded nominative words it can come from (Morfeusz-derived)."""
    out: dict[str, list[str]] = {}
    raw = gzip.decompress((data_dir / FORMS_FILE).read_bytes()).decode("utf-8")
    for line in io.StringIO(raw):
        nominative, _, forms = line.rstrip("\n").partition("\t")
        for form in forms.split():
            bucket = out.get(form)
            if bucket is None:
                out[form] = [nominative]
            else:
                bucket.append(nominative)
    return out
