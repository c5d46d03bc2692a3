"""The shop as the planner sees it, and the plan made from it: reads only, no commits.

The planning loop improves this plan and keeps it for every screen (board/dispatch/plan_store.py);
a first plan made here answers what must be known at once: where a job just assigned now stands,
and what a quote would look like with the new work fitted in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from board.context import Ctx
from board.db.models import Bay, Job, PartLine, Preparation, RepairOrder, Technician
from board.dispatch import model, planner
from board.domain.vocab import PartLineStatus, PartsStatus, Stage

OPEN = (Stage.WAITING_DISPATCH, Stage.DISPATCHED, Stage.IN_PROGRESS, Stage.STOPPED)
NOT_STARTED = (Stage.WAITING_DISPATCH, Stage.DISPATCHED)


def _local(ctx: Ctx, at: datetime | None) -> datetime | None:
    return at.astimezone(ctx.zone).replace(tzinfo=None) if at else None


def _aware(ctx: Ctx, at: datetime) -> datetime:
    return at.replace(tzinfo=ctx.zone)


@dataclass(frozen=True)
class PartsWait:
    """A job's parts not yet in hand at the parts desk (its own lines, and its booking's)."""

    lines: int  # ordered, not arrived yet
    eta: datetime | None  # shop-local: when the last of them should arrive; None while one has no date (or none is ordered)
    needed: int = 0  # not yet picked nor ordered

    def known(self, now: datetime) -> bool:
        """An arrival time to plan from: every line on order has one, and it has not passed (an overdue part is not here)."""
        return self.eta is not None and self.eta > now


def booking_jobs(ctx: Ctx, bookings: set[int]) -> dict[int, int]:
    """Booking -> the job that takes the parts prepared for it once its car is in: the first job of the
    order opened from it that came from a service menu, else its first job."""
    if not bookings:
        return {}
    out: dict[int, int] = {}
    rows = ctx.session.execute(
        select(RepairOrder.appointment_id, Job.id, Job.menu_code).join(Job, Job.repair_order_id == RepairOrder.id)
        .where(RepairOrder.shop_id == ctx.shop.id, RepairOrder.appointment_id.in_(bookings)).order_by(Job.id)
    )
    first: dict[int, int] = {}
    for appt, job_id, menu_code in rows:
        if appt is None:
            continue
        first.setdefault(appt, job_id)
        if menu_code and appt not in out:
            out[appt] = job_id
    return first | out


def parts_waits(ctx: Ctx) -> dict[int, PartsWait]:
    """Job -> its parts not in hand: lines ordered and not arrived, with the latest expected arrival, and lines still needed."""
    rows = list(ctx.session.execute(
        select(PartLine.job_id, PartLine.appointment_id, PartLine.status, PartLine.expected_at)
        .where(PartLine.shop_id == ctx.shop.id, PartLine.status.in_([PartLineStatus.ORDERED, PartLineStatus.NEEDED]))
    ))
    adopted = booking_jobs(ctx, {appt for job, appt, _, _ in rows if job is None and appt is not None})
    ordered: dict[int, list[datetime | None]] = {}
    needed: dict[int, int] = {}
    for job, appt, status, expected in rows:
        owner = job if job is not None else adopted.get(appt) if appt is not None else None
        if owner is None:
            continue
        if status is PartLineStatus.ORDERED:
            ordered.setdefault(owner, []).append(_local(ctx, expected))
        else:
            needed[owner] = needed.get(owner, 0) + 1
    out = {}
    for job in ordered.keys() | needed.keys():
        times = ordered.get(job, [])
        eta = None if not times or None in times else max(t for t in times if t is not None)
        out[job] = PartsWait(len(times), eta, needed.get(job, 0))
    return out


def _held_for_parts(j: Job, wait: PartsWait | None, now: datetime, day_end: datetime | None) -> tuple[bool, datetime | None]:
    """(left out of today's plan for parts, the earliest it can start). A job not started waits for the
    parts it has on order: planned from their arrival when that is known and still today; left out while
    it is not (no date yet, overdue, or after the last shift), as a job ordered with no parts lines is.
    Parts marked arrived on the job itself (by the foreman) stand over the lines."""
    if j.stage not in NOT_STARTED or j.parts_status is PartsStatus.ARRIVED:
        return False, None
    if wait is None or not wait.lines:
        return j.stage is Stage.WAITING_DISPATCH and j.parts_status is PartsStatus.ORDERED, None
    if not wait.known(now):
        return j.stage is Stage.WAITING_DISPATCH, None  # a dispatched job with no date stays where it was, as before
    assert wait.eta is not None
    if day_end is not None and wait.eta >= day_end:
        return True, None
    return False, wait.eta


def load(ctx: Ctx) -> tuple[list[Job], list[model.JobIn], list[model.TechIn], list[model.BayIn], list[Job]]:
    """The shop as the planner sees it (shop-local naive times), and the jobs waiting for parts."""
    now = ctx.now_local
    rows = list(ctx.session.scalars(select(Job).where(Job.shop_id == ctx.shop.id, Job.stage.in_(OPEN)).order_by(Job.id)))
    # The day-before reservation is where a booked car's job starts from, when nothing is lost by it.
    reserved: dict[int, int] = {
        appt: tech for appt, tech in ctx.session.execute(  # type: ignore[misc]
            select(Preparation.appointment_id, Preparation.technician_id).where(Preparation.shop_id == ctx.shop.id, Preparation.technician_id.is_not(None))
        )
    }
    techs = [
        model.TechIn(t.id, t.name, {s.skill.value: s.level for s in t.skills}, datetime.combine(ctx.today, t.shift_start),
                     datetime.combine(ctx.today, t.shift_end), t.present)
        for t in ctx.session.scalars(select(Technician).where(Technician.shop_id == ctx.shop.id).order_by(Technician.id))
    ]
    day_end = max((t.shift_end for t in techs if t.present), default=None)
    waits = parts_waits(ctx)
    jobs, waiting_parts = [], []
    for j in rows:
        held, earliest = _held_for_parts(j, waits.get(j.id), now, day_end)
        if held:
            waiting_parts.append(j)
            continue
        started = j.stage in (Stage.IN_PROGRESS, Stage.STOPPED)
        remaining = None
        if started:
            done = (now - _local(ctx, j.actual_start)).total_seconds() / 3600 if j.actual_start else 0.0  # type: ignore[operator]
            remaining = max(j.est_hours - done, 0.25)
        jobs.append(model.JobIn(
            id=j.id, label=f"{j.repair_order.number} {j.operation}", priority=j.priority.value, skill=j.skill.value, level=j.level,
            hours=j.est_hours, bay_kind=j.bay_kind.value, promised=_local(ctx, j.repair_order.promised_at),
            pinned_tech=j.technician_id if (j.pinned and j.stage is Stage.DISPATCHED) else None,
            started_tech=j.technician_id if started else None, started_bay=j.bay_id if started else None, remaining=remaining,
            current_tech=j.technician_id if j.stage is Stage.DISPATCHED else reserved.get(j.repair_order.appointment_id or 0),
            car=j.repair_order.vehicle_id, shares_car=j.shares_car, earliest=earliest,
        ))
    bays = [model.BayIn(b.id, b.name, b.kind.value) for b in ctx.session.scalars(select(Bay).where(Bay.shop_id == ctx.shop.id).order_by(Bay.id))]
    return rows, jobs, techs, bays, waiting_parts


def current_plan(ctx: Ctx) -> tuple[model.Plan, list[model.JobIn], list[Job], list[model.Change]]:
    """The plan from where the shop stands: re-planned from the current assignments, so it moves
    as little as it can and says why each move is made."""
    rows, jobs, techs, bays, waiting_parts = load(ctx)
    dispatched = {j.id: j.technician_id for j in rows if j.stage is Stage.DISPATCHED and j.technician_id is not None}
    now = ctx.now_local
    previous = model.Plan(tuple(model.Slot(job_id, tech, None, now, now, 0.0, ()) for job_id, tech in dispatched.items()), (), 0.0)
    plan, changes = planner.replan(previous, jobs, techs, bays, now)
    return plan, jobs, waiting_parts, [c for c in changes if c.from_tech is not None]


def parts_reason(ctx: Ctx, wait: PartsWait | None) -> dict[str, str]:
    """Why a job waits for parts, with the arrival the parts desk expects."""
    if wait is None or not wait.lines or wait.eta is None:
        return {"zh": "等待备件到货", "en": "waiting for parts"}
    when = wait.eta.strftime("%H:%M") if wait.eta.date() == ctx.today else wait.eta.strftime("%m-%d %H:%M")
    if wait.eta <= ctx.now_local:
        return {"zh": f"备件逾期未到(应 {when} 到)", "en": f"parts overdue (due {when})"}
    return {"zh": f"等待备件,预计 {when} 到", "en": f"waiting for parts, due {when}"}
