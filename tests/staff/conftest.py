"""Fixtures of the staff dashboard tests: accounts, escalations, and the web app in-process
with a cookie-keeping client (SQLite always, PostgreSQL with TEST_DATABASE_URL).

The chat API needs Rasa; /staff does not, so nothing here starts Rasa.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from bot.db.repository import escalations, staff
from bot.db.repository.escalations import EscalationView
from bot.db.repository.staff import UserView
from bot.launcher import free_port
from bot.settings import Settings, load_settings
from bot.web.app import create_app
from bot.web.staff.passwords import hash_password

ADMIN_PASSWORD = "admin-haslo-do-testow"
STAFF_PASSWORD = "staff-haslo-do-testow"
MAX_FAILURES = 3
_CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


@cache
def password_hash(password: str) -> str:
    """Hashing takes ~0.1 s; tests reuse one hash per password."""
    return hash_password(password)


def add_user(username: str, role: str = "staff", password: str = STAFF_PASSWORD,
             now: datetime | None = None) -> UserView:
    return staff.add_user(username, password_hash(password), role, by="test", now=now)


def escalate(
    session_id: str,
    *,
    priority: str = "normal",
    channel: str = "kiosk",
    category: str = "ask_shelter",
    lines: Sequence[tuple[str, str]] = (("user", "Gdzie mogę dziś spać?"),),
    at: datetime | None = None,
    place: str | None = "Sosnowiec",
) -> EscalationView:
    moment = at or datetime.now(UTC)
    transcript = [(author, text, moment - timedelta(seconds=len(lines) - i))
                  for i, (author, text) in enumerate(lines)]
    return escalations.create_escalation(
        channel=channel, session_id=session_id, sender_id=f"{channel}-{session_id}",
        category=category, priority=priority, place=place, gmina_teryt=None,
        transcript=transcript,
    )


def csrf_of(html: str) -> str:
    match = _CSRF_RE.search(html)
    assert match is not None, "the page has no CSRF field"
    return match.group(1)


@dataclass
class Dashboard:
    """A browser-like client of the app: keeps cookies, fills the CSRF field like a form."""

    client: TestClient
    settings: Settings

    def get(self, path: str) -> Response:
        return self.client.get(path, follow_redirects=False)

    def login(self, username: str, password: str) -> Response:
        form = self.client.get("/staff/login")
        assert form.status_code == 200, form.text
        return self.client.post(
            "/staff/login",
            data={"csrf": csrf_of(form.text), "username": username, "password": password},
            follow_redirects=False,
        )

    def login_ok(self, username: str, password: str) -> None:
        response = self.login(username, password)
        assert response.status_code == 303, response.text
        assert response.headers["location"] == "/staff/queue"

    def post(self, path: str, data: dict[str, str] | None = None, *,
             from_page: str = "/staff/queue", csrf: str | None = None) -> Response:
        """Submit a form as a browser would: with the CSRF token of the page it is on."""
        token = csrf if csrf is not None else csrf_of(self.client.get(from_page).text)
        return self.client.post(path, data={"csrf": token, **(data or {})},
                                follow_redirects=False)


def app_settings(database_url: str, **env: str) -> Settings:
    return load_settings({
        "DATABASE_URL": database_url,
        "RASA_URL": f"http://127.0.0.1:{free_port()}",
        "RASA_TOKEN": "test-token",
        # httpx does not send Secure cookies over http://testserver
        "STAFF_COOKIE_SECURE": "false",
        "LOGIN_MAX_FAILURES": str(MAX_FAILURES),
        "LOGIN_LOCK_MINUTES": "15",
        **env,
    })


@pytest.fixture
def dashboard(migrated_db: Engine, database_url: str) -> Iterator[Dashboard]:
    """The whole web app on a migrated database (each backend), with an admin `anna` and a
    staff member `jan`."""
    settings = app_settings(database_url)
    with TestClient(create_app(settings)) as client:
        add_user("anna", "admin", ADMIN_PASSWORD)
        add_user("jan", "staff", STAFF_PASSWORD)
        yield Dashboard(client, settings)


@pytest.fixture
def other_browser(dashboard: Dashboard) -> Iterator[Dashboard]:
    """A second browser (its own cookies) on the same, already started app."""
    client = TestClient(dashboard.client.app)
    try:
        yield Dashboard(client, dashboard.settings)
    finally:
        client.close()
