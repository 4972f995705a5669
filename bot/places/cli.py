"""Command line: ``python -m bot.places.cli "w Sosnowcu"`` prints the resolution as JSON.

Exit codes: 0 found, 2 ambiguous (candidates printed), 1 unknown or invalid input.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

MAX_INPUT_CHARS = 200
EXIT_FOUND = 0
EXIT_UNKNOWN = 1
EXIT_AMBIGUOUS = 2


def _input_problem(text: str) -> str | None:
    if not text or not text.strip():
        return "Podaj nazwę miejscowości, np. „w Sosnowcu”."
    if len(text) > MAX_INPUT_CHARS:
        return f"Za długi tekst ({len(text)} znaków): podaj samą nazwę miejscowości."
    odd = sum(
        1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r") or 0xD800 <= ord(ch) <= 0xDFFF
    )
    if "\x00" in text or odd * 10 > len(text):
        return "To nie wygląda na nazwę miejscowości (znaki sterujące lub dane binarne)."
    if not any(ch.isalpha() for ch in text):
        return "Nazwa miejscowości musi zawierać litery."
    return None


def _emit(text: str, stream: TextIO) -> None:
    try:
        print(text, file=stream)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        print(text.encode(encoding, "replace").decode(encoding), file=stream)


def place_command(text: str) -> int:
    """Resolve ``text`` and print JSON; return 0 found, 2 ambiguous, 1 unknown/invalid."""
    problem = _input_problem(text if isinstance(text, str) else "")
    if problem:
        _emit(problem, sys.stderr)
        return EXIT_UNKNOWN
    from bot.places.resolver import get_index  # loads the data only when needed

    res = get_index().resolve(text)
    if res.status == "unknown":
        _emit(res.note, sys.stderr)
        if res.suggestions:
            _emit("Podpowiedzi: " + ", ".join(res.suggestions), sys.stderr)
        return EXIT_UNKNOWN
    if res.status == "found" and res.place is not None:
        # The place itself at the top level, then how it was chosen.
        found = {**res.place.to_dict(), "picked_town": res.picked_town, "match": res.match,
                 "note": res.note}
        _emit(json.dumps(found, ensure_ascii=False, indent=2), sys.stdout)
        return EXIT_FOUND
    ambiguous = {
        "status": "ambiguous",
        "query": res.query,
        "note": res.note,
        "candidates": [candidate.to_dict() for candidate in res.candidates],
    }
    _emit(json.dumps(ambiguous, ensure_ascii=False, indent=2), sys.stdout)
    return EXIT_AMBIGUOUS


def main(argv: list[str] | None = None) -> int:
    """Entry point: the words of ``argv`` form the place name."""
    args = sys.argv[1:] if argv is None else argv
    return place_command(" ".join(args))


if __name__ == "__main__":
    sys.exit(main())
