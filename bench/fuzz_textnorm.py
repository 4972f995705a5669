"""Coverage-guided fuzzing (atheris, libFuzzer) of the text normaliser and the place
resolver's text path, for a fixed budget; part of `make bench`.

Every input is decoded to text and checked against the invariants of `bot.textnorm`
(fold: idempotent, casefold-stable, no diacritics, no invisible characters, single spaces,
the same word by word; words: ASCII tokens of the folded text; clean: no invisible
characters, at most 500 characters, nothing fold keeps is lost). Every
``--places-every``-th input also goes through `PlaceIndex.resolve` and `find_in_text`,
which must answer with a well-formed result. A violated invariant or an exception is a crash: the
input is saved under var/fuzz/ and the exit status is non-zero.

The fuzzing runs in a child process (libFuzzer ends its process when done); the parent
prints one line and writes reports/bench/fuzz.txt.

Usage: python bench/fuzz_textnorm.py [--runs 200000] [--seconds 60] [--seed 2026]
                                     [--places-every 16] [--out PATH]
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import platform
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "reports" / "bench" / "fuzz.txt"
ARTIFACTS = ROOT / "var" / "fuzz"
INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
POLISH = frozenset("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
STATUSES = frozenset({"found", "ambiguous", "unknown"})
_WORD = re.compile(r"[0-9a-z]+")


# ------------------------------------------------------------------ the fuzzed process


def _worker(libfuzzer_args: list[str], places_every: int) -> None:
    import atheris

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bot.places.resolver import MAX_QUERY_CHARS, get_index

    # Coverage comes from an instrumented copy of bot.textnorm only: the resolver (which
    # uses the plain module) would be ~30 times slower instrumented, and its own calls of
    # the normaliser would draw the fuzzer towards the inputs that reach it. It sees
    # every `places_every`-th input, as a robustness check.
    fuzzed = _instrumented_textnorm(atheris)
    fold, words, clean = fuzzed.fold, fuzzed.words, fuzzed.clean
    index = get_index() if places_every else None
    gc.freeze()  # the index's objects are permanent: collections need not scan them
    calls = 0
    dashes_quotes = frozenset(chr(k) for k in _tables())

    def check_fold(text: str) -> str:
        out = fold(text)
        assert fold(out) == out, "fold is not idempotent"
        assert out.casefold() == out, "fold output changes when casefolded"
        assert out == out.strip() and "  " not in out, "fold output is not single-spaced"
        for ch in out:
            assert ch == " " or not ch.isspace(), f"whitespace U+{ord(ch):04X} left"
            assert unicodedata.category(ch) not in INVISIBLE, f"U+{ord(ch):04X} left"
            assert not unicodedata.combining(ch), f"combining U+{ord(ch):04X} left"
            assert ch not in POLISH and ch not in dashes_quotes, f"{ch!r} not folded"
        return out

    def test_one_input(data: bytes) -> None:
        nonlocal calls
        calls += 1
        # Byte 0 says where the text is cut in two; the rest is UTF-8 (so the dictionary's
        # characters arrive whole; invalid sequences, lone surrogates included, are dropped).
        cut = data[0] if data else 0
        text = data[1:].decode("utf-8", errors="ignore")
        folded = check_fold(text)
        cut = cut * (len(text) + 1) // 256
        head, tail = text[:cut], text[cut:]
        joined = " ".join(p for p in (check_fold(head), check_fold(tail)) if p)
        assert fold(head + " " + tail) == joined, "fold differs word by word"
        found = words(text)
        assert all(_WORD.fullmatch(w) for w in found), "words() gave a non-ASCII token"
        assert words(folded) == found, "words() differs on folded text"
        cleaned = clean(text)
        assert len(cleaned) <= 500, "clean() longer than its limit"
        assert not any(unicodedata.category(ch) in INVISIBLE for ch in cleaned), "clean()"
        assert fold(clean(text, 10**9)) == folded, "clean() lost what fold keeps"
        if index is not None and calls % places_every == 0:
            resolved = index.resolve(text)  # cut at 200 characters by the resolver
            assert len(resolved.query) <= MAX_QUERY_CHARS, "query too long"
            for res in (resolved, index.find_in_text(text[:400])):  # a chat message
                if res is None:
                    continue
                assert res.status in STATUSES, res.status
                assert (res.place is not None) == (res.status == "found"), res.status
                assert res.status != "unknown" or not res.candidates, "unknown with places"
                assert res.place is None or res.place in res.candidates, "place not listed"

    atheris.Setup([sys.argv[0], *libfuzzer_args], test_one_input)
    atheris.Fuzz()


def _instrumented_textnorm(atheris: Any) -> Any:
    """A second copy of bot.textnorm whose functions report coverage to libFuzzer."""
    spec = importlib.util.spec_from_file_location("textnorm_fuzzed", ROOT / "bot" / "textnorm.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    for name, value in list(vars(module).items()):
        if callable(value) and getattr(value, "__module__", None) == spec.name:
            setattr(module, name, atheris.instrument_func(value))
    return module


def _tables() -> dict[int, Any]:
    from bot import textnorm

    return {**textnorm._DASHES, **textnorm._QUOTES}


# ------------------------------------------------------------------ the parent


# Characters the mutator should try often: Polish letters, fold's dash and quote tables,
# compatibility forms, combining marks, controls, format and private-use characters.
SPECIAL = (
    "ąćęłńóśźżĄĆĘŁŃÓŚŹŻđðøħıŀŧþæœĸßẞﬁŉǰİΣς´″`«»‐–—„”‘’′−﹘－＂＇①²½™ℌ㎏ﷺＡ"
    "\u0301\u0328\u0307\u20dd\x00\x7f\x85\xa0\xad\u2028\u200b\u200d\ufeff\u0600\u180e"
    "\ue000\U000f0000\U0010fffd\U000e0041\U0001d173Ꭰ😀"
)
WORDS = ("w ", "z ", "koło ", "gmina ", "powiat ", "woj. ", "ul. ", "-Osiedle", "Kraków",
         "Łódź", "Sosnowiec", "kujawsko-pomorskie", ", ", "<b>")


def _dictionary() -> Path:
    """A libFuzzer dictionary of SPECIAL characters and WORDS, in UTF-8."""
    path = ARTIFACTS / "textnorm.dict"
    entries = [*SPECIAL, *WORDS]
    path.write_text(
        "".join(
            '"' + "".join(f"\\x{b:02x}" for b in entry.encode("utf-8")) + '"\n'
            for entry in entries
        ),
        encoding="ascii",
    )
    return path


def run(runs: int, seconds: int, places_every: int, seed: int) -> tuple[dict[str, Any], str]:
    """Fuzz in a child process; (figures, the child's output)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    args = [
        f"-dict={_dictionary()}",
        f"-runs={runs}",
        f"-max_total_time={seconds}",
        f"-seed={seed}",
        "-max_len=1024",
        "-print_final_stats=1",
        f"-artifact_prefix={ARTIFACTS}/",
    ]
    command = [sys.executable, __file__, "--worker", "--places-every", str(places_every), *args]
    started = time.perf_counter()
    child = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           errors="replace", cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"},
                           check=False)
    elapsed = time.perf_counter() - started
    log = child.stdout
    done = re.search(r"Done (\d+) runs in (\d+) second", log)
    executed = re.search(r"stat::number_of_executed_units:\s*(\d+)", log)
    crashed = child.returncode != 0 or done is None
    figures = {
        "runs": int(done[1]) if done else int(executed[1]) if executed else 0,
        "seconds": round(elapsed, 1),
        "crashes": 1 if crashed else 0,
        "exit_status": child.returncode,
        "coverage": _last_int(r"\bcov: (\d+)", log),
        "features": _last_int(r"\bft: (\d+)", log),
        "corpus": _last_int(r"\bcorp: (\d+)", log),
        "exec_per_s": _last_int(r"exec/s: (\d+)", log),
        "peak_rss_mb": _last_int(r"stat::peak_rss_mb:\s*(\d+)", log),
        "artifact": _last_text(r"Test unit written to (\S+)", log),
    }
    return figures, log


