"""Rule-based guesses of the nominative of a folded Polish place-name word, and typo edits.

Used for words Morfeusz does not know (mostly villages). The guesses over-generate on
purpose: the caller keeps only those that are real name words.
"""

from __future__ import annotations

from functools import lru_cache

# (ending of the inflected form, possible nominative endings), folded (no diacritics).
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # adjectival parts: Stalowej Woli, Ostrowie Wielkopolskim, Końskich, Zakopanem
    ("kiej", ("ka",)),
    ("giej", ("ga",)),
    ("iej", ("ia",)),
    ("ej", ("a",)),
    ("iego", ("i", "ie")),
    ("ego", ("y", "e")),
    ("iemu", ("i", "ie")),
    ("emu", ("y", "e")),
    ("im", ("i", "ie")),
    ("ym", ("y", "e")),
    ("ich", ("ie", "i")),
    ("ych", ("e", "y")),
    ("imi", ("ie", "i")),
    ("ymi", ("e", "y")),
    ("iem", ("ie",)),
    # -ec / -iec: Sosnowcu, Żywca, Ostrowcem
    ("cowi", ("iec", "ec")),
    ("cem", ("iec", "ec")),
    ("cu", ("iec", "ec")),
    ("ca", ("iec", "ec")),
    # -ek with a mobile e: Gródka, Gródku
    ("kiem", ("ek",)),
    ("ku", ("ek",)),
    ("ka", ("ek",)),
    # plural names: Wadowicach, Katowic, Tychach, Kielc, Suwałk, Siedlec
    ("icach", ("ice",)),
    ("icami", ("ice",)),
    ("icom", ("ice",)),
    ("ic", ("ice",)),
    ("ach", ("y", "e", "i", "a")),
    ("ami", ("y", "e", "i")),
    ("om", ("y", "e", "i")),
    ("ow", ("y", "i", "e")),
    ("ec", ("ce",)),
    ("c", ("ce",)),
    ("k", ("ki",)),
    # feminine -a with consonant change in the locative: Górze, Pradze, Wólce, Olsze
    ("rze", ("ra", "r")),
    ("dze", ("ga",)),
    ("ce", ("ka",)),
    ("sze", ("cha",)),
    ("dzie", ("da", "d")),
    ("scie", ("st", "sta", "sto")),
    ("cie", ("t", "ta", "to")),
    ("le", ("la", "lo", "l")),
    # masculine / neuter / feminine locative -ie: Żyrardowie, Chełmie, Dąbrowie, Gnieźnie
    ("ie", ("", "a", "o")),
    ("iu", ("", "ie")),
    ("ia", ("", "ie")),
    ("owi", ("",)),
    ("em", ("", "o", "e")),
    ("u", ("", "o", "e")),
    ("a", ("", "o", "e")),
    ("y", ("a", "")),
    ("i", ("a", "ia", "")),
    ("e", ("a",)),
)

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=8192)
def deinflect(word: str) -> tuple[str, ...]:
    """Possible nominatives of ``word`` by suffix rules (unchecked, without ``word``)."""
    out: list[str] = []
    for ending, replacements in _RULES:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            stem = word[: len(word) - len(ending)]
            for rep in replacements:
                cand = stem + rep
                if cand != word and cand not in out:
                    out.append(cand)
    return tuple(out)


def edits1(word: str) -> set[str]:
    """All strings one edit (delete, transpose, replace, insert) away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    out.update(a + c + b[1:] for a, b in splits if b for c in _ALPHABET)
    out.update(a + c + b for a, b in splits for c in _ALPHABET)
    out.discard(word)
    return out
