"""Polish lemmas that do not care about missing diacritics.

`Lemmatizer.lemma(word)` gives the folded lemma of a word ("zasiłku" -> "zasilek").
Morfeusz 2 (SGJP dictionary, offline) knows words written correctly; for a word typed
without Polish letters ("zasilku") it knows nothing, so a map from folded forms to
folded lemmas, generated with Morfeusz from the lemmas of the training vocabulary,
fills the gap. Words neither knows are simply folded.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from bot.textnorm import fold

# Morfeusz tags of analyses not worth a lemma (unknown word, punctuation, digits).
_SKIP_TAGS = ("ign", "interp", "dig")


def _morfeusz() -> Any:
    import morfeusz2

    return morfeusz2.Morfeusz(expand_tags=False, whitespace=morfeusz2.SKIP_WHITESPACES)


def morfeusz_lemmas(analyser: Any, word: str) -> list[str]:
    """Distinct lemmas Morfeusz gives for `word`, most common reading first."""
    seen: list[str] = []
    for _start, _end, (_form, lemma, tag, *_rest) in analyser.analyse(word):
        if tag.split(":")[0] in _SKIP_TAGS:
            continue
        base = lemma.split(":")[0]
        if base and base not in seen:
            seen.append(base)
    return seen


class Lemmatizer:
    """Folded lemmas from Morfeusz plus a folded-form map for words typed without diacritics."""

    def __init__(self, form_map: dict[str, str] | None = None) -> None:
        self.form_map: dict[str, str] = dict(form_map or {})
        self._analyser = _morfeusz()
        self._cached = lru_cache(maxsize=50_000)(self._lemma)

    def lemma(self, word: str) -> str:
        return self._cached(word)

    def _lemma(self, word: str) -> str:
        lemmas = morfeusz_lemmas(self._analyser, word.lower())
        if lemmas:
            return fold(lemmas[0])
        folded = fold(word)
        return self.form_map.get(folded, folded)

    def learn(self, words: Iterable[str]) -> None:
        """Add every form of the lemmas of `words` to the folded-form map."""
        lemmas = set()
        for word in words:
            lemmas.update(morfeusz_lemmas(self._analyser, word.lower()))
        for lemma in sorted(lemmas):
            for _form, *_rest in self._generate(lemma):
                folded_form = fold(_form)
                # The first lemma claiming a form keeps it: ambiguity stays stable.
                self.form_map.setdefault(folded_form, fold(lemma))
        self._cached.cache_clear()

    def _generate(self, lemma: str) -> list[Any]:
        try:
            return list(self._analyser.generate(lemma))
        except RuntimeError:  # Morfeusz raises for lemmas it cannot generate
            return []
