"""PlaceIndex: resolve a typed Polish place name to TERYT localities and their gmina."""

from __future__ import annotations

import bisect
import gc
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from bot.long_lived import freeze_long_lived
from bot.places import data, notes
from bot.places.inflect import deinflect, edits1
from bot.places.model import TOWN, Match, Place, Resolution
from bot.places.query import ParsedQuery, Qualifiers, is_filler, match_voivodeship, parse
from bot.places.suggest import Suggester
from bot.textnorm import clean, words

MAX_QUERY_CHARS = 200
MAX_NAME_WORDS = 8
_MAX_COMBOS = 4000
_MAX_OPTIONS = 40

# Costs of reading one typed word as a name word.
_IDENTICAL = 0
_FORM_AFTER_PREP = 0
_FORM_BARE = 1
_RULE = 2
_TYPO = 6
_PREFIX = 1


def _adjective(stem: str) -> tuple[str, ...]:
    return (stem + "i", stem + "a", stem + "ie")


# Abbreviations common in addresses: "Gorzów Wlkp.", "Mińsk Maz.", "Nowe Miasto n. Pilicą".
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "wlkp": _adjective("wielkopolsk"),
    "wielkop": _adjective("wielkopolsk"),
    "maz": _adjective("mazowieck"),
    "mazow": _adjective("mazowieck"),
    "sl": _adjective("slask"),
    "pom": _adjective("pomorsk"),
    "podl": _adjective("podlask"),
    "gd": _adjective("gdansk"),
    "kuj": _adjective("kujawsk"),
    "lub": _adjective("lubelsk") + _adjective("lubusk"),
    "opol": _adjective("opolsk"),
    "tryb": _adjective("trybunalsk"),
    "zdr": ("zdroj",),
    "sw": ("swiety", "swieta", "swiete"),
    "n": ("nad",),
}

_KIND_ORDER = {"exact": 0, "inflected": 1, "rule": 2, "prefix": 3, "typo": 4}


@dataclass(frozen=True, slots=True)
class _Hit:
    cost: int
    kind: Match


Options = dict[str, tuple[int, Match]]


