"""The foreman's dispatch: assign, accept the plan, a technician's clock — decided from the shop's
plan every screen shows (board/dispatch/plan_store.py) and committed; the live boards follow (the commits stage
their deltas like any other change)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from board import commands
from board.context import Ctx
from board.db.models import Bay, Job, RepairOrder, Technician
from board.dispatch import cars, model, plan_store
from board.dispatch.shop_plan import current_plan
from board.domain import stages
from board.domain.stages import Action, generic_road
from board.domain.vocab import Stage, StopReason
from board.errors import IllegalMove, InvalidInput, PlanChanged, StaleVersion
from board.services import car_place, repair_orders


def _aware(ctx: Ctx, at: datetime) -> datetime:
    return at.replace(tzinfo=ctx.zone)


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
    shown = plan_store.shown(ctx).plan  # what the foreman is shown
    suggested = shown.slot(job.id)
    override = suggested is None or suggested.tech_id != tech.id
    if override and not data.reason:
        if data.plan_stamp is not None and data.plan_stamp != plan_store.stamp(shown):  # he clicked what his screen suggested
            raise PlanChanged({"technician_id": suggested.tech_id} if suggested else None)
        raise InvalidInput.one("reason", "assigning against the suggestion needs a reason (it is kept and counted)")
    if job.stage is Stage.DISPATCHED:
        repair_orders.transition(ctx, job.id, commands.TransitionIn(action=Action.UNASSIGN, version=job.version))
    repair_orders.transition(ctx, job.id, commands.TransitionIn(action=Action.DISPATCH, version=job.version, technician_id=tech.id,
                                                                 bay_id=data.bay_id or (suggested.bay_id if suggested and not override else None)))
    job.pinned = override
    ctx.session.flush()
    # Where the job now stands in the plan: as suggested, or (pinned against it) planned around its
    # car's other jobs — a car is in one place at a time.
    placed = suggested if not override else current_plan(ctx)[0].slot(job.id)
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
    plan = plan_store.shown(ctx).plan  # the plan the foreman was shown, not a new one
    if data.plan_stamp is not None and data.plan_stamp != plan_store.stamp(plan):
        raise PlanChanged()
    movable = [s for s in plan.slots if not s.fixed and _plannable(ctx.session.get(Job, s.job_id))]
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


def _plannable(job: Job | None) -> bool:
    """Still the plan's to place: not started, finished or removed since the plan was made, nor
    placed by the foreman's own hand."""
    return job is not None and job.stage in (Stage.WAITING_DISPATCH, Stage.DISPATCHED) and not job.pinned


def clock_on(ctx: Ctx, job_id: int, version: int) -> Job:
    """A technician starts (or resumes) a card: whatever else he was on is clocked off first, and the
    car goes up in its bay — the one it stands in, else the one the plan gave it when free, else the
    first free one of its kind (board/dispatch/cars.py) — or he is told why not."""
    job = ctx.edit(Job, job_id, "job", version)
    if job.technician_id is None or job.stage not in (Stage.DISPATCHED, Stage.STOPPED):
        raise IllegalMove(f"Job {job.id} is '{job.stage.en}'; a technician clocks on a job dispatched to him or one stopped.",
                          f"作业 {job.id} 为「{job.stage.zh}」,只能对已派给自己的或中断的作业开工。")
    ro = job.repair_order
    others = list(ctx.session.scalars(select(Job).where(Job.technician_id == job.technician_id, Job.stage == Stage.IN_PROGRESS, Job.id != job.id)))
    bay = _bay_for(ctx, job, ro)
    for other in others:
        repair_orders.transition(ctx, other.id, commands.TransitionIn(action=Action.STOP, version=other.version, reason=StopReason.OTHER,
                                                                       note=f"转做 {ro.number} switched to {ro.number}"))
    action = Action.START if job.stage is Stage.DISPATCHED else Action.RESUME
    return repair_orders.transition(ctx, job.id, commands.TransitionIn(action=action, version=job.version, bay_id=bay.id))


def _bay_for(ctx: Ctx, job: Job, ro: RepairOrder) -> Bay:
    bays = list(ctx.session.scalars(select(Bay).where(Bay.shop_id == ctx.shop.id).order_by(Bay.id)))
    standing = dict(ctx.session.execute(select(RepairOrder.bay_id, RepairOrder.vehicle_id).where(  # a car is its vehicle, as the planner has it
        RepairOrder.shop_id == ctx.shop.id, RepairOrder.bay_id.is_not(None))).all())
    names = {t.id: t.name for t in ctx.session.scalars(select(Technician).where(Technician.shop_id == ctx.shop.id))}
    worked = [cars.Worked(j.id, names.get(j.technician_id or 0, "?"), j.shares_car) for j in ro.jobs
              if j.stage is Stage.IN_PROGRESS and j.id != job.id and j.technician_id != job.technician_id]
    kept = plan_store.kept(ctx)  # the bay the screens show for it (no new plan is made for a clock-on)
    planned = kept[0].plan.slot(job.id) if kept else None
    floor = [model.BayIn(b.id, b.name, b.kind.value, car=standing.get(b.id)) for b in bays]
    found = cars.bay_for_clock_on(ro.vehicle_id, job.bay_kind.value, job.shares_car, planned.bay_id if planned else job.bay_id, floor, worked)
    if isinstance(found, cars.Refused):
        raise IllegalMove(f"{ro.vehicle.plate_typed} cannot go up now: {found.reason.en}.", f"{ro.vehicle.plate_typed} 现在无法开工:{found.reason.zh}。")
    return next(b for b in bays if b.id == found.id)


def clock_off(ctx: Ctx, job_id: int, data: commands.ClockOffIn) -> Job:
    """The technician stops work on the card, with a reason; the car stays in its bay (the foreman may
    send it to the waiting area)."""
    return repair_orders.transition(ctx, job_id, commands.TransitionIn(action=Action.STOP, version=data.version, reason=data.reason, note=data.note))


def to_waiting_area(ctx: Ctx, ro_id: int, data: commands.WaitingAreaIn) -> RepairOrder:
    """The foreman frees a bay: the stopped car goes to the waiting area (待修区)."""
    return car_place.to_waiting_area(ctx, ctx.get(RepairOrder, ro_id, "repair order"), data.version, data.reason)


def move(ctx: Ctx, job_id: int, data: commands.TransitionIn) -> Job:
    """The generic road (POST /jobs/{id}/transitions): a step with a road of its own with rules is
    refused with its road named (board/domain/stages.py: STEPS); a start or a resume goes down the
    clock-on's road; the rest are plain moves of the stage machine."""
    job = ctx.get(Job, job_id, "job")
    generic_road(data.action, ctx.shop.code, job.id, job.repair_order_id)
    if data.action in (Action.START, Action.RESUME):
        stages.move(job.stage, data.action)  # an illegal one is refused first, with what can be done instead
        return clock_on(ctx, job_id, data.version)
    return repair_orders.transition(ctx, job_id, data)
