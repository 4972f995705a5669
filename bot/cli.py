"""`drogowskaz`: the project's command line (runs in .venv)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.settings import SettingsError, load_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine


def _cmd_run(args: argparse.Namespace) -> int:
    from bot.launcher import Stack, run_forever

    # Migrate and seed (both idempotent) so a bare machine has a full directory.
    if _cmd_db_seed(args) != 0:
        return 1
    return run_forever(Stack(load_settings()))


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


def _cmd_db_seed(_args: argparse.Namespace) -> int:
    from bot.db import migrate
    from bot.db.repository import directory
    from bot.db.session import configure
    from bot.directory.seed import SeedError, seed_directory

    settings = load_settings()
    print(f"==> Database: {_safe_url(settings.database_url)}")
    migrate.upgrade(settings.database_url)
    engine = configure(settings.database_url)
    try:
        try:
            report = seed_directory()
        except (SeedError, directory.DirectoryError) as exc:
            print(f"drogowskaz: seeding failed; directory rows are unchanged: {exc}",
                  file=sys.stderr)
            return 1
        counts = directory.directory_counts()
    finally:
        engine.dispose()
    offices = report.offices
    state = "loaded" if report.territory_loaded else "already up to date"
    print(f"    TERYT register {state} ({report.territory_seconds:.1f} s): "
          f"{counts.voivodeships} voivodeships, {counts.powiats} powiats, "
          f"{counts.gminas} gminas, {counts.localities} localities")
    print(f"    directory ({report.offices_seconds:.1f} s): {offices.added} added, "
          f"{offices.updated} updated, {offices.removed} removed, {offices.unchanged} unchanged"
          + (f", {offices.kept_staff} kept as staff changed them" if offices.kept_staff else ""))
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.by_kind.items()))
    print(f"    {counts.offices} offices ({kinds}); {counts.with_hours} with opening hours, "
          f"{counts.with_coordinates} with coordinates")
    return 0


def _open_directory_db() -> Engine | None:
    """Bind the session to the configured database if it is at the newest schema."""
    from bot.db import migrate
    from bot.db.session import configure

    settings = load_settings()
    engine = configure(settings.database_url)
    current = migrate.current_revision(engine)
    if current != migrate.head_revision(settings.database_url):
        engine.dispose()
        print(f"drogowskaz: the database {_safe_url(settings.database_url)} is not at the "
              "newest schema: run `drogowskaz db seed` first", file=sys.stderr)
        return None
    return engine


def _cmd_import_csv(args: argparse.Namespace) -> int:
    from pathlib import Path

    from sqlalchemy.exc import SQLAlchemyError

    from bot.directory.transfer import import_csv

    path = Path(args.file)
    if not path.is_file():
        print(f"drogowskaz: {path}: no such file", file=sys.stderr)
        return 2
    engine = _open_directory_db()
    if engine is None:
        return 2
    try:
        outcome = import_csv(path, dry_run=args.check)
    except SQLAlchemyError as exc:
        print(f"drogowskaz: the database refused the import, nothing was written: "
              f"{type(exc).__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    if not outcome.ok:
        shown = outcome.problems[:100]
        for problem in shown:
            print(f"{path}: {problem}", file=sys.stderr)
        if len(outcome.problems) > len(shown):
            print(f"... and {len(outcome.problems) - len(shown)} more", file=sys.stderr)
        print(f"drogowskaz: {len(outcome.problems)} problem(s) in {path}; nothing was written.",
              file=sys.stderr)
        return 1
    if outcome.changes is None:
        print(f"{path}: {outcome.rows} rows, all valid (checked only, nothing written).")
        return 0
    changes = outcome.changes
    print(f"{path}: {outcome.rows} rows: {changes.added} added, {changes.updated} updated, "
          f"{changes.unchanged} unchanged.")
    return 0


def _cmd_export_csv(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.directory.transfer import export_csv, export_text

    engine = _open_directory_db()
    if engine is None:
        return 2
    try:
        if args.file == "-":
            text, count = export_text()
            sys.stdout.write(text)
            print(f"{count} rows exported.", file=sys.stderr)
        else:
            count = export_csv(Path(args.file))
            print(f"{args.file}: {count} rows exported.")
    finally:
        engine.dispose()
    return 0


def _cmd_place(args: argparse.Namespace) -> int:
    from bot.places.cli import place_command

    return place_command(" ".join(args.text))


def _cmd_telegram(_args: argparse.Namespace) -> int:
    import logging

    from bot.telegram.run import run

    settings = load_settings()
    logging.basicConfig(level=settings.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not settings.telegram_token:
        print("drogowskaz: TELEGRAM_TOKEN is not set, so the Telegram channel is off "
              "(see .env.example)", file=sys.stderr)
        return 2
    return run(settings)


def _read_new_password(username: str) -> str | None:
    """The new account's password: DROGOWSKAZ_PASSWORD, or typed twice (not echoed)."""
    import getpass
    import os

    from bot.web.staff.passwords import password_problem

    from_env = os.environ.get("DROGOWSKAZ_PASSWORD")
    if from_env is not None:
        password = from_env
    else:
        try:
            password = getpass.getpass(f"Hasło dla {username}: ")
            if getpass.getpass("Powtórz hasło: ") != password:
                print("drogowskaz: the two passwords differ; nothing was changed",
                      file=sys.stderr)
                return None
        except (EOFError, KeyboardInterrupt):
            print("\ndrogowskaz: no password given; nothing was changed", file=sys.stderr)
            return None
    problem = password_problem(password, username)
    if problem is not None:
        print(f"drogowskaz: {problem}", file=sys.stderr)
        return None
    return password


