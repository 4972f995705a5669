"""The directory's CSV format: reading, checking every row, writing.

One format serves the shipped seed (`bot/data/directory/offices.csv`), `import-csv` and
`export-csv`. It is UTF-8 (a BOM is accepted), comma-separated with `"` quoting, a header
line naming the columns (any order; none missing, none unknown), LF or CRLF line ends.
Empty cells mean "not known". Columns (see `COLUMNS`):

- id: stable identifier of the row (letters, digits, `.`, `_`, `-`; at most 64); required
- kind: one of `KINDS` (ops, pcpr, pup, zon, shelter, night_shelter, ...); required
- subtype: e.g. MOPS; for kind `ops` one of MOPS, MOPR, OPS, GOPS, CUS
- name: required
- street_address, locality: as written, e.g. "ul. 3 Maja 33", "Sosnowiec"
- postal_code: NN-NNN
- serves_gmina: TERYT code of the gmina served (7 characters, in the register)
- serves_powiat: TERYT code WOJ+POW of the powiat served (PUP, ZON, PCPR);
  serves_gmina or serves_powiat is required
- phones: numbers separated by `;`, each only digits, spaces and `+ ( ) -`
- email; website (http or https)
- hours: opening hours that `bot.directory.hours.parse_hours` reads, e.g.
  `pn-pt 07:30-15:30; sb 08:00-12:00`; exported in that canonical form. Hours without
  days mean Monday to Friday for ops, pcpr, pup and zon; other kinds must name the days
- hours_text: the hours as the source wrote them (free text, may span lines)
- for_whom: men, women, families, mixed or any
- latitude, longitude: decimal degrees with a dot, both or neither, inside Poland
- source_url: where the data comes from (http or https)
- source_date: date of the source: YYYY-MM-DD, YYYY-MM or YYYY
- confidence: high, medium or low; required
- verified_at: YYYY-MM-DD, when someone last checked the row
- note: free text (may span lines)

`read_csv` checks everything and returns either records or problems, each "line N:
column: reason". Nothing here touches the database: the caller passes the register of
known gmina and powiat codes.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final
from urllib.parse import urlsplit

from bot.directory.geo import POLAND_LAT, POLAND_LON, in_poland
from bot.directory.hours import WORKDAYS, HoursError, parse_hours
from bot.directory.kinds import CONFIDENCE, FOR_WHOM, KINDS, OFFICE_WEEK_KINDS, OPS_SUBTYPES
from bot.directory.record import OfficeRecord

COLUMNS: Final = (
    "id",
    "kind",
    "subtype",
    "name",
    "street_address",
    "postal_code",
    "locality",
    "serves_gmina",
    "serves_powiat",
    "phones",
    "email",
    "website",
    "hours",
    "hours_text",
    "for_whom",
    "latitude",
    "longitude",
    "source_url",
    "source_date",
    "confidence",
    "verified_at",
    "note",
)
REQUIRED: Final = ("id", "kind", "name", "confidence")
MULTILINE: Final = frozenset({"hours_text", "note"})
MAX_LENGTH: Final[Mapping[str, int]] = {
    "id": 64,
    "kind": 20,
    "subtype": 60,
    "name": 300,
    "street_address": 300,
    "postal_code": 6,
    "locality": 100,
    "serves_gmina": 7,
    "serves_powiat": 4,
    "phones": 300,
    "email": 254,
    "website": 500,
    "hours": 500,
    "hours_text": 2000,
    "for_whom": 10,
    "latitude": 30,
    "longitude": 30,
    "source_url": 1000,
    "source_date": 10,
    "confidence": 6,
    "verified_at": 10,
    "note": 4000,
}
# Columns whose length is checked as such; the others have a fixed shape checked below.
FREE_TEXT: Final = frozenset({"subtype", "name", "street_address", "locality", "phones",
                              "email", "website", "hours", "hours_text", "source_url", "note"})
MAX_BYTES: Final = 10 * 1024 * 1024
MAX_ROWS: Final = 20_000
MAX_PROBLEMS: Final = 200  # stop collecting after this many (the file is clearly wrong)

_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_POSTAL_RE = re.compile(r"[0-9]{2}-[0-9]{3}")
_PHONE_RE = re.compile(r"[0-9 +()\-]+")
_EMAIL_RE = re.compile(r"[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+")
_GMINA_RE = re.compile(r"[0-9]{6}[123]")
_POWIAT_RE = re.compile(r"[0-9]{4}")
_NUMBER_RE = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]+)?")
_PARTIAL_DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_FULL_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the file; `line` is None for the file as a whole."""

    line: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = "file" if self.line is None else f"line {self.line}"
        return f"{where}: {self.column}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Register:
    """The TERYT codes a row may refer to."""

    gminas: Collection[str]
    powiats: Collection[str]


