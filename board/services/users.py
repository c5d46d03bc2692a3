"""People who sign in: accounts per shop (and the group's admins), managed by the table in
board/auth/roles.py (who may create, edit, disable or reset whom); a change that takes something
away (password, role, access) ends every session of that person at once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from board import commands
from board.auth.passwords import hash_password
from board.auth.principal import Principal
from board.auth.roles import AccountAction, Role, account_kind, may_manage
from board.context import Ctx
from board.db.models import Advisor, Shop, Technician, User
from board.errors import Conflict, Forbidden, InvalidInput, NotFound
from board.services import login_sessions
from board.versions import check_version


def principal_of(user: User, session_id: int | None = None) -> Principal:
    # The event log names a person as people know them, with the username that makes it unique.
    actor = user.username if user.name == user.username else f"{user.name} ({user.username})"[:60]
    return Principal(role=user.role, name=actor, shop_id=user.shop_id, user_id=user.id, session_id=session_id,
                     technician_id=user.technician_id, advisor_id=user.advisor_id)


def serialize(user: User) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "name": user.name, "role": user.role.value, "shop_id": user.shop_id,
            "technician_id": user.technician_id, "advisor_id": user.advisor_id, "active": user.active, "version": user.version}


def create(session: Session, now: datetime, username: str, name: str, role: Role, password: str, shop_id: int | None,
           technician_id: int | None = None, advisor_id: int | None = None) -> User:
    """An account; ``shop_id`` None only for a group admin (every shop)."""
    if session.scalar(select(User).where(func.lower(User.username) == username.lower())) is not None:
        raise Conflict(f"The username {username!r} is taken.", f"用户名 {username} 已被使用。")
    if role is not Role.ADMIN and shop_id is None:
        raise InvalidInput.one("shop", "only an admin may belong to every shop; name the shop")
    if role is Role.TECHNICIAN and technician_id is None:
        raise InvalidInput.one("technician_id", "a technician's account names his technician record")
    if role is Role.ADVISOR and advisor_id is None:
        raise InvalidInput.one("advisor_id", "an advisor's account names her advisor record")
    user = User(username=username, name=name, role=role, shop_id=shop_id,
                technician_id=technician_id if role is Role.TECHNICIAN else None,
                advisor_id=advisor_id if role is Role.ADVISOR else None,
                password_hash=hash_password(password), created_at=now)
    session.add(user)
    session.flush()
    return user


def _allow(ctx: Ctx, action: AccountAction, role: Role, shop_id: int | None) -> None:
    """Refuse, in words, what the table in roles.py does not give the caller over such an account."""
    p = ctx.principal
    if p is None:
        return  # the server's own tools (board users) act for the operator
    if not may_manage(p.kind, p.shop_id, action, account_kind(role, shop_id), shop_id):
        target = {"group_admin": ("a group admin's account", "集团管理员账号"), "shop_admin": ("a shop admin's account", "门店管理员账号"),
                  "staff": ("this account", "该账号")}[account_kind(role, shop_id).value]
        verb = {"create": ("create", "创建"), "edit": ("change", "修改"), "disable": ("disable or enable", "停用或启用"),
                "reset": ("set a new password for", "重置密码")}[action.value]
        raise Forbidden(f"Your account may not {verb[0]} {target[0]} (see who may manage whom in docs/security.md).",
                        f"您的账号无权{verb[1]}{target[1]}。")


def add_user(ctx: Ctx, data: commands.UserIn) -> User:
    """A person added to this shop; an admin with no shop named is an admin of every shop (a group admin)."""
    if data.shop is not None and data.shop != ctx.shop.code:
        raise InvalidInput.one("shop", f"users added here belong to {ctx.shop.code}")
    shop_id = None if (data.role is Role.ADMIN and data.shop is None) else ctx.shop.id
    _allow(ctx, AccountAction.CREATE, data.role, shop_id)
    ctx.check_ref(Technician, data.technician_id, "technician_id", "technician")
    ctx.check_ref(Advisor, data.advisor_id, "advisor_id", "advisor")
    user = create(ctx.session, ctx.now, data.username, data.name, data.role, data.password, shop_id, data.technician_id, data.advisor_id)
    ctx.record("user", user.id, "created", None, {k: v for k, v in serialize(user).items() if k != "version"})
    return user


def shop_users(ctx: Ctx) -> list[User]:
    stmt = select(User).where((User.shop_id == ctx.shop.id) | (User.shop_id.is_(None))).order_by(User.id)
    return list(ctx.session.scalars(stmt))


def update_user(ctx: Ctx, user_id: int, data: commands.UserPatch) -> User:
    user = ctx.session.get(User, user_id)
    if user is None or user.shop_id not in (ctx.shop.id, None):
        raise NotFound("user", user_id)
    check_version(user, data.version, "user")
    if ctx.principal is not None and ctx.principal.user_id == user.id:
        # An admin locking himself out by mistake leaves the shop without one: another admin, or `board users`, does it.
        raise Forbidden("You cannot change your own account here; ask another admin or use `board users` on the server.",
                        "不能在此修改自己的账号,请由其他管理员或在服务器上用 board users 修改。")
    wanted = {AccountAction.EDIT: data.name is not None or data.role is not None, AccountAction.DISABLE: data.active is not None,
              AccountAction.RESET: data.password is not None}
    for action, asked in wanted.items():
        if asked:
            _allow(ctx, action, user.role, user.shop_id)
    if data.role is not None:
        _allow(ctx, AccountAction.CREATE, data.role, user.shop_id)  # becoming an admin is being made one
    before = serialize(user)
    role_changed = data.role is not None and data.role is not user.role
    if data.name is not None:
        user.name = data.name
    if data.role is not None:
        if (data.role is Role.TECHNICIAN and user.technician_id is None) or (data.role is Role.ADVISOR and user.advisor_id is None):
            raise InvalidInput.one("role", "this account names no technician or advisor record; add a new account for that role")
        if data.role is not Role.ADMIN and user.shop_id is None:
            raise InvalidInput.one("role", "a group admin belongs to no shop; add a new account for that role")
        user.role = data.role
    if data.active is not None:
        user.active = data.active
    if data.password is not None:
        user.password_hash = hash_password(data.password)
    # A new password, a role changed or a disabled account ends every open session.
    ended = 0
    if data.password is not None or data.active is False or role_changed:
        ended = login_sessions.end_all(ctx.session, user.id)
    ctx.session.flush()
    after = serialize(user)
    changed = {k: after[k] for k in after if before[k] != after[k] and k != "version"}
    if data.password is not None:
        changed["password"] = "changed"
    if ended:
        changed["sessions_ended"] = ended
    ctx.record("user", user.id, "updated", {k: before[k] for k in changed if k in before}, changed)
    return user


def login_record(session: Session, username: str) -> tuple[int, str, bool] | None:
    """(id, password hash, active) of the account with this name (any case), for checking a password outside the transaction."""
    row = session.execute(select(User.id, User.password_hash, User.active).where(func.lower(User.username) == username.strip().lower())).first()
    return None if row is None else (row[0], row[1], row[2])


def ensure_admin(session: Session, now: datetime, password: str, username: str = "admin") -> User | None:
    """First start: create the group admin from BOARD_ADMIN_PASSWORD when nobody can sign in yet."""
    if session.scalar(select(func.count()).select_from(User)):
        return None
    return create(session, now, username, "管理员 Admin", Role.ADMIN, password, None)


def shop_code(session: Session, shop_id: int | None) -> str | None:
    return None if shop_id is None else session.scalar(select(Shop.code).where(Shop.id == shop_id))