def _last_int(pattern: str, text: str) -> int | None:
    found = re.findall(pattern, text)
    return int(found[-1]) if found else None


def _last_text(pattern: str, text: str) -> str | None:
    found = re.findall(pattern, text)
    return found[-1] if found else None


def summary_line(fig: dict[str, Any]) -> str:
    return (
        f"fuzz textnorm+places: {fig['runs']} runs in {fig['seconds']} s, "
        f"crashes {fig['crashes']} (coverage {fig['coverage']}, features {fig['features']}, "
        f"corpus {fig['corpus']}, {fig['exec_per_s']} exec/s)"
    )


def report(fig: dict[str, Any], args: argparse.Namespace, log: str) -> str:
    from importlib.metadata import version

    lines = [
        summary_line(fig),
        "",
        "harness: bench/fuzz_textnorm.py (atheris/libFuzzer, coverage-guided by bot.textnorm)",
        f"budget: -runs={args.runs} -max_total_time={args.seconds} -seed={args.seed}; "
        f"place resolver on every {args.places_every}th input "
        f"({fig['runs'] // args.places_every if args.places_every else 0} inputs)",
        "invariants: fold idempotent, casefold-stable, single-spaced, no diacritics, no "
        "Polish letters, no invisible characters, the same word by word; words ASCII and "
        "equal on folded text; clean at most 500 characters, no invisible characters, "
        "loses nothing fold keeps; resolve/find_in_text well-formed",
        f"exit status {fig['exit_status']}; peak RSS {fig['peak_rss_mb']} MB",
        f"atheris {version('atheris')}, python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPU",
    ]
    if fig["crashes"]:
        lines += ["", f"crash input: {fig['artifact']}", "", "log tail:", *log.splitlines()[-60:]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200_000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--places-every", type=int, default=16,
                        help="resolve every N-th input with the place index (0: never)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args(argv)
    if args.worker:
        _worker(rest, args.places_every)
        return 0
    try:
        import atheris  # noqa: F401
    except ImportError:
        print("fuzz textnorm: skipped, atheris is not installed (requirements/app.txt: x86-64)")
        return 0
    fig, log = run(args.runs, args.seconds, args.places_every, args.seed)
    text = report(fig, args, log)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(summary_line(fig))
    if fig["crashes"]:
        print("\n".join(log.splitlines()[-60:]))
        print(f"report written to {args.out}")
        return 1
    print(f"report written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
