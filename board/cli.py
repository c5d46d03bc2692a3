"""The ``board`` command: serve, demo, report, users, tokens, db upgrade."""

from __future__ import annotations

import argparse
import sys

from board.cli_access import add_commands as add_access_commands
from board.errors import ConfigError
from board.settings import Settings


def schema_problem(url: str) -> str | None:
    """Why the commands cannot work on this database, in one sentence with what to run; None if they can."""
    from pathlib import Path

    from sqlalchemy.exc import SQLAlchemyError

    from board.db.migrate import current_revision, head_revision, known_revision

    demo = "the demo's database is ./board-demo/board.db: put BOARD_DATABASE_URL=sqlite:///board-demo/board.db before the command"
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return f"There is no database at {url} yet. Run: board db upgrade (or, for the demo, {demo})."
    try:
        current = current_revision(url)
    except SQLAlchemyError as exc:
        return f"Cannot reach the database at {url} ({type(exc.__cause__ or exc).__name__}). Check BOARD_DATABASE_URL."
    if current is not None and not known_revision(current):
        return (f"The database at {url} was upgraded by a newer version of board (schema {current}). "
                "Run that version, or restore the backup taken before its upgrade.")
    if current != head_revision():
        where = f"The database at {url} is {'empty' if current is None else 'from an older version of board'}"
        return f"{where}. Run: board db upgrade" + (f" (or, for the demo, {demo})." if current is None else ".")
    return None


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from board.app import create_app
    from board.serving import uvicorn_config

    app = create_app(settings)
    uvicorn.Server(uvicorn_config(app, args.host or settings.host, args.port or settings.port, settings)).run()
    return 0


def _db_upgrade(_args: argparse.Namespace, settings: Settings) -> int:
    import logging

    from board.db.migrate import current_revision, head_revision, upgrade

    logging.getLogger("alembic.runtime.migration").setLevel(logging.INFO)  # each step as it runs
    before = current_revision(settings.database_url)
    print(f"Database: {settings.database_url}")
    print(f"Schema version now: {before or 'empty'}; target: {head_revision()}")
    upgrade(settings.database_url)
    print(f"Done. Schema version: {current_revision(settings.database_url)}")
    return 0


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import date
    from pathlib import Path

    from sqlalchemy import select

    from board.clock import SystemClock
    from board.db.models import Shop
    from board.db.session import Database
    from board.reports import kpis, present, standards
    from board.services import reports, targets
    from board.unit import UnitOfWork

    try:
        day = date.fromisoformat(args.day)
    except ValueError:
        print(f"board: --day must be a date like 2026-11-23, not {args.day!r}", file=sys.stderr)
        return 2
    db = Database.from_settings(settings)
    with db.transaction() as session:
        codes = list(session.scalars(select(Shop.code).order_by(Shop.id)))
    code = args.shop or (codes[0] if len(codes) == 1 else None)
    if code not in codes:
        print(f"board: say which shop with --shop (there are: {', '.join(codes) or 'none'})", file=sys.stderr)
        return 2
    print(f"Reading the event log of {code} for {day} ...", flush=True)
    with UnitOfWork(db, settings, SystemClock()).shop(code, "board report", write=False) as ctx:
        summary = reports.day_summary(ctx, day)
        verdicts = standards.verdicts(summary.as_dict(), targets.current(ctx))
        name = ctx.shop.name
    print("\n".join(present.terminal_lines(summary, name, verdicts)))
    target = Path(args.csv or f"board-{code}-{day.isoformat()}.csv")
    target.write_text(kpis.csv_text([summary]), encoding="utf-8")
    print(f"\nCSV written: {target}")
    db.dispose()
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from board.demo.run import run_demo

    return run_demo(settings, args)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="board", description="Workshop kanban and dispatch board for a car dealer's service department.")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the board server (settings from BOARD_* variables)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(run=_serve, needs_schema=True)
    demo = sub.add_parser("demo", help="a lively demo shop on a fresh SQLite database, no other service needed")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--dir", default="board-demo", help="folder for the demo database (wiped on start)")
    demo.add_argument("--start", default="10:30", help="simulated shop time to start at (HH:MM)")
    demo.add_argument("--speed", type=float, default=30.0, help="simulated seconds per real second")
    demo.add_argument("--no-sim", action="store_true", help="seed the shop but do not move the day forward")
    demo.add_argument("-v", "--verbose", action="store_true", help="log everything (database migrations, the simulator's moves)")
    demo.set_defaults(run=_demo)
    report = sub.add_parser("report", help="the daily summary of a shop day, printed and written as CSV")
    report.add_argument("--day", required=True, help="the shop day, YYYY-MM-DD")
    report.add_argument("--shop", help="shop code (needed when there are several)")
    report.add_argument("--csv", help="where to write the CSV (default board-<shop>-<day>.csv)")
    report.set_defaults(run=_report, needs_schema=True)
    add_access_commands(sub)
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply the schema migrations")
    up.set_defaults(run=_db_upgrade)
    return p


def main(argv: list[str] | None = None) -> int:
    from board.logs import configure

    args = parser().parse_args(argv)
    # The demo talks to a newcomer: its own progress lines, and warnings; --verbose for the rest.
    configure("INFO" if args.command != "demo" or args.verbose else "WARNING")
    try:
        settings = Settings.from_env()
        if getattr(args, "needs_schema", False):
            problem = schema_problem(settings.database_url)
            if problem is not None:
                print(f"board: {problem}", file=sys.stderr)
                return 2
        return int(args.run(args, settings))
    except ConfigError as exc:
        print(f"board: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
