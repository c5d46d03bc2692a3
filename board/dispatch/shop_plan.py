"""The shop as the planner sees it, and the plan made from it: reads only, no commits.

The planning loop improves this plan and keeps it for every screen (board/dispatch/plan_store.py);
a first plan made here answers what must be known at once: where a job just assigned now stands,
and what a quote would look like with the new work fitted in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from board.context import Ctx
from board.db.models import Bay, Job, Preparation, Technician
from board.dispatch import model, planner
from board.domain.vocab import PartsStatus, Stage

OPEN = (Stage.WAITING_DISPATCH, Stage.DISPATCHED, Stage.IN_PROGRESS, Stage.STOPPED)


def _local(ctx: Ctx, at: datetime | None) -> datetime | None:
    return at.astimezone(ctx.zone).replace(tzinfo=None) if at else None


def _aware(ctx: Ctx, at: datetime) -> datetime:
    return at.replace(tzinfo=ctx.zone)


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
    jobs, waiting_parts = [], []
    for j in rows:
        if j.stage is Stage.WAITING_DISPATCH and j.parts_status is PartsStatus.ORDERED:
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
            car=j.repair_order.vehicle_id, shares_car=j.shares_car,
        ))
    techs = [
        model.TechIn(t.id, t.name, {s.skill.value: s.level for s in t.skills}, datetime.combine(ctx.today, t.shift_start),
                     datetime.combine(ctx.today, t.shift_end), t.present)
        for t in ctx.session.scalars(select(Technician).where(Technician.shop_id == ctx.shop.id).order_by(Technician.id))
    ]
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
