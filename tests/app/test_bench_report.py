"""The load report's NLU section, read from `make eval-nlu`'s summary."""

from __future__ import annotations

import json
from pathlib import Path

from bench.load_bench import NLU_SUMMARY, nlu_lines

SUMMARY = {"date": "2026-11-22 14:31", "pipelines": {"ours": {
    "train_nlu_seconds": 24.0,
    "parse_latency": {"requests": 627, "p50_ms": 2.1, "p95_ms": 3.3, "max_ms": 5.8}}}}


def test_figures_come_from_the_nlu_summary(tmp_path: Path) -> None:
    path = tmp_path / "summary.json"
    path.write_text(json.dumps(SUMMARY), encoding="utf-8")
    figures, lines = nlu_lines(path)
    assert figures == {"measured": "2026-11-22 14:31", "train_nlu_seconds": 24.0,
                       "parse_requests": 627, "parse_p50_ms": 2.1, "parse_p95_ms": 3.3}
    text = "\n".join(lines)
    assert "p50 2.1 ms, p95 3.3 ms" in text and "24.0 s" in text


def test_a_missing_or_broken_summary_says_so(tmp_path: Path) -> None:
    missing, lines = nlu_lines(tmp_path / "none.json")
    assert "missing" in missing and "make eval-nlu" in "\n".join(lines)
    broken = tmp_path / "broken.json"
    broken.write_text('{"pipelines": {}}', encoding="utf-8")
    figures, lines = nlu_lines(broken)
    assert figures == {"missing": "broken.json: KeyError"}


def test_the_committed_summary_is_readable() -> None:
    figures, _ = nlu_lines(NLU_SUMMARY)
    assert figures["parse_p95_ms"] < 50 and figures["train_nlu_seconds"] < 300
