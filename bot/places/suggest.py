"""Closest-name suggestions for an unknown place (trigram candidates, edit-distance ranking)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bot.textnorm import edit_distance

_COMMON_POSTING = 2500  # trigrams in more names than this carry little information
_POOL = 25


def _trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class Suggester:
    """Index of folded names -> display names, queried by trigram overlap."""

    def __init__(self, names: Iterable[tuple[str, str, bool]]) -> None:
        """``names``: (folded key, display name, is a town)."""
        self._keys: list[str] = []
        self._display: list[str] = []
        self._town: list[bool] = []
        seen: dict[str, int] = {}
        for key, display, town in names:
            idx = seen.get(key)
            if idx is not None:
                if town and not self._town[idx]:  # show the town's spelling
                    self._town[idx] = True
                    self._display[idx] = display
                continue
            seen[key] = len(self._keys)
            self._keys.append(key)
            self._display.append(display)
            self._town.append(town)
        postings: dict[str, list[int]] = {}
        self._sizes: list[int] = []
        for idx, key in enumerate(self._keys):
            grams = _trigrams(key)
            self._sizes.append(len(grams))
            for gram in grams:
                postings.setdefault(gram, []).append(idx)
        self._postings = {gram: tuple(ids) for gram, ids in postings.items()}
        # Tuples of strings/ints drop out of the cyclic GC's scans; lists would not.
        self._keys_t = tuple(self._keys)
        self._display_t = tuple(self._display)
        self._town_t = tuple(self._town)
        self._sizes_t = tuple(self._sizes)
        del self._keys, self._display, self._town, self._sizes

    def suggest(self, key: str, limit: int = 5) -> list[str]:
        """Up to ``limit`` display names close to folded ``key``; towns first on ties."""
        if not key:
            return []
        grams = _trigrams(key)
        postings = [p for g in grams if (p := self._postings.get(g)) is not None]
        rare = [p for p in postings if len(p) <= _COMMON_POSTING]
        counts: Counter[int] = Counter()
        for posting in rare or postings:
            counts.update(posting)
        if not counts:
            return []
        size = len(grams)
        dice = sorted(
            (
                (2 * shared / (size + self._sizes_t[idx]), idx)
                for idx, shared in counts.most_common(_POOL * 8)
            ),
            reverse=True,
        )[:_POOL]
        max_dist = max(1, min(3, len(key) // 3))
        scored: list[tuple[int, bool, float, str]] = []
        for score, idx in dice:
            dist = edit_distance(key, self._keys_t[idx], max_dist)
            if dist <= max_dist:
                scored.append((dist, not self._town_t[idx], -score, self._display_t[idx]))
        scored.sort()
        out: list[str] = []
        for *_, display in scored:
            if display not in out:
                out.append(display)
            if len(out) == limit:
                break
        return out
