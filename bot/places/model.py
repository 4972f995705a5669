"""Result types of place resolution: Gmina, Place, Resolution."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["found", "ambiguous", "unknown"]
Match = Literal["", "exact", "inflected", "rule", "typo", "prefix"]

TOWN = "96"
DISTRICT = "95"
DELEGATURA = "98"


@dataclass(frozen=True, slots=True)
class Gmina:
    """A gmina (RODZ 1/2/3): the unit whose social-assistance office (OPS) serves a place."""

    name: str
    teryt: str  # WOJ+POW+GMI+RODZ, 7 characters
    type: str  # "miejska" | "wiejska" | "miejsko-wiejska"

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"name": self.name, "teryt": self.teryt, "type": self.type}


@dataclass(frozen=True, slots=True)
class Place:
    """One SIMC locality with its gmina, powiat and voivodeship."""

    locality: str
    simc: str
    gmina: Gmina
    powiat: str
    voivodeship: str
    rm: str
    kind: str
    parent_simc: str

    @property
    def is_town(self) -> bool:
        """True for a town (RM 96 miasto)."""
        return self.rm == TOWN

    @property
    def is_urban_unit(self) -> bool:
        """True for a Warsaw district (RM 95) or a city delegatura (RM 98)."""
        return self.rm in (DISTRICT, DELEGATURA)

    @property
    def is_independent(self) -> bool:
        """True unless the locality is a part of another one (SYMPOD differs)."""
        return self.parent_simc == self.simc

    def label(self) -> str:
        """Short Polish description, e.g. 'Sosnowiec (miasto, gmina miejska Sosnowiec, ...)'."""
        return (
            f"{self.locality} ({self.kind}, gmina {self.gmina.type} {self.gmina.name}, "
            f"powiat {self.powiat}, woj. {self.voivodeship})"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the five required keys plus ``kind`` and ``rm``)."""
        return {
            "locality": self.locality,
            "simc": self.simc,
            "gmina": self.gmina.to_dict(),
            "powiat": self.powiat,
            "voivodeship": self.voivodeship,
            "kind": self.kind,
            "rm": self.rm,
        }


@dataclass(frozen=True)
class Resolution:
    """Outcome of resolving a place name typed by a user."""

    status: Status
    place: Place | None
    candidates: list[Place]
    suggestions: list[str]
    note: str
    query: str
    picked_town: bool = False
    near: bool = False
    match: Match = ""
    qualifiers: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "status": self.status,
            "query": self.query,
            "place": self.place.to_dict() if self.place else None,
            "candidates": [c.to_dict() for c in self.candidates],
            "candidate_count": len(self.candidates),
            "suggestions": list(self.suggestions),
            "note": self.note,
            "picked_town": self.picked_town,
            "near": self.near,
            "match": self.match,
            "qualifiers": dict(self.qualifiers),
        }
