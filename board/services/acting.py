"""Who an action is done as: the signed-in person, unless the body names someone else and the role allows it.

An advisor's account names the advisor record it acts as: what she does (receiving a customer,
writing a repair order) is credited to her without her having to say so. An admin or a foreman is
nobody's advisor and names the advisor; the scheduler, the demo and the CLI (no principal) too.
"""

from __future__ import annotations

from board.auth.roles import Role
from board.context import Ctx
from board.errors import Forbidden, InvalidInput


def advisor_for_credit(ctx: Ctx, named: int | None, field: str = "advisor_id") -> int | None:
    """The advisor credited with what this request does (received a customer): an advisor is always herself."""
    principal = ctx.principal
    if principal is None:
        return named
    if principal.role is not Role.ADVISOR:
        if named is None:
            raise InvalidInput.one(field, "name the advisor who did it (you are signed in as nobody's advisor)")
        return named
    own: int | None = principal.advisor_id
    if named is not None and named != own:
        raise Forbidden("An advisor does this as herself; only an admin may record it for another advisor.",
                        "服务顾问只能以本人身份操作;为其他顾问登记需管理员。")
    if own is None:
        raise InvalidInput.one(field, "your account names no advisor record; ask an admin to link it")
    return own


def advisor_in_charge(ctx: Ctx, named: int | None, fallback: int | None = None) -> int | None:
    """The advisor who owns a repair order: the one named, else the advisor writing it, else ``fallback``
    (the booking's advisor). An advisor may name a colleague: the order is the customer's advisor's."""
    if named is not None:
        return named
    principal = ctx.principal
    if principal is not None and principal.role is Role.ADVISOR and principal.advisor_id is not None:
        own: int = principal.advisor_id
        return own
    return fallback
