"""Evaluate the NLU honestly: `make eval-nlu` (runs in .venv-rasa).

For each pipeline (ours in config.yml, the plain `rasa init` pipeline, and any extra
config files given), train on nlu_data/ with Rasa's cache off, evaluate with
`rasa test nlu` on the held-out set tests/nlu/test_nlu.yml and on a copy of it without
Polish letters, then measure /model/parse latency of our model through a real Rasa
server. Writes reports/nlu/summary.json and reports/nlu/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
TEST_SET = ROOT / "tests" / "nlu" / "test_nlu.yml"
OUT = ROOT / "reports" / "nlu"

# The pipeline `rasa init` writes (Rasa 3.6 default config), NLU part only.
RASA_INIT_CONFIG = """\
# The pipeline `rasa init` writes, unchanged.
recipe: default.v1
language: pl
assistant_id: rasa_init_baseline
pipeline:
  - name: WhitespaceTokenizer
  - name: RegexFeaturizer
  - name: LexicalSyntacticFeaturizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: 100
    constrain_similarities: true
  - name: EntitySynonymMapper
  - name: ResponseSelector
    epochs: 100
    constrain_similarities: true
  - name: FallbackClassifier
    threshold: 0.3
    ambiguity_threshold: 0.1
policies: []
"""

TARGETS = {
    "macro_f1": 0.95,
    "min_intent_f1": 0.85,
    "crisis_recall": 1.0,
    "city_f1": 0.95,
    "no_diacritics_gap": 0.02,
    "train_seconds": 300,
    "parse_p95_ms": 50,
}


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2",
            "RASA_MAX_CACHE_SIZE": "0", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


def strip_diacritics(text: str) -> str:
    """Remove Polish letters one character for one, so entity offsets stay valid."""
    out = []
    for ch in text:
        if ch in "łŁ":
            out.append("l" if ch == "ł" else "L")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base)
    return "".join(out)


def run(cmd: list[str], log: Path) -> float:
    started = time.monotonic()
    with log.open("w") as handle:
        result = subprocess.run(cmd, cwd=ROOT, env=env(), stdout=handle, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        sys.exit(f"command failed ({result.returncode}): {' '.join(cmd)}; see {log}")
    return time.monotonic() - started


def scores(results: Path) -> dict[str, Any]:
    intents = json.loads((results / "intent_report.json").read_text())
    per_intent = {
        name: round(values["f1-score"], 3)
        for name, values in intents.items()
        if isinstance(values, dict) and "support" in values
        and name not in ("macro avg", "weighted avg", "micro avg", "accuracy")
    }
    city_f1 = None
    for entity_file in sorted(results.glob("*_report.json")):
        if entity_file.name == "intent_report.json":
            continue
        entities = json.loads(entity_file.read_text())
        if "city" in entities:
            city_f1 = round(entities["city"]["f1-score"], 3)
    return {
        "macro_f1": round(intents["macro avg"]["f1-score"], 3),
        "accuracy": round(intents.get("accuracy", 0.0), 3),
        "min_intent_f1": min(per_intent.values()),
        "crisis_recall": round(intents.get("crisis", {}).get("recall", 0.0), 3),
        "city_f1": city_f1,
        "per_intent_f1": per_intent,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def parse_latency(model: Path, texts: list[str], log: Path) -> dict[str, float]:
    """p50/p95 of POST /model/parse through a real Rasa server on loopback."""
    port, token = free_port(), secrets.token_urlsafe(16)
    with log.open("w") as handle:
        server = subprocess.Popen(
            [str(RASA), "run", "--enable-api", "--auth-token", token, "-i", "127.0.0.1",
             "-p", str(port), "-m", str(model)],
            cwd=ROOT, env=env(), stdout=handle, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(f"{url}/status?token={token}", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit(f"Rasa did not start for the latency test; see {log}")
                time.sleep(0.5)
        timings = []
        for attempt, text in enumerate(texts * 2):
            request = urllib.request.Request(
                f"{url}/model/parse?token={token}",
                data=json.dumps({"text": text}).encode(),
                headers={"Content-Type": "application/json"},
            )
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
            if attempt >= len(texts) // 4:  # the first requests warm the model up
                timings.append((time.perf_counter() - started) * 1000)
    finally:
        server.terminate()
        server.wait(30)
    timings.sort()
    return {
        "requests": len(timings),
        "p50_ms": round(timings[len(timings) // 2], 1),
        "p95_ms": round(timings[int(len(timings) * 0.95)], 1),
        "max_ms": round(timings[-1], 1),
    }


def test_texts(path: Path) -> list[str]:
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("- ") and not stripped.startswith("- intent:"):
            texts.append(re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", stripped[2:]))
    return texts


def describe(config: Path) -> str:
    """The first comment line of a config file: what that pipeline is for."""
    for line in config.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


def evaluate(name: str, config: Path, work: Path, no_diacritics: Path) -> dict[str, Any]:
    print(f"==> {name}: training on nlu_data/ ({config.name})", flush=True)
    models = work / name
    seconds = run([str(RASA), "train", "nlu", "--config", str(config), "--nlu", "nlu_data/nlu",
                   "--out", str(models), "--fixed-model-name", name],
                  work / f"{name}-train.log")
    model = models / f"{name}.tar.gz"
    result: dict[str, Any] = {"config": str(config.relative_to(ROOT)) if config.is_relative_to(ROOT)
                              else config.name, "train_nlu_seconds": round(seconds, 1),
                              "about": describe(config)}
    for label, test_file in (("original", TEST_SET), ("no_diacritics", no_diacritics)):
        print(f"    testing on the {label} held-out set", flush=True)
        out = OUT / name / label
        shutil.rmtree(out, ignore_errors=True)
        run([str(RASA), "test", "nlu", "--model", str(model), "--nlu", str(test_file),
             "--out", str(out)], work / f"{name}-{label}.log")
        result[label] = scores(out)
    result["no_diacritics_gap"] = round(
        result["original"]["macro_f1"] - result["no_diacritics"]["macro_f1"], 3)
    result["model"] = model
    return result


def check(ours: dict[str, Any]) -> dict[str, bool]:
    original = ours["original"]
    return {
        "macro_f1": original["macro_f1"] >= TARGETS["macro_f1"],
        "min_intent_f1": original["min_intent_f1"] >= TARGETS["min_intent_f1"],
        "crisis_recall": original["crisis_recall"] >= TARGETS["crisis_recall"],
        "city_f1": (original["city_f1"] or 0) >= TARGETS["city_f1"],
        "no_diacritics_gap": ours["no_diacritics_gap"] <= TARGETS["no_diacritics_gap"],
        "train_seconds": ours["train_nlu_seconds"] <= TARGETS["train_seconds"],
        "parse_p95_ms": ours["parse_latency"]["p95_ms"] <= TARGETS["parse_p95_ms"],
    }


def write_readme(summary: dict[str, Any]) -> None:
    names = list(summary["pipelines"])
    ours = summary["pipelines"]["ours"]
    rows = [
        "| pipeline | macro-F1 | lowest intent F1 | crisis recall | city F1 "
        "| macro-F1 without diacritics | training (s) | what it is |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in names:
        p = summary["pipelines"][name]
        rows.append(
            f"| {name} (`{p['config']}`) | {p['original']['macro_f1']} | "
            f"{p['original']['min_intent_f1']} | {p['original']['crisis_recall']} | "
            f"{p['original']['city_f1']} | {p['no_diacritics']['macro_f1']} | "
            f"{p['train_nlu_seconds']} | {p.get('about', '')} |"
        )
    per_intent = ["| intent | ours F1 | ours F1 without diacritics | rasa init F1 |",
                  "|---|---|---|---|"]
    base = summary["pipelines"].get("rasa_init")
    for intent, f1 in sorted(ours["original"]["per_intent_f1"].items()):
        plain = ours["no_diacritics"]["per_intent_f1"].get(intent)
        baseline = base["original"]["per_intent_f1"].get(intent) if base else None
        per_intent.append(f"| {intent} | {f1} | {plain} | {baseline} |")
    targets = "\n".join(
        f"- {name}: {'met' if ok else 'NOT met'} (target {TARGETS[name]})"
        for name, ok in summary["targets_met"].items()
    )
    latency = ours["parse_latency"]
    text = f"""# NLU evaluation

