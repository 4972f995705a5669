"""The staff dashboard in a real browser (Debian's Chromium through Playwright).

A web app process is started on a free port with its own SQLite database: no Rasa, no
action server (the dashboard does not need them). The whole flow runs with JavaScript
switched off, as the dashboard must work without it; the accessibility check (axe-core)
and the screenshot `docs/staff-dashboard.png` use a second, ordinary context.

Run: .venv/bin/pytest tests/staff/test_dashboard_browser.py
(needs /usr/bin/chromium and node_modules/axe-core: `make test` installs both).
"""

from __future__ import annotations

import os
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright
from sqlalchemy import update

from bot.db import migrate
from bot.db.models import Escalation
from bot.db.repository import escalations
from bot.db.session import Session, configure
from bot.launcher import Service, free_port
from bot.settings import PROJECT_ROOT

from .conftest import ADMIN_PASSWORD, add_user

pytestmark = pytest.mark.e2e

CHROMIUM = Path(os.environ.get("KIOSK_TEST_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT = PROJECT_ROOT / "docs" / "staff-dashboard.png"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}

# (session, channel, category, priority, place, minutes waiting, what the person wrote)
CASES = [
    ("k-shelter-01", "kiosk", "ask_shelter", "normal", "Sosnowiec", 25,
     "Wychodzę w piątek. Gdzie jest noclegownia w Sosnowcu?"),
    ("t-crisis-01", "telegram", "crisis", "urgent", "Katowice", 4,
     "Nie mam gdzie spać i już nie daję rady."),
    ("k-documents-01", "kiosk", "ask_id_documents", "normal", None, 130,
     "Jak wyrobić dowód osobisty po wyjściu?"),
    ("t-money-01", "telegram", "ask_financial_aid", "normal", "Bytom", 26 * 60,
     "Czy MOPS da mi zasiłek, jak nie mam meldunku?"),
]


@dataclass(frozen=True)
class Running:
    base_url: str
    urgent_code: str
    order: list[str]  # display codes, in the order the queue must show them


@pytest.fixture
def web_app(tmp_path: Path) -> Iterator[Running]:
    """The web app alone, on a fresh database with an admin and four waiting escalations."""
    tmp = tmp_path
    url = f"sqlite:///{tmp / 'app.db'}"
    migrate.upgrade(url)
    engine = configure(url)
    now = datetime.now(UTC)
    made: list[tuple[int, str, str]] = []  # (minutes, priority, code)
    try:
        add_user("anna", "admin", ADMIN_PASSWORD)
        for session_id, channel, category, priority, place, minutes, text in CASES:
            case = escalations.create_escalation(
                channel=channel, session_id=session_id, sender_id=f"{channel}-{session_id}",
                category=category, priority=priority, place=place, gmina_teryt=None,
                transcript=[("user", text, now - timedelta(minutes=minutes, seconds=30)),
                            ("bot", "Przekazuję Twoje pytanie pracownikowi.",
                             now - timedelta(minutes=minutes))],
            )
            with Session.begin() as session:
                session.execute(update(Escalation).where(Escalation.id == case.id)
                                .values(created_at=now - timedelta(minutes=minutes)))
            made.append((minutes, priority, case.display_code))
    finally:
        engine.dispose()
    order = [code for _, _, code in sorted(made, key=lambda m: (m[1] != "urgent", -m[0]))]
    urgent = next(code for _, priority, code in made if priority == "urgent")

    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "VAR_DIR": str(tmp), "WEB_PORT": str(port),
           "RASA_URL": f"http://127.0.0.1:{free_port()}", "RASA_TOKEN": "unused",
           "PYTHONPATH": str(PROJECT_ROOT), "LOG_LEVEL": "INFO"}
    env.pop("STAFF_COOKIE_SECURE", None)  # the default (Secure) must work on 127.0.0.1
    service = Service(
        name="staff-web",
        command=[str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", "uvicorn",
                 "bot.web.app:create_app", "--factory", "--host", "127.0.0.1",
                 "--port", str(port)],
        health_url=f"http://127.0.0.1:{port}/healthz",
        env=env,
        ready_timeout=60,
        port=port,
        log_path=tmp / "web.log",
    )
    service.start()
    try:
        deadline = time.monotonic() + service.ready_timeout
        while not service.healthy():
            if service.exited() is not None or time.monotonic() > deadline:
                pytest.fail(f"the web app did not start:\n{service.log_tail()}")
            time.sleep(0.2)
        yield Running(f"http://127.0.0.1:{port}", urgent, order)
    finally:
        service.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps.sh as root "
                    "(make test does) to install Debian's chromium")
    driver: Playwright
    with sync_playwright() as driver:
        running = driver.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                         args=CHROMIUM_FLAGS)
        try:
            yield running
        finally:
            running.close()


@dataclass
class Watched:
    context: BrowserContext
    page: Page
    requests: list[str]
    console: list[str]
    errors: list[str]


