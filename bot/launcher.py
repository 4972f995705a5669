"""Starts and supervises the processes of one Drogowskaz machine.

action server (.venv, rasa-sdk)  <-  Rasa server (.venv-rasa)  <-  web app (.venv)
                                                              <-  Telegram channel (.venv,
                                                                  only with TELEGRAM_TOKEN)

Each runs in its own process group with its output in `var/log/<name>.log`; `Stack`
waits until each answers its health check and stops all of them together. `make run`
uses it through `drogowskaz run`; the end-to-end tests use it on free ports.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO
from urllib.parse import parse_qs, unquote, urlsplit

from bot.settings import PROJECT_ROOT, Settings

RASA_BIN = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"
STOP_GRACE_SECONDS = 10.0


class LaunchError(RuntimeError):
    """A service could not be started or did not become healthy."""


@dataclass
class Service:
    name: str
    command: list[str]
    health_url: str
    env: dict[str, str]
    ready_timeout: float
    port: int
    log_path: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _log: IO[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - fixed argument lists, no shell
            self.command,
            cwd=PROJECT_ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.health_url, timeout=2) as response:  # noqa: S310
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError, ValueError):
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            _signal_group(self.process, signal.SIGTERM)
            try:
                self.process.wait(STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                _signal_group(self.process, signal.SIGKILL)
                self.process.wait(5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def answers(port: int, host: str = "127.0.0.1", timeout: float = 1.0) -> bool:
    """Whether something accepts connections on host:port (e.g. Redis for the lock store)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def free_ports(count: int) -> int:
    """The first of `count` consecutive free loopback ports (for RASA_PROCESSES and
    ACTION_PROCESSES above 1, which use consecutive ports)."""
    while True:
        first = free_port()
        if all(port_is_free(first + i) for i in range(1, count)):
            return first


def with_token(settings: Settings) -> Settings:
    """The settings with a Rasa token: the configured one, or a fresh one for this run."""
    if settings.rasa_token:
        return settings
    return replace(settings, rasa_token=secrets.token_urlsafe(32))