class PlaceIndex:
    """In-memory index of all SIMC localities (TERYT, state 2026-01-01)."""

    def __init__(
        self,
        localities: data.Localities,
        units: data.Units,
        kinds: dict[str, str],
        forms: dict[str, list[str]],
    ) -> None:
        self._loc = localities
        self._units = units
        self._kinds = kinds
        self._cache: dict[int, Place] = {}
        by_key: dict[str, list[int]] = {}
        town_prefix: dict[str, list[int]] = {}
        self._joined: dict[str, str] = {}
        self._key_of_name: dict[str, str] = {}
        self._gmina_key = {g.teryt: " ".join(words(g.name)) for g in units.gminas.values()}
        self._powiat_key = {name: " ".join(words(name)) for name in units.powiats.values()}
        name_words: set[str] = set()
        for qual_key in itertools.chain(self._gmina_key.values(), self._powiat_key.values()):
            name_words.update(qual_key.split())
        key_of_name = self._key_of_name
        for idx, (name, rm) in enumerate(zip(localities.name, localities.rm, strict=True)):
            key = key_of_name.get(name)
            if key is None:
                key = key_of_name[name] = " ".join(words(name))
                name_words.update(key.split())
            self._add_key(by_key, key, idx)
            if rm == "98" and "-" in name:  # "Kraków-Nowa Huta" is also "Nowa Huta"
                self._add_key(by_key, " ".join(words(name.split("-", 1)[1])), idx)
            if rm == TOWN and " " in key:
                parts = key.split()
                for n in range(1, len(parts)):
                    town_prefix.setdefault(" ".join(parts[:n]), []).append(idx)
        for word in name_words:
            noms = forms.get(word)
            if noms is None:
                forms[word] = [word]
            elif word not in noms:
                noms.insert(0, word)
        # Tuples of strings are not tracked by the cyclic GC: no long pauses on a big heap.
        self._lookup: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in forms.items()}
        self._by_key = {k: tuple(v) for k, v in by_key.items()}
        self._town_prefix = {k: tuple(v) for k, v in town_prefix.items()}
        self._suggester: Suggester | None = None

    def _add_key(self, by_key: dict[str, list[int]], key: str, idx: int) -> None:
        bucket = by_key.get(key)
        if bucket is None:
            by_key[key] = [idx]
            if " " in key:
                self._joined.setdefault(key.replace(" ", ""), key)
        elif bucket[-1] != idx:
            bucket.append(idx)

    @classmethod
    def load(cls, data_dir: Path = data.DATA_DIR) -> PlaceIndex:
        """Load the shipped files from ``bot/data/teryt``."""
        index = cls(
            data.load_localities(data_dir),
            data.load_units(data_dir),
            data.load_kinds(data_dir),
            data.load_forms(data_dir),
        )
        index.suggester()  # built now so that the first unknown name is not slow
        # One full collection untracks the index's tuples, so later collections skip them.
        gc.collect()
        return index

    def __len__(self) -> int:
        return len(self._loc.simc)

    def place(self, idx: int) -> Place:
        """The locality in row ``idx`` (rows are in SIMC order)."""
        found = self._cache.get(idx)
        if found is None:
            found = self._cache[idx] = data.make_place(self._loc, idx, self._units, self._kinds)
        return found

    def by_simc(self, simc: str) -> Place | None:
        """The locality with this SIMC identifier (SYM), if any."""
        idx = bisect.bisect_left(self._loc.simc, simc)
        if idx < len(self._loc.simc) and self._loc.simc[idx] == simc:
            return self.place(idx)
        return None

    def towns(self) -> Iterator[Place]:
        """All towns (RM 96)."""
        for idx, rm in enumerate(self._loc.rm):
            if rm == TOWN:
                yield self.place(idx)

    # ----------------------------------------------------------------- matching words

    def _is_name_word(self, word: str) -> bool:
        """True for a word of some name in its dictionary form."""
        return word in self._lookup.get(word, ())

    def _options(self, word: str, after_prep: bool, fuzzy: bool, rules: bool = True) -> Options:
        opts: Options = {}
        form_cost = _FORM_AFTER_PREP if after_prep else _FORM_BARE
        for nom in self._lookup.get(word, ()):
            if nom == word:
                opts[nom] = (_IDENTICAL, "exact")
            elif nom not in opts:
                opts[nom] = (form_cost, "inflected")
        for nom in ABBREVIATIONS.get(word, ()):
            if self._is_name_word(nom) and nom not in opts:
                opts[nom] = (_IDENTICAL, "exact")
        for nom in deinflect(word) if rules else ():
            if self._is_name_word(nom) and nom not in opts:
                opts[nom] = (_RULE, "rule")
        if fuzzy and len(word) >= 4:
            for edit in sorted(edits1(word)):
                for nom in self._lookup.get(edit, ()):
                    if nom not in opts:
                        opts[nom] = (_TYPO, "typo")
        if len(opts) > _MAX_OPTIONS:
            best = sorted(opts.items(), key=lambda kv: (kv[1][0], kv[0]))[:_MAX_OPTIONS]
            opts = dict(best)
        return opts

    def _keys_for(
        self, name: Sequence[str], after_prep: bool, fuzzy: bool, rules: bool = True
    ) -> Iterable[tuple[str, int, Match]]:
        """(candidate nominative key, cost, match kind) readings of the typed words."""
        if not name or len(name) > MAX_NAME_WORDS:
            return
        joined = self._joined.get("".join(name))
        if joined:
            yield joined, _IDENTICAL, "exact"
        options = [self._options(w, after_prep, fuzzy, rules) for w in name]
        if not all(options):
            return
        choices = [sorted(o.items(), key=lambda kv: kv[1][0]) for o in options]
        for combo in itertools.islice(itertools.product(*choices), _MAX_COMBOS):
            cost = sum(c[1][0] for c in combo)
            kind = max((c[1][1] for c in combo), key=lambda k: _KIND_ORDER.get(k, 0))
            yield " ".join(c[0] for c in combo), cost, kind

    def _match(
        self, name: Sequence[str], after_prep: bool, fuzzy: bool, rules: bool = True
    ) -> tuple[dict[int, _Hit], dict[int, _Hit]]:
        """Localities matching ``name`` and towns whose name starts with it."""
        hits: dict[int, _Hit] = {}
        prefix: dict[int, _Hit] = {}
        for key, cost, kind in self._keys_for(name, after_prep, fuzzy, rules):
            for idx in self._by_key.get(key, ()):
                old = hits.get(idx)
                if old is None or cost < old.cost:
                    hits[idx] = _Hit(cost, kind)
            for idx in self._town_prefix.get(key, ()):
                old = prefix.get(idx)
                if old is None or cost + _PREFIX < old.cost:
                    prefix[idx] = _Hit(cost + _PREFIX, "prefix" if kind != "typo" else "typo")
        return hits, prefix

    def _qualifier_keys(self, qual: Sequence[str]) -> set[str]:
        return {key for key, _c, _k in self._keys_for(qual, True, True)}

    def _qualifier_filter(self, quals: Qualifiers) -> Callable[[Place], bool] | None:
        tests: list[Callable[[Place], bool]] = []
        if quals.gmina:
            gkeys = self._qualifier_keys(quals.gmina)
            tests.append(lambda p: self._gmina_key[p.gmina.teryt] in gkeys)
        if quals.powiat:
            pkeys = self._qualifier_keys(quals.powiat)
            tests.append(lambda p: self._powiat_key[p.powiat] in pkeys)
        if quals.voivodeship:
            code = quals.voivodeship
            tests.append(lambda p: p.gmina.teryt[:2] == code)
        if quals.area:
            akeys = self._qualifier_keys(quals.area)
            tests.append(
                lambda p: (
                    self._gmina_key[p.gmina.teryt] in akeys or self._powiat_key[p.powiat] in akeys
                )
            )
        if quals.near:
            anchor = self._anchor(quals.near)
            if anchor is not None:
                tests.append(self._near_test(anchor))
        if not tests:
            return None
        return lambda p: all(t(p) for t in tests)

    def _anchor(self, name: Sequence[str]) -> Place | None:
        res = self._resolve_parsed(ParsedQuery(list(name), list(name), Qualifiers(), True, False))
        return res.place

    @staticmethod
    def _near_test(anchor: Place) -> Callable[[Place], bool]:
        pow_code = anchor.gmina.teryt[:4]
        stem = "".join(words(anchor.locality))
        stem = stem[: max(4, len(stem) - 2)]

        def test(p: Place) -> bool:
            if p.gmina.teryt[:4] == pow_code:
                return True
            return p.gmina.teryt[:2] == pow_code[:2] and "".join(words(p.powiat)).startswith(stem)

        return test

    # ----------------------------------------------------------------- deciding

    def _decide(
        self,
        query: str,
        parsed: ParsedQuery,
        hits: dict[int, _Hit],
        prefix: dict[int, _Hit],
        quals: Qualifiers,
    ) -> tuple[int, Resolution, bool] | None:
        """(best cost, Resolution, qualifiers failed), or None when nothing matched."""
        if not hits and not prefix:
            return None
        qualifier_failed = False
        keep = self._qualifier_filter(quals) if quals else None
        if keep is not None:
            f_hits = {i: h for i, h in hits.items() if keep(self.place(i))}
            f_prefix = {i: h for i, h in prefix.items() if keep(self.place(i))}
            if f_hits or f_prefix:
                hits, prefix = f_hits, f_prefix
            else:
                qualifier_failed = True
        group = self._best_group(hits, prefix)
        best = min((hits.get(i) or prefix[i] for i in group), key=lambda h: h.cost)
        places = sorted((self.place(i) for i in group), key=_rank)
        prefix_only = {self.place(i).simc for i in group if i not in hits}
        res = notes.decide(
            query=query,
            candidates=places,
            match=best.kind,
            near=parsed.near,
            qualifiers=quals.describe(),
            prefix_only=prefix_only,
            qualifier_failed=qualifier_failed,
        )
        if res.place is not None:
            chosen = next(i for i in group if self.place(i) is res.place)
            res = replace(res, match=(hits.get(chosen) or prefix[chosen]).kind)
        return best.cost, res, qualifier_failed

    def _best_group(self, hits: dict[int, _Hit], prefix: dict[int, _Hit]) -> list[int]:
        best = min((h.cost for h in hits.values()), default=None)
        group = [i for i, h in hits.items() if h.cost == best]
        independent = [i for i in group if self.place(i).is_independent]
        group = independent or group
        if prefix and not any(self.place(i).is_town for i in group):
            best_prefix = min(h.cost for h in prefix.values())
            if best is None or best_prefix <= best + _PREFIX:
                group += [i for i, h in prefix.items() if h.cost == best_prefix and i not in group]
        return group

    # ----------------------------------------------------------------- public API

    def _readings(
        self, parsed: ParsedQuery, fuzzy: bool, query: str, rules: bool = True
    ) -> tuple[Resolution | None, Resolution | None]:
        """(strong, weak) resolutions over the whole-name and name+qualifiers readings.

        The first reading that matches wins; a reading whose qualifiers excluded every
        match is only a weak answer, used when nothing else works.
        """
        readings: list[tuple[list[str], Qualifiers]] = [(parsed.words, Qualifiers())]
        if parsed.qualifiers:
            readings.append((parsed.name, parsed.qualifiers))
            if parsed.qualifiers.gmina == parsed.name:
                readings.reverse()  # "gmina Wolbrom": the qualifier reading first
        weak: Resolution | None = None
        for name, quals in readings:
            hits, prefix = self._match(name, parsed.preposition, fuzzy, rules)
            decided = self._decide(query, parsed, hits, prefix, quals)
            if decided is None:
                continue
            _cost, res, failed = decided
            if not failed:
                return res, None
            weak = weak or res
        return None, weak

    def _resolve_parsed(self, parsed: ParsedQuery, query: str = "") -> Resolution:
        res, weak = self._readings(parsed, False, query)
        if res is not None:
            if res.match == "rule" and not parsed.preposition and not _has_town(res):
                # A bare word read by suffix rules as some village's inflected form
                # ("Wadowce" -> Wadówka) is less likely than a typo in a town's name.
                typo, _ = self._readings(parsed, True, query, rules=False)
                if typo is not None and typo.match == "typo" and _has_town(typo):
                    return typo
            return res
        res = self._container_reading(parsed, query)
        if res is not None:
            return res
        res, weak_typo = self._readings(parsed, True, query)
        if res is not None and (weak is None or res.match != "typo"):
            return res
        if weak is not None or weak_typo is not None:
            return weak or weak_typo  # type: ignore[return-value]
        return notes.unknown(query, self._suggest(parsed.name or parsed.words))

    def _container_reading(self, parsed: ParsedQuery, query: str) -> Resolution | None:
        """Read "Gdańsk Wrzeszcz" (a town, then a place inside it) and "Dąbrowa Kłaj"
        (a place, then its gmina or powiat without a keyword)."""
        name = parsed.words
        for split in range(len(name) - 1, 0, -1):
            tail = Qualifiers(area=name[split:])
            hits, prefix = self._match(name[:split], parsed.preposition, False)
            decided = self._decide(query, parsed, hits, prefix, tail) if hits else None
            if decided is not None and not decided[2]:
                return decided[1]
        for split in range(1, min(len(name), MAX_NAME_WORDS)):
            head, _ = self._match(name[:split], parsed.preposition, False)
            gminas = {self.place(i).gmina.teryt for i in head if self.place(i).is_town}
            if not gminas:
                continue
            hits, _ = self._match(name[split:], parsed.preposition, False)
            inside = {i: h for i, h in hits.items() if self.place(i).gmina.teryt in gminas}
            decided = self._decide(query, parsed, inside, {}, Qualifiers())
            if decided is not None:
                return decided[1]
        return None

    def _suggest(self, name: Sequence[str]) -> list[str]:
        return self.suggester().suggest(" ".join(name)[:60])

    def suggester(self) -> Suggester:
        """Closest-name index over independent localities (built on first use)."""
        if self._suggester is None:
            loc = self._loc
            self._suggester = Suggester(
                (self._key_of_name[name], name, rm == TOWN)
                for name, simc, parent, rm in zip(
                    loc.name, loc.simc, loc.parent, loc.rm, strict=True
                )
                if simc == parent
            )
        return self._suggester

    def resolve(self, text: str) -> Resolution:
        """Resolve a place name as typed by a user (inflected, no diacritics, typos...).

        When the whole text is not a place name, a town named inside it is taken
        ("12-345 Kraków", "os. Tysiąclecia, Katowice").
        """
        return self._resolve(text, search_inside=True)

    def resolve_name(self, text: str) -> Resolution:
        """Like :meth:`resolve`, but never looks for a town inside a longer text."""
        return self._resolve(text, search_inside=False)

    def _resolve(self, text: str, search_inside: bool) -> Resolution:
        query = clean(text if isinstance(text, str) else "", MAX_QUERY_CHARS + 1)
        if not query:
            return notes.invalid(query, "Nie podano nazwy miejscowości.")
        if len(query) > MAX_QUERY_CHARS:
            return notes.invalid(
                query[:MAX_QUERY_CHARS], "Tekst jest za długi: podaj samą nazwę miejscowości."
            )
        parsed = parse(query)
        if not parsed.words or all(is_filler(w) for w in parsed.words):
            return notes.invalid(query, "Nie rozpoznałem nazwy miejscowości.")
        if len(parsed.words) > MAX_NAME_WORDS + 6:
            return notes.invalid(query, "Za dużo słów: podaj samą nazwę miejscowości.")
        res = self._resolve_parsed(parsed, query)
        region = match_voivodeship(parsed.words, 0)
        if region and region[1] == len(parsed.words) and res.match != "exact":
            # "ze Śląska", "na Mazowszu", "w małopolskim": a region, not a locality.
            return notes.region(query, self._units.voivodeships[region[0]])
        if search_inside and res.status == "unknown" and len(parsed.words) > 1:
            from bot.places.extract import find_place

            inner = find_place(self, query, typos=False)
            if inner is not None and inner.place is not None and inner.place.is_town:
                return replace(inner, query=query)
        return res

    def find_in_text(self, text: str) -> Resolution | None:
        """Find a place mentioned inside a longer sentence; None when there is none."""
        from bot.places.extract import find_place  # local import keeps this module small

        return find_place(self, text)

    def match_span(self, name: Sequence[str], after_prep: bool) -> int | None:
        """Best cost of reading ``name`` as a locality (no typos), or None."""
        hits, prefix = self._match(name, after_prep, False)
        costs = [h.cost for h in hits.values()] + [h.cost for h in prefix.values()]
        return min(costs) if costs else None

    def has_town(self, name: Sequence[str], after_prep: bool) -> bool:
        """True when ``name`` reads as the name of a town (RM 96) without typos."""
        hits, _prefix = self._match(name, after_prep, False)
        return any(self.place(i).is_town for i in hits)


def _has_town(res: Resolution) -> bool:
    return any(c.is_town for c in res.candidates)


def _rank(place: Place) -> tuple[int, int, str, str, str, str]:
    if place.is_town:
        tier = 0
    elif place.is_urban_unit:
        tier = 1
    elif place.is_independent:
        tier = 2
    else:
        tier = 3
    return (
        tier,
        0 if place.gmina.type == "miejska" else 1,
        place.voivodeship,
        place.powiat,
        place.gmina.name,
        place.simc,
    )


@cache
def get_index() -> PlaceIndex:
    """The shared index, loaded once per process and kept for good, so the garbage
    collector is told to leave it alone (bot/long_lived.py)."""
    index = PlaceIndex.load()
    freeze_long_lived()
    return index


def resolve(text: str) -> Resolution:
    """Resolve with the shared index."""
    return get_index().resolve(text)


def find_in_text(text: str) -> Resolution | None:
    """Find a place in a sentence with the shared index."""
    return get_index().find_in_text(text)


__all__ = ["PlaceIndex", "find_in_text", "get_index", "resolve"]
