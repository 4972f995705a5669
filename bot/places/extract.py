"""Finding a place name inside a longer sentence ("szukam noclegu w sosnowcu na dziś")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.places.model import Resolution
from bot.places.query import NEAR_PREPS, PLAIN_PREPS, is_keyword
from bot.textnorm import clean, words

if TYPE_CHECKING:
    from bot.places.resolver import PlaceIndex

MAX_TEXT_CHARS = 2000
MAX_TOKENS = 120
MAX_SPAN = 5

_RAW_RE = re.compile(r"[^\W_]+|[,;:()/.!?\"]")
_SENTENCE_END = frozenset({".", "!", "?", ":"})
_PUNCT = frozenset({",", ";", ":", "(", ")", "/", ".", "!", "?", '"'})
_CONTEXT = PLAIN_PREPS | NEAR_PREPS

# Everyday words that are also names of some locality (or read as one): never taken alone
# as a place unless capitalised inside a sentence.
_STOP_TEXT = """
    a aby ale albo bardzo bez bo by byc bede bedzie byl byla bylo chce chcialbym chcialabym
    co czy dla dlaczego dobra dobre dobry dobrze dom domu dzis dzisiaj gdzie go gora gory i
    ich ile jak jaki jaka jakie jest jestem jeszcze jutro juz kiedy kolo kto ktory las lasu
    ma mam mamy mi mnie moge moj moja moje mozna musze na nad nam nas nic nie niego noc nocy
    nowa nowe nowy o od ok okej pan pani po pod pomoc pomocy potrzebuje praca pracy prace
    przed przez przy rano sa sie siebie stara stare stary swoj szukam ta tak tam te tego tej
    teraz to tu tutaj ty tym u w we wieczorem wiem wszystko z za ze zeby areszt areszcie
    wiezienie wiezienia wiezieniu zakladu zaklad karnego karny miasto miasta miescie gmina
    gminie gminy powiat powiecie centrum okolica okolicy noclegu nocleg schronisko
    schronisku ops mops gops urzad urzedzie biuro brzeg biala pila most zator reda hel ryn
    wola koniec poczatek
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def _tokens(text: str) -> list[tuple[str, bool, bool]]:
    """(folded word or punctuation, capitalised, starts a sentence)."""
    out: list[tuple[str, bool, bool]] = []
    sentence_start = True
    for raw in _RAW_RE.findall(text):
        if raw in _PUNCT:
            out.append((raw, False, False))
            sentence_start = raw in _SENTENCE_END
            continue
        for i, word in enumerate(words(raw)):
            out.append((word, raw[:1].isupper() and i == 0, sentence_start))
            sentence_start = False
        if len(out) >= MAX_TOKENS:
            break
    return out


def find_place(index: PlaceIndex, text: str, typos: bool = True) -> Resolution | None:
    """Resolve the most likely place mentioned in ``text``, or None."""
    if not isinstance(text, str):
        return None
    toks = _tokens(clean(text, MAX_TEXT_CHARS))
    plain = [t[0] for t in toks]
    best: tuple[tuple[int, ...], int, int] | None = None
    for i, (word, _cap, _start) in enumerate(toks):
        if word in _PUNCT:
            continue
        after_prep = i > 0 and plain[i - 1] in _CONTEXT
        for length in range(min(MAX_SPAN, len(toks) - i), 0, -1):
            span = plain[i : i + length]
            if any(w in _PUNCT for w in span):
                continue
            short_or_common = length == 1 and (word in STOP_WORDS or len(word) < 3)
            if short_or_common and not (toks[i][1] and not toks[i][2] and len(word) >= 3):
                continue
            capital = any(cap and not start for _w, cap, start in toks[i : i + length])
            cost = index.match_span(span, after_prep)
            if cost is None:
                continue
            town = index.has_town(span, after_prep)
            if not (after_prep or capital or (town and cost == 0)):
                continue
            score = (int(after_prep), int(capital), length, int(town), -cost)
            if best is None or score > best[0]:
                best = (score, i, length)
            break
    if best is None:
        return _typo_after_preposition(index, plain) if typos else None
    _score, start, length = best
    prep = plain[start - 1] if start > 0 and plain[start - 1] in _CONTEXT else ""
    head = ([prep] if prep else []) + plain[start : start + length]
    rest = plain[start + length : start + length + 5]
    if rest and is_keyword(rest, 0):
        for cut in range(len(rest), 0, -1):
            tail = rest[:cut]
            if any(w in _SENTENCE_END for w in tail):
                continue
            res = index.resolve_name(" ".join(head + tail))
            if res.status == "found":
                return res
    return index.resolve_name(" ".join(head))


def _typo_after_preposition(index: PlaceIndex, plain: list[str]) -> Resolution | None:
    """Last resort: a misspelt name right after a preposition ("w sosnowcy")."""
    for i in range(1, len(plain)):
        if plain[i - 1] not in _CONTEXT or plain[i] in STOP_WORDS or len(plain[i]) < 5:
            continue
        for length in (2, 1):
            span = plain[i : i + length]
            if len(span) < length or any(w in _PUNCT for w in span):
                continue
            res = index.resolve_name(" ".join([plain[i - 1], *span]))
            if res.status != "unknown":
                return res
    return None
