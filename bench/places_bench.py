"""Benchmark of bot.places: accuracy on tests/places/cases.csv, latency, index load time.

Resolves 10,000 queries: the hand-written cases plus towns (RM 96) inflected by Morfeusz 2
after a preposition ("w Sosnowcu", "ze Szczecina", "pod Krakowem"). Prints a summary and
writes reports/bench/places.json.

Usage: python bench/places_bench.py [--queries 10000] [--seed 2026] [--out PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.places.model import Place  # noqa: E402
from bot.places.resolver import PlaceIndex  # noqa: E402

CASES = ROOT / "tests" / "places" / "cases.csv"
DEFAULT_OUT = ROOT / "reports" / "bench" / "places.json"

# case tag -> prepositions used with it
_PREPOSITIONS = {"loc": ("w",), "gen": ("z", "do", "koło"), "inst": ("pod",)}


def load_cases(path: Path = CASES) -> list[dict[str, str]]:
    """Rows of cases.csv (comment lines start with '#')."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def outcome(index: PlaceIndex, query: str) -> str:
    """SIMC of the place found, or the status."""
    res = index.resolve(query)
    return res.place.simc if res.status == "found" and res.place else res.status


def _vocalic(prep: str, word: str) -> str:
    """'w' -> 'we', 'z' -> 'ze' before hard consonant clusters (we Wrocławiu, ze Szczecina)."""
    low = word.lower()
    if prep == "w" and low[:1] in "wf" and low[1:2] not in "aeiouyąęó":
        return "we"
    if prep == "z" and low[:1] in "szżź" and low[1:2] not in "aeiouyąęó":
        return "ze"
    return prep


class Inflector:
    """Case forms of multi-word names with agreement, from Morfeusz 2 (bench-time only)."""

    def __init__(self) -> None:
        import morfeusz2

        self._m: Any = morfeusz2.Morfeusz()

    def _word_form(self, word: str, case: str) -> str | None:
        readings = []
        for _s, _e, (_orth, lemma, tag, names, _q) in self._m.analyse(word):
            fields = [set(f.split(".")) for f in tag.split(":")]
            if fields[0] & {"subst", "adj"} and len(fields) > 3 and "nom" in fields[2]:
                own = lemma.split(":")[0].lower() == word.lower()
                geo = "nazwa_geograficzna" in names or "człon_nazwy_geograficznej" in names
                readings.append((not (own and geo), not own, lemma, fields))
        if not readings:
            return None
        readings.sort(key=lambda r: (r[0], r[1]))
        _g, _o, lemma, fields = readings[0]
        try:
            generated = self._m.generate(lemma.split(":")[0])
        except RuntimeError:
            return None
        for orth, g_lemma, g_tag, *_ in generated:
            g = [set(f.split(".")) for f in g_tag.split(":")]
            if g_lemma != lemma or len(g) < 4 or not g[0] & fields[0]:
                continue
            if g[1] & fields[1] and case in g[2] and (not fields[0] & {"adj"} or g[3] & fields[3]):
                if len(g) > 4 and len(fields) > 4 and g[4] != fields[4]:
                    continue
                return str(orth)
        return None

    def inflect(self, name: str, case: str) -> str | None:
        """``name`` in ``case`` (loc/gen/inst), or None when Morfeusz does not know a word."""
        out = []
        for part in name.split(" "):
            pieces = []
            for piece in part.split("-"):
                form = self._word_form(piece, case)
                if form is None:
                    return None
                pieces.append(form[:1].upper() + form[1:] if piece[:1].isupper() else form)
            out.append("-".join(pieces))
        return " ".join(out)


def town_queries(index: PlaceIndex, count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(query, expected SIMC) for towns inflected after a preposition."""
    towns: list[Place] = list(index.towns())
    unique_names = {t.locality for t in towns}
    clashes = {n for n in unique_names if sum(t.locality == n for t in towns) > 1}
    inflector = Inflector()
    pool: list[tuple[str, str]] = []
    for town in towns:
        if town.locality in clashes:
            continue
        pool.append((town.locality, town.simc))
        for case, preps in _PREPOSITIONS.items():
            form = inflector.inflect(town.locality, case)
            if form:
                prep = _vocalic(rng.choice(preps), form)
                pool.append((f"{prep} {form}", town.simc))
                pool.append((f"{prep} {form}".lower(), town.simc))
    return [rng.choice(pool) for _ in range(count)]


def percentile(values: list[float], q: float) -> float:
    """q-th percentile (0..100) by nearest rank."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def run(total: int, seed: int) -> dict[str, Any]:
    """Run the benchmark; return the report."""
    started = time.perf_counter()
    index = PlaceIndex.load()
    load_s = time.perf_counter() - started

    cases = load_cases()
    case_ok = [outcome(index, row["query"]) == row["expected"] for row in cases]
    failures = [
        {"query": row["query"], "expected": row["expected"], "got": outcome(index, row["query"])}
        for row, ok in zip(cases, case_ok, strict=True)
        if not ok
    ]

    rng = random.Random(seed)
    n_cases = total // 2
    mix: list[tuple[str, str, bool]] = [
        (row["query"], row["expected"], False)
        for row in (rng.choice(cases) for _ in range(n_cases))
    ]
    towns = town_queries(index, total - n_cases, rng)
    mix += [(query, expected, True) for query, expected in towns]
    rng.shuffle(mix)

    latencies: list[float] = []
    town_ok = town_total = 0
    for query, expected, is_town in mix:
        t0 = time.perf_counter_ns()
        res = index.resolve(query)
        latencies.append((time.perf_counter_ns() - t0) / 1e6)
        if is_town:
            town_total += 1
            got = res.place.simc if res.status == "found" and res.place else res.status
            town_ok += got == expected
    town_misses = sorted({q for q, e in set(towns) if outcome(index, q) != e})[:40]
    return {
        "cases_file": str(CASES.relative_to(ROOT)),
        "cases": len(cases),
        "cases_accuracy": round(sum(case_ok) / len(cases), 4),
        "cases_failures": failures,
        "queries": len(mix),
        "inflected_town_queries": town_total,
        "inflected_town_accuracy": round(town_ok / town_total, 4) if town_total else None,
        "inflected_town_misses_sample": town_misses,
        "latency_ms": {
            "p50": round(percentile(latencies, 50), 3),
            "p95": round(percentile(latencies, 95), 3),
            "p99": round(percentile(latencies, 99), 3),
            "max": round(max(latencies), 3),
            "mean": round(statistics.fmean(latencies), 3),
        },
        "index_load_s": round(load_s, 3),
        "seed": seed,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {_cpu_count()} CPU",
    }


def _cpu_count() -> int:
    import os

    return os.cpu_count() or 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    report = run(args.queries, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    lat = report["latency_ms"]
    print(
        f"cases.csv accuracy {report['cases_accuracy']:.2%} ({report['cases']} cases); "
        f"inflected towns {report['inflected_town_accuracy']:.2%} "
        f"({report['inflected_town_queries']} queries)"
    )
    print(
        f"latency ms p50 {lat['p50']} p95 {lat['p95']} p99 {lat['p99']} max {lat['max']} "
        f"over {report['queries']} queries; index load {report['index_load_s']} s"
    )
    print(f"report written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
