"""A member of staff in the dashboard, through real HTTP with cookies and CSRF tokens
(tests only). Users are created with the real CLI, as an administrator would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid

import httpx

from bot.launcher import Stack, service_env
from bot.settings import PROJECT_ROOT

CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')
PASSWORD = "correct-horse-battery-7"


def add_user(stack: Stack, role: str = "staff") -> str:
    """`drogowskaz user add` against the stack's database; returns the new username."""
    username = f"{role}{uuid.uuid4().hex[:8]}"
    env = {**service_env(stack.settings), "DROGOWSKAZ_PASSWORD": PASSWORD}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "user", "add", username, "--role", role],
        cwd=PROJECT_ROOT, env={**os.environ, **env}, capture_output=True, text=True,
        timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return username


class StaffBrowser:
    def __init__(self, stack: Stack) -> None:
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{stack.settings.web_port}",
                                   timeout=30, follow_redirects=True)

    def close(self) -> None:
        self.client.close()

    def csrf(self, page: str) -> str:
        found = CSRF_RE.search(self.client.get(page).text)
        assert found, f"no CSRF token on {page}"
        return found.group(1)

    def login(self, username: str, password: str = PASSWORD) -> httpx.Response:
        token = self.csrf("/staff/login")
        response = self.client.post("/staff/login", data={
            "csrf": token, "username": username, "password": password, "next": "/staff/queue"})
        assert response.status_code == 200, response.text[:500]
        return response

    def post(self, path: str, **data: str) -> httpx.Response:
        token = self.csrf("/staff/queue")
        return self.client.post(path, data={"csrf": token, **data})

    def answer(self, escalation_id: int, text: str) -> None:
        """Claim, preview, send: what a person does in the dashboard."""
        assert self.post(f"/staff/escalations/{escalation_id}/claim").status_code == 200
        preview = self.post(f"/staff/escalations/{escalation_id}/reply", text=text,
                            action="preview")
        assert preview.status_code == 200 and "Podgląd" in preview.text
        sent = self.post(f"/staff/escalations/{escalation_id}/reply", text=text, action="send")
        assert sent.status_code == 200, sent.text[:500]
