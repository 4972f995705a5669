"""Choosing among matching localities and wording the Polish note for the user."""

from __future__ import annotations

from bot.places.model import Match, Place, Resolution

_ACCUSATIVE = {"dzielnica": "dzielnicę", "delegatura": "delegaturę"}


def _others(candidates: list[Place]) -> str:
    same = len({c.locality for c in candidates}) == 1
    which = "o tej nazwie" if same else "o tej lub podobnej nazwie"
    return f"Są też inne miejscowości {which}: jeśli chodzi o inną, podaj gminę lub powiat."


ASK_MORE = "Podaj gminę, powiat albo województwo"


def _where(place: Place) -> str:
    return (
        f"gmina {place.gmina.type} {place.gmina.name}, powiat {place.powiat}, "
        f"woj. {place.voivodeship}"
    )


def _names(candidates: list[Place]) -> str:
    names: list[str] = []
    for cand in candidates:
        if cand.locality not in names:
            names.append(cand.locality)
    return " / ".join(names[:3])


def _found(
    query: str,
    place: Place,
    candidates: list[Place],
    note: str,
    match: Match,
    near: bool,
    qualifiers: dict[str, str],
    picked_town: bool = False,
) -> Resolution:
    if match == "typo":
        note = f"Przyjmuję, że chodzi o: {place.locality}. " + note
    if near:
        note += (
            " To okolice tej miejscowości: jeśli mieszkasz w innej miejscowości w pobliżu,"
            " podaj jej nazwę, bo może jej podlegać inny ośrodek pomocy społecznej."
        )
    return Resolution(
        status="found",
        place=place,
        candidates=candidates,
        suggestions=[],
        note=note.strip(),
        query=query,
        picked_town=picked_town,
        near=near,
        match=match,
        qualifiers=qualifiers,
    )


def decide(
    query: str,
    candidates: list[Place],
    match: Match,
    near: bool,
    qualifiers: dict[str, str],
    prefix_only: set[str] | None = None,
    qualifier_failed: bool = False,
) -> Resolution:
    """Pick one locality when one stands out; otherwise ask (status "ambiguous").

    ``candidates`` come ranked: towns, city districts, villages, parts of localities.
    ``prefix_only`` holds SIMC codes of towns matched only by the start of their name
    ("Kędzierzyn" for Kędzierzyn-Koźle): they are offered, but picked only when nothing
    else matched.
    """
    prefix_only = prefix_only or set()
    if qualifier_failed:
        note = (
            f"Nie znalazłem miejscowości {_names(candidates)} w podanym miejscu. "
            f"Wybierz jedną z listy albo popraw gminę, powiat lub województwo."
        )
        return _ambiguous(query, candidates, note, match, near, qualifiers)
    first = candidates[0]
    if len(candidates) == 1:
        return _found(
            query, first, candidates, f"{first.locality}: {_where(first)}.", match, near, qualifiers
        )
    if len({c.gmina.teryt for c in candidates}) == 1:
        note = (
            f"{first.locality}: {_where(first)}. "
            "Wszystkie miejscowości o tej nazwie leżą w tej gminie."
        )
        return _found(query, first, candidates, note, match, near, qualifiers)
    towns = [c for c in candidates if c.is_town and c.simc not in prefix_only]
    if not towns and len(prefix_only) == len(candidates):
        towns = list(candidates)
    if len(towns) > 1:
        cities = [t for t in towns if t.gmina.type == "miejska"]
        if len(cities) == 1:
            town = cities[0]
            others = ", ".join(
                f"{t.locality} (woj. {t.voivodeship})" for t in towns if t is not town
            )
            note = (
                f"Wybrałem miasto {town.locality} ({_where(town)}). "
                f"Jest też miasto {others}: jeśli chodzi o nie, napisz to."
            )
            return _found(query, town, candidates, note, match, near, qualifiers, True)
    if len(towns) == 1:
        town = towns[0]
        note = f"Wybrałem miasto {town.locality} ({_where(town)}). {_others(candidates)}"
        return _found(query, town, candidates, note, match, near, qualifiers, True)
    if not towns:
        urban = [c for c in candidates if c.is_urban_unit]
        if len(urban) == 1:
            unit = urban[0]
            note = (
                f"Wybrałem {_ACCUSATIVE.get(unit.kind, unit.kind)} {unit.locality} "
                f"({_where(unit)}). {_others(candidates)}"
            )
            return _found(query, unit, candidates, note, match, near, qualifiers, True)
    typed = [c for c in candidates if c.simc not in prefix_only] or candidates
    example = typed[0]
    note = (
        f"Jest kilka miejscowości o nazwie {_names(typed)} ({len(candidates)}). "
        f"{ASK_MORE}, np. „{example.locality} gmina {example.gmina.name}”."
    )
    return _ambiguous(query, candidates, note, match, near, qualifiers)


def _ambiguous(
    query: str,
    candidates: list[Place],
    note: str,
    match: Match,
    near: bool,
    qualifiers: dict[str, str],
) -> Resolution:
    return Resolution(
        status="ambiguous",
        place=None,
        candidates=candidates,
        suggestions=[],
        note=note,
        query=query,
        near=near,
        match=match,
        qualifiers=qualifiers,
    )


def unknown(query: str, suggestions: list[str]) -> Resolution:
    """No locality matched; offer close names."""
    note = "Nie znalazłem takiej miejscowości w rejestrze TERYT."
    if suggestions:
        note += " Czy chodziło o: " + ", ".join(suggestions) + "?"
    else:
        note += " Sprawdź pisownię i podaj samą nazwę miejscowości."
    return Resolution("unknown", None, [], suggestions, note, query)


def invalid(query: str, note: str) -> Resolution:
    """Input that cannot be a place name (empty, too long, no letters)."""
    return Resolution("unknown", None, [], [], note, query)


def region(query: str, voivodeship: str) -> Resolution:
    """The text names a region or voivodeship, not a locality."""
    note = (
        f"To region (woj. {voivodeship}), a nie miejscowość. "
        "Podaj nazwę miejscowości, w której mieszkasz lub chcesz szukać pomocy."
    )
    return Resolution("unknown", None, [], [], note, query)
