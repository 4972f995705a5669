"""Small whole numbers and money amounts as people write them.

"3", "trzy", "troje", "we dwoje", "sam" -> household sizes; "1200", "1 200 zł",
"1,5 tys", "półtora tysiąca", "nic", "zero" -> amounts in złoty.
"""

from __future__ import annotations

import re

from bot.textnorm import edit_distance, fold

# Folded number words (cardinal, collective and feminine forms) up to twenty.
_SMALL = {
    "zero": 0, "jeden": 1, "jedna": 1, "jedno": 1, "jednego": 1,
    "dwa": 2, "dwie": 2, "dwoje": 2, "dwojga": 2, "dwoch": 2, "dwu": 2,
    "trzy": 3, "troje": 3, "trojga": 3, "trzech": 3,
    "cztery": 4, "czworo": 4, "czworga": 4, "czterech": 4,
    "piec": 5, "piecioro": 5, "pieciu": 5, "szesc": 6, "szescioro": 6, "szesciu": 6,
    "siedem": 7, "siedmioro": 7, "siedmiu": 7, "osiem": 8, "osmioro": 8, "osmiu": 8,
    "dziewiec": 9, "dziewiecioro": 9, "dziewieciu": 9, "dziesiec": 10, "dziesieciu": 10,
    "jedenascie": 11, "dwanascie": 12, "trzynascie": 13, "czternascie": 14,
    "pietnascie": 15, "szesnascie": 16, "siedemnascie": 17, "osiemnascie": 18,
    "dziewietnascie": 19, "dwadziescia": 20,
}
_ALONE = {"sam", "sama", "samotny", "samotna", "samotnie", "solo", "singiel"}
_NOTHING = {"nic", "zero", "brak", "zadnego", "zadnych", "zadna", "nie mam", "bez dochodu",
            "nie zarabiam", "nie pracuje", "0"}
_THOUSAND = re.compile(r"^(tys|tysiac|tysiace|tysiecy|tysia|tyś|k|tysi)\.?$")
_HUNDREDS = {"sto": 100, "dwiescie": 200, "trzysta": 300, "czterysta": 400,
             "piecset": 500, "szescset": 600, "siedemset": 700, "osiemset": 800,
             "dziewiecset": 900}
_TENS = {"dwadziescia": 20, "trzydziesci": 30, "czterdziesci": 40, "piecdziesiat": 50,
         "szescdziesiat": 60, "siedemdziesiat": 70, "osiemdziesiat": 80,
         "dziewiecdziesiat": 90}
_NUMBER = re.compile(r"\d+(?:[ .\u00a0]\d{3})*(?:[,.]\d{1,2})?")
MAX_HOUSEHOLD = 20
MAX_AMOUNT = 1_000_000


def _word_value(word: str) -> int | None:
    if word in _SMALL:
        return _SMALL[word]
    if len(word) >= 5:  # one typo in a longer number word ("czetry", "trzi" is too short)
        for known, value in _SMALL.items():
            if len(known) >= 5 and edit_distance(word, known, 1) <= 1:
                return value
    return None


def household_size(text: str) -> int | None:
    """How many people live together (1-20), or None when the text does not say."""
    folded = fold(text)
    tokens = re.findall(r"[a-z]+|\d+", folded)
    if not tokens:
        return None
    digits = [int(t) for t in tokens if t.isdigit()]
    if len(digits) == 1 and 1 <= digits[0] <= MAX_HOUSEHOLD:
        return digits[0]
    if digits:
        return None
    if any(t in _ALONE for t in tokens):
        # "sam z dzieckiem" is two people, "sama z dwójką dzieci" three
        with_whom = [t for t in tokens if t in ("dzieckiem", "corka", "synem", "zona", "mezem",
                                                "partnerka", "partnerem", "mama", "mamą")]
        if not with_whom and "z" not in tokens:
            return 1
    values = [v for v in map(_word_value, tokens) if v is not None]
    if len(values) == 1 and 1 <= values[0] <= MAX_HOUSEHOLD:
        return values[0]
    if "we" in tokens or "w" in tokens:
        for token in tokens:  # "we dwoje", "w trojke", "we czworke"
            for stem, value in (("dwoj", 2), ("troj", 3), ("czwor", 4), ("piatk", 5),
                                ("szostk", 6)):
                if token.startswith(stem):
                    return value
    return None


def amount(text: str) -> float | None:
    """A money amount in złoty (0 for "nic"/"nie mam dochodu"), or None."""
    folded = fold(text)
    squashed = re.sub(r"\s+", " ", folded)
    numbers = _NUMBER.findall(squashed.replace("zl", " zl"))
    if numbers:
        if len(numbers) > 1:
            return None  # "800 albo 900": ask again rather than guess
        raw = numbers[0]
        whole_groups = re.fullmatch(r"\d{1,3}(?:[ .\u00a0]\d{3})+", raw)
        if whole_groups:
            value = float(re.sub(r"[ .\u00a0]", "", raw))
        else:
            value = float(raw.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        after = squashed.split(raw, 1)[1].strip().split(" ")[0] if raw in squashed else ""
        if _THOUSAND.match(after):
            value *= 1000
        return value if 0 <= value <= MAX_AMOUNT else None
    if re.search(r"\bpoltora\b", folded) and re.search(r"tysi|tys\b|\bk\b", folded):
        return 1500.0
    tokens = re.findall(r"[a-z]+", folded)
    total = 0
    seen = False
    for index, token in enumerate(tokens):
        if token in _HUNDREDS:
            total += _HUNDREDS[token]
            seen = True
        elif token in _TENS:
            total += _TENS[token]
            seen = True
        elif _THOUSAND.match(token) or token.startswith("tysi"):
            total = (total or 1) * 1000
            seen = True
        elif token in _SMALL and _SMALL[token] > 0 and index + 1 < len(tokens) and (
            tokens[index + 1].startswith("tysi") or tokens[index + 1] in _HUNDREDS
            or tokens[index + 1] in _TENS or tokens[index + 1] in ("zl", "zlotych", "zlote")
        ):
            total += _SMALL[token]
            seen = True
    if seen:
        return float(total)
    if any(phrase in f" {folded} " for phrase in (f" {p} " for p in _NOTHING)):
        return 0.0
    return None
