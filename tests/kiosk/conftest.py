"""Browser fixtures for the kiosk: Debian's Chromium driven by Playwright, against the real stack.

- `browser`: one headless Chromium (/usr/bin/chromium, never a downloaded browser) for the
  session; every test gets a fresh context (a fresh, empty profile: no cookies, no storage).
- `kiosk`: a 1280x800 page on the stack's web app. Every request the page makes is
  recorded, and the test fails if one leaves 127.0.0.1 or the page throws.
- `short_idle_app` and `down_app`: extra web app processes on free ports, with short idle
  times, or pointed at a closed Rasa port (the assistant is down).
"""

from __future__ import annotations

import os
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request, sync_playwright

from bot.launcher import Service, Stack, free_port, service_env
from bot.settings import PROJECT_ROOT

CHROMIUM = Path(os.environ.get("KIOSK_TEST_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
DOCS = PROJECT_ROOT / "docs"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
LOCAL_HOSTS = {"127.0.0.1"}


@dataclass
class Kiosk:
    """A kiosk page and everything it did."""

    page: Page
    base_url: str
    requests: list[Request] = field(default_factory=list)
    console: list[ConsoleMessage] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self) -> None:
        self.page.goto(f"{self.base_url}/kiosk")
        self.page.wait_for_selector("#keyboard .key")

    def chat_bodies(self) -> list[dict[str, Any]]:
        """JSON bodies of every POST /api/chat so far."""
        bodies = [r.post_data_json for r in self.requests
                  if r.method == "POST" and r.url.endswith("/api/chat")]
        return [b for b in bodies if isinstance(b, dict)]


# Module scope, not session: Playwright's sync API keeps its event loop marked as running
# in this thread until it stops, which would break asyncio tests that run after it.
@pytest.fixture(scope="module")
def playwright_driver() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps.sh as root "
                    "(make test does) to install Debian's chromium")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    # launch() gives every run a fresh, empty --user-data-dir of its own
    running = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
    )
    try:
        yield running
    finally:
        running.close()


def new_kiosk(browser: Browser, base_url: str, **context_options: Any) -> Iterator[Kiosk]:
    context = browser.new_context(
        viewport=context_options.pop("viewport", VIEWPORT),
        locale="pl-PL",
        timezone_id="Europe/Warsaw",
        service_workers="block",
        **context_options,
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    kiosk = Kiosk(page=page, base_url=base_url)
    context.on("request", lambda request: kiosk.requests.append(request))
    page.on("console", lambda message: kiosk.console.append(message))
    page.on("pageerror", lambda exc: kiosk.errors.append(str(exc)))
    try:
        yield kiosk
    finally:
        context.close()
    outside = [r.url for r in kiosk.requests if not is_local(r.url)]
    assert not outside, f"the kiosk made requests beyond 127.0.0.1: {outside}"
    assert not kiosk.errors, f"uncaught errors in the page: {kiosk.errors}"
    blocked = [m.text for m in kiosk.console if "Content Security Policy" in m.text]
    assert not blocked, f"the Content-Security-Policy blocked something: {blocked}"


def is_local(url: str) -> bool:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme in ("blob", "data"):
        inner = urllib.parse.urlsplit(parsed.path) if parsed.scheme == "blob" else None
        return inner is None or inner.hostname in LOCAL_HOSTS
    return parsed.scheme in ("http", "ws") and parsed.hostname in LOCAL_HOSTS


def base_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def kiosk(browser: Browser, stack: Stack) -> Iterator[Kiosk]:
    yield from new_kiosk(browser, base_url(stack.settings.web_port))


@pytest.fixture
def kiosk_factory(browser: Browser) -> Iterator[Callable[..., Kiosk]]:
    """Opens more kiosk pages (other web apps, other screen sizes); closes them after."""
    opened: list[Iterator[Kiosk]] = []

    def make(url: str, **options: Any) -> Kiosk:
        generator = new_kiosk(browser, url, **options)
        opened.append(generator)
        return next(generator)

    yield make
    for generator in reversed(opened):
        with pytest.raises(StopIteration):
            next(generator)


def start_web_app(stack: Stack, tmp: Path, name: str, **env: str) -> Iterator[str]:
    """Another web app process on a free port, with the stack's settings plus `env`."""
    port = free_port()
    service = Service(
        name=name,
        command=[str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", "uvicorn",
                 "bot.web.app:create_app", "--factory", "--host", "127.0.0.1",
                 "--port", str(port), "--log-level", "info"],
        health_url=f"{base_url(port)}/healthz",
        env={**service_env(stack.settings), "WEB_PORT": str(port), **env},
        ready_timeout=60,
        port=port,
        log_path=tmp / f"{name}.log",
    )
    service.start()
    try:
        deadline = time.monotonic() + service.ready_timeout
        while not service.healthy():
            if service.exited() is not None or time.monotonic() > deadline:
                pytest.fail(f"{name} did not start:\n{service.log_tail()}")
            time.sleep(0.2)
        yield base_url(port)
    finally:
        service.stop()


@pytest.fixture(scope="session")
def seeded_stack(stack: Stack) -> Stack:
    """The stack with the shipped directory in its database (the shared fixture seeds it)."""
    return stack


IDLE_SECONDS = 2
COUNTDOWN_SECONDS = 3


@pytest.fixture(scope="session")
def short_idle_app(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web app with KIOSK_IDLE_SECONDS=2 and KIOSK_COUNTDOWN_SECONDS=3."""
    yield from start_web_app(
        stack, tmp_path_factory.mktemp("short-idle"), "short-idle-web",
        KIOSK_IDLE_SECONDS=str(IDLE_SECONDS), KIOSK_COUNTDOWN_SECONDS=str(COUNTDOWN_SECONDS),
    )


@pytest.fixture(scope="session")
def down_app(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web app pointed at a Rasa port where nothing listens: the assistant is down."""
    closed = free_port()
    yield from start_web_app(
        stack, tmp_path_factory.mktemp("down"), "down-web",
        RASA_URL=f"http://127.0.0.1:{closed}", RASA_PORT=str(closed), RASA_TIMEOUT="3",
    )


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` in {PROJECT_ROOT} (make test does)")
    return AXE_JS.read_text(encoding="utf-8")