Generated by `make eval-nlu` (`bench/nlu_eval.py`) on {summary['date']}, machine:
{summary['machine']}. Training data: `nlu_data/nlu/` ({summary['train_examples']} examples).
Held-out test set: `tests/nlu/test_nlu.yml` ({summary['test_examples']} examples, written
separately from the training data and never trained on), and a copy of it with the
Polish letters removed, generated by the script.

## Pipelines side by side

{chr(10).join(rows)}

Training time is `rasa train nlu` with Rasa's cache off, on this machine.

## Targets (our pipeline)

{targets}

`/model/parse` latency through a real Rasa server on loopback ({latency['requests']}
requests): p50 {latency['p50_ms']} ms, p95 {latency['p95_ms']} ms, max {latency['max_ms']} ms.

## Per intent

{chr(10).join(per_intent)}

![Confusion matrix of our pipeline on the held-out set](confusion_matrix.png)

Full `rasa test nlu` outputs (per-pipeline reports, misclassified examples) are written to
`reports/nlu/<pipeline>/` by each run and not kept in git.
"""
    (OUT / "README.md").write_text(text, encoding="utf-8")


def evaluate_dev(model: Path) -> None:
    """Score the trained model on the development sets (tests/nlu/dev*_nlu.yml) and print
    every error: the sets for choosing pipelines and training data. The held-out test
    set is left for `make eval-nlu`, which only reports scores."""
    dev_out = ROOT / "var" / "nlu-dev"
    for dev_set in sorted((ROOT / "tests" / "nlu").glob("dev*_nlu.yml")):
        results = dev_out / dev_set.stem
        shutil.rmtree(results, ignore_errors=True)
        results.mkdir(parents=True)
        run([str(RASA), "test", "nlu", "--model", str(model), "--nlu", str(dev_set),
             "--out", str(results)], results / "rasa.log")
        found = scores(results)
        low = {k: v for k, v in found["per_intent_f1"].items() if v < TARGETS["min_intent_f1"]}
        print(f"{dev_set.name}: macro-F1 {found['macro_f1']}, lowest intent "
              f"{found['min_intent_f1']}, city F1 {found['city_f1']}, "
              f"crisis recall {found['crisis_recall']}; below target: {low or 'none'}")
        errors_file = results / "intent_errors.json"
        for error in json.loads(errors_file.read_text()) if errors_file.exists() else []:
            predicted = error["intent_prediction"]
            print(f"    {error['intent']} -> {predicted['name']} "
                  f"({predicted['confidence']:.2f}): {error['text']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dev", type=Path, metavar="MODEL",
                        help="only score MODEL on the development sets and list its errors")
    parser.add_argument("--extra", nargs="*", default=[], type=Path,
                        help="more config files to compare (name = file stem)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the rasa init pipeline")
    args = parser.parse_args()
    if args.dev:
        evaluate_dev(args.dev.resolve())
        return
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="nlu-eval-"))
    no_diacritics = OUT / "test_nlu_no_diacritics.yml"
    no_diacritics.write_text(strip_diacritics(TEST_SET.read_text(encoding="utf-8")), "utf-8")
    baseline = work / "rasa_init_config.yml"
    baseline.write_text(RASA_INIT_CONFIG, encoding="utf-8")

    pipelines: dict[str, dict[str, Any]] = {"ours": evaluate("ours", ROOT / "config.yml", work,
                                                             no_diacritics)}
    if not args.no_baseline:
        pipelines["rasa_init"] = evaluate("rasa_init", baseline, work, no_diacritics)
    for extra in args.extra:
        pipelines[extra.stem] = evaluate(extra.stem, extra.resolve(), work, no_diacritics)

    print("==> ours: /model/parse latency", flush=True)
    pipelines["ours"]["parse_latency"] = parse_latency(
        pipelines["ours"]["model"], test_texts(TEST_SET), work / "latency.log")
    for pipeline in pipelines.values():
        pipeline.pop("model")
    summary = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} cores, {os.uname().sysname} {os.uname().machine}",
        "train_examples": sum(
            len(test_texts(p)) for p in (ROOT / "nlu_data" / "nlu").glob("*.yml")
        ),
        "test_examples": len(test_texts(TEST_SET)),
        "pipelines": pipelines,
    }
    summary["targets_met"] = check(pipelines["ours"])
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    shutil.copyfile(OUT / "ours" / "original" / "intent_confusion_matrix.png",
                    OUT / "confusion_matrix.png")
    write_readme(summary)
    shutil.rmtree(work, ignore_errors=True)
    print(f"==> written {OUT / 'README.md'}")
    for name, ok in summary["targets_met"].items():
        print(f"    {name}: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
