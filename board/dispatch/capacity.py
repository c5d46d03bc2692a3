"""Bookings the workshop can keep: when would a booked car's work start and finish, given the day's
plan. Pure: the caller hands in the day as the planner sees it (board/dispatch/shop_plan.py for
today, the day's bookings for another day).

Rules:
- a booking reserves its place in the plan: its cards (its service menu's, else its kind of
  service's usual work, ``USUAL_WORK``) are planned from its arrival, promised for its arrival
  plus the stated wait plus the work, as a waiting customer's or a booked drop-off's;
- a time is offered only when the plan starts the car's work within the stated wait of its
  arrival (``WAIT``: 30 minutes for a customer who waits in the lounge, 2 hours for a car dropped
  off) — bays by kind (an express card may go up on a lift), skills on shift, what is booked and
  what is already in the shop all count — and every car booked before it that the plan starts in
  time still starts in time (a booking never breaks the promise of one made earlier);
- the ready time said at booking is the plan's finish, then the quality check and the wash
  (``rules.QC_AND_WASH``), then the shop's margin (from its history: the caller's);
- bookings still to come take at most the shop's booking share of the technicians' hours left
  that day (``hours_left``): the rest is kept for walk-ins;
- when the work does not start in time, the plan says why (every lift taken until 15:43, every
  technician with electrical 3 busy until …).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from board.dispatch import planner, rules
from board.dispatch.model import BayIn, JobIn, Plan, Reason, TechIn

# How soon after the car arrives its work starts, as the advisor states it: in the lounge, or dropped off.
WAIT = {True: timedelta(minutes=30), False: timedelta(hours=2)}

# A kind of service's usual work when no menu is booked: (operation, skill, level, hours, bay kind).
USUAL_WORK: dict[str, tuple[tuple[str, str, int, float, str], ...]] = {
    "quick": (("快速保养 Quick service", "maintenance", 1, 0.5, "quick_service"),),
    "maintenance": (("定期保养 Periodic maintenance", "maintenance", 1, 1.0, "quick_service"),),
    "repair": (("维修 Repair", "mechanical", 1, 2.0, "general_lift"),),
    "body_paint": (("钣金 Body repair", "body", 2, 3.0, "body"), ("喷漆 Paint", "paint", 2, 2.5, "paint_booth")),
}


@dataclass(frozen=True)
class Card:
    """One card of a booked car's work."""

    label: str
    skill: str
    level: int
    hours: float
    bay_kind: str


@dataclass(frozen=True)
class Offer:
    """What the plan says of a car arriving at ``arrival``."""

    arrival: datetime
    waits: bool
    start: datetime | None  # when its work starts (None: not today)
    finish: datetime | None  # when its last card is done
    fits: bool  # it starts within the stated wait
    cause: Reason | None  # why it does not start at once

    def ready(self, margin: timedelta) -> datetime | None:
        return self.finish + rules.QC_AND_WASH + margin if self.finish is not None else None


def cards_of(lines: Sequence[tuple[str, str, int, float, str]]) -> list[Card]:
    """A booking's work as cards: lines of one skill and kind of bay on one card (board/domain/cards.py)."""
    out: dict[tuple[str, str], Card] = {}
    for label, skill, level, hours, bay_kind in lines:
        was = out.get((skill, bay_kind))
        out[(skill, bay_kind)] = replace(was, level=max(was.level, level), hours=round(was.hours + hours, 2)) if was else \
            Card(label, skill, level, hours, bay_kind)
    return list(out.values())


def reserved(ids: Sequence[int], cards: Sequence[Card], car: int, arrival: datetime, waits: bool, now: datetime) -> list[JobIn]:
    """A booking's place in the plan: its cards from its arrival (or now, if it is late), promised
    for the arrival plus the stated wait plus the work. ``ids``: one per card, apart from the
    shop's jobs' (the caller's)."""
    hours = sum(c.hours for c in cards)
    promised = arrival + WAIT[waits] + timedelta(hours=hours)
    return [JobIn(i, c.label, "waiting" if waits else "appointment", c.skill, c.level, c.hours, c.bay_kind, promised,
                  earliest=max(arrival, now), car=car) for i, c in zip(ids, cards, strict=True)]


def started_in_time(plan: Plan, jobs: Sequence[JobIn], reserved_ids: Collection[int]) -> frozenset[int]:
    """The reserved cards (``reserved_ids``) this plan starts within their booking's stated wait."""
    by_id = {j.id: j for j in jobs}
    out = set()
    for job_id in reserved_ids:
        slot, job = plan.slot(job_id), by_id.get(job_id)
        if slot is not None and job is not None and job.earliest is not None and slot.start <= job.earliest + WAIT[job.priority == "waiting"]:
            out.add(job_id)
    return frozenset(out)


def hours_left(booked: Sequence[JobIn], techs: Sequence[TechIn], now: datetime, share: float) -> float:
    """Hours the day's bookings may still take: ``share`` of what is left of the shifts of the
    technicians on duty from ``now``, less the bookings still to come (``booked``, their cards)."""
    shifts = sum(max((t.shift_end - max(t.shift_start, now)).total_seconds() / 3600, 0.0) for t in techs if t.present)
    return share * shifts - sum(j.hours for j in booked)


def share_full(share: float) -> Reason:
    return Reason(f"当天预约工时已达技师工时的 {share:.0%},其余留给直接入厂",
                  f"bookings already take {share:.0%} of the technicians' hours that day; the rest is kept for walk-ins")


KEPT_WAITING = Reason("会使先预约的车辆等候超时", "a car booked before it would wait too long")


def offer(day: Sequence[JobIn], techs: Sequence[TechIn], bays: Sequence[BayIn], now: datetime, booking: Sequence[JobIn],
          waits: bool, look_ahead: float | None = None, keep: Collection[int] = ()) -> Offer:
    """Where ``booking`` (its reserved cards: ``reserved``) would stand in the day's plan; ``keep``:
    the cards of earlier bookings the day's plan starts in time (``started_in_time``), which must stay so."""
    arrival = min(j.earliest or now for j in booking)
    jobs = [*day, *booking]
    plan = planner.plan(jobs, techs, bays, now, look_ahead=look_ahead)
    slots = [plan.slot(j.id) for j in booking]
    if any(s is None for s in slots):
        why = next((r for j_id, r in plan.unassignable if j_id in {j.id for j in booking}), None)
        return Offer(arrival, waits, None, None, False, why)
    placed = [s for s in slots if s is not None]
    first = min(placed, key=lambda s: s.start)
    start, finish = first.start, max(s.end for s in placed)
    in_time = start <= arrival + WAIT[waits]
    if in_time and keep and not set(keep) <= started_in_time(plan, jobs, keep):
        return Offer(arrival, waits, start, finish, False, KEPT_WAITING)
    return Offer(arrival, waits, start, finish, in_time, first.cause if start > arrival else None)
