"""Regenerate bot/data/teryt/ from the GUS TERYT originals (developer tool, not run time).

Usage: python -m bot.places.build_data [--src ../shared/data/teryt] [--out bot/data/teryt]

Writes:
- ``TERC_Urzedowy_2026-05-11.csv`` and ``WMRODZ_2026-05-11.csv``: copied unchanged;
- ``simc.tsv.gz``: SIMC reduced to ``SYM, SYMPOD, WOJ+POW+GMI+RODZ_GMI, RM, NAZWA``;
- ``forms.tsv.gz``: for each folded name word, its folded inflected forms from Morfeusz 2 (SGJP).
Needs ``morfeusz2`` (only here; the run-time index reads the files above with the stdlib).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from bot.textnorm import fold, words

TERC_NAME = "TERC_Urzedowy_2026-05-11.csv"
SIMC_NAME = "SIMC_Urzedowy_2026-05-11.csv"
WMRODZ_NAME = "WMRODZ_2026-05-11.csv"
EXPECTED_SHA256 = {
    TERC_NAME: "557edb286b399cc7f84a3ee0fbeb809b3928e64da70c7eda8b71fa7f06e585d4",
    SIMC_NAME: "316c6446da15f53fef77ae3f28bda60f9c0300120c217eaa4431e1661a018c5a",
    WMRODZ_NAME: "8c7f315d4986097ae11df031f94fb7bac974205ad6e67bd981633eec293188d9",
}
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SRC = REPO_ROOT.parent / "shared" / "data" / "teryt"
DEFAULT_OUT = REPO_ROOT / "bot" / "data" / "teryt"

_INFLECTING = {"subst", "depr", "adj", "ppas", "pact"}
_ADJ_LIKE = {"adj", "ppas", "pact"}
_GEO = {"nazwa_geograficzna", "człon_nazwy_geograficznej"}
_RAW_TOKEN_RE = re.compile(r"[^\W\d_]+")


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a GUS CSV (UTF-8 with BOM, ';' separated)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield from csv.DictReader(fh, delimiter=";")


def raw_tokens(name: str) -> list[str]:
    """Words of a name with their original case and diacritics."""
    return _RAW_TOKEN_RE.findall(name)


def _tag_fields(tag: str) -> list[set[str]]:
    return [set(part.split(".")) for part in tag.split(":")]


class FormGenerator:
    """Inflected forms of one name word, as Morfeusz 2 knows them."""

    def __init__(self) -> None:
        import morfeusz2  # build-time only dependency

        self._m: Any = morfeusz2.Morfeusz()
        self._gen_cache: dict[str, list[tuple[str, str, str]]] = {}

    def _generate(self, lemma: str) -> list[tuple[str, str, str]]:
        base = lemma.split(":")[0]
        if base not in self._gen_cache:
            try:
                out = self._m.generate(base)
            except RuntimeError:
                out = []
            self._gen_cache[base] = [(o[0], o[1], o[2]) for o in out]
        return self._gen_cache[base]

    def forms(self, word: str) -> set[str]:
        """Folded forms of ``word`` read as a nominative (same lemma, number, gender)."""
        interps = self._m.analyse(word)
        if any(i[1] != 1 for i in interps):  # Morfeusz split the word: do not trust it
            return set()
        nominative = []
        for _s, _e, (_orth, lemma, tag, names, _q) in interps:
            fields = _tag_fields(tag)
            if fields[0] & _INFLECTING and len(fields) > 3 and "nom" in fields[2]:
                nominative.append((lemma, fields, bool(_GEO & set(names))))
        nominative = _best_readings(word, nominative)
        out: set[str] = set()
        for lemma, fields, _geo in nominative:
            for orth, g_lemma, g_tag in self._generate(lemma):
                if g_lemma != lemma:
                    continue
                g = _tag_fields(g_tag)
                if len(g) < 4 or not (g[0] & fields[0] or {"subst", "depr"} >= g[0] | fields[0]):
                    continue
                if not g[1] & fields[1]:
                    continue
                if fields[0] & _ADJ_LIKE and not g[3] & fields[3]:
                    continue
                if fields[0] & _ADJ_LIKE and len(g) > 4 and len(fields) > 4 and g[4] != fields[4]:
                    continue
                out.update(words(orth))
        out.discard(fold(word))
        return out


def _best_readings(
    word: str, readings: list[tuple[str, list[set[str]], bool]]
) -> list[tuple[str, list[set[str]], bool]]:
    """Prefer readings whose lemma is the word itself, then geographic ones."""
    own = word.casefold()

    def is_own(lemma: str) -> bool:
        return lemma.split(":")[0].casefold() == own

    tiers: list[Callable[[str, bool], bool]] = [
        lambda lemma, geo: geo and is_own(lemma),
        lambda lemma, geo: is_own(lemma),
        lambda lemma, geo: geo,
    ]
    for keep in tiers:
        chosen = [r for r in readings if keep(r[0], r[2])]
        if chosen:
            return chosen
    return readings


def gmina_names(terc_rows: Iterable[dict[str, str]]) -> Iterator[str]:
    """Names of gminas and powiats (their words are qualifiers users type)."""
    for row in terc_rows:
        if row["POW"]:
            yield row["NAZWA"]


def build(src: Path, out: Path, check: bool = True) -> dict[str, str]:
    """Write the shipped files into ``out``; return their sha256 digests."""
    for name, digest in EXPECTED_SHA256.items():
        actual = sha256(src / name)
        if check and actual != digest:
            raise SystemExit(f"{name}: sha256 {actual} differs from the documented {digest}")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src / TERC_NAME, out / TERC_NAME)
    shutil.copyfile(src / WMRODZ_NAME, out / WMRODZ_NAME)

    simc_rows = sorted(read_csv(src / SIMC_NAME), key=lambda r: r["SYM"])
    lines = [
        "\t".join(
            (
                r["SYM"],
                r["SYMPOD"],
                r["WOJ"] + r["POW"] + r["GMI"] + r["RODZ_GMI"],
                r["RM"],
                r["NAZWA"],
            )
        )
        for r in simc_rows
    ]
    _write_gz(out / "simc.tsv.gz", "SYM\tSYMPOD\tTERYT\tRM\tNAZWA\n" + "\n".join(lines) + "\n")

    raw: set[str] = set()
    for r in simc_rows:
        raw.update(raw_tokens(r["NAZWA"]))
    for name in gmina_names(read_csv(src / TERC_NAME)):
        raw.update(raw_tokens(name))
    gen = FormGenerator()
    table: dict[str, set[str]] = {}
    for token in sorted(raw):
        if len(token) < 2:
            continue
        forms = gen.forms(token)
        if forms:
            table.setdefault(fold(token), set()).update(forms)
    body = "".join(f"{tok}\t{' '.join(sorted(forms))}\n" for tok, forms in sorted(table.items()))
    _write_gz(out / "forms.tsv.gz", body)
    return {p.name: sha256(p) for p in sorted(out.iterdir()) if p.is_file() and p.suffix != ".md"}


def _write_gz(path: Path, text: str) -> None:
    # mtime=0 keeps the output byte-identical between runs.
    with (
        path.open("wb") as raw_fh,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw_fh, mtime=0, compresslevel=9) as fh,
    ):
        fh.write(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-check", action="store_true", help="skip the sha256 check")
    args = parser.parse_args(argv)
    digests = build(args.src, args.out, check=not args.no_check)
    for name, digest in digests.items():
        print(f"{digest}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
