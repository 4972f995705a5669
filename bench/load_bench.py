"""Load benchmark: simulated people holding multi-turn conversations through the web app.

For each profile it starts its own stack on free loopback ports, seeded like `make run`:
`one-machine` (SQLite, one Rasa server, one action server: what `make run` starts) and
`scale-out` (docs/deploy.md: PostgreSQL, Redis, two Rasa servers and two action servers;
needs BENCH_DATABASE_URL or TEST_DATABASE_URL and Redis on 127.0.0.1:6379). Then it runs
each level of concurrency (10, 25, 50, 100 simulated users by default; 50 for two
minutes, the others for 30 s). Every user repeats realistic conversations (topics, place
look-ups, the forms) with a short think time between turns. Reports throughput,
p50/p95/p99 latency per turn, errors and the peak memory of each process; writes
reports/bench/load.json, load.md and one latency plot per profile.

Usage: python bench/load_bench.py [--levels 10,25,50,100] [--main 50] [--main-seconds 120]
                                  [--seconds 30] [--profiles one-machine,scale-out]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.db import migrate  # noqa: E402
from bot.db.private_schema import private_schema  # noqa: E402
from bot.db.session import configure  # noqa: E402
from bot.directory.seed import seed_directory  # noqa: E402
from bot.launcher import (  # noqa: E402
    Stack,
    answers,
    free_port,
    scale_out_settings_env,
    scale_out_store_env,
)
from bot.settings import load_settings, normalise_database_url  # noqa: E402

OUT = ROOT / "reports" / "bench"
NLU_SUMMARY = ROOT / "reports" / "nlu" / "summary.json"
PROFILES = {
    "one-machine": "make run's setup: SQLite, one Rasa server, one action server",
    "scale-out": "docs/deploy.md on loopback: PostgreSQL tracker store and database, Redis "
                 "lock store, two Rasa servers, two action servers",
}
Turn = dict[str, str]  # {"text": ...} or {"payload": ...}

CONVERSATIONS: list[list[Turn]] = [
    [{"text": "dzien dobry"}, {"payload": "/ask_shelter"}, {"text": "Kraków"},
     {"text": "dziekuje"}],
    [{"text": "gdzie dostane zasilek"},
     {"payload": '/ask_income_criterion{"topic": "eligibility_check"}'},
     {"text": "sam"}, {"text": "900 zl"}],
    [{"payload": "/ask_release_checklist"}, {"text": "za 2 tygodnie"},
     {"text": "w sosnowcu"}],
    [{"text": "nocleg w katowicach"}, {"text": "a gdzie zjem cos cieplego"},
     {"text": "dzieki"}],
    [{"text": "jak wyrobic dowod osobisty"}, {"payload": "/ask_employment"},
     {"text": "nie chce podawac"}],
    [{"text": "co to jest kryterium dochodowe"}, {"text": "a dodatek mieszkaniowy"},
     {"text": "do widzenia"}],
]


@dataclass
class Level:
    users: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    turns: int = 0
    conversations: int = 0
    elapsed: float = 0.0

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)

        def pct(p: float) -> float:
            if not ordered:
                return 0.0
            return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

        return {
            "users": self.users,
            "seconds": round(self.elapsed, 1),
            "turns": self.turns,
            "conversations": self.conversations,
            "turns_per_second": round(self.turns / self.elapsed, 1) if self.elapsed else 0,
            "p50_ms": round(pct(50), 1),
            "p95_ms": round(pct(95), 1),
            "p99_ms": round(pct(99), 1),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 1) if ordered else 0,
            "errors": sum(self.errors.values()),
            "error_kinds": self.errors,
        }


async def one_user(client: aiohttp.ClientSession, base_url: str, level: Level, stop: float,
                   rng: random.Random) -> None:
    while time.monotonic() < stop:
        session = "b" + uuid.uuid4().hex
        for turn in rng.choice(CONVERSATIONS):
            if time.monotonic() >= stop:
                return
            started = time.perf_counter()
            try:
                async with client.post(base_url + "/api/chat",
                                       json={"session_id": session, **turn}) as response:
                    body = await response.read()
                ok = response.status == 200 and json.loads(body).get("messages")
                kind = "" if ok else f"HTTP {response.status}"
            except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
                kind = type(exc).__name__
            level.latencies.append(time.perf_counter() - started)
            level.turns += 1
            if kind:
                level.errors[kind] = level.errors.get(kind, 0) + 1
            await asyncio.sleep(rng.uniform(0.2, 1.0))  # reading and tapping
        level.conversations += 1


async def run_level(base_url: str, level: Level, seed: int) -> None:
    # aiohttp rather than httpx: the load generator shares the machine's two cores with
    # the services it measures, and httpx needed about twice its CPU time per turn
    connector = aiohttp.TCPConnector(limit=level.users)
    async with aiohttp.ClientSession(connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=60)) as client:
        started = time.monotonic()
        stop = started + level.seconds
        await asyncio.gather(*(one_user(client, base_url, level, stop,
                                        random.Random(seed + i))
                               for i in range(level.users)))
        level.elapsed = time.monotonic() - started


def peak_memory_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its children, in MB."""
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return round(total, 1)


