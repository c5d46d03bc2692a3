"""Repair orders and their job cards: opened at reception, each line of work on the card of its kind
(board/domain/cards.py), cards moved through the stages (board/domain/stages.py), the car into its
bay and out of it as they move (board/services/car_place.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm.attributes import flag_modified

from board import commands
from board.context import Ctx, snapshot
from board.db.models import Advisor, Appointment, Bay, Job, JobLine, RepairOrder, Technician
from board.domain import cards, checklists
from board.domain.stages import Action, move
from board.domain.vocab import AppointmentStatus, PriorityClass, Stage
from board.errors import FieldProblem, IllegalMove, InvalidInput
from board.services import appointments, car_place
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


def open_order(ctx: Ctx, data: commands.RepairOrderIn, menu_names: dict[str, str] | None = None) -> RepairOrder:
    """Open a repair order with its lines of work on their cards (``menu_names``: code -> name of the
    menus the lines come from, the names of their cards)."""
    return open_order_with_cards(ctx, data, menu_names)[0]


def open_order_with_cards(ctx: Ctx, data: commands.RepairOrderIn, menu_names: dict[str, str] | None = None) -> tuple[RepairOrder, list[Job]]:
    """``open_order``, and the card each line went on (in the order of ``data.jobs``)."""
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
    placed = [add_job(ctx, ro, line, menu_names) for line in data.jobs]
    ctx.session.refresh(ro)
    return ro, placed


def _kind(job: Job) -> cards.Kind:
    return cards.Kind(job.skill, job.bay_kind, job.priority, job.shares_car)


def _skills_of(ctx: Ctx, job: Job) -> dict[Any, int] | None:
    tech = ctx.session.get(Technician, job.technician_id) if job.technician_id else None
    return {s.skill: s.level for s in tech.skills} if tech else None


def add_job(ctx: Ctx, ro: RepairOrder, data: commands.JobIn, menu_names: dict[str, str] | None = None, finding_id: int | None = None,
            prefer: Job | None = None) -> Job:
    """A line of work on the order: on its open card of the same kind (one card, one technician;
    ``prefer``'s first), else on a card of its own. Returns the card. ``menu_names``: code -> name
    of the menus the lines come from."""
    priority = data.priority or order_priority(ro)
    kind = cards.Kind(data.skill, data.bay_kind, priority, data.shares_car)
    candidates = sorted(ro.jobs, key=lambda j: j is not prefer)
    card = next((j for j in candidates if cards.joins(_kind(j), j.stage, kind, data.level, data.separate, _skills_of(ctx, j))), None)
    line = JobLine(shop_id=ctx.shop.id, operation=data.operation, est_hours=data.est_hours, finding_id=finding_id,
                   check=data.check if data.check is not None else checklists.kind_of(data.operation))
    if card is None:
        menu_name = menu_names.get(data.menu_code) if menu_names and data.menu_code else None
        card = Job(shop_id=ctx.shop.id, repair_order=ro, operation=cards.name([data.operation], menu_name), skill=data.skill, level=data.level, est_hours=data.est_hours,
                   bay_kind=data.bay_kind, parts_status=data.parts_status, shares_car=data.shares_car, menu_code=data.menu_code,
                   priority=priority, stage=Stage.WAITING_DISPATCH, finding_id=finding_id)
        ctx.session.add(card)
        line.position = 1
        card.lines.append(line)
        ctx.session.flush()
        ctx.record("job", card.id, "created", None, snapshot(card, JOB_FIELDS) | {"repair_order_id": ro.id, "lines": [line.operation]})
        return card
    before = snapshot(card, JOB_FIELDS)
    line.position = len(card.lines) + 1
    card.lines.append(line)
    card.est_hours = round(card.est_hours + data.est_hours, 2)
    card.level = max(card.level, data.level)
    menus = {card.menu_code, data.menu_code} - {None}
    one_menu = menu_names.get(card.menu_code) if menu_names and card.menu_code and len(menus) == 1 and not finding_id else None
    card.operation = cards.name([ln.operation for ln in card.lines], one_menu)
    if data.parts_status is not card.parts_status and data.parts_status.value != "none_needed":
        card.parts_status = data.parts_status
    ctx.session.flush()
    ctx.record("job", card.id, "line_added", before, snapshot(card, JOB_FIELDS) | {"line": line.operation, "hours": line.est_hours})
    return card


def tick_line(ctx: Ctx, job_id: int, line_id: int, data: commands.LineDoneIn) -> Job:
    """The technician ticks an operation of his card done (or takes the tick back)."""
    card = ctx.edit(Job, job_id, "job", data.version)
    line = next((ln for ln in card.lines if ln.id == line_id), None)
    if line is None:
        raise InvalidInput.one("line_id", f"job {card.id} has no line {line_id}")
    if card.stage not in (Stage.DISPATCHED, Stage.IN_PROGRESS, Stage.STOPPED):
        raise IllegalMove(f"Job {card.id} is '{card.stage.en}': its operations are ticked while it is being worked.",
                          f"作业 {card.id} 为「{card.stage.zh}」,维修中才能勾选作业项目。")
    before = {"line_id": line.id, "done": line.done_at is not None}
    line.done_at, line.done_by = (ctx.now, ctx.actor[:60]) if data.done else (None, "")
    ctx.session.flush()
    flag_card(card)
    ctx.session.flush()
    ctx.record("job", card.id, "line_done" if data.done else "line_undone", before, {"line_id": line.id, "operation": line.operation,
                                                                                     "done": data.done})
    return card


def flag_card(card: Job) -> None:
    """A change to one of a card's lines is a change of the card: its version moves (the screens' edits carry it)."""
    flag_modified(card, "operation")


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
    """One move of the stage machine, as the step's own service asks for it (clock-on names the bay
    the car is worked in); the car goes up in that bay, and leaves it once none of its cards is left
    to work there."""
    job = ctx.edit(Job, job_id, "job", data.version)
    ctx.check_ref(Technician, data.technician_id, "technician_id", "technician")
    bay = ctx.ref(Bay, data.bay_id, "bay_id", "bay") if data.bay_id is not None else None
    step = move(job.stage, data.action, data.reason, has_technician=data.technician_id is not None)
    if step.after is Stage.IN_PROGRESS and bay is None:
        raise IllegalMove(f"Job {job.id} is started by a clock-on, which puts the car in a bay.", f"作业 {job.id} 须打卡开工(车辆进入工位)。")
    before = snapshot(job, JOB_FIELDS)
    job.stage = step.after
    if data.action is Action.DISPATCH:
        job.technician_id = data.technician_id
        job.bay_id = data.bay_id
    elif data.action is Action.UNASSIGN:
        job.technician_id = None
        job.bay_id = None
        job.planned_start = job.planned_end = None
    elif step.after is Stage.IN_PROGRESS:
        job.bay_id = data.bay_id
        if job.actual_start is None:
            job.actual_start = ctx.now
    elif data.action is Action.FINISH:
        job.actual_end = ctx.now
    elif data.action is Action.QC_FAIL:
        job.qc_failures += 1
        job.actual_end = None
        job.planned_start = job.planned_end = None
    job.stop_reason = step.stop_reason
    job.stopped_at = ctx.now if step.after is Stage.STOPPED else None
    job.stop_note = data.note if data.action is Action.STOP else ""
    ctx.session.flush()
    ctx.record("job", job.id, data.action.value, before, snapshot(job, JOB_FIELDS), data.note)
    if bay is not None and step.after is Stage.IN_PROGRESS:
        car_place.put(ctx, job.repair_order, bay)
    elif data.action in (Action.FINISH, Action.UNASSIGN, Action.QC_FAIL):
        car_place.leave_if_done(ctx, job.repair_order)
    return job


def jobs(ctx: Ctx, stage: Stage | None = None) -> list[Job]:
    query = select(Job).where(Job.shop_id == ctx.shop.id)
    if stage is not None:
        query = query.where(Job.stage == stage)
    return list(ctx.session.scalars(query.order_by(Job.id)))


def orders(ctx: Ctx) -> list[RepairOrder]:
    return list(ctx.session.scalars(select(RepairOrder).where(RepairOrder.shop_id == ctx.shop.id).order_by(RepairOrder.id)))
