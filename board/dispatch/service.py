"""The foreman's dispatch: load the shop into the pure planner, decide, commit, and the live
boards follow (the commits stage their deltas like any other change)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from board import commands
from board.context import Ctx
from board.db.models import Bay, Job, Preparation, Technician
from board.dispatch import cars, model, planner
from board.domain.stages import Action
from board.domain.vocab import PartsStatus, Stage, StopReason
from board.errors import IllegalMove, InvalidInput, StaleVersion
from board.services import repair_orders

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


def suggestions(ctx: Ctx) -> dict[str, Any]:
    """The plan as the foreman's console shows it: every job with its technician, bay, times and
    reasons; what would move from where it is now; what nobody can do, and why."""
    plan, jobs, waiting_parts, changes = current_plan(ctx)
    by_id = {j.id: j for j in jobs}
    names = {t.id: t.name for t in ctx.session.scalars(select(Technician).where(Technician.shop_id == ctx.shop.id))}
    bays = {b.id: b.name for b in ctx.session.scalars(select(Bay).where(Bay.shop_id == ctx.shop.id))}
    rows = []
    for s in plan.slots:
        j = by_id[s.job_id]
        rows.append({
            "job_id": s.job_id, "label": j.label, "priority": j.priority, "technician_id": s.tech_id, "technician": names.get(s.tech_id),
            "bay_id": s.bay_id, "bay": bays.get(s.bay_id) if s.bay_id else None,
            "start": _aware(ctx, s.start).isoformat(timespec="minutes"), "end": _aware(ctx, s.end).isoformat(timespec="minutes"),
            "late_minutes": round(s.late_minutes), "fixed": s.fixed, "current_technician_id": j.current_tech or j.started_tech,
            "reasons": [{"zh": r.zh, "en": r.en} for r in s.reasons],
        })
    moves = [{"job_id": c.job_id, "label": by_id[c.job_id].label, "from_technician": names.get(c.from_tech) if c.from_tech else None,
              "to_technician": names.get(c.to_tech) if c.to_tech else None, "reason": {"zh": c.reason.zh, "en": c.reason.en}} for c in changes]
    cannot = [{"job_id": j_id, "label": by_id[j_id].label, "reason": {"zh": r.zh, "en": r.en}} for j_id, r in plan.unassignable]
    cannot += [{"job_id": j.id, "label": f"{j.repair_order.number} {j.operation}", "reason": {"zh": "等待备件到货", "en": "waiting for parts"}}
               for j in waiting_parts]
    return {"plan": rows, "moves": moves, "unassignable": cannot, "late": list(plan.late),
            "weighted_lateness": round(plan.weighted_lateness, 1), "now": _aware(ctx, ctx.now_local).isoformat(timespec="minutes")}


def _touch(ctx: Ctx, tech_id: int, client_version: int | None) -> Technician:
    """Claim a technician's slot: a second foreman planning onto the same technician at once gets 409."""
    tech = ctx.ref(Technician, tech_id, "technician_id", "technician")
    if not tech.present:
        raise InvalidInput.one("technician_id", f"{tech.name} is not on shift today")
    if client_version is not None and tech.version != client_version:
        raise StaleVersion("technician", tech_id, {"version": tech.version})
    flag_modified(tech, "name")  # bumps the version: the other foreman's view is now stale
    return tech


def assign(ctx: Ctx, data: commands.AssignIn) -> Job:
    """Give a job to a technician (or move it to another); against the suggestion it needs a reason,
    is kept as an override (counted for the KPIs) and pinned there."""
    job = ctx.edit(Job, data.job_id, "job", data.version)
    if job.stage not in (Stage.WAITING_DISPATCH, Stage.DISPATCHED):
        raise IllegalMove(f"Job {job.id} is '{job.stage.en}'; only a job not yet started can be assigned.",
                          f"作业 {job.id} 为「{job.stage.zh}」,只有未开工的作业才能派工。")
    tech = _touch(ctx, data.technician_id, data.technician_version)
    plan, _jobs, _parts, _moves = current_plan(ctx)
    suggested = plan.slot(job.id)
    override = suggested is None or suggested.tech_id != tech.id
    if override and not data.reason:
        raise InvalidInput.one("reason", "assigning against the suggestion needs a reason (it is kept and counted)")
    if job.stage is Stage.DISPATCHED:
        repair_orders.transition(ctx, job.id, commands.TransitionIn(action=Action.UNASSIGN, version=job.version))
    repair_orders.transition(ctx, job.id, commands.TransitionIn(action=Action.DISPATCH, version=job.version, technician_id=tech.id,
                                                                 bay_id=data.bay_id or (suggested.bay_id if suggested and not override else None)))
    job.pinned = override
    ctx.session.flush()
    # Where the job now stands in the plan (a pinned job is planned around its car's other jobs:
    # a car is in one place at a time), and why.
    placed = current_plan(ctx)[0].slot(job.id)
    if placed is not None:
        job.planned_start, job.planned_end = _aware(ctx, placed.start), _aware(ctx, placed.end)
        if job.bay_id is None:
            job.bay_id = placed.bay_id
        ctx.session.flush()  # the answer carries the version the client will send next
    if override:
        ctx.record("job", job.id, "override", {"suggested_technician_id": suggested.tech_id if suggested else None},
                   {"technician_id": tech.id}, data.reason)
    return job