def svg_plot(levels: list[dict[str, Any]], path: Path) -> None:
    """Latency (p50, p95, p99) against concurrent users, as a small SVG line chart."""
    width, height, pad = 640, 400, 60
    users = [lv["users"] for lv in levels]
    top = max(max(lv["p99_ms"] for lv in levels), 300) * 1.1
    x_max = max(users) * 1.05

    def x(u: float) -> float:
        return pad + (width - 2 * pad) * u / x_max

    def y(ms: float) -> float:
        return height - pad - (height - 2 * pad) * ms / top

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="{width / 2}" y="24" text-anchor="middle" font-size="15">'
             'Latency per turn against concurrent users</text>',
             f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
             'stroke="black"/>',
             f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="black"/>',
             f'<text x="{width / 2}" y="{height - 15}" text-anchor="middle">'
             'concurrent users</text>',
             f'<text x="15" y="{height / 2}" transform="rotate(-90 15 {height / 2})" '
             'text-anchor="middle">ms</text>',
             f'<line x1="{pad}" y1="{y(300)}" x2="{width - pad}" y2="{y(300)}" stroke="#999" '
             'stroke-dasharray="4 4"/>',
             f'<text x="{width - pad}" y="{y(300) - 4}" text-anchor="end" fill="#666">'
             'p95 target 300 ms</text>']
    for u in users:
        parts.append(f'<text x="{x(u)}" y="{height - pad + 16}" text-anchor="middle">{u}</text>')
    for step in range(0, int(top) + 1, max(50, int(top / 6) // 50 * 50)):
        parts.append(f'<text x="{pad - 6}" y="{y(step) + 4}" text-anchor="end">{step}</text>')
    for key, colour in (("p50_ms", "#1b7837"), ("p95_ms", "#2166ac"), ("p99_ms", "#b2182b")):
        points = " ".join(f"{x(lv['users']):.1f},{y(lv[key]):.1f}" for lv in levels)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                     'stroke-width="2"/>')
        last = levels[-1]
        parts.append(f'<text x="{x(last["users"]) - 4}" y="{y(last[key]) - 6}" '
                     f'text-anchor="end" fill="{colour}">{key.removesuffix("_ms")}</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts), encoding="utf-8")


def machine() -> dict[str, Any]:
    return {"python": platform.python_version(), "cpus": os.cpu_count(),
            "platform": platform.platform(), "processor": platform.processor() or "unknown"}


def start_stack(var_dir: Path, scale_out_url: str | None = None) -> Stack:
    """One machine as `make run` starts it (SQLite) or, with a PostgreSQL URL, the
    scale-out profile (docs/deploy.md): two Rasa servers and two action servers sharing
    the tracker store in PostgreSQL and the lock store in Redis."""
    env = {"VAR_DIR": str(var_dir), "WEB_PORT": str(free_port()), "LOG_LEVEL": "WARNING"}
    if scale_out_url is None:
        env |= {"RASA_PORT": str(free_port()), "ACTION_PORT": str(free_port())}
    else:
        env |= scale_out_settings_env(scale_out_url)
    settings = load_settings(env)
    migrate.upgrade(settings.database_url)
    engine = configure(settings.database_url)
    try:
        seed_directory()
    finally:
        engine.dispose()
    stack = Stack(settings, say=print)
    if scale_out_url is not None:
        stores = scale_out_store_env(scale_out_url, "bench" + uuid.uuid4().hex[:10])
        for service in stack.services:
            service.env.update(stores)
    stack.start()
    return stack


@contextmanager
def profile_stack(profile: str, postgres: str | None) -> Iterator[Stack]:
    """A running stack of `profile` on its own temporary files (and PostgreSQL schema)."""
    with tempfile.TemporaryDirectory(prefix="drogowskaz-bench-") as tmp, ExitStack() as undo:
        url = None
        if profile == "scale-out":
            assert postgres is not None
            url = undo.enter_context(
                private_schema(normalise_database_url(postgres), prefix="bench"))
        stack = start_stack(Path(tmp), scale_out_url=url)
        try:
            yield stack
        finally:
            stack.stop()


def postgres_url() -> str | None:
    return os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or None


def scale_out_missing(postgres: str | None) -> str | None:
    """Why the scale-out profile cannot run here, or None if it can."""
    if postgres is None:
        return "no PostgreSQL: set BENCH_DATABASE_URL (or TEST_DATABASE_URL)"
    try:
        engine = create_engine(normalise_database_url(postgres))
        try:
            with engine.connect():
                pass
        finally:
            engine.dispose()
    except SQLAlchemyError as exc:
        return f"PostgreSQL at BENCH_DATABASE_URL does not answer ({type(exc).__name__})"
    if not answers(6379, timeout=2):
        return "no Redis on 127.0.0.1:6379"
    return None


def run_profile(profile: str, users: list[int], args: argparse.Namespace
                ) -> tuple[list[dict[str, Any]], dict[str, float]]:
    postgres = postgres_url()
    print(f"==> profile {profile}", flush=True)
    with profile_stack(profile, postgres) as stack:
        base = f"http://127.0.0.1:{stack.settings.web_port}"
        # warm up: every conversation once, so first-request costs are not measured
        asyncio.run(run_level(base, Level(len(CONVERSATIONS), 15), seed=1))
        results = []
        for count in users:
            level = Level(count, args.main_seconds if count == args.main else args.seconds)
            print(f"==> {count} users for {level.seconds:.0f} s ...", flush=True)
            asyncio.run(run_level(base, level, seed=count * 1000))
            summary = level.summary()
            print("    " + json.dumps({k: v for k, v in summary.items()
                                       if k != "error_kinds"}), flush=True)
            results.append(summary)
        memory = {s.name: peak_memory_mb(s.process.pid) for s in stack.services
                  if s.process is not None}
    return results, memory


def targets_met(results: list[dict[str, Any]], main_users: int) -> bool:
    main_level = next((lv for lv in results if lv["users"] == main_users), None)
    return main_level is not None and main_level["errors"] == 0 and \
        main_level["p95_ms"] < 300 and main_level["turns_per_second"] >= 30


def nlu_lines(summary_path: Path = NLU_SUMMARY) -> tuple[dict[str, Any], list[str]]:
    """NLU parse latency and training time from `make eval-nlu`'s summary, for the report."""
    heading = ["## NLU (from `make eval-nlu`, reports/nlu/)", ""]
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        ours = summary["pipelines"]["ours"]
        latency = ours["parse_latency"]
        figures = {"measured": summary["date"], "train_nlu_seconds": ours["train_nlu_seconds"],
                   "parse_requests": latency["requests"], "parse_p50_ms": latency["p50_ms"],
                   "parse_p95_ms": latency["p95_ms"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return {"missing": f"{summary_path.name}: {type(exc).__name__}"}, [
            *heading, f"No NLU figures: run `make eval-nlu` ({summary_path} unreadable: "
            f"{type(exc).__name__}).", ""]
    return figures, [
        *heading,
        f"Measured {figures['measured']}: `/model/parse` through a Rasa server on loopback, "
        f"p50 {figures['parse_p50_ms']} ms, p95 {figures['parse_p95_ms']} ms "
        f"({figures['parse_requests']} requests; target p95 < 50 ms); `rasa train nlu` "
        f"{figures['train_nlu_seconds']} s (target < 5 min).", ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--levels", default="10,25,50,100")
    parser.add_argument("--main", type=int, default=50, help="the level run for longest")
    parser.add_argument("--main-seconds", type=float, default=120)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--profiles", default=",".join(PROFILES),
                        help="one-machine (SQLite, one process each) and/or scale-out")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    users = [int(u) for u in args.levels.split(",") if u.strip()]
    profiles = [p.strip() for p in args.profiles.split(",") if p.strip()]
    unknown = set(profiles) - set(PROFILES)
    if unknown:
        parser.error(f"unknown profile(s): {', '.join(sorted(unknown))}")
    args.out.mkdir(parents=True, exist_ok=True)

    report: dict[str, Any] = {"machine": machine(), "profiles": {},
                              "targets": {"errors": 0, "p95_ms": 300, "turns_per_second": 30,
                                          "at_users": args.main}}
    lines = ["# Load benchmark", "",
             f"Machine: {report['machine']['cpus']} CPUs, {report['machine']['platform']}, "
             f"Python {report['machine']['python']}. Each simulated user waits 0.2-1 s "
             "between turns.", ""]
    for profile in profiles:
        missing = scale_out_missing(postgres_url()) if profile == "scale-out" else None
        if missing:
            print(f"==> profile {profile} skipped: {missing}", flush=True)
            report["profiles"][profile] = {"description": PROFILES[profile], "skipped": missing}
            lines += [f"## {profile}: {PROFILES[profile]}", "", f"Skipped: {missing}.", ""]
            continue
        results, memory = run_profile(profile, users, args)
        met = targets_met(results, args.main)
        report["profiles"][profile] = {"description": PROFILES[profile], "levels": results,
                                       "peak_memory_mb": memory, "targets_met": met}
        image = "latency.svg" if profile == "one-machine" else f"latency-{profile}.svg"
        svg_plot(results, args.out / image)
        lines += [f"## {profile}: {PROFILES[profile]}", "",
                  "| users | seconds | turns | turns/s | p50 ms | p95 ms | p99 ms | errors |",
                  "|---|---|---|---|---|---|---|---|"]
        for lv in results:
            lines.append(f"| {lv['users']} | {lv['seconds']} | {lv['turns']} | "
                         f"{lv['turns_per_second']} | {lv['p50_ms']} | {lv['p95_ms']} | "
                         f"{lv['p99_ms']} | {lv['errors']} |")
        lines += ["", "Peak memory (MB): " + ", ".join(f"{k} {v}" for k, v in memory.items()),
                  "", f"Targets at {args.main} users (0 errors, p95 < 300 ms, >= 30 turns/s): "
                  + ("met" if met else "NOT met"), "", f"![latency, {profile}]({image})", ""]
    report["nlu"], more = nlu_lines()
    lines += more
    (args.out / "load.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (args.out / "load.md").write_text("\n".join(lines), encoding="utf-8")
    print((args.out / "load.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
