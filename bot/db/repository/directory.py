"""The directory: TERYT units, offices and shelters; look-ups for the assistant, loading for
`db seed` and `import-csv`.

Every public function is one unit of work and returns plain frozen values (never ORM
objects), so callers hold no session. Offices are `bot.directory.record.OfficeRecord`s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Table, delete, func, insert, or_, select
from sqlalchemy.orm import Session as OrmSession

from bot.db.models import (
    DirectorySource,
    Gmina,
    Locality,
    Office,
    Powiat,
    Voivodeship,
    utcnow,
)
from bot.db.session import Session
from bot.directory import teryt
from bot.directory.csvformat import Register
from bot.directory.geo import bounding_box, haversine_km
from bot.directory.hours import OpeningState, WeeklyHours
from bot.directory.kinds import CONFIDENCE, ORIGIN_SEED, ORIGIN_STAFF
from bot.directory.record import OfficeRecord

TERYT_SOURCE = "teryt"
OFFICES_SOURCE = "offices"


class DirectoryError(RuntimeError):
    """A load that would break the directory (e.g. removing a gmina staff rows refer to)."""


# ---------------------------------------------------------------- result types


@dataclass(frozen=True, slots=True)
class GminaInfo:
    code: str
    name: str
    type: str
    powiat_code: str
    powiat_name: str
    powiat_is_city: bool
    voivodeship_code: str
    voivodeship_name: str


@dataclass(frozen=True, slots=True)
class StoredOffice:
    office: OfficeRecord
    origin: str  # "seed" or "staff"


@dataclass(frozen=True, slots=True)
class FoundOffice:
    office: OfficeRecord
    origin: str
    served_via: Literal["gmina", "powiat"]  # matched the gmina itself, or its powiat


@dataclass(frozen=True, slots=True)
class NearbyOffice:
    office: OfficeRecord
    origin: str
    distance_km: float


@dataclass(frozen=True, slots=True)
class TerritoryLoad:
    changed: bool  # False: the same register was already loaded
    voivodeships: int
    powiats: int
    gminas: int
    localities: int


@dataclass(frozen=True, slots=True)
class OfficeChanges:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0  # seed rows no longer in the seed
    kept_staff: int = 0  # seed rows not applied because staff own that id

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True, slots=True)
class DirectoryCounts:
    voivodeships: int
    powiats: int
    gminas: int
    localities: int
    offices: int
    by_kind: dict[str, int] = field(default_factory=dict)
    by_origin: dict[str, int] = field(default_factory=dict)
    with_hours: int = 0
    with_coordinates: int = 0
    teryt_loaded_at: datetime | None = None
    offices_loaded_at: datetime | None = None


# ---------------------------------------------------------------- conversions


def _record(row: Office) -> OfficeRecord:
    return OfficeRecord(
        id=row.id,
        kind=row.kind,
        name=row.name,
        confidence=row.confidence,
        subtype=row.subtype,
        street_address=row.street_address,
        postal_code=row.postal_code,
        locality=row.locality,
        serves_gmina=row.serves_gmina,
        serves_powiat=row.serves_powiat,
        phones=tuple(row.phones or ()),
        email=row.email,
        website=row.website,
        hours=WeeklyHours.from_json(row.hours) if row.hours is not None else None,
        hours_text=row.hours_text,
        for_whom=row.for_whom,
        latitude=row.latitude,
        longitude=row.longitude,
        source_url=row.source_url,
        source_date=row.source_date,
        verified_at=row.verified_at,
        note=row.note,
    )


def _columns(record: OfficeRecord) -> dict[str, Any]:
    return {
        "kind": record.kind,
        "subtype": record.subtype,
        "name": record.name,
        "street_address": record.street_address,
        "postal_code": record.postal_code,
        "locality": record.locality,
        "serves_gmina": record.serves_gmina,
        "serves_powiat": record.serves_powiat,
        "phones": list(record.phones),
        "email": record.email,
        "website": record.website,
        "hours": record.hours.to_json() if record.hours is not None else None,
        "hours_text": record.hours_text,
        "for_whom": record.for_whom,
        "latitude": record.latitude,
        "longitude": record.longitude,
        "source_url": record.source_url,
        "source_date": record.source_date,
        "confidence": record.confidence,
        "verified_at": record.verified_at,
        "note": record.note,
    }


def _aware(moment: datetime) -> datetime:
    """SQLite returns stored UTC times without their zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _confidence_rank(office: OfficeRecord) -> int:
    return CONFIDENCE.index(office.confidence) if office.confidence in CONFIDENCE else 99


