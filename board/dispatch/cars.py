"""A car is in one place at a time (board/dispatch/rules.py, rule 7): the check a foreman's manual
assignment and a technician's clock-on go through before the edge accepts them. Pure.

The planner keeps the rule by itself; these answer "is this car elsewhere between start and end,
where, and until when", so the edge can refuse with the reason.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from board.dispatch import rules
from board.dispatch.model import BayIn, JobIn, Plan, Reason, Slot


@dataclass(frozen=True)
class CarConflict:
    slot: Slot  # the car's job in the way (the one that frees the car last)
    until: datetime  # the car is there until then
    reason: Reason  # "车辆在1号举升机,至16:46" / "car in 1号举升机 until 16:46"


def conflict(job: JobIn, bay_id: int | None, start: datetime, end: datetime, plan: Plan, jobs: Sequence[JobIn],
             bays: Sequence[BayIn], ignore: Collection[int] = ()) -> CarConflict | None:
    """Would doing ``job`` in ``bay_id`` from ``start`` to ``end`` put its car in two places at once,
    against its car's other jobs as ``plan`` has them? ``ignore``: jobs the edge is about to move
    or stop. None when the car is free (or the job names no car)."""
    return _first_in_the_way(job, bay_id, start, end, [(s, s.start) for s in plan.slots], jobs, bays, ignore)


def clock_on_conflict(job: JobIn, bay_id: int | None, now: datetime, plan: Plan, jobs: Sequence[JobIn], bays: Sequence[BayIn],
                      ignore: Collection[int] = ()) -> CarConflict | None:
    """A technician clocking on ``job`` now: only the car's started jobs (in progress or stopped)
    are physically holding it, each in its bay from now until its planned end. Pass the jobs the
    clock-on stops first (his own job in progress) in ``ignore``."""
    started = {j.id for j in jobs if j.started_tech is not None}
    hours = job.remaining if job.remaining is not None else job.hours
    held = [(s, now) for s in plan.slots if s.job_id in started]
    return _first_in_the_way(job, bay_id, now, now + timedelta(hours=hours), held, jobs, bays, ignore)


def _first_in_the_way(job: JobIn, bay_id: int | None, start: datetime, end: datetime, held: Sequence[tuple[Slot, datetime]],
                      jobs: Sequence[JobIn], bays: Sequence[BayIn], ignore: Collection[int]) -> CarConflict | None:
    if job.car is None:
        return None
    by_id = {j.id: j for j in jobs}
    in_the_way = []
    for slot, since in held:
        other = by_id.get(slot.job_id)
        if other is None or other.id == job.id or other.car != job.car or other.id in ignore:
            continue
        if since < end and start < slot.end and not _beside(job, bay_id, other, slot):
            in_the_way.append(slot)
    if not in_the_way:
        return None
    last = max(in_the_way, key=lambda s: (s.end, s.job_id))
    bay = next((b for b in bays if b.id == last.bay_id), None)
    return CarConflict(last, last.end, rules.car_elsewhere(bay, last.end))


def _beside(job: JobIn, bay_id: int | None, other: JobIn, slot: Slot) -> bool:
    """Two technicians on one car in one bay: both jobs must allow it."""
    return bay_id is not None and bay_id == slot.bay_id and job.shares_car and other.shares_car
