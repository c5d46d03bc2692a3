"""The ``board`` command: serve, demo, db upgrade."""

from __future__ import annotations

import argparse
import sys

from board.errors import ConfigError
from board.settings import Settings


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from board.app import create_app
    from board.db.migrate import current_revision, head_revision
    from board.serving import uvicorn_config

    if current_revision(settings.database_url) != head_revision():
        print(f"The database at {settings.database_url} is not up to date. Run: board db upgrade", file=sys.stderr)
        return 2
    app = create_app(settings)
    uvicorn.Server(uvicorn_config(app, args.host or settings.host, args.port or settings.port)).run()
    return 0


def _db_upgrade(_args: argparse.Namespace, settings: Settings) -> int:
    from board.db.migrate import current_revision, head_revision, upgrade

    before = current_revision(settings.database_url)
    print(f"Database: {settings.database_url}")
    print(f"Schema version now: {before or 'empty'}; target: {head_revision()}")
    upgrade(settings.database_url)
    print(f"Done. Schema version: {current_revision(settings.database_url)}")
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
    serve.set_defaults(run=_serve)
    demo = sub.add_parser("demo", help="a lively demo shop on a fresh SQLite database, no other service needed")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--dir", default="board-demo", help="folder for the demo database (wiped on start)")
    demo.add_argument("--start", default="10:30", help="simulated shop time to start at (HH:MM)")
    demo.add_argument("--speed", type=float, default=30.0, help="simulated seconds per real second")
    demo.add_argument("--no-sim", action="store_true", help="seed the shop but do not move the day forward")
    demo.set_defaults(run=_demo)
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply the schema migrations")
    up.set_defaults(run=_db_upgrade)
    return p


def main(argv: list[str] | None = None) -> int:
    from board.logs import configure

    args = parser().parse_args(argv)
    configure()
    try:
        settings = Settings.from_env()
        return int(args.run(args, settings))
    except ConfigError as exc:
        print(f"board: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