# ---------------------------------------------------------------- look-ups


def get_gmina(code: str) -> GminaInfo | None:
    """The gmina with this 7-character TERYT code, with its powiat and voivodeship."""
    with Session.begin() as session:
        row = session.execute(
            select(Gmina, Powiat, Voivodeship)
            .join(Powiat, Gmina.powiat_code == Powiat.code)
            .join(Voivodeship, Gmina.voivodeship_code == Voivodeship.code)
            .where(Gmina.code == code)
        ).one_or_none()
        if row is None:
            return None
        gmina, powiat, voivodeship = row
        return GminaInfo(
            code=gmina.code,
            name=gmina.name,
            type=gmina.type,
            powiat_code=powiat.code,
            powiat_name=powiat.name,
            powiat_is_city=powiat.is_city,
            voivodeship_code=voivodeship.code,
            voivodeship_name=voivodeship.name,
        )


def get_office(office_id: str) -> StoredOffice | None:
    with Session.begin() as session:
        row = session.get(Office, office_id)
        return None if row is None else StoredOffice(_record(row), row.origin)


def offices_for_gmina(code: str, kinds: Sequence[str]) -> list[FoundOffice]:
    """Offices of these kinds serving the gmina, in the order of `kinds`.

    For each kind, the offices serving the gmina itself; when there are none, those
    serving its powiat (PUP, ZON, PCPR usually serve a whole powiat). Within a kind,
    higher confidence first, then by name. An unknown gmina gives an empty list.
    """
    with Session.begin() as session:
        powiat_code = session.scalar(select(Gmina.powiat_code).where(Gmina.code == code))
        if powiat_code is None or not kinds:
            return []
        rows = session.scalars(
            select(Office).where(
                Office.kind.in_(kinds),
                or_(Office.serves_gmina == code, Office.serves_powiat == powiat_code),
            )
        ).all()
        found = [(row.origin, _record(row)) for row in rows]
    result: list[FoundOffice] = []
    for kind in dict.fromkeys(kinds):
        own = [(g, o) for g, o in found if o.kind == kind and o.serves_gmina == code]
        via: Literal["gmina", "powiat"] = "gmina"
        if not own:
            own = [(g, o) for g, o in found if o.kind == kind and o.serves_powiat == powiat_code]
            via = "powiat"
        own.sort(key=lambda pair: (_confidence_rank(pair[1]), pair[1].name, pair[1].id))
        result.extend(FoundOffice(office, origin, via) for origin, office in own)
    return result


def nearest_offices(
    latitude: float,
    longitude: float,
    kinds: Sequence[str],
    *,
    limit: int = 5,
    radius_km: float = 50.0,
) -> list[NearbyOffice]:
    """Up to `limit` offices of these kinds with coordinates within `radius_km`, nearest first.

    Coordinates of many rows are those of the town or gmina centre, not the building
    (see the row's note), so distances are approximate.
    """
    if not kinds or limit <= 0:
        return []
    min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, radius_km)
    with Session.begin() as session:
        rows = session.scalars(
            select(Office).where(
                Office.kind.in_(kinds),
                Office.latitude.between(min_lat, max_lat),
                Office.longitude.between(min_lon, max_lon),
            )
        ).all()
        candidates = [(row.origin, _record(row)) for row in rows]
    nearby: list[NearbyOffice] = []
    for origin, office in candidates:
        assert office.latitude is not None and office.longitude is not None
        distance = haversine_km(latitude, longitude, office.latitude, office.longitude)
        if distance <= radius_km:
            nearby.append(NearbyOffice(office, origin, round(distance, 3)))
    nearby.sort(key=lambda n: (n.distance_km, _confidence_rank(n.office), n.office.id))
    return nearby[:limit]


def opening_state(office_id: str, when: datetime) -> OpeningState | None:
    """Whether the office is open at `when` (Europe/Warsaw; a naive datetime is Warsaw
    time) and when it next opens or closes; None for an unknown office, `is_open` None
    when its hours are not known in structured form."""
    stored = get_office(office_id)
    if stored is None:
        return None
    if stored.office.hours is None:
        return OpeningState(None)
    return stored.office.hours.state_at(when)


def register() -> Register:
    """The gmina and powiat codes rows may refer to (empty before `db seed`)."""
    with Session.begin() as session:
        gminas = frozenset(session.scalars(select(Gmina.code)).all())
        powiats = frozenset(session.scalars(select(Powiat.code)).all())
    return Register(gminas=gminas, powiats=powiats)


