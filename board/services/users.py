"""People who sign in: accounts per shop, passwords checked with argon2, sessions that can be ended."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from board.api import schemas
from board.auth.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from board.auth.principal import Principal
from board.auth.roles import Role
from board.db.models import Advisor, Shop, Technician, User
from board.errors import Conflict, Forbidden, InvalidInput, NotFound
from board.services.context import Ctx
from board.services.versions import check_version


def principal_of(user: User) -> Principal:
    # The event log names a person as people know them, with the username that makes it unique.
    actor = user.username if user.name == user.username else f"{user.name} ({user.username})"[:60]
    return Principal(role=user.role, name=actor, shop_id=user.shop_id, user_id=user.id, epoch=user.session_epoch,
                     technician_id=user.technician_id, advisor_id=user.advisor_id)


def serialize(user: User) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "name": user.name, "role": user.role.value, "shop_id": user.shop_id,
            "technician_id": user.technician_id, "advisor_id": user.advisor_id, "active": user.active, "version": user.version}


def create(session: Session, now: datetime, username: str, name: str, role: Role, password: str, shop_id: int | None,
           technician_id: int | None = None, advisor_id: int | None = None) -> User:
    if session.scalar(select(User).where(func.lower(User.username) == username.lower())) is not None:
        raise Conflict(f"The username {username!r} is taken.", f"用户名 {username} 已被使用。")
    if role is not Role.ADMIN and shop_id is None:
        raise InvalidInput.one("shop", "only an admin may belong to every shop; name the shop")
    if role is Role.TECHNICIAN and technician_id is None:
        raise InvalidInput.one("technician_id", "a technician's account names his technician record")
    if role is Role.ADVISOR and advisor_id is None:
        raise InvalidInput.one("advisor_id", "an advisor's account names her advisor record")
    user = User(username=username, name=name, role=role, shop_id=None if role is Role.ADMIN else shop_id,
                technician_id=technician_id if role is Role.TECHNICIAN else None,
                advisor_id=advisor_id if role is Role.ADVISOR else None,
                password_hash=hash_password(password), created_at=now)
    session.add(user)
    session.flush()
    return user


def add_user(ctx: Ctx, data: schemas.UserIn) -> User:
    """An admin adds a person to this shop (an admin account covers every shop)."""
    if data.shop is not None and data.shop != ctx.shop.code:
        raise InvalidInput.one("shop", f"users added here belong to {ctx.shop.code}")
    ctx.check_ref(Technician, data.technician_id, "technician_id", "technician")
    ctx.check_ref(Advisor, data.advisor_id, "advisor_id", "advisor")
    user = create(ctx.session, ctx.now, data.username, data.name, data.role, data.password, ctx.shop.id, data.technician_id, data.advisor_id)
    ctx.record("user", user.id, "created", None, {k: v for k, v in serialize(user).items() if k != "version"})
    return user


def shop_users(ctx: Ctx) -> list[User]:
    stmt = select(User).where((User.shop_id == ctx.shop.id) | (User.shop_id.is_(None))).order_by(User.id)
    return list(ctx.session.scalars(stmt))


def update_user(ctx: Ctx, user_id: int, data: schemas.UserPatch) -> User:
    user = ctx.session.get(User, user_id)
    if user is None or user.shop_id not in (ctx.shop.id, None):
        raise NotFound("user", user_id)
    check_version(user, data.version, "user")
    if ctx.principal is not None and ctx.principal.user_id == user.id:
        # An admin locking himself out by mistake leaves the shop without one: another admin, or `board users`, does it.
        raise Forbidden("You cannot change your own account here; ask another admin or use `board users` on the server.",
                        "不能在此修改自己的账号,请由其他管理员或在服务器上用 board users 修改。")
    before = serialize(user)
    if data.name is not None:
        user.name = data.name
    if data.role is not None:
        if (data.role is Role.TECHNICIAN and user.technician_id is None) or (data.role is Role.ADVISOR and user.advisor_id is None):
            raise InvalidInput.one("role", "this account names no technician or advisor record; add a new account for that role")
        user.role = data.role
    if data.active is not None:
        user.active = data.active
    if data.password is not None:
        user.password_hash = hash_password(data.password)
    # A new password, a role taken away or a disabled account ends every open session.
    if data.password is not None or data.active is False or data.role is not None:
        user.session_epoch += 1
    ctx.session.flush()
    after = serialize(user)
    changed = {k: after[k] for k in after if before[k] != after[k] and k != "version"}
    if data.password is not None:
        changed["password"] = "changed"
    ctx.record("user", user.id, "updated", {k: before[k] for k in changed if k in before}, changed)
    return user


def check_login(session: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, or None. Takes as long either way."""
    user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None:
        verify_password(dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def from_session(session: Session, user_id: object, epoch: object) -> User | None:
    """The signed-in user a session cookie names, if the account is still active and the session not ended."""
    if not isinstance(user_id, int) or not isinstance(epoch, int):
        return None
    user = session.get(User, user_id)
    if user is None or not user.active or user.session_epoch != epoch:
        return None
    return user


def ended_sessions(session: Session, signed_in: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which (user id, session epoch) pairs no longer stand (signed out everywhere, disabled, deleted)."""
    if not signed_in:
        return set()
    current = {(u.id, u.session_epoch) for u in session.scalars(select(User).where(User.id.in_({uid for uid, _ in signed_in}), User.active))}
    return signed_in - current


def ensure_admin(session: Session, now: datetime, password: str, username: str = "admin") -> User | None:
    """First start: create the group admin from BOARD_ADMIN_PASSWORD when nobody can sign in yet."""
    if session.scalar(select(func.count()).select_from(User)):
        return None
    return create(session, now, username, "管理员 Admin", Role.ADMIN, password, None)


def shop_code(session: Session, shop_id: int | None) -> str | None:
    return None if shop_id is None else session.scalar(select(Shop.code).where(Shop.id == shop_id))
