"""Repair orders and their job lines: opened at reception, moved through the stages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from board import commands
from board.context import Ctx, snapshot
from board.db.models import Advisor, Appointment, Bay, Job, RepairOrder, Technician
from board.domain.stages import Action, move
from board.domain.vocab import AppointmentStatus, PriorityClass, Stage
from board.errors import FieldProblem, IllegalMove, InvalidInput
from board.services import appointments
from board.services.acting import advisor_in_charge

JOB_FIELDS = [
    "operation", "skill", "level", "est_hours", "bay_kind", "priority", "stage", "stop_reason",
    "technician_id", "bay_id", "parts_status", "qc_failures", "actual_start", "actual_end", "stopped_at",
]


def _next_number(ctx: Ctx) -> str:
    prefix = f"RO{ctx.today.strftime('%Y%m%d')}-"
    count = ctx.session.scalar(
        select(func.count()).select_from(RepairOrder).where(RepairOrder.shop_id == ctx.shop.id, RepairOrder.number.like(prefix + "%"))
    )
    return f"{prefix}{(count or 0) + 1:03d}"


def order_priority(ro: RepairOrder) -> PriorityClass:
    """Rework first, then customers waiting on site, then bookings, then walk-ins."""
    if ro.rework_of_id is not None:
        return PriorityClass.REWORK
    if ro.customer_waiting:
        return PriorityClass.WAITING
    if ro.appointment_id is not None:
        return PriorityClass.APPOINTMENT
    return PriorityClass.WALK_IN


def _aware(ctx: Ctx, at: datetime) -> datetime:
    """Times typed without a zone are the shop's wall-clock time."""
    return at.replace(tzinfo=ctx.zone) if at.tzinfo is None else at


def open_order(ctx: Ctx, data: commands.RepairOrderIn) -> RepairOrder:
    ctx.check_ref(Advisor, data.advisor_id, "advisor_id", "advisor")
    ctx.check_ref(RepairOrder, data.rework_of_id, "rework_of_id", "repair order")
    promised = _aware(ctx, data.promised_at)
    if promised <= ctx.now:
        raise InvalidInput.one("promised_at", "the promised time must be later than now")
    if data.appointment_id is not None:
        appt = ctx.ref(Appointment, data.appointment_id, "appointment_id", "appointment")
        if ctx.session.scalar(select(RepairOrder.id).where(RepairOrder.appointment_id == appt.id)) is not None:
            raise IllegalMove(
                f"Booking {appt.id} already has a repair order.", f"预约 {appt.id} 已开具维修委托书。"
            )
        if appt.status is AppointmentStatus.BOOKED:
            appointments.mark_arrived(ctx, appt, source="order")  # writing the order is proof the car is here
        elif appt.status is not AppointmentStatus.ARRIVED:
            raise IllegalMove(
                f"Booking {appt.id} is {appt.status.en.lower()}; a repair order needs the car to be here.",
                f"预约 {appt.id} 为「{appt.status.zh}」,车辆未到店,不能开单。",
            )
        vehicle, customer = appt.vehicle, appt.customer
        advisor_id = advisor_in_charge(ctx, data.advisor_id, appt.advisor_id)
    else:
        missing = [f for f in ("plate", "model", "customer_name", "phone") if getattr(data, f) is None]
        if missing:
            raise InvalidInput([FieldProblem(f, "required for a walk-in (no appointment_id)") for f in missing])
        customer = appointments.find_or_add_customer(ctx, data.customer_name or "", data.title, data.phone or "")
        vehicle = appointments.find_or_add_vehicle(ctx, data.plate or "", data.model or "", None, customer)
        advisor_id = advisor_in_charge(ctx, data.advisor_id)
    if advisor_id is None:
        raise InvalidInput.one("advisor_id", "a repair order needs its service advisor (you are signed in as nobody's advisor)")
    ro = RepairOrder(
        shop_id=ctx.shop.id,
        number=_next_number(ctx),
        appointment_id=data.appointment_id,
        vehicle_id=vehicle.id,
        customer_id=customer.id,
        advisor_id=advisor_id,
        opened_at=ctx.now,
        promised_at=promised,
        customer_waiting=data.customer_waiting,
        rework_of_id=data.rework_of_id,
        note=data.note,
    )
    ctx.session.add(ro)
    ctx.session.flush()
    ctx.record("repair_order", ro.id, "opened", None, snapshot(ro, ["number", "appointment_id", "vehicle_id", "advisor_id", "promised_at", "customer_waiting", "rework_of_id"]))
    for line in data.jobs:
        add_job(ctx, ro, line)
    ctx.session.refresh(ro)
    return ro


