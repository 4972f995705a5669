"""How an office from the directory is shown: a short text and a card for the screen.

Only what the directory holds is shown; a missing address or phone is said to be
missing, never filled in.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlparse

from bot.directory.hours import OpeningState
from bot.directory.record import OfficeRecord

KIND_NAMES = {
    "ops": "Ośrodek pomocy społecznej",
    "pcpr": "Powiatowe centrum pomocy rodzinie",
    "pup": "Urząd pracy",
    "zon": "Zespół do spraw orzekania o niepełnosprawności",
    "shelter": "Schronisko",
    "night_shelter": "Noclegownia",
    "warming_centre": "Ogrzewalnia",
    "food": "Jedzenie i ubrania",
    "addiction": "Pomoc w uzależnieniu",
    "ngo": "Organizacja pomocowa",
    "prison": "Zakład karny",
}
FOR_WHOM = {"men": "dla mężczyzn", "women": "dla kobiet", "families": "dla rodzin",
            "mixed": "dla kobiet i mężczyzn"}
WEEKDAYS = ["pon.", "wt.", "śr.", "czw.", "pt.", "sob.", "niedz."]


def address_of(office: OfficeRecord) -> str | None:
    place = " ".join(p for p in (office.postal_code, office.locality) if p)
    parts = [p for p in (office.street_address, place) if p]
    return ", ".join(parts) or None


def hours_of(office: OfficeRecord) -> str | None:
    if office.hours is not None:
        return office.hours.to_text()
    return office.hours_text


def open_now_text(state: OpeningState | None) -> str | None:
    if state is None or state.is_open is None:
        return None
    if state.is_open and state.closes_at is not None:
        return f"Teraz otwarte, do {state.closes_at:%H:%M}."
    if state.next_opening is not None:
        day = WEEKDAYS[state.next_opening.weekday()]
        return f"Teraz zamknięte. Otwarte od {day} {state.next_opening:%H:%M}."
    return "Teraz zamknięte."


def freshness_text(office: OfficeRecord) -> str:
    """Where the record comes from and how old it is."""
    source = urlparse(office.source_url).netloc.removeprefix("www.") if office.source_url else ""
    when = office.verified_at.isoformat() if office.verified_at else office.source_date
    parts = [f"źródło: {source}" if source else "źródło nieznane"]
    if when:
        parts.append(f"stan z {when}")
    return "Dane z katalogu (" + ", ".join(parts) + "). Przed wyjściem zadzwoń i sprawdź."


def card_for(office: OfficeRecord, state: OpeningState | None,
             distance_km: float | None = None) -> dict[str, str]:
    card = {
        "kind": KIND_NAMES.get(office.kind, office.kind),
        "name": office.name,
        "address": address_of(office) or "Brak adresu w katalogu",
        "phone": ", ".join(office.phones) or "Brak telefonu w katalogu",
        "hours": hours_of(office) or "Brak godzin w katalogu",
        "updated": freshness_text(office),
    }
    if (now := open_now_text(state)) is not None:
        card["open_now"] = now
    if office.for_whom in FOR_WHOM:
        card["for_whom"] = FOR_WHOM[office.for_whom]
    if distance_km is not None:
        card["distance"] = f"{distance_km:.1f} km".replace(".", ",")
    return card


def card_text(card: dict[str, str]) -> str:
    """The card as plain text, for channels and screens without cards."""
    lines = [f"{card['kind']}: {card['name']}"]
    if "for_whom" in card:
        lines[0] += f" ({card['for_whom']})"
    if "distance" in card:
        lines.append(f"Odległość: {card['distance']}")
    lines += [f"Adres: {card['address']}", f"Telefon: {card['phone']}",
              f"Godziny: {card['hours']}"]
    if "open_now" in card:
        lines.append(card["open_now"])
    lines.append(card["updated"])
    return "\n".join(lines)


def now_in_poland() -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/Warsaw"))