def service_env(settings: Settings) -> dict[str, str]:
    """Environment shared by all the processes (the settings, spelled as variables)."""
    env = dict(os.environ)
    if len(settings.rasa_urls) > 1:  # one server: RASA_URL says it (and may be overridden)
        env["RASA_URLS"] = ",".join(settings.rasa_urls)
    env.update(
        {
            "DATABASE_URL": settings.database_url,
            "VAR_DIR": str(settings.var_dir),
            "WEB_HOST": settings.web_host,
            "WEB_PORT": str(settings.web_port),
            "RASA_PORT": str(settings.rasa_port),
            "RASA_URL": settings.rasa_url,
            "RASA_PROCESSES": str(settings.rasa_processes),
            "ACTION_PROCESSES": str(settings.action_processes),
            "RASA_ENDPOINTS": str(settings.rasa_endpoints),
            "RASA_TOKEN": settings.rasa_token,
            "RASA_TIMEOUT": str(settings.rasa_timeout),
            "ACTION_PORT": str(settings.action_port),
            "ACTION_ENDPOINT_URL": settings.action_endpoint_url,
            "TRACKER_DB": settings.tracker_db,
            "LOG_LEVEL": settings.log_level,
            "TELEGRAM_TOKEN": settings.telegram_token,
            "TELEGRAM_API_BASE_URL": settings.telegram_api_base_url,
            "TELEGRAM_WEBHOOK_URL": settings.telegram_webhook_url,
            "TELEGRAM_WEBHOOK_SECRET": settings.telegram_webhook_secret,
            "TELEGRAM_WEBHOOK_LISTEN": settings.telegram_webhook_listen,
            "STAFF_COOKIE_SECURE": "true" if settings.staff_cookie_secure else "false",
            "STAFF_SESSION_HOURS": str(settings.staff_session_hours),
            "RETENTION_DAYS": str(settings.retention_days),
            "LOGIN_MAX_FAILURES": str(settings.login_max_failures),
            "LOGIN_LOCK_MINUTES": str(settings.login_lock_minutes),
            "PYTHONPATH": str(PROJECT_ROOT),
            # rasa-sdk listens on this interface (its default is every interface)
            "SANIC_HOST": "127.0.0.1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def scale_out_settings_env(database_url: str) -> dict[str, str]:
    """Settings of the scale-out profile on one loopback host (the scale-out test and the
    load benchmark): `database_url` as application database and tracker store, two Rasa
    servers and two action servers on consecutive free ports, the production endpoints."""
    first = free_ports(4)
    return {
        "DATABASE_URL": database_url, "TRACKER_DB": database_url,
        "ACTION_PORT": str(first), "RASA_PORT": str(first + 2),
        "RASA_PROCESSES": "2", "ACTION_PROCESSES": "2",
        "RASA_ENDPOINTS": str(PROJECT_ROOT / "bot" / "endpoints.production.yml"),
    }


def scale_out_store_env(tracker_url: str, lock_key_prefix: str, redis_host: str = "127.0.0.1",
                        redis_port: int = 6379, redis_db: int = 0) -> dict[str, str]:
    """The variables bot/endpoints.production.yml reads (TRACKER_DB_*, REDIS_*,
    LOCK_KEY_PREFIX), for a PostgreSQL tracker store given as a URL."""
    parts = urlsplit(tracker_url)
    options = parse_qs(parts.query).get("options", [""])[0]
    return {
        "TRACKER_DB_HOST": parts.hostname or "127.0.0.1",
        "TRACKER_DB_PORT": str(parts.port or 5432),
        "TRACKER_DB_NAME": parts.path.lstrip("/"),
        "TRACKER_DB_USER": unquote(parts.username or "postgres"),
        "TRACKER_DB_PASSWORD": unquote(parts.password or ""),
        "TRACKER_DB_OPTIONS": options,
        "REDIS_HOST": redis_host, "REDIS_PORT": str(redis_port), "REDIS_DB": str(redis_db),
        "LOCK_KEY_PREFIX": lock_key_prefix,
    }


def _numbered(name: str, index: int, count: int) -> str:
    return name if count == 1 else f"{name} {index + 1}"


def build_services(settings: Settings) -> list[Service]:
    """Action server(s), Rasa server(s), web app (and the Telegram channel).

    With RASA_PROCESSES / ACTION_PROCESSES above 1 (docs/deploy.md) the processes use
    consecutive ports; Rasa server i calls action server i modulo their number, and the
    web app spreads conversations across every Rasa server."""
    env = service_env(settings)
    log_dir = settings.var_dir / "log"
    actions = [
        Service(
            name=_numbered("action server", i, settings.action_processes),
            command=[sys.executable, "-m", "rasa_sdk", "--actions", "actions",
                     "-p", str(settings.action_port + i)],
            health_url=f"http://127.0.0.1:{settings.action_port + i}/health",
            env=env,
            ready_timeout=60,
            port=settings.action_port + i,
            log_path=log_dir / ("actions.log" if settings.action_processes == 1
                                else f"actions-{i + 1}.log"),
        )
        for i in range(settings.action_processes)
    ]
    rasas = []
    for i in range(settings.rasa_processes):
        port = settings.rasa_port + i
        action_url = (settings.action_endpoint_url if settings.action_processes == 1 else
                      f"http://127.0.0.1:{settings.action_port + i % settings.action_processes}"
                      "/webhook")
        rasas.append(Service(
            name=_numbered("Rasa server", i, settings.rasa_processes),
            command=[
                str(RASA_BIN), "run", "--enable-api",
                # one argument: a token may start with "-" (token_urlsafe), which argparse
                # would otherwise take for an option
                f"--auth-token={settings.rasa_token}",
                "--interface", "127.0.0.1", "--port", str(port),
                "--model", str(settings.model_path),
                "--endpoints", str(settings.rasa_endpoints),
                "--credentials", str(PROJECT_ROOT / "bot" / "credentials.yml"),
            ],
            health_url=f"http://127.0.0.1:{port}/status?token={settings.rasa_token}",
            env={**env, "ACTION_ENDPOINT_URL": action_url},
            ready_timeout=240,
            port=port,
            log_path=log_dir / ("rasa.log" if settings.rasa_processes == 1
                                else f"rasa-{i + 1}.log"),
        ))
    web = Service(
        name="web app",
        command=[sys.executable, "-m", "uvicorn", "bot.web.app:create_app", "--factory",
                 "--host", settings.web_host, "--port", str(settings.web_port),
                 "--log-level", settings.log_level.lower()],
        health_url=f"http://127.0.0.1:{settings.web_port}/healthz",
        env=env,
        ready_timeout=60,
        port=settings.web_port,
        log_path=log_dir / "web.log",
    )
    return [*actions, *rasas, web, *telegram_services(settings, env)]


# ---------------------------------------------------------------- Telegram channel


def telegram_status(settings: Settings) -> str:
    """One line saying whether `make run` starts the Telegram channel, and why."""
    if not settings.telegram_token:
        return ("Telegram: off (TELEGRAM_TOKEN is not set; set it to the token from "
                "@BotFather to start the Telegram channel, see .env.example)")
    mode = (f"webhook {settings.telegram_webhook_url}" if settings.telegram_webhook_url
            else "long polling")
    return f"Telegram: on ({mode})"


def telegram_services(settings: Settings, env: dict[str, str]) -> list[Service]:
    """The Telegram channel as a fourth service, only when TELEGRAM_TOKEN is set."""
    if not settings.telegram_token:
        return []
    host, _, port = settings.telegram_webhook_listen.rpartition(":")
    probe = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
    return [
        Service(
            name="Telegram channel",
            command=[sys.executable, "-m", "bot.cli", "telegram"],
            health_url=f"http://{probe}:{port}/healthz",
            env=env,
            ready_timeout=60,
            port=int(port),
            log_path=settings.var_dir / "log" / "telegram.log",
        )
    ]


class Stack:
    """The running services of one machine."""

    def __init__(self, settings: Settings, say: Callable[[str], None] = print) -> None:
        self.settings = with_token(settings)
        self.say = say
        self.services = build_services(self.settings)

    def check_prerequisites(self) -> None:
        if not RASA_BIN.exists():
            raise LaunchError(f"{RASA_BIN} is missing: run `make run` (it creates .venv-rasa)")
        if not self.settings.model_path.exists():
            raise LaunchError(
                f"no trained model at {self.settings.model_path}: run `make train`"
            )
        busy = [s for s in self.services if not port_is_free(s.port)]
        if busy:
            names = ", ".join(f"{s.port} ({s.name})" for s in busy)
            raise LaunchError(f"port already in use: {names}. Stop what uses it or change "
                              "WEB_PORT / RASA_PORT / ACTION_PORT.")

    def start(self) -> None:
        self.check_prerequisites()
        for service in self.services:
            self.say(f"==> Starting {service.name} on 127.0.0.1:{service.port} "
                     f"(log: {service.log_path})")
            service.start()
        try:
            for service in self.services:
                self._wait_ready(service)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, service: Service) -> None:
        started = time.monotonic()
        last_note = started
        while True:
            code = service.exited()
            if code is not None:
                raise LaunchError(f"{service.name} exited with code {code} while starting. "
                                  f"Last lines of {service.log_path}:\n{service.log_tail()}")
            if service.healthy():
                self.say(f"    {service.name} is ready ({time.monotonic() - started:.1f} s)")
                return
            now = time.monotonic()
            if now - started > service.ready_timeout:
                address = service.health_url.split("?")[0]
                raise LaunchError(f"{service.name} did not answer {address} "
                                  f"within {service.ready_timeout:.0f} s. Last lines of "
                                  f"{service.log_path}:\n{service.log_tail()}")
            if now - last_note >= 10:
                self.say(f"    still waiting for {service.name} ({now - started:.0f} s)...")
                last_note = now
            time.sleep(0.3)

    def first_dead(self) -> Service | None:
        return next((s for s in self.services if s.exited() is not None), None)

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()


PURGE_EVERY_SECONDS = 24 * 3600


def run_purge(settings: Settings) -> str:
    """`drogowskaz purge` (data retention, RETENTION_DAYS) in its own process; one line."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "purge"], cwd=PROJECT_ROOT,
            env=service_env(settings), capture_output=True, text=True, timeout=600,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"!! data retention (purge) did not run: {exc}"
    lines = (done.stdout or done.stderr).strip().splitlines()
    summary = lines[-1] if lines else ""
    if done.returncode != 0:
        return f"!! data retention (purge) failed (exit {done.returncode}): {summary}"
    return f"    data retention: {summary}"


def run_forever(stack: Stack) -> int:
    """Start the stack, wait for Ctrl-C (or a dying service), stop everything."""
    stopping = False

    def _terminate(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    try:
        stack.start()
        stack.say("")
        stack.say(f"Drogowskaz is running. Kiosk: {stack.settings.kiosk_url}")
        stack.say(telegram_status(stack.settings))
        stack.say(f"Staff dashboard: {stack.settings.kiosk_url.rsplit('/', 1)[0]}/staff")
        stack.say("Press Ctrl-C to stop.")
        next_purge = time.monotonic()  # once at start, then daily
        while True:
            if time.monotonic() >= next_purge:
                stack.say(run_purge(stack.settings))
                next_purge = time.monotonic() + PURGE_EVERY_SECONDS
            dead = stack.first_dead()
            if dead is not None:
                stack.say(f"!! {dead.name} stopped unexpectedly (exit code {dead.exited()}). "
                          f"Last lines of {dead.log_path}:\n{dead.log_tail()}")
                return 1
            time.sleep(1)
    except KeyboardInterrupt:
        stopping = True
        return 0
    except LaunchError as exc:
        stack.say(f"!! {exc}")
        return 1
    finally:
        if stopping:
            stack.say("\n==> Stopping all services...")
        stack.stop()
        if stopping:
            stack.say("    stopped.")
