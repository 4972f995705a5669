"""Fixed vocabularies of the directory: kinds of office, for whom, confidence, origin."""

from __future__ import annotations

from typing import Final

# What a row is. `ops` is the gmina's social assistance centre (MOPS/MOPR/OPS/GOPS/CUS).
KINDS: Final = (
    "ops",  # ośrodek pomocy społecznej (subtype MOPS, MOPR, OPS, GOPS, CUS)
    "pcpr",  # powiatowe centrum pomocy rodzinie
    "pup",  # powiatowy urząd pracy
    "zon",  # zespół do spraw orzekania o niepełnosprawności
    "shelter",  # schronisko
    "night_shelter",  # noclegownia
    "warming_centre",  # ogrzewalnia
    "food",  # jadłodajnia, bank żywności
    "addiction",  # leczenie uzależnień, punkt konsultacyjny
    "ngo",  # organizacja pozarządowa
    "prison",  # zakład karny, areszt śledczy
)
OPS_SUBTYPES: Final = ("MOPS", "MOPR", "OPS", "GOPS", "CUS")

# Offices that usually serve a whole powiat; a gmina without its own row of that kind
# is answered with the one serving its powiat.
POWIAT_KINDS: Final = frozenset({"pcpr", "pup", "zon"})

# Kinds whose opening hours, written without days ("7:30-15:30"), mean Monday to Friday.
# Others (shelters...) must name the days.
OFFICE_WEEK_KINDS: Final = frozenset({"ops", "pcpr", "pup", "zon"})

FOR_WHOM: Final = ("men", "women", "families", "mixed", "any")
CONFIDENCE: Final = ("high", "medium", "low")

# Who put a row in the database: the shipped seed, or staff through `import-csv`.
ORIGIN_SEED: Final = "seed"
ORIGIN_STAFF: Final = "staff"
ORIGINS: Final = (ORIGIN_SEED, ORIGIN_STAFF)