def export_offices() -> list[OfficeRecord]:
    """Every office, sorted by id."""
    with Session.begin() as session:
        return [_record(row) for row in session.scalars(select(Office).order_by(Office.id))]


def source_fingerprint(name: str) -> str | None:
    with Session.begin() as session:
        source = session.get(DirectorySource, name)
        return None if source is None else source.fingerprint


def directory_counts() -> DirectoryCounts:
    """How much is loaded, for status pages and the seed summary."""
    with Session.begin() as session:

        def count(model: Any) -> int:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)

        by_kind = {
            kind: number
            for kind, number in session.execute(
                select(Office.kind, func.count()).group_by(Office.kind)
            )
        }
        by_origin = {
            origin: number
            for origin, number in session.execute(
                select(Office.origin, func.count()).group_by(Office.origin)
            )
        }
        with_hours = int(session.scalar(
            select(func.count()).select_from(Office).where(Office.hours.is_not(None))) or 0)
        with_coordinates = int(session.scalar(
            select(func.count()).select_from(Office).where(Office.latitude.is_not(None))) or 0)
        loaded = {
            source.name: _aware(source.loaded_at)
            for source in session.scalars(select(DirectorySource))
        }
        return DirectoryCounts(
            voivodeships=count(Voivodeship),
            powiats=count(Powiat),
            gminas=count(Gmina),
            localities=count(Locality),
            offices=count(Office),
            by_kind={str(k): int(v) for k, v in by_kind.items()},
            by_origin={str(k): int(v) for k, v in by_origin.items()},
            with_hours=with_hours,
            with_coordinates=with_coordinates,
            teryt_loaded_at=loaded.get(TERYT_SOURCE),
            offices_loaded_at=loaded.get(OFFICES_SOURCE),
        )


# ---------------------------------------------------------------- loading


def _set_source(session: OrmSession, name: str, fingerprint: str) -> None:
    source = session.get(DirectorySource, name)
    if source is None:
        session.add(DirectorySource(name=name, fingerprint=fingerprint, loaded_at=utcnow()))
    else:
        source.fingerprint = fingerprint
        source.loaded_at = utcnow()


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _sync_units(
    session: OrmSession, model: Any, key: str, rows: Sequence[dict[str, Any]]
) -> set[str]:
    """Insert new and update changed rows of a unit table; return the keys to remove."""
    table = _table(model)
    names = [column.name for column in table.columns]
    existing = {
        row[0]: tuple(row) for row in session.execute(select(*[table.c[n] for n in names]))
    }
    wanted = {row[key]: row for row in rows}
    new = [row for k, row in wanted.items() if k not in existing]
    changed = [
        row for k, row in wanted.items()
        if k in existing and existing[k] != tuple(row[n] for n in names)
    ]
    if new:
        session.execute(insert(table), new)
    for row in changed:
        session.execute(
            table.update().where(table.c[key] == row[key]).values(
                {n: row[n] for n in names if n != key}
            )
        )
    return set(existing) - set(wanted)


_COPY_LOCALITIES = "COPY locality (sym, parent_sym, name, rm, gmina_code) FROM STDIN"