def accept(ctx: Ctx, data: commands.AcceptIn) -> list[Job]:
    """Accept the whole plan: every job not started goes where the plan puts it. All or nothing:
    one job changed meanwhile (a stale version) and nothing is applied."""
    plan, _jobs, _parts, _moves = current_plan(ctx)
    movable = [s for s in plan.slots if not s.fixed]
    stale = [s.job_id for s in movable if data.versions.get(str(s.job_id)) != ctx.session.get(Job, s.job_id).version]  # type: ignore[union-attr]
    if stale:
        raise StaleVersion("plan", stale, {"stale_jobs": stale})
    done = []
    for s in movable:
        job = ctx.session.get(Job, s.job_id)
        assert job is not None
        if job.stage is Stage.DISPATCHED and job.technician_id == s.tech_id:
            job.planned_start, job.planned_end = _aware(ctx, s.start), _aware(ctx, s.end)
            continue
        if job.stage is Stage.DISPATCHED:
            repair_orders.transition(ctx, job.id, commands.TransitionIn(action=Action.UNASSIGN, version=job.version))
        repair_orders.transition(ctx, job.id, commands.TransitionIn(action=Action.DISPATCH, version=job.version, technician_id=s.tech_id, bay_id=s.bay_id))
        job.planned_start, job.planned_end = _aware(ctx, s.start), _aware(ctx, s.end)
        done.append(job)
    ctx.session.flush()
    return done


def clock_on(ctx: Ctx, job_id: int, version: int) -> Job:
    """A technician starts (or resumes) a job; whatever else he was on is clocked off first."""
    job = ctx.edit(Job, job_id, "job", version)
    if job.technician_id is None or job.stage not in (Stage.DISPATCHED, Stage.STOPPED):
        raise IllegalMove(f"Job {job.id} is '{job.stage.en}'; a technician clocks on a job dispatched to him or one stopped.",
                          f"作业 {job.id} 为「{job.stage.zh}」,只能对已派给自己的或中断的作业开工。")
    others = list(ctx.session.scalars(select(Job).where(Job.technician_id == job.technician_id, Job.stage == Stage.IN_PROGRESS, Job.id != job.id)))
    _car_free(ctx, job, {o.id for o in others})
    for other in others:
        repair_orders.transition(ctx, other.id, commands.TransitionIn(action=Action.STOP, version=other.version, reason=StopReason.OTHER,
                                                                       note=f"转做 {job.repair_order.number} switched to {job.repair_order.number}"))
    action = Action.START if job.stage is Stage.DISPATCHED else Action.RESUME
    return repair_orders.transition(ctx, job.id, commands.TransitionIn(action=action, version=job.version))


def _car_free(ctx: Ctx, job: Job, stopping: set[int]) -> None:
    """A technician cannot start on a car that is being worked in another bay right now."""
    plan, jobs, _parts, _moves = current_plan(ctx)
    bays = [model.BayIn(b.id, b.name, b.kind.value) for b in ctx.session.scalars(select(Bay).where(Bay.shop_id == ctx.shop.id))]
    mine = next((j for j in jobs if j.id == job.id), None)
    if mine is None:
        return
    found = cars.clock_on_conflict(mine, job.bay_id, ctx.now_local, plan, jobs, bays, ignore=stopping)
    if found is not None:
        raise IllegalMove(f"This car is being worked elsewhere: {found.reason.en}. Start when it is free, or in the same bay if the job allows it.",
                          f"该车正在别处维修:{found.reason.zh}。请待车辆空出后开工。")


def clock_off(ctx: Ctx, job_id: int, data: commands.ClockOffIn) -> Job:
    return repair_orders.transition(ctx, job_id, commands.TransitionIn(action=Action.STOP, version=data.version, reason=data.reason, note=data.note))