def _cmd_user_add(args: argparse.Namespace) -> int:
    from bot.db.repository import staff
    from bot.web.staff.passwords import hash_password

    problem = staff.username_problem(args.username)
    if problem is not None:
        print(f"drogowskaz: {problem}", file=sys.stderr)
        return 2
    engine = _open_directory_db()
    if engine is None:
        return 2
    try:
        password = _read_new_password(args.username)
        if password is None:
            return 1
        try:
            user = staff.add_user(args.username, hash_password(password), args.role,
                                  by="cli")
        except staff.StaffError as exc:
            print(f"drogowskaz: {exc}", file=sys.stderr)
            return 1
    finally:
        engine.dispose()
    print(f"Added {user.role} {user.username}. Sign in at /staff/login.")
    return 0


def _cmd_user_list(_args: argparse.Namespace) -> int:
    from bot.db.models import utcnow
    from bot.db.repository import staff

    engine = _open_directory_db()
    if engine is None:
        return 2
    try:
        users = staff.users()
    finally:
        engine.dispose()
    if not users:
        print("No staff accounts yet: add one with `drogowskaz user add NAME --role admin`.")
        return 0
    now = utcnow()
    print(f"{'username':<40} {'role':<6} {'state':<9} created")
    for user in users:
        state = ("disabled" if not user.active else "locked" if user.locked_at(now)
                 else "active")
        print(f"{user.username:<40} {user.role:<6} {state:<9} {user.created_at:%Y-%m-%d}")
    return 0


def _cmd_purge(_args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.db.repository import retention
    from bot.telegram.erase import erase_transcripts

    settings = load_settings()
    engine = _open_directory_db()
    if engine is None:
        return 2
    try:
        report = retention.purge(settings.retention_days)
    finally:
        engine.dispose()
    print(f"Deleted what is older than {settings.retention_days} days "
          f"(before {report.cutoff:%Y-%m-%d %H:%M} UTC): {report.conversations} conversations, "
          f"{report.escalations} closed escalations with {report.messages} messages; "
          f"{report.staff_sessions} expired staff sessions; {report.audit_entries} audit "
          f"entries older than {retention.AUDIT_RETENTION_DAYS} days.")
    tracker = settings.tracker_db
    if report.sender_ids and ("://" in tracker or Path(tracker).exists()):
        erased = erase_transcripts(tracker, report.sender_ids)
        print(f"Erased {erased} events of {len(report.sender_ids)} conversations from "
              "Rasa's tracker store.")
    return 0


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

    run = commands.add_parser(
        "run", help="migrate and seed the database, then start the action server, Rasa "
        "and the web app"
    )
    run.set_defaults(func=_cmd_run)

    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", metavar="DB_COMMAND", required=True)
    upgrade = db_commands.add_parser("upgrade", help="migrate the database to the newest schema")
    upgrade.add_argument("--revision", default="head", help="target revision (default: head)")
    upgrade.set_defaults(func=_cmd_db_upgrade)
    current = db_commands.add_parser("current", help="show the schema revision of the database")
    current.set_defaults(func=_cmd_db_current)
    seed = db_commands.add_parser(
        "seed",
        help="migrate, then load the TERYT register and the shipped directory "
        "(safe to repeat; never touches rows staff imported)",
    )
    seed.set_defaults(func=_cmd_db_seed)

    import_csv = commands.add_parser(
        "import-csv",
        help="add or update directory rows from a CSV file (matched by id); "
        "writes nothing if any row is invalid",
    )
    import_csv.add_argument("file", help="CSV in the directory format (see export-csv)")
    import_csv.add_argument("--check", action="store_true",
                            help="only check the file, write nothing")
    import_csv.set_defaults(func=_cmd_import_csv)
    export_csv = commands.add_parser(
        "export-csv", help="write the whole directory as CSV (the import-csv format)"
    )
    export_csv.add_argument("file", help="output file, or - for standard output")
    export_csv.set_defaults(func=_cmd_export_csv)

    place = commands.add_parser(
        "place",
        help="which locality and gmina a place name means (JSON); exit 0 found, "
        "2 ambiguous, 1 unknown",
    )
    place.add_argument("text", nargs="+", help='place name as typed, e.g. "w Sosnowcu"')
    place.set_defaults(func=_cmd_place)

    telegram = commands.add_parser(
        "telegram",
        help="run the Telegram channel (needs TELEGRAM_TOKEN; long polling, or a webhook "
        "when TELEGRAM_WEBHOOK_URL is set)",
    )
    telegram.set_defaults(func=_cmd_telegram)

    user = commands.add_parser("user", help="staff accounts of the dashboard (/staff)")
    user_commands = user.add_subparsers(dest="user_command", metavar="USER_COMMAND",
                                        required=True)
    user_add = user_commands.add_parser(
        "add",
        help="add a staff account; the password is typed twice, or read from "
        "DROGOWSKAZ_PASSWORD (at least 10 characters)",
    )
    user_add.add_argument("username", help="3-40 characters: a-z, 0-9, '.', '_', '-'")
    user_add.add_argument("--role", choices=("admin", "staff"), required=True,
                          help="admin: also accounts, audit log and directory; "
                          "staff: escalations only")
    user_add.set_defaults(func=_cmd_user_add)
    user_list = user_commands.add_parser("list", help="list the staff accounts")
    user_list.set_defaults(func=_cmd_user_list)

    purge = commands.add_parser(
        "purge",
        help="delete conversation records and closed escalations older than RETENTION_DAYS, "
        "expired staff sessions and audit entries older than a year (make run does it daily)",
    )
    purge.set_defaults(func=_cmd_purge)
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
