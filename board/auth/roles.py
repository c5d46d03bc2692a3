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
    DISPLAY = "display"  # read-only: public boards only


Roles = frozenset[Role]

ADMIN: Roles = frozenset({Role.ADMIN})
# Everyone who works in the shop may read its records; a display may not (it would see names and phones).
STAFF: Roles = frozenset(Role) - {Role.DISPLAY}
ADVISORS: Roles = frozenset({Role.ADMIN, Role.ADVISOR})
FOREMEN: Roles = frozenset({Role.ADMIN, Role.FOREMAN})
FRONT_DESK: Roles = frozenset({Role.ADMIN, Role.ADVISOR, Role.GREETER})
ORDERS: Roles = frozenset({Role.ADMIN, Role.ADVISOR, Role.FOREMAN})
WORKSHOP: Roles = frozenset({Role.ADMIN, Role.FOREMAN, Role.TECHNICIAN})
JOB_MOVERS: Roles = frozenset({Role.ADMIN, Role.ADVISOR, Role.FOREMAN, Role.TECHNICIAN})

# Each step of a job belongs to the people who do it: the foreman dispatches and checks quality,
# the technician works (on his own jobs only), the advisor hands the car over.
ACTION_ROLES: dict[Action, Roles] = {
    Action.DISPATCH: FOREMEN,
    Action.UNASSIGN: FOREMEN,
    Action.START: WORKSHOP,
    Action.STOP: WORKSHOP,
    Action.RESUME: WORKSHOP,
    Action.FINISH: WORKSHOP,
    Action.QC_PASS: FOREMEN,
    Action.QC_FAIL: FOREMEN,
    Action.WASH_DONE: ORDERS,
    Action.DELIVER: ADVISORS,
}

# The live boards a kiosk token of each wall display may receive (all masked).
DISPLAY_BOARDS: dict[str, str] = {"reception": "appointments_public", "welcome": "welcome", "workshop": "jpcb_public"}
PUBLIC_BOARDS = frozenset(DISPLAY_BOARDS.values())

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
}

# Where each role lands after signing in.
HOME_PAGE: dict[str, str] = {
    Role.ADMIN: "foreman", Role.ADVISOR: "advisor", Role.FOREMAN: "foreman", Role.GREETER: "greeter",
    Role.TECHNICIAN: "technician", Role.DISPLAY: "welcome",
}