def _copy_text(value: str) -> str:
    """A value in COPY's text format (backslash, tab and line breaks escaped)."""
    return (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def _insert_localities(session: OrmSession, localities: Sequence[teryt.Locality]) -> None:
    """Bulk insert: COPY on PostgreSQL (about ten times faster), executemany elsewhere."""
    connection = session.connection()
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        driver_connection: Any = connection.connection.driver_connection
        data = "".join(
            "\t".join((loc.sym, loc.parent_sym, _copy_text(loc.name), loc.rm, loc.gmina)) + "\n"
            for loc in localities
        ).encode("utf-8")
        with driver_connection.cursor() as cursor, cursor.copy(_COPY_LOCALITIES) as copy:
            copy.write(data)
        return
    session.execute(
        insert(_table(Locality)),
        [{"sym": loc.sym, "parent_sym": loc.parent_sym, "name": loc.name, "rm": loc.rm,
          "gmina_code": loc.gmina} for loc in localities],
    )


def load_territory(territory: teryt.Territory) -> TerritoryLoad:
    """Make the register tables equal to `territory` (nothing happens when the same
    version is loaded). Seed offices in removed gminas or powiats are dropped; staff
    offices there stop the load with `DirectoryError`."""
    sizes = (len(territory.voivodeships), len(territory.powiats), len(territory.gminas),
             len(territory.localities))
    with Session.begin() as session:
        source = session.get(DirectorySource, TERYT_SOURCE)
        if source is not None and source.fingerprint == territory.fingerprint:
            return TerritoryLoad(False, *sizes)
        session.execute(delete(Locality))
        gone_voivodeships = _sync_units(
            session, Voivodeship, "code",
            [{"code": v.code, "name": v.name} for v in territory.voivodeships],
        )
        gone_powiats = _sync_units(
            session, Powiat, "code",
            [{"code": p.code, "name": p.name, "voivodeship_code": p.voivodeship,
              "is_city": p.is_city} for p in territory.powiats],
        )
        gone_gminas = _sync_units(
            session, Gmina, "code",
            [{"code": g.code, "name": g.name, "type": g.type, "powiat_code": g.powiat,
              "voivodeship_code": g.voivodeship} for g in territory.gminas],
        )
        if gone_gminas or gone_powiats:
            affected = select(Office).where(
                or_(Office.serves_gmina.in_(gone_gminas), Office.serves_powiat.in_(gone_powiats))
            )
            staff = [row.id for row in session.scalars(affected) if row.origin == ORIGIN_STAFF]
            if staff:
                raise DirectoryError(
                    "these staff rows refer to gminas or powiats that are no longer in the "
                    "TERYT register; correct them first: " + ", ".join(sorted(staff)[:20])
                )
            session.execute(delete(Office).where(
                or_(Office.serves_gmina.in_(gone_gminas), Office.serves_powiat.in_(gone_powiats))
            ))
            session.execute(delete(Gmina).where(Gmina.code.in_(gone_gminas)))
            session.execute(delete(Powiat).where(Powiat.code.in_(gone_powiats)))
        if gone_voivodeships:
            session.execute(delete(Voivodeship).where(Voivodeship.code.in_(gone_voivodeships)))
        _insert_localities(session, territory.localities)
        _set_source(session, TERYT_SOURCE, territory.fingerprint)
    return TerritoryLoad(True, *sizes)


def sync_seed_offices(records: Iterable[OfficeRecord], fingerprint: str) -> OfficeChanges:
    """Make the seed rows equal to `records`: add, update, and remove seed rows that are
    no longer shipped. Rows staff own (origin "staff", even under a seed id) are left alone.
    Running it again with the same records changes nothing."""
    added = updated = unchanged = removed = kept = 0
    with Session.begin() as session:
        existing = {row.id: row for row in session.scalars(select(Office))}
        shipped: set[str] = set()
        for record in records:
            shipped.add(record.id)
            row = existing.get(record.id)
            if row is None:
                session.add(Office(id=record.id, origin=ORIGIN_SEED, updated_at=utcnow(),
                                   **_columns(record)))
                added += 1
            elif row.origin != ORIGIN_SEED:
                kept += 1
            elif _record(row) == record:
                unchanged += 1
            else:
                for name, value in _columns(record).items():
                    setattr(row, name, value)
                row.updated_at = utcnow()
                updated += 1
        for office_id, row in existing.items():
            if row.origin == ORIGIN_SEED and office_id not in shipped:
                session.delete(row)
                removed += 1
        source = session.get(DirectorySource, OFFICES_SOURCE)
        if source is None or source.fingerprint != fingerprint:
            _set_source(session, OFFICES_SOURCE, fingerprint)
    return OfficeChanges(added, updated, unchanged, removed, kept)


def import_offices(records: Sequence[OfficeRecord]) -> OfficeChanges:
    """Add or update these rows, matched by id, in one transaction (all or nothing).

    A row whose content differs from the stored one (or is new) becomes staff-owned, so
    re-seeding never overwrites it; identical rows are left as they are, so importing an
    unchanged export changes nothing. Rows not in `records` are kept.
    """
    added = updated = unchanged = 0
    with Session.begin() as session:
        existing = {row.id: row for row in session.scalars(select(Office))}
        for record in records:
            row = existing.get(record.id)
            if row is None:
                session.add(Office(id=record.id, origin=ORIGIN_STAFF, updated_at=utcnow(),
                                   **_columns(record)))
                added += 1
            elif _record(row) == record:
                unchanged += 1
            else:
                for name, value in _columns(record).items():
                    setattr(row, name, value)
                row.origin = ORIGIN_STAFF
                row.updated_at = utcnow()
                updated += 1
    return OfficeChanges(added=added, updated=updated, unchanged=unchanged)


def origins() -> dict[str, str]:
    """Office id -> origin, for reports and tests."""
    with Session.begin() as session:
        return {
            office_id: origin
            for office_id, origin in session.execute(select(Office.id, Office.origin))
        }

