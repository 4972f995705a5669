"""Parsing what a user typed: leading prepositions, the name, and qualifiers.

Qualifiers narrow a name down: ``Dąbrowa gmina Wolbrom``, ``Dąbrowa, pow. olkuski``,
``Dąbrowa w małopolskim``, ``Dąbrowa koło Krakowa``. Everything here works on folded words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.textnorm import fold

# Prepositions and fillers dropped in front of a name.
PLAIN_PREPS = frozenset({"w", "we", "z", "ze", "do", "przy", "na", "nad", "od", "u", "ku", "po"})
NEAR_PREPS = frozenset(
    {
        "kolo",
        "k",
        "pod",
        "spod",
        "obok",
        "niedaleko",
        "blisko",
        "okolice",
        "okolic",
        "okolicach",
        "okolicy",
        "okolica",
    }
)
FILLERS = frozenset(
    {
        "miasto",
        "miasta",
        "miescie",
        "miastem",
        "wies",
        "wsi",
        "wioska",
        "wiosce",
        "wioski",
        "miejscowosc",
        "miejscowosci",
        "miejscowoscia",
        "msc",
        "m",
        "mieszkam",
        "jestem",
        "pochodze",
        "moja",
        "moje",
        "moj",
        "to",
        "jest",
        "tak",
        "chodzi",
        "o",
        "mi",
    }
)
GMINA_WORDS = frozenset({"gmina", "gminy", "gminie", "gmine", "gm", "gmin"})
POWIAT_WORDS = frozenset({"powiat", "powiatu", "powiecie", "pow", "powiatem"})
WOJ_WORDS = frozenset(
    {"woj", "wojewodztwo", "wojewodztwa", "wojewodztwie", "wojewodztwem", "wojew"}
)
CONNECTORS = frozenset({"w", "we", "na", "i", "z", "ze"})
SEPARATORS = frozenset({",", ";", "(", ")", "/"})

_TOKEN_RE = re.compile(r"[a-z]+|[,;()/]")
_TAG_RE = re.compile(r"<[^<>]{0,200}>")
STREET_WORDS = frozenset(
    {"ul", "ulica", "ulicy", "al", "aleja", "alei", "os", "osiedle", "osiedlu", "pl", "plac"}
)

_ADJ_ENDINGS = ("ie", "iego", "im", "iem", "iemu", "a", "iej", "i", "a")
# Voivodeship code -> adjective stem(s) (folded, words separated by spaces) and region names.
_VOIV_STEMS: dict[str, tuple[str, ...]] = {
    "02": ("dolnoslask",),
    "04": ("kujawsko pomorsk", "kujawskopomorsk"),
    "06": ("lubelsk",),
    "08": ("lubusk",),
    "10": ("lodzk",),
    "12": ("malopolsk",),
    "14": ("mazowieck",),
    "16": ("opolsk",),
    "18": ("podkarpack",),
    "20": ("podlask",),
    "22": ("pomorsk",),
    "24": ("slask",),
    "26": ("swietokrzysk",),
    "28": ("warminsko mazursk", "warminskomazursk"),
    "30": ("wielkopolsk",),
    "32": ("zachodniopomorsk",),
}
_VOIV_REGIONS: dict[str, tuple[str, ...]] = {
    "02": ("dolny slask", "dolnym slasku", "dolnego slaska", "dolnoslask", "dolnoslasku"),
    "04": ("kujawy", "kujawach", "kujaw"),
    "06": ("lubelszczyzna", "lubelszczyznie", "lubelszczyzny"),
    "12": ("malopolsce",),
    "14": ("mazowsze", "mazowszu", "mazowsza"),
    "16": ("opolszczyzna", "opolszczyznie", "opolszczyzny"),
    "18": ("podkarpacie", "podkarpaciu", "podkarpacia"),
    "20": ("podlasie", "podlasiu", "podlasia"),
    "22": ("pomorze", "pomorzu", "pomorza"),
    "24": ("slask", "slasku", "gorny slask", "gornym slasku", "gornego slaska"),
    "26": ("kielecczyzna", "kielecczyznie", "kielecczyzny"),
    "28": (
        "warmia",
        "warmii",
        "mazury",
        "mazurach",
        "mazur",
        "warmia i mazury",
        "warmii i mazurach",
        "warmii i mazur",
    ),
    "30": ("wielkopolsce",),
    "32": ("zachodnie pomorze", "zachodnim pomorzu", "zachodniego pomorza"),
}


def _voivodeship_phrases() -> dict[tuple[str, ...], str]:
    out: dict[tuple[str, ...], str] = {}
    for code, stems in _VOIV_STEMS.items():
        for stem in stems:
            for ending in _ADJ_ENDINGS:
                out[tuple((stem + ending).split())] = code
    for code, phrases in _VOIV_REGIONS.items():
        for phrase in phrases:
            out[tuple(phrase.split())] = code
    return out


VOIVODESHIP_PHRASES = _voivodeship_phrases()
_MAX_VOIV_LEN = max(len(k) for k in VOIVODESHIP_PHRASES)


def match_voivodeship(tokens: list[str], start: int) -> tuple[str, int] | None:
    """(voivodeship code, number of words) for a voivodeship phrase at ``tokens[start]``."""
    for length in range(min(_MAX_VOIV_LEN, len(tokens) - start), 0, -1):
        code = VOIVODESHIP_PHRASES.get(tuple(tokens[start : start + length]))
        if code:
            return code, length
    return None


@dataclass(slots=True)
class Qualifiers:
    """Restrictions typed after a name."""

    gmina: list[str] = field(default_factory=list)
    powiat: list[str] = field(default_factory=list)
    voivodeship: str = ""
    near: list[str] = field(default_factory=list)
    area: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.gmina or self.powiat or self.voivodeship or self.near or self.area)

    def describe(self) -> dict[str, str]:
        """Non-empty qualifiers as text (for the result)."""
        out = {
            "gmina": " ".join(self.gmina),
            "powiat": " ".join(self.powiat),
            "voivodeship": self.voivodeship,
            "near": " ".join(self.near),
            "area": " ".join(self.area),
        }
        return {k: v for k, v in out.items() if v}


@dataclass(slots=True)
class ParsedQuery:
    """A query split into name words, leading-preposition info and qualifiers."""

    words: list[str]  # all words after the leading prepositions (whole-name reading)
    name: list[str]  # the name part when qualifiers are split off
    qualifiers: Qualifiers
    preposition: bool  # a preposition stood before the name (so it is likely inflected)
    near: bool  # "koło X", "pod X", "okolice X"


def tokenize(text: str) -> list[str]:
    """Folded words plus separator tokens (, ; ( ) /); HTML tags, digits and street parts
    ("ul. Długa 5,") are dropped. A street word written in full and joined to the word
    before it by a hyphen is part of a name ("Wierzbica-Osiedle", "Klonownica-Plac")."""
    folded = fold(_TAG_RE.sub(" ", text))
    tokens: list[str] = []
    in_name: set[int] = set()
    for found in _TOKEN_RE.finditer(folded):
        word, start = found.group(), found.start()
        if word in STREET_WORDS and len(word) > 2 and folded[start - 1 : start] == "-":
            in_name.add(len(tokens))
        tokens.append(word)
    out: list[str] = []
    skipping = False
    for i, tok in enumerate(tokens):
        if tok in STREET_WORDS and i not in in_name:
            skipping = True
        elif tok in SEPARATORS:
            skipping = False
        if not skipping:
            out.append(tok)
    if not any(tok not in SEPARATORS for tok in out):
        out = [tok for i, tok in enumerate(tokens) if tok not in STREET_WORDS or i in in_name]
    return out


def is_filler(word: str) -> bool:
    """True for words that cannot be a place name on their own (prepositions, keywords)."""
    return (
        word in PLAIN_PREPS
        or word in FILLERS
        or word in GMINA_WORDS
        or word in POWIAT_WORDS
        or word in WOJ_WORDS
        or word in CONNECTORS
        or (word in NEAR_PREPS and word != "kolo")
    )


def is_keyword(tokens: list[str], i: int) -> bool:
    """True when ``tokens[i]`` starts a qualifier (gmina/powiat/woj. keyword, separator...)."""
    tok = tokens[i]
    if tok in SEPARATORS or tok in GMINA_WORDS or tok in POWIAT_WORDS or tok in WOJ_WORDS:
        return True
    if tok in NEAR_PREPS:
        return True
    if tok in CONNECTORS and i + 1 < len(tokens):
        nxt = tokens[i + 1]
        if nxt in GMINA_WORDS or nxt in POWIAT_WORDS or nxt in WOJ_WORDS:
            return True
        if match_voivodeship(tokens, i + 1):
            return True
    return match_voivodeship(tokens, i) is not None


def _parse_qualifiers(tokens: list[str]) -> Qualifiers:
    quals = Qualifiers()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in SEPARATORS or tok in CONNECTORS:
            i += 1
            continue
        voiv = match_voivodeship(tokens, i)
        if voiv:
            quals.voivodeship = quals.voivodeship or voiv[0]
            i += voiv[1]
            continue
        kind = "area"
        if tok in GMINA_WORDS:
            kind = "gmina"
        elif tok in POWIAT_WORDS:
            kind = "powiat"
        elif tok in WOJ_WORDS:
            kind = "woj"
        elif tok in NEAR_PREPS:
            kind = "near"
        if kind != "area":
            i += 1
        if kind == "woj" and (voiv := match_voivodeship(tokens, i)):
            # "woj. kujawsko-pomorskie": the whole phrase, not the "pomorskie" inside it.
            quals.voivodeship = quals.voivodeship or voiv[0]
            i += voiv[1]
            continue
        j = i
        while j < len(tokens) and not (j > i and is_keyword(tokens, j)):
            if tokens[j] in SEPARATORS:
                break
            j += 1
        part = [t for t in tokens[i:j] if t not in SEPARATORS]
        i = max(j, i + 1)
        if kind == "woj":
            voiv = match_voivodeship(part, 0) if part else None
            if voiv:
                quals.voivodeship = quals.voivodeship or voiv[0]
            continue
        target = getattr(quals, kind)
        if part and not target:
            target.extend(part)
    return quals


def parse(text: str) -> ParsedQuery:
    """Split ``text`` into the name and its qualifiers."""
    tokens = tokenize(text)
    preposition = near = False
    while len(tokens) > 1 and (
        tokens[0] in PLAIN_PREPS
        or tokens[0] in NEAR_PREPS
        or tokens[0] in FILLERS
        or tokens[0] in SEPARATORS
    ):
        if tokens[0] in NEAR_PREPS:
            near = True
            preposition = True
        elif tokens[0] in PLAIN_PREPS:
            preposition = True
        tokens = tokens[1:]
    words_ = [t for t in tokens if t not in SEPARATORS]
    if tokens and tokens[0] in GMINA_WORDS and len(words_) > 1:
        # "gmina Wolbrom": the gmina itself; prefer its seat of the same name.
        rest = [t for t in tokens[1:] if t not in SEPARATORS]
        return ParsedQuery(rest, rest, Qualifiers(gmina=list(rest)), preposition, near)
    split_at = next((i for i in range(1, len(tokens)) if is_keyword(tokens, i)), None)
    if split_at is None:
        return ParsedQuery(words_, words_, Qualifiers(), preposition, near)
    name = [t for t in tokens[:split_at] if t not in SEPARATORS]
    return ParsedQuery(words_, name, _parse_qualifiers(tokens[split_at:]), preposition, near)
