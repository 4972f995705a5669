"""Text normalisation helpers shared by the whole project (standard library only).

Imported inside the Rasa process too, so keep it free of third-party imports.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "clean",
    "edit_distance",
    "fold",
    "words",
]

# Letters that Unicode does not decompose into base letter + combining mark.
_SPECIAL = str.maketrans(
    {
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ø": "o",
        "ħ": "h",
        "ı": "i",
        "ŀ": "l",
        "ŧ": "t",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ĸ": "k",
    }
)
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d", "-")
)
_QUOTES = str.maketrans(
    {
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02", '"'),
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4\uff07", "'"),
    }
)
_SPACE_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"[0-9a-z]+")


_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Control, format, surrogate, private-use characters and line/paragraph separators.
_CONTROL_RE = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff\ue000-\uf8ff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e007f\U000f0000-\U0010ffff]"
)
# Fast path for the common case: Polish letters, dashes and quotes straight to ASCII.
_FAST = str.maketrans(
    {
        **{k: v for k, v in zip("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ", strict=True)},
        **{chr(k): v for k, v in _DASHES.items() if isinstance(v, str)},
        **{chr(k): v for k, v in _QUOTES.items() if isinstance(v, str)},
    }
)


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    decomposed = _COMBINING_RE.sub("", decomposed)
    if decomposed.isascii():
        return decomposed
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _blank_controls(text: str) -> str:
    return _CONTROL_RE.sub(" ", text)


def fold(text: str) -> str:
    """Lowercase, strip diacritics (ł→l too), unify dashes/quotes, collapse whitespace.

    >>> fold("  Kędzierzyn–Koźle  ŁÓDŹ ")
    'kedzierzyn-kozle lodz'
    """
    out = text.translate(_FAST)
    if out.isascii():
        return _SPACE_RE.sub(" ", _blank_controls(out.lower())).strip()
    # The slow path starts from the same translation, so that a character folds the same
    # whatever else the text holds ("´" is "'" both in "´" and in "´é", not a space).
    # Two passes: lowercasing or decomposition may expose characters the other step changes.
    for _ in range(2):
        out = _strip_marks(out).casefold()
        out = out.translate(_SPECIAL).translate(_DASHES).translate(_QUOTES)
        out = _blank_controls(out)
    return _SPACE_RE.sub(" ", out).strip()


def words(text: str) -> list[str]:
    """Folded word tokens: runs of ASCII letters/digits (dashes, dots, quotes split words)."""
    return _WORD_RE.findall(fold(text))


def clean(text: str, max_len: int = 500) -> str:
    """Drop control characters, collapse whitespace and cut to ``max_len`` characters."""
    out = _SPACE_RE.sub(" ", _blank_controls(text)).strip()
    return out[:max_len]


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Optimal-string-alignment distance (Levenshtein plus adjacent transpositions).

    With ``limit``, returns ``limit + 1`` as soon as the distance is known to exceed it.
    """
    if a == b:
        return 0
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            val = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                val = min(val, prev2[j - 2] + 1)
            cur[j] = val
        if limit is not None and min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]