@pytest.fixture
def open_context(browser: Browser) -> Iterator[Any]:
    """Opens browser contexts that record what their pages did; checks them afterwards."""
    opened: list[Watched] = []

    def make(**options: Any) -> Watched:
        context = browser.new_context(viewport=VIEWPORT, locale="pl-PL",
                                      timezone_id="Europe/Warsaw", **options)
        context.set_default_timeout(20_000)
        watched = Watched(context, context.new_page(), [], [], [])
        context.on("request", lambda request: watched.requests.append(request.url))
        watched.page.on("console", lambda message: watched.console.append(message.text))
        watched.page.on("pageerror", lambda exc: watched.errors.append(str(exc)))
        opened.append(watched)
        return watched

    yield make
    for watched in opened:
        watched.context.close()
        outside = [u for u in watched.requests
                   if urllib.parse.urlsplit(u).hostname not in ("127.0.0.1", None)]
        assert not outside, f"requests beyond 127.0.0.1: {outside}"
        assert not watched.errors, watched.errors
        blocked = [m for m in watched.console if "Content Security Policy" in m]
        assert not blocked, f"the Content-Security-Policy blocked something: {blocked}"


def log_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/staff/queue")
    expect(page).to_have_url(f"{base_url}/staff/login?next=/staff/queue")
    page.get_by_label("Nazwa użytkownika").fill("anna")
    page.get_by_label("Hasło").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Zaloguj").click()
    expect(page).to_have_url(f"{base_url}/staff/queue")


def serious_axe_violations(page: Page) -> list[dict[str, Any]]:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` in {PROJECT_ROOT} (make test does)")
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))  # DevTools evaluation: the CSP holds
    result: dict[str, Any] = page.evaluate(
        """async () => await axe.run(document, {
             runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                             'wcag22aa', 'best-practice']},
             resultTypes: ['violations']})"""
    )
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_the_whole_flow_works_without_javascript(web_app: Running, open_context: Any) -> None:
    watched = open_context(java_script_enabled=False)
    page = watched.page
    log_in(page, web_app.base_url)

    cookie = next(c for c in watched.context.cookies() if c["name"] == "staff_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/staff"

    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(len(CASES))
    assert rows.locator("a.code").all_inner_texts() == web_app.order
    expect(rows.first).to_have_class("urgent")
    expect(rows.first).to_contain_text("PILNA")
    expect(rows.first).to_contain_text("4 min")

    page.get_by_role("link", name=f"Otwórz sprawę {web_app.urgent_code}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(web_app.urgent_code)
    expect(page.locator(".transcript")).to_contain_text("już nie daję rady")
    page.get_by_role("button", name="Weź sprawę").click()
    expect(page.get_by_role("status")).to_have_text("Sprawa jest teraz Twoja.")

    reply = "Dzień dobry. Zadzwoń proszę pod 116 123.\n\nJutro rano napiszę jeszcze raz."
    page.get_by_label("Twoja odpowiedź").fill(reply)
    page.get_by_role("button", name="Podgląd").click()
    framed = f"Odpowiedź pracownika (sprawa {web_app.urgent_code}):\n\n{reply}"
    assert page.locator(".preview .bubble").text_content() == framed
    expect(page.locator(".preview")).to_contain_text("przyjdzie na Telegramie")
    page.get_by_role("button", name="Wyślij").click()
    expect(page.get_by_role("status")).to_contain_text("Odpowiedź zapisana")
    expect(page.locator(".msg.staff .text")).to_have_text(reply)
    expect(page.locator(".msg.staff")).to_contain_text("czeka na dostarczenie")

    page.get_by_role("button", name="Zamknij sprawę").click()
    expect(page.get_by_role("status")).to_have_text("Sprawa zamknięta.")
    page.get_by_role("link", name="← Wszystkie sprawy").click()
    expect(page.locator("table.queue tbody tr")).to_have_count(len(CASES) - 1)

    page.get_by_role("button", name="Wyloguj").click()
    expect(page.get_by_role("status")).to_have_text("Wylogowano.")
    page.goto(f"{web_app.base_url}/staff/queue")
    expect(page).to_have_url(f"{web_app.base_url}/staff/login?next=/staff/queue")


def test_pages_are_accessible_and_the_queue_is_photographed(web_app: Running,
                                                            open_context: Any) -> None:
    watched = open_context()
    page = watched.page
    page.goto(f"{web_app.base_url}/staff/login")
    assert serious_axe_violations(page) == []
    log_in(page, web_app.base_url)
    expect(page.locator("table.queue tbody tr").first).to_contain_text("PILNA")
    assert page.evaluate("document.documentElement.lang") == "pl"
    assert serious_axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000

    for path in ("/staff/admin/users", "/staff/admin/audit", "/staff/password"):
        page.goto(f"{web_app.base_url}{path}")
        assert serious_axe_violations(page) == [], path
    page.goto(f"{web_app.base_url}/staff/queue")
    page.locator("table.queue tbody tr").last.get_by_role("link", name="Otwórz").click()
    page.get_by_label("Twoja odpowiedź").fill("Proszę przyjść do MOPS w poniedziałek.")
    page.get_by_role("button", name="Podgląd").click()
    expect(page.locator(".preview")).to_be_visible()
    assert serious_axe_violations(page) == []
