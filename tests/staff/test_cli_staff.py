"""`drogowskaz user add|list` and `drogowskaz purge`, run as an administrator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text, update

from bot.db import migrate
from bot.db.models import Escalation
from bot.db.repository import conversations, escalations
from bot.db.session import Session, configure
from bot.web.staff.passwords import verify_password

from .conftest import add_user, escalate

DROGOWSKAZ = Path(sys.executable).parent / "drogowskaz"


def run(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DROGOWSKAZ), *args], capture_output=True, text=True, timeout=60, input=stdin,
        env={**os.environ, **env},
    )


def test_user_add_and_list(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    migrate.upgrade(url)
    env = {"DATABASE_URL": url, "DROGOWSKAZ_PASSWORD": "ciepla-herbata-7"}
    empty = run("user", "list", env=env)
    assert empty.returncode == 0 and "No staff accounts yet" in empty.stdout

    added = run("user", "add", "admin", "--role", "admin", env=env)
    assert added.returncode == 0, added.stderr
    assert "Added admin admin" in added.stdout
    assert "ciepla-herbata-7" not in added.stdout + added.stderr
    again = run("user", "add", "admin", "--role", "staff", env=env)
    assert again.returncode == 1 and "już istnieje" in again.stderr
    weak = run("user", "add", "ola", "--role", "staff", env={**env, "DROGOWSKAZ_PASSWORD": "x"})
    assert weak.returncode == 1 and "co najmniej 10 znaków" in weak.stderr
    bad_name = run("user", "add", "Ola Nowak", "--role", "staff", env=env)
    assert bad_name.returncode == 2 and "od 3 do 40 znaków" in bad_name.stderr
    no_role = run("user", "add", "ola", env=env)
    assert no_role.returncode == 2 and "--role" in no_role.stderr
    run("user", "add", "ola", "--role", "staff", env={**env, "DROGOWSKAZ_PASSWORD":
                                                      "haslo-dla-oli-1"})

    listed = run("user", "list", env=env)
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[1].split()[:3] == ["admin", "admin", "active"]
    assert lines[2].split()[:3] == ["ola", "staff", "active"]

    engine = create_engine(url)
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT password_hash FROM staff_user WHERE username = 'admin'")).scalar_one()
    engine.dispose()
    assert verify_password(stored, "ciepla-herbata-7")


def test_without_the_variable_the_password_is_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    migrate.upgrade(url)
    env = {"DATABASE_URL": url}
    monkeypatch.delenv("DROGOWSKAZ_PASSWORD", raising=False)
    # getpass falls back to standard input when there is no terminal
    differ = run("user", "add", "ewa", "--role", "staff", env=env,
                 stdin="haslo-ewy-123\ninne-haslo-123\n")
    assert differ.returncode == 1 and "differ" in differ.stderr
    same = run("user", "add", "ewa", "--role", "staff", env=env,
               stdin="haslo-ewy-123\nhaslo-ewy-123\n")
    assert same.returncode == 0, same.stderr


def test_user_commands_need_a_migrated_database(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}", "DROGOWSKAZ_PASSWORD":
           "ciepla-herbata-7"}
    result = run("user", "add", "admin", "--role", "admin", env=env)
    assert result.returncode == 2 and "newest schema" in result.stderr
    assert "Traceback" not in result.stderr


def test_purge_prints_what_it_deleted_and_erases_rasa_transcripts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'purge.db'}"
    tracker = tmp_path / "tracker.db"
    migrate.upgrade(url)
    engine = configure(url)
    try:
        long_ago = datetime.now(UTC) - timedelta(days=40)
        conversations.record_turn("kiosk", "old000001", now=long_ago)
        conversations.record_turn("kiosk", "new000001")
        jan = add_user("jan")
        case = escalate("old000001")
        escalations.close(case.id, jan.id)
        with Session.begin() as session:
            session.execute(update(Escalation).where(Escalation.id == case.id)
                            .values(closed_at=long_ago))
    finally:
        engine.dispose()
    events = create_engine(f"sqlite:///{tracker}")
    with events.begin() as connection:
        connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT)"))
        connection.execute(text("INSERT INTO events (sender_id) VALUES "
                                "('kiosk-old000001'), ('kiosk-old000001'), ('kiosk-new000001')"))

    result = run("purge", env={"DATABASE_URL": url, "RETENTION_DAYS": "30",
                               "TRACKER_DB": str(tracker)})
    assert result.returncode == 0, result.stderr
    assert "older than 30 days" in result.stdout
    assert "1 conversations, 1 closed escalations with 1 messages" in result.stdout
    assert "Erased 2 events of 1 conversations" in result.stdout
    with events.connect() as connection:
        left = connection.execute(text("SELECT sender_id FROM events")).scalars().all()
    events.dispose()
    assert left == ["kiosk-new000001"]

    quiet = run("purge", env={"DATABASE_URL": url, "RETENTION_DAYS": "30",
                              "TRACKER_DB": str(tracker)})
    assert quiet.returncode == 0 and "0 conversations" in quiet.stdout
    bad = run("purge", env={"DATABASE_URL": url, "RETENTION_DAYS": "0"})
    assert bad.returncode == 2 and "RETENTION_DAYS" in bad.stderr
