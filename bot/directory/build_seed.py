"""Build the shipped directory bot/data/directory/offices.csv (developer tool, not run time).

Usage: python -m bot.directory.build_seed [--src ../shared/data/directory]
                                          [--out bot/data/directory/offices.csv]

Reads the five hand-compiled or collected source files described in
``../shared/data/directory/SOURCE.md`` (after checking their sha256), maps every row to the
TERYT gmina (or powiat) it serves using the shipped register in bot/data/teryt/, parses
opening hours where the source has them, and writes the directory in the import/export
format of `bot.directory.csvformat`, checked by the same validation as `import-csv`.
It never fills a value the source does not give: cells it cannot use are left empty and
the original text goes into the row's note. What it did is printed as a report; how and
why is described in bot/data/directory/SOURCE.md.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from bot.directory import teryt
from bot.directory.csvformat import Register, read_csv, write_csv
from bot.directory.hours import WORKDAYS, HoursError, WeeklyHours, parse_hours
from bot.directory.kinds import OFFICE_WEEK_KINDS
from bot.directory.record import OfficeRecord
from bot.places.data import DATA_DIR as TERYT_DIR
from bot.places.data import TERC_FILE
from bot.textnorm import fold

REPO_ROOT: Final = Path(__file__).resolve().parents[2]
DEFAULT_SRC: Final = REPO_ROOT.parent / "shared" / "data" / "directory"
DEFAULT_OUT: Final = REPO_ROOT / "bot" / "data" / "directory" / "offices.csv"

OFFICES = "offices.csv"
OTHER = "other.csv"
SHELTERS = "shelters.csv"
SLASKIE = "ops_slaskie_all_gminas.csv"
MALOPOLSKIE = "ops_malopolskie_all_gminas.csv"
EXPECTED_SHA256: Final = {
    OFFICES: "955ef2ba76330998e0f77cf082265aee4cbd9118e78f5be4072c0c42bd687ab3",
    OTHER: "a4443887555de121b91a8f91a002d369f6f1c774b807682ba6fc9b5fbe0f1b62",
    SHELTERS: "a15d488ed74dedf8dea2235ca6b04bef5997930143aac704a70e219bb34daefa",
    SLASKIE: "cc0ef26d87a7227e7c6e4580469394bbd70377624d78f1079c7dff80b63fdfd5",
    MALOPOLSKIE: "28bf682a71677472c8013f4e7430d0161dfd537961c95da6ba245cfabbbcfa8e",
}

KOMPAS = "https://github.com/Kaczor4444/kompas-seniora/blob"
SLASKIE_URL: Final = (
    f"{KOMPAS}/01e4b5aff6ebc0f91ab0e7d36d3944687a9f2cde/raw_dane/slaskie/ops_slaskie.csv"
)
MALOPOLSKIE_URL: Final = (
    f"{KOMPAS}/8bf20dd12dbe585e74631c9300a0bbb8c4cf864b/raw_dane/malopolskie/"
    "ops_malopolska_geo.csv"
)
SLASKIE_NOTE: Final = (
    "Parsed (pypdf) by repo Kaczor4444/kompas-seniora from official Śląski Urząd Wojewódzki "
    "list of OPS (https://katowice.uw.gov.pl/download/441); secondary copy, verify."
)
RJPS_NOTE: Final = (
    'Row labelled "źródło: RJPS eksport 06.03.2026" (Rejestr Jednostek Pomocy Społecznej '
    "export) in repo Kaczor4444/kompas-seniora; secondary copy, verify."
)
MIR_NOTE: Final = (
    'Row labelled "Źródło: mir.org.pl - wymaga weryfikacji danych kontaktowych" in repo '
    "Kaczor4444/kompas-seniora; verify the contact details."
)
GEO_NOTES: Final = {
    "miejscowosc": "Coordinates are the centre of the locality, not the building.",
    "gmina_centrum": "Coordinates are the centre of the gmina, not the building.",
    "dzielnica": "Coordinates are the centre of the city district, not the building.",
}
SHELTER_KINDS: Final = {
    "schronisko": ("shelter", "schronisko"),
    "schronisko_z_uslugami_opiekunczymi": ("shelter", "schronisko z usługami opiekuńczymi"),
    "noclegownia": ("night_shelter", "noclegownia"),
    "ogrzewalnia": ("warming_centre", "ogrzewalnia"),
}
OTHER_KINDS: Final = {"prison": "prison", "PUP": "pup", "ZON": "zon"}
HOURS_LABEL: Final = "hours"


class BuildError(RuntimeError):
    """A source row cannot be mapped as the rules say (fix the rules or the source)."""


# ------------------------------------------------------------------ the register by name


@dataclass(frozen=True, slots=True)
class Names:
    """TERYT units looked up by folded name."""

    territory: teryt.Territory
    districts: frozenset[str]  # folded names of Warsaw districts (TERC RODZ 8)

    @classmethod
    def load(cls, data_dir: Path = TERYT_DIR) -> Names:
        territory = teryt.load_territory(data_dir)
        with (data_dir / TERC_FILE).open(encoding="utf-8-sig", newline="") as handle:
            districts = frozenset(
                fold(row["NAZWA"]) for row in csv.DictReader(handle, delimiter=";")
                if row["RODZ"] == "8" and row["WOJ"] + row["POW"] == "1465"
            )
        return cls(territory, districts)

    def register(self) -> Register:
        return Register(
            gminas=frozenset(g.code for g in self.territory.gminas),
            powiats=frozenset(p.code for p in self.territory.powiats),
        )

    def city_gmina(self, city: str) -> teryt.Gmina:
        """The gmina of a city with powiat rights, by name (e.g. Warszawa -> 1465011)."""
        cities = {p.code for p in self.territory.powiats if p.is_city}
        found = [
            g for g in self.territory.gminas
            if g.powiat in cities and g.type == "miejska" and fold(g.name) == fold(city)
        ]
        if len(found) != 1:
            raise BuildError(f"{city!r}: {len(found)} cities with powiat rights of that name")
        return found[0]

    def powiat(self, voivodeship: str, name: str) -> teryt.Powiat:
        found = [
            p for p in self.territory.powiats
            if p.voivodeship == voivodeship and fold(p.name) == fold(name)
        ]
        if len(found) != 1:
            raise BuildError(f"powiat {name!r} in {voivodeship}: {len(found)} matches")
        return found[0]

    def gmina_in_powiat(
        self, powiat: teryt.Powiat, name: str, office: str, code_hint: str = ""
    ) -> teryt.Gmina | None:
        """The gmina called `name` in the powiat; None when the name fits no gmina.

        Cleans what the sources get wrong (see SOURCE.md): "Gmina X" means the rural gmina
        X; a city district ("Kraków-Podgórze") means the city's only gmina; trailing words
        left by PDF parsing ("Żarki Miejsko") are dropped when a shorter prefix names
        exactly one gmina. A town and a rural gmina of the same name are told apart by the
        office name (Miejski... / Gminny...), else by the code the source gives, if it is
        one of them.
        """
        gminas = [g for g in self.territory.gminas if g.powiat == powiat.code]
        wanted = fold(name)
        rural_hint = wanted.startswith("gmina ")
        if rural_hint:
            wanted = wanted.removeprefix("gmina ")
        found = [g for g in gminas if fold(g.name) == wanted]
        if not found and powiat.is_city and len(gminas) == 1:
            found = gminas
        if not found:
            words = wanted.replace("-", " ").split()
            for size in range(len(words) - 1, 0, -1):
                prefix = " ".join(words[:size])
                found = [g for g in gminas if fold(g.name) == prefix]
                if found:
                    break
        if len(found) > 1:
            office_folded = fold(office)
            town = (re.search(r"\bmiejsk(?:i|ie|a)\b|\bmiasta\b|\bmops\b", office_folded)
                    is not None and not rural_hint)
            rural = rural_hint or re.search(r"\bgminn\w*|\bgminy\b|\bgops\b", office_folded)
            if town and not rural:
                found = [g for g in found if g.type == "miejska"]
            elif rural and not town:
                found = [g for g in found if g.type != "miejska"]
            elif any(g.code == code_hint for g in found):
                found = [g for g in found if g.code == code_hint]
        if len(found) > 1:
            raise BuildError(f"{name!r} ({office}): {len(found)} gminas in powiat {powiat.name}")
        return found[0] if found else None

    def rural_namesake(self, gmina: teryt.Gmina, office: str) -> teryt.Gmina | None:
        """For a "Gminny ..." centre the source puts in a city with powiat rights: the
        rural gmina of the same name in the voivodeship (a city gmina has a MOPS/CUS, not a
        gminny ośrodek; rural gminas often have their seat in the town they surround)."""
        folded = fold(office)
        if gmina.type != "miejska" or not re.search(r"\bgminn\w*|\bgminy\b|\bgops\b", folded):
            return None
        found = [
            g for g in self.territory.gminas
            if g.voivodeship == gmina.voivodeship and g.type != "miejska"
            and fold(g.name) == fold(gmina.name)
        ]
        return found[0] if len(found) == 1 else None

    def gmina(self, code: str) -> teryt.Gmina | None:
        return next((g for g in self.territory.gminas if g.code == code), None)


# ------------------------------------------------------------------ cleaning cells


_PHONE_HEAD_RE = re.compile(r"\+?\(?\d[\d\s()\-]*\d")
_SPACES_RE = re.compile(r"\s+")


def one_line(text: str) -> str:
    return _SPACES_RE.sub(" ", text).strip()


def _split_outside_brackets(text: str, separators: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def clean_phones(raw: str) -> tuple[tuple[str, ...], bool]:
    """The phone numbers in a source cell, and whether any text had to be left out
    (a remark like "(sekretariat)" or an incomplete number such as "18 354-xx-xx")."""
    numbers: list[str] = []
    lost = False
    for part in _split_outside_brackets(raw, ";|,"):
        match = _PHONE_HEAD_RE.match(part)
        if match is None:
            lost = True
            continue
        number = one_line(match.group())
        rest = part[match.end():].strip()
        digits = sum(ch.isdigit() for ch in number)
        complete = rest == "" or rest[0] == "(" or rest[0].isalpha()
        if digits < 7 or not complete or number.count("(") != number.count(")"):
            lost = True
            continue
        if rest:
            lost = True
        if number not in numbers:
            numbers.append(number)
    return tuple(numbers), lost


_EMAIL_RE = re.compile(r"[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+")


def clean_website(raw: str) -> str | None:
    value = raw.strip()
    if not value:
        return None
    if not re.match(r"https?://", value):
        value = "http://" + value
    if any(ch.isspace() for ch in value) or "." not in value:
        return None
    return value


def join_notes(*parts: str | None) -> str | None:
    text = " ".join(one_line(part) for part in parts if part and part.strip())
    return text or None


# ------------------------------------------------------------------ the build


@dataclass(slots=True)
class Report:
    read: Counter[str] = field(default_factory=Counter)
    written: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    hours_parsed: Counter[str] = field(default_factory=Counter)
    hours_text_only: Counter[str] = field(default_factory=Counter)
    coordinates: Counter[str] = field(default_factory=Counter)

    def lines(self) -> Iterator[str]:
        for source in self.read:
            yield (f"{source}: {self.read[source]} rows read, {self.written[source]} written, "
                   f"hours parsed {self.hours_parsed[source]}, hours text only "
                   f"{self.hours_text_only[source]}, coordinates {self.coordinates[source]}")
        yield f"total written: {sum(self.written.values())}"
        for line in self.skipped:
            yield f"skipped: {line}"
        for line in self.remarks:
            yield f"note: {line}"


@dataclass(slots=True)
class Builder:
    names: Names
    report: Report = field(default_factory=Report)
    records: dict[str, tuple[str, OfficeRecord]] = field(default_factory=dict)

    # -- helpers

    def hours(self, source: str, text: str, kind: str) -> tuple[WeeklyHours | None, str | None]:
        """(structured hours or None, original text or None)."""
        original = text.strip()
        if not original:
            return None, None
        try:
            bare = WORKDAYS if kind in OFFICE_WEEK_KINDS else None
            parsed = parse_hours(original, bare_days=bare)
        except HoursError:
            self.report.hours_text_only[source] += 1
            return None, original
        self.report.hours_parsed[source] += 1
        return parsed, original

    def add(self, source: str, record: OfficeRecord) -> None:
        if record.id in self.records:
            raise BuildError(f"{source}: id {record.id} is used twice ({record.name})")
        self.records[record.id] = (source, record)
        self.report.written[source] += 1
        if record.latitude is not None:
            self.report.coordinates[source] += 1

    def contact(self, raw_phone: str, raw_email: str, raw_web: str) -> tuple[
        tuple[str, ...], str | None, str | None, list[str]
    ]:
        notes: list[str] = []
        phones, lost = clean_phones(raw_phone)
        if lost:
            notes.append(f"Phone as written in the source: {one_line(raw_phone)}.")
        email = raw_email.strip() or None
        if email is not None and not _EMAIL_RE.fullmatch(email):
            notes.append(f"E-mail as written in the source: {email}.")
            email = None
        website = clean_website(raw_web)
        if raw_web.strip() and website is None:
            notes.append(f"Website as written in the source: {one_line(raw_web)}.")
        return phones, email, website, notes

    @staticmethod
    def row_id(prefix: str, area: str, name: str) -> str:
        digest = hashlib.sha1(fold(name).encode(), usedforsecurity=False).hexdigest()[:6]
        return f"{prefix}-{area}-{digest}"

    # -- the five sources

    def offices(self, rows: list[dict[str, str]]) -> None:
        for row in rows:
            self.report.read[OFFICES] += 1
            gmina = self.names.city_gmina(row["city"])
            phones, email, website, notes = self.contact(row["phone"], row["email"],
                                                         row["website"])
            hours, hours_text = self.hours(OFFICES, row["opening_hours"], "ops")
            district = re.search(r"Dzielnicy (.+?) m\.st\. Warszawy", row["name"])
            if district:
                if fold(district[1]) not in self.names.districts:
                    raise BuildError(f"{row['name']}: no Warsaw district {district[1]!r}")
                notes.append(f"Serves the district {district[1]} of Warszawa "
                             f"(gmina {gmina.code} is the whole city).")
            self.add(OFFICES, OfficeRecord(
                id=self.row_id("ops", gmina.code, row["name"]),
                kind="ops",
                subtype=row["kind"],
                name=one_line(row["name"]),
                street_address=one_line(row["street_address"]) or None,
                postal_code=row["postal_code"].strip() or None,
                locality=row["city"],
                serves_gmina=gmina.code,
                phones=phones,
                email=email,
                website=website,
                hours=hours,
                hours_text=hours_text,
                source_url=row["source_url"].strip() or None,
                source_date=row["source_date"].strip() or None,
                confidence=row["confidence"],
                note=join_notes(row["note"], *notes),
            ))

    def other(self, rows: list[dict[str, str]]) -> None:
        for row in rows:
            self.report.read[OTHER] += 1
            gmina = self.names.city_gmina(row["city"])
            kind = OTHER_KINDS[row["kind"]]
            phones, _email, website, notes = self.contact(row["phone"], "", row["website"])
            prison = kind == "prison"
            if prison:
                subtype = "areszt śledczy" if row["name"].startswith("Areszt") else "zakład karny"
            else:
                subtype = row["kind"]
            self.add(OTHER, OfficeRecord(
                id=self.row_id(kind, gmina.code if prison else gmina.powiat, row["name"]),
                kind=kind,
                subtype=subtype,
                name=one_line(row["name"]),
                street_address=one_line(row["street_address"]) or None,
                postal_code=row["postal_code"].strip() or None,
                locality=row["city"],
                phones=phones,
                website=website,
                source_url=row["source_url"].strip() or None,
                confidence=row["confidence"],
                note=join_notes(row["note"], *notes),
                serves_gmina=gmina.code if prison else None,
                serves_powiat=None if prison else gmina.powiat,
            ))

    def shelters(self, rows: list[dict[str, str]]) -> None:
        for row in rows:
            self.report.read[SHELTERS] += 1
            gmina = self.names.city_gmina(row["city"])
            kind, subtype = SHELTER_KINDS[row["kind"]]
            phones, _email, _web, notes = self.contact(row["phone"], "", "")
            for_whom = row["for_whom"].strip()
            operator = one_line(row["operator"])
            self.add(SHELTERS, OfficeRecord(
                id=self.row_id(kind.replace("_", "-"), gmina.code, row["name"]),
                kind=kind,
                subtype=subtype,
                name=one_line(row["name"]),
                street_address=one_line(row["street_address"]) or None,
                postal_code=row["postal_code"].strip() or None,
                locality=row["city"],
                serves_gmina=gmina.code,
                phones=phones,
                for_whom=None if for_whom in ("", "unknown") else for_whom,
                source_url=row["source_url"].strip() or None,
                confidence=row["confidence"],
                note=join_notes(f"Operator: {operator}." if operator else None, row["note"],
                                *notes),
            ))

    def _hand_duplicate(self, gmina: str, name: str) -> str | None:
        for source, record in self.records.values():
            if (source == OFFICES and record.serves_gmina == gmina
                    and fold(record.name) == fold(name)):
                return record.id
        return None

    def slaskie(self, rows: list[dict[str, str]]) -> None:
        for row in rows:
            self.report.read[SLASKIE] += 1
            powiat = self.names.powiat("24", row["powiat"])
            gmina = self.names.gmina_in_powiat(powiat, row["gmina"], row["nazwa"])
            if gmina is None:
                self.report.skipped.append(
                    f"{SLASKIE}: {row['nazwa']} (gmina {row['gmina']!r}): no such gmina")
                continue
            if fold(gmina.name) != fold(row["gmina"]):
                self.report.remarks.append(
                    f"{SLASKIE}: gmina {row['gmina']!r} read as {gmina.name} {gmina.code}")
            duplicate = self._hand_duplicate(gmina.code, row["nazwa"])
            if duplicate:
                self.report.skipped.append(
                    f"{SLASKIE}: {row['nazwa']}: the same office is in {OFFICES} ({duplicate})")
                continue
            phones, email, _web, notes = self.contact(row["telefon"], row["email"], "")
            address = one_line(row["adres"])
            if address and not re.search(r"\d", address):
                notes.append("Street number missing in parsed source.")
            self.add(SLASKIE, OfficeRecord(
                id=f"slaskie-{gmina.code}",
                kind="ops",
                subtype=row["typ"],
                name=one_line(row["nazwa"]),
                street_address=address or None,
                postal_code=row["kod_pocztowy"].strip() or None,
                locality=one_line(row["miejscowosc"]) or None,
                serves_gmina=gmina.code,
                phones=phones,
                email=email,
                source_url=SLASKIE_URL,
                confidence="medium",
                note=join_notes(SLASKIE_NOTE, *notes),
            ))

    def malopolskie(self, rows: list[dict[str, str]]) -> None:
        mir_rows: list[tuple[dict[str, str], teryt.Gmina]] = []
        extra: dict[int, str] = {}
        for row in rows:
            self.report.read[MALOPOLSKIE] += 1
            powiat = self.names.powiat("12", row["powiat"])
            gmina = self.names.gmina_in_powiat(powiat, row["gmina"], row["nazwa"],
                                               row["teryt_gminy"])
            if gmina is None:
                self.report.skipped.append(
                    f"{MALOPOLSKIE}: {one_line(row['nazwa'])} (powiat {row['powiat']}, gmina "
                    f"{row['gmina']!r}): no gmina of that name in the powiat")
                continue
            if powiat.is_city and (rural := self.names.rural_namesake(gmina, row["nazwa"])):
                self.report.remarks.append(
                    f"{MALOPOLSKIE}: {one_line(row['nazwa'])}: a gminny ośrodek placed in the "
                    f"city {gmina.name}; mapped to the rural gmina {rural.name} {rural.code}")
                gmina = rural
                extra[id(row)] = (
                    f"The source places this gminny ośrodek in the city {row['powiat']}; it is "
                    f"listed for the rural gmina {rural.name} ({rural.code}), which it serves."
                )
            if row["teryt_gminy"] != gmina.code:
                given = self.names.gmina(row["teryt_gminy"])
                self.report.remarks.append(
                    f"{MALOPOLSKIE}: {one_line(row['nazwa'])}: teryt_gminy {row['teryt_gminy']}"
                    f" ({given.name if given else 'not in TERYT'}) replaced by {gmina.code} "
                    f"({gmina.name})")
            duplicate = self._hand_duplicate(gmina.code, row["nazwa"])
            if duplicate:
                self.report.skipped.append(
                    f"{MALOPOLSKIE}: {one_line(row['nazwa'])}: the same office is in "
                    f"{OFFICES} ({duplicate})")
                continue
            if row["uwagi"].startswith("Źródło: mir.org.pl"):
                mir_rows.append((row, gmina))  # after the RJPS rows, which take precedence
                continue
            self._malopolskie_row(row, gmina, extra.get(id(row)))
        served = {record.serves_gmina for _s, record in self.records.values()
                  if record.kind == "ops"}
        for row, gmina in mir_rows:
            if gmina.code in served:
                self.report.skipped.append(
                    f"{MALOPOLSKIE}: {one_line(row['nazwa'])} (mir.org.pl): gmina {gmina.code} "
                    "already has its centre from the RJPS export or offices.csv")
                continue
            self._malopolskie_row(row, gmina)

    def _malopolskie_row(
        self, row: dict[str, str], gmina: teryt.Gmina, mapping_note: str | None = None
    ) -> None:
        rjps = row["uwagi"].startswith("źródło: RJPS")
        kind = "pcpr" if row["typ"] == "PCPR" else "ops"
        phones, email, website, notes = self.contact(row["telefon"], row["email"], row["www"])
        if mapping_note:
            notes.append(mapping_note)
        hours_raw = row["godziny_pracy"]
        if hours_raw.startswith("'"):  # a list of the unit's tasks, not hours
            hours_raw = ""
            self.report.remarks.append(
                f"{MALOPOLSKIE}: {one_line(row['nazwa'])}: godziny_pracy holds a list of tasks,"
                " not hours; left out")
        hours, hours_text = self.hours(MALOPOLSKIE, hours_raw, kind)
        confidence = "medium" if rjps else "low"
        if kind == "pcpr" and _is_city_powiat(self.names, gmina.powiat):
            confidence = "low"
            notes.append(
                f"The source places this PCPR in powiat {row['powiat']} (a city with powiat "
                "rights), but such a city's own tasks are done by its MOPS/CUS; it may serve the "
                "surrounding land powiat (see its website). Verify which powiat it serves."
            )
        latitude = float(row["latitude"]) if row["latitude"] else None
        longitude = float(row["longitude"]) if row["longitude"] else None
        address = one_line(f"{row['ulica']} {row['numer_domu']}")
        unit = row["id_jednostki"].removesuffix(".0")
        record_id = f"rjps-{unit}" if rjps else self.row_id("mir", gmina.code, row["nazwa"])
        self.add(MALOPOLSKIE, OfficeRecord(
            id=record_id,
            kind=kind,
            subtype=row["typ"],
            name=one_line(row["nazwa"]),
            street_address=address or None,
            postal_code=row["kod_pocztowy"].strip() or None,
            locality=one_line(row["miejscowosc"]) or None,
            serves_gmina=gmina.code if kind == "ops" else None,
            serves_powiat=gmina.powiat if kind == "pcpr" else None,
            phones=phones,
            email=email,
            website=website,
            hours=hours,
            hours_text=hours_text,
            latitude=latitude,
            longitude=longitude,
            source_url=MALOPOLSKIE_URL,
            source_date="2026-03-06" if rjps else None,
            confidence=confidence,
            note=join_notes(RJPS_NOTE if rjps else MIR_NOTE,
                            GEO_NOTES.get(row["geo_precyzja"]) if latitude is not None else None,
                            *notes),
        ))


def _is_city_powiat(names: Names, code: str) -> bool:
    return any(p.code == code and p.is_city for p in names.territory.powiats)


def read_source(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(src: Path, *, check: bool = True) -> tuple[list[OfficeRecord], Report, str]:
    """All records, the report, and the file text (validated like an import)."""
    if check:
        for name, expected in EXPECTED_SHA256.items():
            actual = sha256(src / name)
            if actual != expected:
                raise BuildError(f"{src / name}: sha256 {actual}, expected {expected}")
    names = Names.load()
    builder = Builder(names)
    steps: list[tuple[str, Callable[[list[dict[str, str]]], None]]] = [
        (OFFICES, builder.offices),
        (OTHER, builder.other),
        (SHELTERS, builder.shelters),
        (SLASKIE, builder.slaskie),
        (MALOPOLSKIE, builder.malopolskie),
    ]
    for name, step in steps:
        step(read_source(src / name))
    records = [record for _source, record in builder.records.values()]
    text = write_csv(records)
    result = read_csv(text.encode("utf-8"), names.register())
    if not result.ok:
        raise BuildError("the built file does not validate:\n"
                         + "\n".join(str(p) for p in result.problems[:50]))
    if sorted(result.records, key=lambda r: r.id) != sorted(records, key=lambda r: r.id):
        raise BuildError("the built file does not read back to the same records")
    return records, builder.report, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-check", action="store_true", help="skip the sha256 check")
    args = parser.parse_args(argv)
    try:
        _records, report, text = build(args.src, check=not args.no_check)
    except BuildError as exc:
        print(f"build_seed: {exc}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(text.encode("utf-8"))
    for line in report.lines():
        print(line)
    print(f"wrote {args.out} ({len(text.encode('utf-8'))} bytes, "
          f"sha256 {hashlib.sha256(text.encode('utf-8')).hexdigest()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
