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