@dataclass(slots=True)
class ReadResult:
    records: list[OfficeRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0  # data rows read (blank lines not counted)

    @property
    def ok(self) -> bool:
        return not self.problems


# ------------------------------------------------------------------ reading


def decode(data: bytes) -> tuple[str | None, list[Problem]]:
    """The file's text (BOM removed, line ends made LF), or the reason it cannot be read."""
    if len(data) > MAX_BYTES:
        return None, [
            Problem(None, "file", f"the file is {len(data) / 1048576:.1f} MB; the limit is "
                    f"{MAX_BYTES // 1048576} MB: split it into smaller files")
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            Problem(line, "file", f"byte 0x{data[exc.start]:02X} is not UTF-8 text: "
                    "save the file as UTF-8 (CSV UTF-8 in a spreadsheet)")
        ]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def read_csv(data: bytes, register: Register) -> ReadResult:
    """Read and check a whole file; `result.ok` tells whether every row is valid."""
    result = ReadResult()
    text, problems = decode(data)
    if text is None:
        result.problems.extend(problems)
        return result
    if not text.strip():
        result.problems.append(
            Problem(1, "header", "the file is empty; the first line must name the columns: "
                    + ",".join(COLUMNS))
        )
        return result
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        result.problems.append(Problem(1, "header", f"cannot read the CSV: {exc}"))
        return result
    names = [name.strip().lower() for name in header]
    header_problems = _check_header(names)
    if header_problems:
        result.problems.extend(header_problems)
        return result

    seen_ids: dict[str, int] = {}
    line = reader.line_num + 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.problems.append(Problem(line, "file", f"cannot read the CSV: {exc}"))
            break
        start, line = line, reader.line_num + 1
        if not any(value.strip() for value in fields):
            continue  # blank line
        result.rows += 1
        if result.rows > MAX_ROWS:
            result.problems.append(
                Problem(start, "file", f"more than {MAX_ROWS} rows: split the file")
            )
            break
        if len(fields) != len(names):
            result.problems.append(
                Problem(start, "row", f"has {len(fields)} fields but the header has "
                        f"{len(names)} (check quotes and commas)")
            )
            continue
        row = dict(zip(names, fields, strict=True))
        record, row_problems = check_row(row, start, register)
        if record is not None:
            first = seen_ids.setdefault(record.id, start)
            if first != start:
                row_problems.append(
                    Problem(start, "id", f"{record.id!r} is already used on line {first}")
                )
            else:
                result.records.append(record)
        result.problems.extend(row_problems)
        if len(result.problems) >= MAX_PROBLEMS:
            result.problems.append(
                Problem(None, "file", f"stopped after {MAX_PROBLEMS} problems")
            )
            break
    return result


def _check_header(names: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    missing = [column for column in COLUMNS if column not in names]
    unknown = [name or "(empty)" for name in names if name not in COLUMNS]
    repeated = sorted({name for name in names if names.count(name) > 1 and name in COLUMNS})
    if missing:
        problems.append(Problem(1, "header", "missing columns: " + ", ".join(missing)))
    if unknown:
        problems.append(Problem(1, "header", "unknown columns: " + ", ".join(unknown)))
    if repeated:
        problems.append(Problem(1, "header", "repeated columns: " + ", ".join(repeated)))
    return problems


# ------------------------------------------------------------------ one row


def _control_characters(value: str, multiline: bool) -> bool:
    allowed = "\n\t" if multiline else ""
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value)


def _url_problem(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "must be an address starting with http:// or https://"
    if any(ch.isspace() for ch in value):
        return "must not contain spaces"
    return None


def _coordinate(value: str, bounds: tuple[float, float]) -> tuple[float | None, str | None]:
    if not _NUMBER_RE.fullmatch(value):
        return None, "must be a number in decimal degrees with a dot, e.g. 50.2649"
    number = float(value)
    if not math.isfinite(number) or not bounds[0] <= number <= bounds[1]:
        return None, f"{value} is outside Poland ({bounds[0]}-{bounds[1]})"
    return number, None


def _partial_date(value: str) -> bool:
    match = _PARTIAL_DATE_RE.fullmatch(value)
    if match is None:
        return False
    year, month, day = int(match[1]), match[2], match[3]
    try:
        date(year, int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def check_row(
    row: Mapping[str, str], line: int, register: Register
) -> tuple[OfficeRecord | None, list[Problem]]:
    """Check one row (column name -> cell text); the record, or None and why not."""
    problems: list[Problem] = []

    def bad(column: str, reason: str) -> None:
        problems.append(Problem(line, column, reason))

    values: dict[str, str | None] = {}
    for column in COLUMNS:
        raw = row.get(column, "")
        value = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
        if not value:
            values[column] = None
            continue
        if column in FREE_TEXT and len(value) > MAX_LENGTH[column]:
            bad(column, f"is {len(value)} characters long; at most {MAX_LENGTH[column]}")
            values[column] = None
            continue
        multiline = column in MULTILINE
        if _control_characters(value, multiline):
            bad(column, "contains a control character" if multiline
                else "contains a line break or control character")
            values[column] = None
            continue
        values[column] = value

    for column in REQUIRED:
        if values[column] is None and not any(p.column == column for p in problems):
            bad(column, "is required")

    record_id = values["id"]
    if record_id is not None and not _ID_RE.fullmatch(record_id):
        bad("id", "may contain only letters, digits, '.', '_' and '-' (at most 64)")

    kind = values["kind"]
    if kind is not None and kind not in KINDS:
        bad("kind", f"{kind!r} is not a kind; use one of: {', '.join(KINDS)}")
    subtype = values["subtype"]
    if kind == "ops" and subtype is not None and subtype not in OPS_SUBTYPES:
        bad("subtype", f"for kind ops use one of: {', '.join(OPS_SUBTYPES)}")

    postal = values["postal_code"]
    if postal is not None and not _POSTAL_RE.fullmatch(postal):
        bad("postal_code", f"{postal!r} is not a postal code written NN-NNN")

    gmina = values["serves_gmina"]
    if gmina is not None:
        if not _GMINA_RE.fullmatch(gmina):
            bad("serves_gmina",
                f"{gmina!r} is not a TERYT gmina code (7 digits, the last 1, 2 or 3)")
        elif gmina not in register.gminas:
            bad("serves_gmina", f"there is no gmina {gmina} in the TERYT register")
    powiat = values["serves_powiat"]
    if powiat is not None:
        if not _POWIAT_RE.fullmatch(powiat):
            bad("serves_powiat", f"{powiat!r} is not a TERYT powiat code (4 digits)")
        elif powiat not in register.powiats:
            bad("serves_powiat", f"there is no powiat {powiat} in the TERYT register")
    if gmina is None and powiat is None and not any(
        p.column in ("serves_gmina", "serves_powiat") for p in problems
    ):
        bad("serves_gmina", "give serves_gmina or serves_powiat: the area the place serves")
    if gmina is not None and powiat is not None and gmina[:4] != powiat:
        bad("serves_powiat", f"gmina {gmina} is not in powiat {powiat}")

    phones: list[str] = []
    if values["phones"] is not None:
        for part in values["phones"].split(";"):
            number = " ".join(part.split())
            if not number:
                continue
            if not _PHONE_RE.fullmatch(number):
                bad("phones", f"{number!r}: a phone number may contain only digits, spaces "
                    "and + ( ) -; separate numbers with ';' and put remarks in note")
            elif sum(ch.isdigit() for ch in number) < 3:
                bad("phones", f"{number!r} is too short to be a phone number")
            else:
                phones.append(number)

    email = values["email"]
    if email is not None and not _EMAIL_RE.fullmatch(email):
        bad("email", f"{email!r} is not an e-mail address")
    for column in ("website", "source_url"):
        url = values[column]
        if url is not None and (reason := _url_problem(url)) is not None:
            bad(column, reason)

    hours = None
    hours_value = values["hours"]
    if hours_value is not None:
        bare = WORKDAYS if kind in OFFICE_WEEK_KINDS else None
        try:
            hours = parse_hours(hours_value, bare_days=bare)
        except HoursError as exc:
            bad("hours", f"cannot read the opening hours: {exc}")

    for_whom = values["for_whom"]
    if for_whom is not None and for_whom not in FOR_WHOM:
        bad("for_whom", f"use one of: {', '.join(FOR_WHOM)}")

    latitude = longitude = None
    if values["latitude"] is not None:
        latitude, reason = _coordinate(values["latitude"], POLAND_LAT)
        if reason:
            bad("latitude", reason)
    if values["longitude"] is not None:
        longitude, reason = _coordinate(values["longitude"], POLAND_LON)
        if reason:
            bad("longitude", reason)
    if (values["latitude"] is None) != (values["longitude"] is None):
        bad("latitude" if values["latitude"] is None else "longitude",
            "give both latitude and longitude, or neither")
    elif latitude is not None and longitude is not None and not in_poland(latitude, longitude):
        bad("latitude", "the point is outside Poland")

    source_date = values["source_date"]
    if source_date is not None and not _partial_date(source_date):
        bad("source_date", f"{source_date!r} is not a date written YYYY-MM-DD, YYYY-MM or YYYY")
    verified = values["verified_at"]
    verified_at = None
    if verified is not None:
        if _FULL_DATE_RE.fullmatch(verified) and _partial_date(verified):
            verified_at = date.fromisoformat(verified)
        else:
            bad("verified_at", f"{verified!r} is not a date written YYYY-MM-DD")

    confidence = values["confidence"]
    if confidence is not None and confidence not in CONFIDENCE:
        bad("confidence", f"use one of: {', '.join(CONFIDENCE)}")

    if problems:
        return None, problems
    assert record_id is not None and kind is not None and confidence is not None
    name = values["name"]
    assert name is not None
    return OfficeRecord(
        id=record_id,
        kind=kind,
        name=name,
        confidence=confidence,
        subtype=subtype,
        street_address=values["street_address"],
        postal_code=postal,
        locality=values["locality"],
        serves_gmina=gmina,
        serves_powiat=powiat,
        phones=tuple(phones),
        email=email,
        website=values["website"],
        hours=hours,
        hours_text=values["hours_text"],
        for_whom=for_whom,
        latitude=latitude,
        longitude=longitude,
        source_url=values["source_url"],
        source_date=source_date,
        verified_at=verified_at,
        note=values["note"],
    ), []


# ------------------------------------------------------------------ writing


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def record_to_row(record: OfficeRecord) -> dict[str, str]:
    """The CSV cells of a record; `check_row` reads them back to an equal record."""
    return {
        "id": record.id,
        "kind": record.kind,
        "subtype": _cell(record.subtype),
        "name": record.name,
        "street_address": _cell(record.street_address),
        "postal_code": _cell(record.postal_code),
        "locality": _cell(record.locality),
        "serves_gmina": _cell(record.serves_gmina),
        "serves_powiat": _cell(record.serves_powiat),
        "phones": "; ".join(record.phones),
        "email": _cell(record.email),
        "website": _cell(record.website),
        "hours": record.hours.to_text() if record.hours is not None else "",
        "hours_text": _cell(record.hours_text),
        "for_whom": _cell(record.for_whom),
        "latitude": _cell(record.latitude),
        "longitude": _cell(record.longitude),
        "source_url": _cell(record.source_url),
        "source_date": _cell(record.source_date),
        "confidence": record.confidence,
        "verified_at": record.verified_at.isoformat() if record.verified_at else "",
        "note": _cell(record.note),
    }


def write_csv(records: Iterable[OfficeRecord]) -> str:
    """The whole file as text (UTF-8 when encoded, no BOM, LF line ends), rows sorted by id."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in sorted(records, key=lambda r: r.id):
        writer.writerow(record_to_row(record))
    return out.getvalue()
