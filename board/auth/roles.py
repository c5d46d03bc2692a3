"""Who may do what: the roles of a service department and the rules between them. Pure.

A person has one role in one shop (an admin may have none: then every shop of the group).
Wall displays have no people behind them: a kiosk token is a read-only ``display`` of one board.
"""

from __future__ import annotations

from enum import StrEnum

from board.domain.stages import Action


class Role(StrEnum):
    ADMIN = "admin"
    ADVISOR = "advisor"
    FOREMAN = "foreman"
    GREETER = "greeter"
    TECHNICIAN = "technician"
    INSPECTOR = "inspector"  # the quality check (终检)
    PARTS = "parts"  # the parts desk
    WASHER = "washer"  # the wash bay (洗车工)
    DISPLAY = "display"  # read-only: public boards only


Roles = frozenset[Role]

ADMIN: Roles = frozenset({Role.ADMIN})
# Everyone who works in the shop may read its records; a display may not (it would see names and phones).
STAFF: Roles = frozenset(Role) - {Role.DISPLAY}
ADVISORS: Roles = frozenset({Role.ADMIN, Role.ADVISOR})
FOREMEN: Roles = frozenset({Role.ADMIN, Role.FOREMAN})
FRONT_DESK: Roles = frozenset({Role.ADMIN, Role.ADVISOR, Role.GREETER})
ORDERS: Roles = frozenset({Role.ADMIN, Role.ADVISOR, Role.FOREMAN})
# The wash bay: its own man, or whoever fills in (the advisor, the foreman).
WASHERS: Roles = ORDERS | {Role.WASHER}
WORKSHOP: Roles = frozenset({Role.ADMIN, Role.FOREMAN, Role.TECHNICIAN})
JOB_MOVERS: Roles = frozenset({Role.ADMIN, Role.ADVISOR, Role.FOREMAN, Role.TECHNICIAN, Role.INSPECTOR})
# The quality check: the inspector, or the foreman where the shop has no inspector.
INSPECTORS: Roles = frozenset({Role.ADMIN, Role.FOREMAN, Role.INSPECTOR})
# The parts desk, and the foreman who waits on it.
PARTS_DESK: Roles = frozenset({Role.ADMIN, Role.PARTS, Role.FOREMAN})
# Who sees a customer's phone number: those who call customers. Technicians and greeters need the car, not the number.
PHONE_READERS: Roles = frozenset({Role.ADMIN, Role.ADVISOR, Role.FOREMAN})

# Each step of a job belongs to the people who do it: the foreman dispatches and checks quality,
# the technician works (on his own jobs only), the advisor hands the car over.
ACTION_ROLES: dict[Action, Roles] = {
    Action.DISPATCH: FOREMEN,
    Action.UNASSIGN: FOREMEN,
    Action.START: WORKSHOP,
    Action.STOP: WORKSHOP,
    Action.RESUME: WORKSHOP,
    Action.FINISH: WORKSHOP,
    Action.QC_PASS: INSPECTORS,
    Action.QC_FAIL: INSPECTORS,
    Action.WASH_DONE: WASHERS,
    Action.DELIVER: ADVISORS,
}

# The live boards a kiosk token of each wall display may receive: the masked twin of the page's board,
# or, for a workshop TV that hangs where only staff see it, the floor's board (full plates, no notes).
DISPLAY_BOARDS: dict[str, str] = {"reception": "appointments_public", "welcome": "welcome", "workshop": "jpcb_public"}
FLOOR_BOARDS: dict[str, str] = {"workshop": "jpcb_floor"}
PUBLIC_BOARDS = frozenset(DISPLAY_BOARDS.values())


def kiosk_board(page: str, masked: bool) -> str:
    """The live board a kiosk token of this wall page receives."""
    return DISPLAY_BOARDS[page] if masked or page not in FLOOR_BOARDS else FLOOR_BOARDS[page]

