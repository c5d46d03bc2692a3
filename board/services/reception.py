"""Reception and the repair order (接车/制单), on the advisor's tablet, from an arrival.

The advisor walks round the car with the customer (mileage, fuel, marks, valuables, his words),
picks service menus and adds jobs, reads the estimate (labour hours × the shop's labour rate +
parts), asks whether the customer waits or leaves (it sets the priority), and proposes a promise
time **from the live plan**: when the dispatcher would finish this car, given everything already
on the floor, plus the quality check, the wash and a margin. She may move it. The customer signs
on the tablet; the order, its walk-round, its parts and the estimate are written in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from board import commands
from board.context import Ctx, snapshot
from board.db.models import Appointment, Arrival, PartLine, Reception, RepairOrder
from board.dispatch import model, plan_store
from board.dispatch.speed import MIN_OVERRUNS
from board.domain.vocab import AppointmentStatus, PartLineStatus, PriorityClass
from board.errors import IllegalMove, InvalidInput
from board.services import arrivals, menus, repair_orders
from board.services.acting import advisor_in_charge

# After the last job: the inspector's check and the wash, as the lounge tells the customer. On top
# of it, the margin the shop's own history asks for (board/dispatch/plan_store.py: promise_margin).
QC_AND_WASH = timedelta(minutes=30)
ROUND_TO_MINUTES = 10


@dataclass(frozen=True)
class Work:
    """The job lines and parts an order will have: from its menus, then the jobs added by hand."""

    jobs: list[commands.JobIn]
    parts: list[tuple[int, commands.MenuPart]]  # (index of the job they go with, the part)
    hours: float
    parts_amount: float


def work_of(ctx: Ctx, data: commands.QuoteIn) -> Work:
    jobs: list[commands.JobIn] = []
    parts: list[tuple[int, commands.MenuPart]] = []
    for menu in menus.by_codes(ctx, list(data.menus)):
        first = len(jobs)
        jobs += [commands.JobIn(**j, menu_code=menu.code) for j in menu.jobs]
        parts += [(first, commands.MenuPart(**p)) for p in menu.parts]
    jobs += list(data.jobs)
    if not jobs:
        raise InvalidInput.one("jobs", "choose a service menu or add a job")
    return Work(jobs, parts, round(sum(j.est_hours for j in jobs), 2), round(sum(p.qty * p.unit_price for _, p in parts), 2))


def _priority(data: commands.QuoteIn) -> PriorityClass:
    if data.customer_waiting:
        return PriorityClass.WAITING
    return PriorityClass.APPOINTMENT if data.appointment_id is not None else PriorityClass.WALK_IN


def _vehicle_of(ctx: Ctx, appointment_id: int | None) -> int | None:
    if appointment_id is None:
        return None
    return ctx.ref(Appointment, appointment_id, "appointment_id", "appointment").vehicle_id


def quote(ctx: Ctx, data: commands.QuoteIn) -> dict[str, Any]:
    """The estimate and a promise proposed from the live plan, for work not yet written down."""
    work = work_of(ctx, data)
    priority = _priority(data)
    car = _vehicle_of(ctx, data.appointment_id)
    extra = [model.JobIn(id=-(n + 1), label=j.operation, priority=priority.value, skill=j.skill.value, level=j.level, hours=j.est_hours,
                         bay_kind=j.bay_kind.value, car=-1 if car is None else car, shares_car=j.shares_car)
             for n, j in enumerate(work.jobs)]
    plan = plan_store.quote(ctx, extra)
    margin = plan_store.promise_margin(ctx)
    ends = [s.end for s in plan.slots if s.job_id < 0]
    cannot = [r for job_id, r in plan.unassignable if job_id < 0]
    finish = max(ends) if ends and not cannot else None
    allowance = QC_AND_WASH + timedelta(minutes=margin.minutes)
    promise = _round_up(finish + allowance) if finish else None
    rate = ctx.shop.labour_rate
    return {
        "hours": work.hours, "labour_rate": rate, "labour": round(work.hours * rate, 2), "parts": work.parts_amount,
        "total": round(work.hours * rate + work.parts_amount, 2), "priority": priority.value,
        "finish": finish.replace(tzinfo=ctx.zone).isoformat(timespec="minutes") if finish else None,
        "promise": promise.replace(tzinfo=ctx.zone).isoformat(timespec="minutes") if promise else None,
        "allowance_minutes": int(allowance.total_seconds() // 60),
        "margin": {"minutes": margin.minutes, "percentile": margin.percentile, "past_jobs": margin.past_jobs,
                   "zh": _margin_words(margin)[0], "en": _margin_words(margin)[1]},
        "cannot": [{"zh": r.zh, "en": r.en} for r in cannot],
        "jobs": [j.model_dump(mode="json") for j in work.jobs],
    }


def _margin_words(m: plan_store.Margin) -> tuple[str, str]:
    if m.past_jobs < MIN_OVERRUNS:
        return (f"余量 {m.minutes} 分钟(历史完工记录不足 {MIN_OVERRUNS} 项,取默认值)",
                f"margin {m.minutes} min (fewer than {MIN_OVERRUNS} past jobs: the default)")
    return (f"余量 {m.minutes} 分钟:近30天 {m.past_jobs} 项作业中 {m.percentile}% 在计划完工后该时间内完成",
            f"margin {m.minutes} min: {m.percentile}% of the last 30 days' {m.past_jobs} jobs finished within it of their planned end")


def _round_up(at: datetime) -> datetime:
    at = at.replace(second=0, microsecond=0)
    return at + timedelta(minutes=-at.minute % ROUND_TO_MINUTES)


def receive_car(ctx: Ctx, data: commands.ReceptionIn) -> RepairOrder:
    """Write the repair order from the reception: the order with its jobs, the walk-round and the
    signature, the parts of its menus for the parts desk, and the estimate the customer signed."""
    appointment_id = data.appointment_id
    arrival = None
    if data.arrival_id is not None:
        arrival = ctx.ref(Arrival, data.arrival_id, "arrival_id", "arrival")
        if arrival.undone_at is not None:
            raise IllegalMove("This arrival was taken back.", "该到店记录已撤销。")
        appointment_id = appointment_id or arrival.appointment_id
    if appointment_id is not None:
        appt = ctx.ref(Appointment, appointment_id, "appointment_id", "appointment")
        if appt.status not in (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED):
            raise IllegalMove(f"Booking {appt.id} is {appt.status.en.lower()}.", f"预约 {appt.id} 为「{appt.status.zh}」。")
    if not data.signature:
        raise InvalidInput.one("signature", "the customer signs the order on the tablet before it is written")
    work = work_of(ctx, data)
    order = repair_orders.open_order(ctx, commands.RepairOrderIn(
        appointment_id=appointment_id, plate=data.plate, model=data.model, customer_name=data.customer_name, title=data.title,
        phone=data.phone, advisor_id=data.advisor_id, promised_at=data.promised_at, customer_waiting=data.customer_waiting,
        note=data.note, jobs=work.jobs))
    if arrival is not None and arrival.received_at is None:  # writing the order is receiving the customer
        arrivals.receive(ctx, arrival.id, arrival.version, advisor_in_charge(ctx, data.advisor_id, order.advisor_id))
    rate = ctx.shop.labour_rate
    order.estimate_labour, order.estimate_parts, order.signed_at = round(work.hours * rate, 2), work.parts_amount, ctx.now
    for job in order.jobs:
        job.labour_price = round(job.est_hours * rate, 2)
    walk = data.walk_round
    reception = Reception(shop_id=ctx.shop.id, repair_order_id=order.id, mileage_km=walk.mileage_km, fuel_eighths=walk.fuel_eighths,
                          marks=[m.model_dump() for m in walk.marks], valuables=walk.valuables, customer_words=walk.customer_words,
                          signature=data.signature, signed_at=ctx.now, created_at=ctx.now, created_by=ctx.actor)
    ctx.session.add(reception)
    for index, part in work.parts:
        ctx.session.add(PartLine(shop_id=ctx.shop.id, job_id=order.jobs[index].id, part_no=part.part_no, name=part.name, qty=part.qty,
                                 unit_price=part.unit_price, status=PartLineStatus.NEEDED, updated_at=ctx.now))
    ctx.session.flush()
    ctx.record("repair_order", order.id, "signed", None,
               {"estimate_labour": order.estimate_labour, "estimate_parts": order.estimate_parts, "menus": list(data.menus),
                "promised_at": order.promised_at.isoformat(), "customer_waiting": order.customer_waiting}
               | snapshot(reception, ["mileage_km", "fuel_eighths", "valuables", "customer_words"]))
    return order


def reception_of(ctx: Ctx, order_id: int) -> Reception | None:
    return ctx.session.scalar(select(Reception).where(Reception.shop_id == ctx.shop.id, Reception.repair_order_id == order_id))


def serialize(reception: Reception) -> dict[str, Any]:
    return {"repair_order_id": reception.repair_order_id, "mileage_km": reception.mileage_km, "fuel_eighths": reception.fuel_eighths,
            "marks": reception.marks, "valuables": reception.valuables, "customer_words": reception.customer_words,
            "signed": bool(reception.signature), "signed_at": reception.signed_at.isoformat() if reception.signed_at else None,
            "created_by": reception.created_by}

