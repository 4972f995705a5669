"""Configuration from environment variables, read in this one place.

Every variable is documented in `.env.example`. Nothing here opens a connection or a
file: `load_settings()` only reads and checks values.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VAR_DIR = PROJECT_ROOT / "var"
DEFAULT_TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"


class SettingsError(ValueError):
    """A configuration value is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    var_dir: Path
    web_host: str
    web_port: int
    rasa_port: int
    rasa_url: str
    rasa_token: str
    rasa_timeout: float
    action_port: int
    action_endpoint_url: str
    tracker_db: str
    model_path: Path
    rasa_endpoints: Path
    log_level: str
    # kiosk: seconds without a touch before the "are you still there?" countdown, and
    # the length of that countdown before the screen and the conversation are wiped
    kiosk_idle_seconds: int = 120
    kiosk_countdown_seconds: int = 20
    # ---- Telegram channel (bot/telegram/); off while telegram_token is empty
    telegram_token: str = ""
    telegram_api_base_url: str = DEFAULT_TELEGRAM_API_BASE_URL
    telegram_webhook_url: str = ""  # empty: long polling
    telegram_webhook_secret: str = ""
    telegram_webhook_listen: str = "127.0.0.1:8081"
    # ---- staff dashboard (/staff) and data retention
    staff_cookie_secure: bool = True  # false only for plain http on a non-local address
    staff_session_hours: int = 12
    retention_days: int = 90
    login_max_failures: int = 5
    login_lock_minutes: int = 15
    # ---- scale-out (docs/deploy.md): several Rasa and action-server processes
    rasa_processes: int = 1
    action_processes: int = 1
    rasa_urls: tuple[str, ...] = ()  # every Rasa server the web app and Telegram use

    @property
    def kiosk_url(self) -> str:
        host = "127.0.0.1" if self.web_host in ("0.0.0.0", "::") else self.web_host  # noqa: S104
        return f"http://{host}:{self.web_port}/kiosk"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way (postgresql://...)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc
    if not 0 < value < 65536 and name.endswith("_PORT"):
        raise SettingsError(f"{name} must be a port number (1-65535), got {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from exc
    if value <= 0:
        raise SettingsError(f"{name} must be positive, got {value}")
    return value


def _seconds(env: Mapping[str, str], name: str, default: int) -> int:
    value = _int(env, name, default)
    if not 0 < value <= 86400:
        raise SettingsError(f"{name} must be a number of seconds from 1 to 86400, got {value}")
    return value


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    var_dir = Path(env.get("VAR_DIR") or DEFAULT_VAR_DIR)
    rasa_port = _int(env, "RASA_PORT", 5005)
    action_port = _int(env, "ACTION_PORT", 5055)
    database_url = env.get("DATABASE_URL") or f"sqlite:///{var_dir / 'drogowskaz.db'}"
    log_level = (env.get("LOG_LEVEL") or "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise SettingsError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {log_level!r}")
    scale = _scale_out(env, rasa_port)
    return Settings(
        **scale,
        database_url=normalise_database_url(database_url),
        var_dir=var_dir,
        web_host=env.get("WEB_HOST") or "127.0.0.1",
        web_port=_int(env, "WEB_PORT", 8000),
        rasa_port=rasa_port,
        rasa_url=scale["rasa_urls"][0],
        rasa_token=env.get("RASA_TOKEN", ""),
        rasa_timeout=_float(env, "RASA_TIMEOUT", 15.0),
        action_port=action_port,
        action_endpoint_url=env.get("ACTION_ENDPOINT_URL")
        or f"http://127.0.0.1:{action_port}/webhook",
        tracker_db=env.get("TRACKER_DB") or str(var_dir / "tracker.db"),
        model_path=Path(env.get("RASA_MODEL") or PROJECT_ROOT / "models" / "drogowskaz.tar.gz"),
        rasa_endpoints=Path(env.get("RASA_ENDPOINTS") or PROJECT_ROOT / "bot" / "endpoints.yml"),
        log_level=log_level,
        kiosk_idle_seconds=_seconds(env, "KIOSK_IDLE_SECONDS", 120),
        kiosk_countdown_seconds=_seconds(env, "KIOSK_COUNTDOWN_SECONDS", 20),
        **_telegram(env),
        # ---- staff dashboard, data retention
        staff_cookie_secure=_bool(env, "STAFF_COOKIE_SECURE", True),
        staff_session_hours=_bounded(env, "STAFF_SESSION_HOURS", 12, 1, 24 * 7),
        retention_days=_bounded(env, "RETENTION_DAYS", 90, 1, 3650),
        login_max_failures=_bounded(env, "LOGIN_MAX_FAILURES", 5, 1, 100),
        login_lock_minutes=_bounded(env, "LOGIN_LOCK_MINUTES", 15, 1, 24 * 60),
    )


# ---------------------------------------------------------------- Telegram channel


def _telegram(env: Mapping[str, str]) -> dict[str, Any]:
    webhook_url = env.get("TELEGRAM_WEBHOOK_URL", "").strip()
    secret = env.get("TELEGRAM_WEBHOOK_SECRET", "").strip()
    if webhook_url and not webhook_url.startswith("https://"):
        raise SettingsError(f"TELEGRAM_WEBHOOK_URL must be an https:// URL, got {webhook_url!r}")
    if webhook_url and not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", secret):
        raise SettingsError("TELEGRAM_WEBHOOK_SECRET must be 16-256 letters, digits, _ or - "
                            "when TELEGRAM_WEBHOOK_URL is set")
    listen = env.get("TELEGRAM_WEBHOOK_LISTEN", "").strip() or "127.0.0.1:8081"
    host, _, port = listen.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise SettingsError(f"TELEGRAM_WEBHOOK_LISTEN must be host:port, got {listen!r}")
    return {
        "telegram_token": env.get("TELEGRAM_TOKEN", "").strip(),
        "telegram_api_base_url": env.get("TELEGRAM_API_BASE_URL", "").strip()
        or DEFAULT_TELEGRAM_API_BASE_URL,
        "telegram_webhook_url": webhook_url,
        "telegram_webhook_secret": secret,
        "telegram_webhook_listen": listen,
    }


# ---------------------------------------------------------------- staff dashboard, retention


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _bounded(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    value = _int(env, name, default)
    if not low <= value <= high:
        raise SettingsError(f"{name} must be a whole number from {low} to {high}, got {value}")
    return value



# ---------------------------------------------------------------- scale-out


SQLITE_ENDPOINTS = PROJECT_ROOT / "bot" / "endpoints.yml"


def _scale_out(env: Mapping[str, str], rasa_port: int) -> dict[str, Any]:
    """RASA_PROCESSES and ACTION_PROCESSES (1-8 each, on consecutive ports from RASA_PORT
    and ACTION_PORT), and RASA_URLS: the Rasa servers to spread conversations across."""
    rasa_processes = _bounded(env, "RASA_PROCESSES", 1, 1, 8)
    action_processes = _bounded(env, "ACTION_PROCESSES", 1, 1, 8)
    endpoints = Path(env.get("RASA_ENDPOINTS") or SQLITE_ENDPOINTS)
    if rasa_processes > 1 and endpoints.resolve() == SQLITE_ENDPOINTS.resolve():
        raise SettingsError(
            "several Rasa processes need a shared tracker store and lock store: set "
            "RASA_ENDPOINTS=bot/endpoints.production.yml (PostgreSQL + Redis, docs/deploy.md)"
        )
    listed = [u.strip().rstrip("/") for u in env.get("RASA_URLS", "").split(",") if u.strip()]
    single = (env.get("RASA_URL") or "").strip().rstrip("/")
    urls = listed or ([single] if single and rasa_processes == 1 else [
        f"http://127.0.0.1:{rasa_port + i}" for i in range(rasa_processes)])
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise SettingsError(f"RASA_URLS: {url!r} is not an http(s) URL")
    return {"rasa_processes": rasa_processes, "action_processes": action_processes,
            "rasa_urls": tuple(urls)}
