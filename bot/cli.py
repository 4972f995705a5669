"""`drogowskaz`: the project's command line (runs in .venv)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.settings import SettingsError, load_settings


def _cmd_run(_args: argparse.Namespace) -> int:
    from bot.db import migrate
    from bot.launcher import Stack, run_forever

    settings = load_settings()
    print(f"==> Database: {_safe_url(settings.database_url)}")
    migrate.upgrade(settings.database_url)
    print("    migrated to the newest schema")
    return run_forever(Stack(settings))


def _cmd_db_upgrade(args: argparse.Namespace) -> int:
    from bot.db import migrate

    settings = load_settings()
    migrate.upgrade(settings.database_url, args.revision)
    print(f"Database {_safe_url(settings.database_url)} is at revision {args.revision}.")
    return 0


def _cmd_db_current(_args: argparse.Namespace) -> int:
    from bot.db import migrate
    from bot.db.session import make_engine

    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        current = migrate.current_revision(engine)
    finally:
        engine.dispose()
    head = migrate.head_revision(settings.database_url)
    state = "up to date" if current == head else f"behind (newest is {head})"
    print(f"{_safe_url(settings.database_url)}: revision {current or 'none'}, {state}")
    return 0 if current == head else 1


def _cmd_place(args: argparse.Namespace) -> int:
    from bot.places.cli import place_command

    return place_command(" ".join(args.text))


def _safe_url(url: str) -> str:
    """The database URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="drogowskaz",
        description="Drogowskaz: an assistant for people leaving prison. "
        "Configuration comes from environment variables (see .env.example).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = commands.add_parser("run", help="start the action server, Rasa and the web app")
    run.set_defaults(func=_cmd_run)

    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", metavar="DB_COMMAND", required=True)
    upgrade = db_commands.add_parser("upgrade", help="migrate the database to the newest schema")
    upgrade.add_argument("--revision", default="head", help="target revision (default: head)")
    upgrade.set_defaults(func=_cmd_db_upgrade)
    current = db_commands.add_parser("current", help="show the schema revision of the database")
    current.set_defaults(func=_cmd_db_current)

    place = commands.add_parser(
        "place",
        help="which locality and gmina a place name means (JSON); exit 0 found, "
        "2 ambiguous, 1 unknown",
    )
    place.add_argument("text", nargs="+", help='place name as typed, e.g. "w Sosnowcu"')
    place.set_defaults(func=_cmd_place)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except SettingsError as exc:
        print(f"drogowskaz: configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
