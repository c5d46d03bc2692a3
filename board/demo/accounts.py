"""The demo shop's people and wall screens: an account for every role, a kiosk link per display.

Everyone shares one well-known password; that is only acceptable because the demo runs on
127.0.0.1 on a throw-away database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from board import commands
from board.auth.passwords import hash_password
from board.auth.roles import DISPLAY_BOARDS, Role
from board.context import Ctx
from board.db.models import Advisor, Shop, Technician, User
from board.db.session import Database
from board.services import tokens
from board.settings import Settings

DEMO_PASSWORD = "demo1234"


def seed_accounts(db: Database, settings: Settings, now: datetime, code: str) -> dict[str, str]:
    """Accounts admin, foreman, greeter, inspector, parts, wash, advisor1…, tech1… and a kiosk token per wall display;
    returns each display's kiosk path."""
    hashed = hash_password(DEMO_PASSWORD)  # once: argon2 is slow on purpose
    with db.transaction(write=True) as session:
        shop = session.scalars(select(Shop).where(Shop.code == code)).one()

        def add(username: str, name: str, role: Role, shop_id: int | None, **links: int) -> None:
            session.add(User(username=username, name=name, role=role, shop_id=shop_id, password_hash=hashed, created_at=now, **links))

        add("admin", "管理员 Admin", Role.ADMIN, None)
        add("foreman", "车间主管 Foreman", Role.FOREMAN, shop.id)
        add("greeter", "迎宾 Greeter", Role.GREETER, shop.id)
        add("inspector", "质检员 Inspector", Role.INSPECTOR, shop.id)
        add("parts", "备件员 Parts", Role.PARTS, shop.id)
        add("wash", "洗车工 Wash bay", Role.WASHER, shop.id)
        for n, a in enumerate(session.scalars(select(Advisor).where(Advisor.shop_id == shop.id).order_by(Advisor.id)), 1):
            add(f"advisor{n}", a.name, Role.ADVISOR, shop.id, advisor_id=a.id)
        for n, t in enumerate(session.scalars(select(Technician).where(Technician.shop_id == shop.id).order_by(Technician.id)), 1):
            add(f"tech{n}", t.name, Role.TECHNICIAN, shop.id, technician_id=t.id)
        ctx = Ctx(session, shop, now, "demo", settings)
        kiosks = {}
        for board in DISPLAY_BOARDS:
            _row, token = tokens.add_display_token(ctx, commands.DisplayTokenIn(board=board, name=f"demo {board} TV"))
            kiosks[board] = f"/shops/{code}/{board}?kiosk=1&token={token}"
    return kiosks