# The pages each role may open (wall pages also open with their board's kiosk token; a display,
# signed in or by token, is shown the masked twin of the page's board).
WALL: Roles = STAFF | {Role.DISPLAY}
PAGE_ROLES: dict[str, Roles] = {
    "reception": WALL,
    "welcome": WALL,
    "workshop": WALL,
    "foreman": FOREMEN,
    "greeter": FRONT_DESK,
    "technician": WORKSHOP,
    "advisor": ADVISORS,
    "follow-up": ADVISORS,
    "summary": STAFF - {Role.TECHNICIAN, Role.GREETER},
    "trends": STAFF - {Role.TECHNICIAN, Role.GREETER},
    # the service process on screens
    "booking": ADVISORS,
    "order": ADVISORS,
    "parts": PARTS_DESK,
    "qc": INSPECTORS,
    "wash": WASHERS,
    "delivery": ADVISORS,
}

# Where each role lands after signing in.
HOME_PAGE: dict[str, str] = {
    Role.ADMIN: "foreman", Role.ADVISOR: "advisor", Role.FOREMAN: "foreman", Role.GREETER: "greeter",
    Role.TECHNICIAN: "technician", Role.INSPECTOR: "qc", Role.PARTS: "parts", Role.WASHER: "wash", Role.DISPLAY: "welcome",
}

# The pages on each role's bar, his own first: what he does in a day, reached by a click.
NAV_PAGES: dict[Role, tuple[str, ...]] = {
    Role.ADVISOR: ("advisor", "booking", "order", "delivery", "follow-up", "workshop", "summary"),
    Role.FOREMAN: ("foreman", "workshop", "parts", "qc", "wash", "summary", "trends"),
    Role.GREETER: ("greeter", "reception", "welcome"),
    Role.TECHNICIAN: ("technician", "workshop"),
    Role.INSPECTOR: ("qc", "workshop", "summary"),
    Role.PARTS: ("parts", "workshop", "summary"),
    Role.WASHER: ("wash", "workshop"),
    Role.ADMIN: ("foreman", "advisor", "booking", "order", "greeter", "technician", "parts", "qc", "wash", "delivery",
                 "follow-up", "reception", "welcome", "workshop", "summary", "trends"),
    Role.DISPLAY: (),
}


# -- who may manage whose account ------------------------------------------------------------
# Two kinds of admin: a group admin (no shop: every shop of the dealer group) and a shop admin
# (one shop). Everyone else is staff of one shop. The whole model is this table: what an account
# of one kind may do to an account of another. A shop admin acts only within his own shop; nobody
# changes his own account through the API (another admin does it, or `board users` on the server).


class AccountKind(StrEnum):
    GROUP_ADMIN = "group_admin"
    SHOP_ADMIN = "shop_admin"
    STAFF = "staff"


class AccountAction(StrEnum):
    CREATE = "create"
    EDIT = "edit"  # the name, or the role (a new role is also a "create" of the kind it becomes)
    DISABLE = "disable"  # or enable again
    RESET = "reset"  # set a new password


EVERYTHING = frozenset(AccountAction)
ACCOUNT_RULES: dict[tuple[AccountKind, AccountKind], frozenset[AccountAction]] = {
    (AccountKind.GROUP_ADMIN, AccountKind.GROUP_ADMIN): EVERYTHING,
    (AccountKind.GROUP_ADMIN, AccountKind.SHOP_ADMIN): EVERYTHING,
    (AccountKind.GROUP_ADMIN, AccountKind.STAFF): EVERYTHING,
    (AccountKind.SHOP_ADMIN, AccountKind.GROUP_ADMIN): frozenset(),
    (AccountKind.SHOP_ADMIN, AccountKind.SHOP_ADMIN): frozenset(),
    (AccountKind.SHOP_ADMIN, AccountKind.STAFF): EVERYTHING,  # of his own shop
}


def account_kind(role: Role, shop_id: int | None) -> AccountKind:
    if role is Role.ADMIN:
        return AccountKind.GROUP_ADMIN if shop_id is None else AccountKind.SHOP_ADMIN
    return AccountKind.STAFF


def may_manage(actor: AccountKind, actor_shop: int | None, action: AccountAction, target: AccountKind, target_shop: int | None) -> bool:
    """May an account of kind ``actor`` do ``action`` to one of kind ``target``? Staff manage nobody."""
    if actor is AccountKind.STAFF or action not in ACCOUNT_RULES.get((actor, target), frozenset()):
        return False
    return actor is AccountKind.GROUP_ADMIN or actor_shop == target_shop
