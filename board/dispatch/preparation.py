"""The day before: tomorrow's bookings get a provisional technician and bay. Pure.

Each booking's usual work (by service type) goes to a technician holding the skill, within his
shift hours, least over-qualified first (a GAP solved by board.dispatch.assignment); bays of the
right kind are shared out by arrival time. Bookings that fit nowhere come back with why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time

from board.dispatch import assignment

# The work a booking brings, by service type: skill, level, hours, bay kind.
WORK = {
    "quick": ("maintenance", 1, 0.5, "quick_service"),
    "maintenance": ("maintenance", 1, 1.0, "general_lift"),
    "repair": ("electrical", 2, 2.0, "general_lift"),
    "body_paint": ("body", 2, 6.0, "body"),
}
UNFIT = 1_000_000  # cost of a technician without the skill: never chosen while anyone fits


@dataclass(frozen=True)
class BookingWork:
    appointment_id: int
    service_type: str
    slot_start: time


@dataclass(frozen=True)
class Crew:
    tech_id: int
    skills: dict[str, int]
    hours: float


@dataclass(frozen=True)
class Reservation:
    appointment_id: int
    tech_id: int | None
    bay_id: int | None
    reason: str  # "" when reserved


def reserve(bookings: Sequence[BookingWork], crew: Sequence[Crew], bays: Sequence[tuple[int, str]],
            budget: str | int = "full") -> list[Reservation]:
    if not bookings:
        return []
    work = [WORK.get(b.service_type, WORK["maintenance"]) for b in bookings]
    cost = [[float(c.skills.get(skill, 0) - level) if c.skills.get(skill, 0) >= level else UNFIT for (skill, level, _, _) in work] for c in crew]
    hours = [[h if c.skills.get(skill, 0) >= level else c.hours + 1 for (skill, level, h, _) in work] for c in crew]
    assign = assignment.solve(cost, hours, [c.hours for c in crew], budget) if crew else [assignment.INFEASIBLE] * len(bookings)
    if assign and assign[0] == assignment.INFEASIBLE:
        assign = _greedy(work, crew)
    by_kind: dict[str, list[int]] = {}
    for bay_id, kind in bays:
        by_kind.setdefault(kind, []).append(bay_id)
    out = []
    order = sorted(range(len(bookings)), key=lambda k: (bookings[k].slot_start, bookings[k].appointment_id))
    turn: dict[str, int] = {}
    for k in order:
        skill, level, _, kind = work[k]
        agent = assign[k]
        tech = crew[agent].tech_id if agent != assignment.INFEASIBLE and cost[agent][k] < UNFIT else None
        kinds = by_kind.get(kind, [])
        bay = kinds[turn.get(kind, 0) % len(kinds)] if kinds else None
        turn[kind] = turn.get(kind, 0) + 1
        reason = "" if tech else f"no technician with {skill} {level} has time"
        out.append(Reservation(bookings[k].appointment_id, tech, bay, reason))
    return out


def _greedy(work: list[tuple[str, int, float, str]], crew: Sequence[Crew]) -> list[int]:
    """When not everything fits: the longest jobs first, each to the least over-qualified with room."""
    left = [c.hours for c in crew]
    assign = [assignment.INFEASIBLE] * len(work)
    for k in sorted(range(len(work)), key=lambda k: -work[k][2]):
        skill, level, h, _ = work[k]
        fits = [i for i, c in enumerate(crew) if c.skills.get(skill, 0) >= level and left[i] >= h]
        if fits:
            i = min(fits, key=lambda i: (crew[i].skills[skill] - level, -left[i]))
            assign[k] = i
            left[i] -= h
    return assign
