"""``board users ...`` and ``board tokens ...``: the admin's accounts and kiosk/camera tokens from a shell."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable

from sqlalchemy import select

from board import commands
from board.auth.passwords import MIN_LENGTH, hash_password
from board.auth.roles import DISPLAY_BOARDS, Role
from board.clock import SystemClock
from board.db.models import Shop, User
from board.db.session import Database
from board.errors import BoardError
from board.services import cameras, login_sessions, tokens, users
from board.settings import Settings
from board.unit import UnitOfWork

ACTOR = f"cli:{os.environ.get('USER', 'admin')}"[:60]


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("board: the two passwords differ; nothing changed", file=sys.stderr)
            return None
    if len(password) < MIN_LENGTH:
        print(f"board: a password needs at least {MIN_LENGTH} characters; nothing changed", file=sys.stderr)
        return None
    return password


def _users_add(args: argparse.Namespace, settings: Settings) -> int:
    password = _password(args)
    if password is None:
        return 2
    db = Database.from_settings(settings)
    with db.transaction(write=True) as session:
        shop_id = None
        if args.shop:
            shop_id = session.scalar(select(Shop.id).where(Shop.code == args.shop))
            if shop_id is None:
                print(f"board: there is no shop {args.shop!r}", file=sys.stderr)
                return 2
        user = users.create(session, SystemClock().now(), args.username, args.name or args.username, Role(args.role), password,
                            shop_id, args.technician_id, args.advisor_id)
        where = f"shop {args.shop}" if user.shop_id else "every shop"
        print(f"Added {user.username} ({user.role.value}, {where}).")
    return 0


def _users_list(_args: argparse.Namespace, settings: Settings) -> int:
    db = Database.from_settings(settings)
    with db.transaction(write=True) as session:
        codes = {shop_id: code for shop_id, code in session.execute(select(Shop.id, Shop.code)).all()}
        for u in session.scalars(select(User).order_by(User.id)):
            shop = codes[u.shop_id] if u.shop_id else "(all shops)"
            print(f"{u.id:>4}  {u.username:<20} {u.role.value:<11} {shop:<12} {'active' if u.active else 'disabled'}  {u.name}")
    return 0


def _users_change(args: argparse.Namespace, settings: Settings, change: Callable[[User], str]) -> int:
    db = Database.from_settings(settings)
    with db.transaction(write=True) as session:
        user = session.scalar(select(User).where(User.username == args.username))
        if user is None:
            print(f"board: there is no user {args.username!r}", file=sys.stderr)
            return 2
        print(change(user))
        login_sessions.end_all(session, user.id)  # every change here signs the person out everywhere
    return 0


def _users_disable(args: argparse.Namespace, settings: Settings) -> int:
    def disable(user: User) -> str:
        user.active = False
        return f"{user.username} is disabled and signed out everywhere."
    return _users_change(args, settings, disable)


def _users_password(args: argparse.Namespace, settings: Settings) -> int:
    password = _password(args)
    if password is None:
        return 2

    def set_password(user: User) -> str:
        user.password_hash = hash_password(password)  # a disabled account stays disabled: that is a separate decision
        state = "" if user.active else " The account is still disabled."
        return f"{user.username} has a new password and is signed out everywhere.{state}"
    return _users_change(args, settings, set_password)


def _shop_work(settings: Settings) -> UnitOfWork:
    return UnitOfWork(Database.from_settings(settings), settings, SystemClock())


def _tokens_add(args: argparse.Namespace, settings: Settings) -> int:
    with _shop_work(settings).shop(args.shop, ACTOR) as ctx:
        row, token = tokens.add_display_token(ctx, commands.DisplayTokenIn(board=args.board, name=args.name, masked=args.masked))
        plates = "plates masked" if row.masked else "full plates: hang it where only staff see it"
        print(f"Display token {row.id} for the {row.board} board of {args.shop} ({row.name}, {plates}). It is shown only now:")
        print(f"  {token}")
        print(f"Open on the screen: /shops/{args.shop}/{row.board}?kiosk=1&token={token}")
    return 0


def _tokens_camera(args: argparse.Namespace, settings: Settings) -> int:
    with _shop_work(settings).shop(args.shop, ACTOR) as ctx:
        camera, token = cameras.add_camera(ctx, commands.CameraIn(name=args.name, min_confidence=args.min_confidence))
        print(f"Camera {camera.id} ({camera.name}) of {args.shop}. Its token is shown only now:")
        print(f"  {token}")
        print("The camera sends it as: Authorization: Bearer <token>, to POST /api/camera/reads")
    return 0


def _tokens_list(args: argparse.Namespace, settings: Settings) -> int:
    with _shop_work(settings).shop(args.shop, ACTOR) as ctx:
        listed = tokens.list_tokens(ctx)
    for d in listed["displays"]:
        state = f"revoked {d['revoked_at']}" if d["revoked_at"] else "valid"
        plates = "masked" if d["masked"] else "full plates"
        print(f"display {d['id']:>4}  {d['board']:<10} {d['name']:<24} {plates:<12} {state}")
    for c in listed["cameras"]:
        print(f"camera  {c['id']:>4}  {'gate':<10} {c['name']:<24} {'valid' if c['active'] else 'revoked'}")
    return 0


def _tokens_revoke(args: argparse.Namespace, settings: Settings) -> int:
    with _shop_work(settings).shop(args.shop, ACTOR) as ctx:
        if args.camera:
            tokens.revoke_camera(ctx, args.id)
            print(f"Camera {args.id}'s token is revoked: its next read is refused.")
        else:
            tokens.revoke_display_token(ctx, args.id)
            print(f"Display token {args.id} is revoked: its screen is closed within one heartbeat ({settings.heartbeat_s:.0f} s).")
    return 0


def _guarded(run: Callable[[argparse.Namespace, Settings], int]) -> Callable[[argparse.Namespace, Settings], int]:
    def wrapped(args: argparse.Namespace, settings: Settings) -> int:
        try:
            return run(args, settings)
        except BoardError as exc:
            print(f"board: {exc.message}", file=sys.stderr)
            return 2
    return wrapped


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    u = sub.add_parser("users", help="people who sign in: add, list, disable, new password").add_subparsers(dest="users_command", required=True)
    add = u.add_parser("add", help="add a person (the password is asked for, or read from stdin)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--shop", help="shop code (every role but admin belongs to one shop)")
    add.add_argument("--name", help="the name people know them by")
    add.add_argument("--technician-id", type=int, help="a technician's staff record")
    add.add_argument("--advisor-id", type=int, help="an advisor's staff record")
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    add.set_defaults(run=_guarded(_users_add), needs_schema=True)
    u.add_parser("list", help="everyone who can sign in").set_defaults(run=_guarded(_users_list), needs_schema=True)
    dis = u.add_parser("disable", help="disable an account and sign it out everywhere")
    dis.add_argument("username")
    dis.set_defaults(run=_guarded(_users_disable), needs_schema=True)
    pw = u.add_parser("password", help="set a new password (signs the person out everywhere)")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true")
    pw.set_defaults(run=_guarded(_users_password), needs_schema=True)

    t = sub.add_parser("tokens", help="kiosk tokens of wall displays and gate camera tokens").add_subparsers(dest="tokens_command", required=True)
    ta = t.add_parser("add", help="a kiosk token for one wall display of one shop")
    ta.add_argument("--shop", required=True)
    ta.add_argument("--board", required=True, choices=list(DISPLAY_BOARDS))
    ta.add_argument("--name", required=True, help="where the screen hangs, e.g. 'Lobby TV'")
    ta.add_argument("--masked", action="store_true", help="mask plates on a workshop TV customers can see (reception and welcome always are)")
    ta.set_defaults(run=_guarded(_tokens_add), needs_schema=True)
    tc = t.add_parser("camera", help="register a gate camera and print its token")
    tc.add_argument("--shop", required=True)
    tc.add_argument("--name", required=True)
    tc.add_argument("--min-confidence", type=float, default=0.9)
    tc.set_defaults(run=_guarded(_tokens_camera), needs_schema=True)
    tl = t.add_parser("list", help="a shop's display and camera tokens (never the tokens themselves)")
    tl.add_argument("--shop", required=True)
    tl.set_defaults(run=_guarded(_tokens_list), needs_schema=True)
    tr = t.add_parser("revoke", help="revoke a display token (or a camera's, with --camera)")
    tr.add_argument("id", type=int)
    tr.add_argument("--shop", required=True)
    tr.add_argument("--camera", action="store_true")
    tr.set_defaults(run=_guarded(_tokens_revoke), needs_schema=True)
