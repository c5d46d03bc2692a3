"""Who is asking: a signed-in person or a kiosk token, and the checks made on every call. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from board.auth.roles import AccountKind, Role, Roles, account_kind
from board.errors import Forbidden


@dataclass(frozen=True)
class Principal:
    role: Role
    name: str  # what the event log records as the actor
    shop_id: int | None  # None: an admin of every shop in the group
    user_id: int | None = None
    session_id: int | None = None  # the sign-in session it came with (ended: its websockets close)
    technician_id: int | None = None
    advisor_id: int | None = None
    token_id: int | None = None  # a kiosk token's id
    board: str | None = None  # the one live board a kiosk token may receive

    def may_enter(self, shop_id: int) -> bool:
        return self.shop_id is None or self.shop_id == shop_id

    @property
    def kind(self) -> AccountKind:
        return account_kind(self.role, self.shop_id)


ROLE_WORDS = {
    Role.ADMIN: ("an admin", "管理员"), Role.ADVISOR: ("a service advisor", "服务顾问"), Role.FOREMAN: ("the foreman", "车间主管"),
    Role.GREETER: ("a greeter", "迎宾"), Role.TECHNICIAN: ("a technician", "技师"), Role.INSPECTOR: ("the inspector", "质检员"),
    Role.PARTS: ("the parts desk", "备件员"), Role.WASHER: ("the wash bay", "洗车工"), Role.DISPLAY: ("a display", "显示屏"),
}


def _names(roles: Roles) -> tuple[str, str]:
    ordered = [r for r in Role if r in roles]
    return " or ".join(ROLE_WORDS[r][0] for r in ordered), "或".join(ROLE_WORDS[r][1] for r in ordered)


def require(principal: Principal, roles: Roles, shop_id: int | None, what: str = "this") -> None:
    """Refuse (403, in words) a caller outside ``roles`` or outside the shop."""
    if shop_id is not None and not principal.may_enter(shop_id):
        raise Forbidden("Your account belongs to another shop.", "您的账号属于其他门店,无权访问本店。")
    if principal.role not in roles:
        en, zh = _names(roles)
        raise Forbidden(f"Only {en} may do {what}.", f"只有{zh}可以执行此操作。")


def require_group_admin(principal: Principal, what: str = "this") -> None:
    if principal.kind is not AccountKind.GROUP_ADMIN:
        raise Forbidden(f"Only an admin of the whole group may do {what}.", "只有集团管理员可以执行此操作。")


def require_own_job(principal: Principal, job_technician_id: int | None) -> None:
    """A technician moves only the jobs dispatched to him."""
    if principal.role is Role.TECHNICIAN and (principal.technician_id is None or job_technician_id != principal.technician_id):
        raise Forbidden("A technician may only move his own jobs.", "技师只能操作派给自己的工单。")