def add_job(ctx: Ctx, ro: RepairOrder, data: commands.JobIn) -> Job:
    job = Job(
        shop_id=ctx.shop.id,
        repair_order_id=ro.id,
        operation=data.operation,
        skill=data.skill,
        level=data.level,
        est_hours=data.est_hours,
        bay_kind=data.bay_kind,
        parts_status=data.parts_status,
        shares_car=data.shares_car,
        menu_code=data.menu_code,
        priority=data.priority or order_priority(ro),
        stage=Stage.WAITING_DISPATCH,
    )
    ctx.session.add(job)
    ctx.session.flush()
    ctx.record("job", job.id, "created", None, snapshot(job, JOB_FIELDS) | {"repair_order_id": ro.id})
    return job


def update_job(ctx: Ctx, job_id: int, data: commands.JobPatch) -> Job:
    job = ctx.edit(Job, job_id, "job", data.version)
    if job.stage is Stage.DELIVERED:
        raise IllegalMove("A delivered job can no longer be changed.", "已交车的作业不能再修改。")
    before = snapshot(job, JOB_FIELDS)
    for name, value in data.model_dump(exclude_unset=True, exclude={"version"}).items():
        setattr(job, name, value)
    ctx.session.flush()
    ctx.record("job", job.id, "updated", before, snapshot(job, JOB_FIELDS))
    return job


def transition(ctx: Ctx, job_id: int, data: commands.TransitionIn) -> Job:
    job = ctx.edit(Job, job_id, "job", data.version)
    ctx.check_ref(Technician, data.technician_id, "technician_id", "technician")
    ctx.check_ref(Bay, data.bay_id, "bay_id", "bay")
    step = move(job.stage, data.action, data.reason, has_technician=data.technician_id is not None)
    before = snapshot(job, JOB_FIELDS)
    job.stage = step.after
    if data.action is Action.DISPATCH:
        job.technician_id = data.technician_id
        job.bay_id = data.bay_id
    elif data.action is Action.UNASSIGN:
        job.technician_id = None
        job.bay_id = None
        job.planned_start = job.planned_end = None
    elif data.action is Action.START and job.actual_start is None:
        job.actual_start = ctx.now
    elif data.action is Action.FINISH:
        job.actual_end = ctx.now
    elif data.action is Action.QC_FAIL:
        job.qc_failures += 1
        job.actual_end = None
    job.stop_reason = step.stop_reason
    job.stopped_at = ctx.now if step.after is Stage.STOPPED else None
    job.stop_note = data.note if data.action is Action.STOP else ""
    ctx.session.flush()
    ctx.record("job", job.id, data.action.value, before, snapshot(job, JOB_FIELDS), data.note)
    return job


def jobs(ctx: Ctx, stage: Stage | None = None) -> list[Job]:
    query = select(Job).where(Job.shop_id == ctx.shop.id)
    if stage is not None:
        query = query.where(Job.stage == stage)
    return list(ctx.session.scalars(query.order_by(Job.id)))


def orders(ctx: Ctx) -> list[RepairOrder]:
    return list(ctx.session.scalars(select(RepairOrder).where(RepairOrder.shop_id == ctx.shop.id).order_by(RepairOrder.id)))
