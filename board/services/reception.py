"""Reception and the repair order (接车/制单), on the advisor's tablet, from an arrival.

The advisor walks round the car with the customer (mileage, fuel, marks, valuables, his words),
picks service menus and adds jobs, reads the estimate (labour hours × the shop's labour rate +
parts), asks whether the customer waits or leaves (it sets the priority), and proposes a promise
time **from the live plan**: when the dispatcher would finish this car, given everything already
on the floor, plus the quality check, the wash and a margin. She may move it. The customer signs
on the tablet; the order, its walk-round, its parts and the estimate are written in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from board import commands
from board.context import Ctx, snapshot
from board.db.models import Appointment, Arrival, PartLine, Reception, RepairOrder
from board.dispatch import model, plan_store, rules
from board.dispatch.speed import MIN_OVERRUNS
from board.domain.vocab import AppointmentStatus, BayKind, PartLineStatus, PriorityClass, ServiceType, Skill
from board.errors import IllegalMove, InvalidInput
from board.services import arrivals, booking_capacity, menus, repair_orders, staff
from board.services.acting import advisor_in_charge

# After the last card, the inspector's check and the wash (rules.QC_AND_WASH), as the lounge tells the
# customer; on top of it, the margin the shop's own history asks for (plan_store.promise_margin).
QC_AND_WASH = rules.QC_AND_WASH
ROUND_TO_MINUTES = 10


@dataclass(frozen=True)
class Work:
    """The lines of work and parts an order will have: from its menus, then the lines added by hand."""

    jobs: list[commands.JobIn]
    parts: list[tuple[int, commands.MenuPart]]  # (index of the line they go with, the part)
    hours: float
    parts_amount: float
    menu_names: dict[str, str]  # code -> name: a menu is one card, named after it


def work_of(ctx: Ctx, data: commands.QuoteIn) -> Work:
    jobs: list[commands.JobIn] = []
    parts: list[tuple[int, commands.MenuPart]] = []
    chosen = menus.by_codes(ctx, list(data.menus))
    for menu in chosen:
        first = len(jobs)
        jobs += [commands.JobIn(**j, menu_code=menu.code) for j in menu.jobs]
        parts += [(first, commands.MenuPart(**p)) for p in menu.parts]
    jobs += list(data.jobs)
    if not jobs:
        raise InvalidInput.one("jobs", "choose a service menu or add a job")
    return Work(jobs, parts, round(sum(j.est_hours for j in jobs), 2), round(sum(p.qty * p.unit_price for _, p in parts), 2),
                {m.code: m.name for m in chosen})


def _priority(data: commands.QuoteIn) -> PriorityClass:
    if data.customer_waiting:
        return PriorityClass.WAITING
    return PriorityClass.APPOINTMENT if data.appointment_id is not None else PriorityClass.WALK_IN


def _vehicle_of(ctx: Ctx, appointment_id: int | None) -> int | None:
    if appointment_id is None:
        return None
    return ctx.ref(Appointment, appointment_id, "appointment_id", "appointment").vehicle_id


def _cards(lines: list[commands.JobIn], priority: PriorityClass, car: int, bay_kind: BayKind | None = None,
           tech: int | None = None) -> list[model.JobIn]:
    """The lines as the cards the order will have (board/domain/cards.py): one per skill and kind of
    bay, unless a line is a card of its own; ``bay_kind``: every card asked for in that kind instead;
    ``tech``: every card given to him (as the foreman would pin it)."""
    grouped: dict[object, model.JobIn] = {}
    for n, j in enumerate(lines):
        kind = (bay_kind or j.bay_kind).value
        key: object = n if j.separate else (j.skill, kind, j.shares_car, j.priority)
        was = grouped.get(key)
        grouped[key] = replace(was, hours=round(was.hours + j.est_hours, 2), level=max(was.level, j.level)) if was else model.JobIn(
            id=model.quoted_id(len(grouped)), label=j.operation, priority=(j.priority or priority).value, skill=j.skill.value, level=j.level,
            hours=j.est_hours, bay_kind=kind, car=car, shares_car=j.shares_car, pinned_tech=tech)
    return list(grouped.values())


@dataclass(frozen=True)
class Promise:
    finish: datetime | None  # the plan's end of the car's last card
    promise: datetime | None  # the finish, the check, the wash, the margin; rounded up
    cannot: list[model.Reason]
    cause: model.Reason | None  # why its first card does not start at once


def _promise(ctx: Ctx, cards: list[model.JobIn], allowance: timedelta, booking: int | None) -> Promise:
    plan = plan_store.quote(ctx, cards, booking)
    mine = sorted((s for s in plan.slots if s.job_id <= model.QUOTED), key=lambda s: s.start)
    cannot = [r for job_id, r in plan.unassignable if job_id <= model.QUOTED]
    finish = max(s.end for s in mine) if mine and not cannot else None
    cause = mine[0].cause if mine and mine[0].start > ctx.now_local + FAR_START else None
    return Promise(finish, _round_up(finish + allowance) if finish else None, cannot, cause)


def quote(ctx: Ctx, data: commands.QuoteIn) -> dict[str, Any]:
    """The estimate and a promise proposed from the live plan, for work not yet written down; when the
    promise is far from the work (past the shift's end, or more than twice the work, the check and the
    wash), why, and what else the customer may choose."""
    work = work_of(ctx, data)
    priority = _priority(data)
    car = _vehicle_of(ctx, data.appointment_id)
    car_id = -1 if car is None else car
    margin = plan_store.promise_margin(ctx)
    allowance = QC_AND_WASH + timedelta(minutes=margin.minutes)
    found = _promise(ctx, _cards(work.jobs, priority, car_id), allowance, data.appointment_id)
    far = _far(ctx, found, work.hours)
    rate = ctx.shop.labour_rate
    return {
        "hours": work.hours, "labour_rate": rate, "labour": round(work.hours * rate, 2), "parts": work.parts_amount,
        "total": round(work.hours * rate + work.parts_amount, 2), "priority": priority.value,
        "finish": _at(ctx, found.finish), "promise": _at(ctx, found.promise),
        "allowance_minutes": int(allowance.total_seconds() // 60),
        "margin": {"minutes": margin.minutes, "percentile": margin.percentile, "past_jobs": margin.past_jobs,
                   "zh": _margin_words(margin)[0], "en": _margin_words(margin)[1]},
        "cannot": [{"zh": r.zh, "en": r.en} for r in found.cannot],
        "far": far is not None,
        "why": {"zh": far[0], "en": far[1]} if far else None,
        "options": _options(ctx, work, priority, car_id, allowance, data, found) if far else [],
        "jobs": [j.model_dump(mode="json") for j in work.jobs],
    }


# A promise is far from the work when it is more than this many times the work, the check and the wash away.
FAR_FACTOR = 2
FAR_START = timedelta(minutes=10)  # work starting later than this has a cause worth saying


def _far(ctx: Ctx, found: Promise, hours: float) -> tuple[str, str] | None:
    """Why the promise is far from the work, in words; None when it is not."""
    if found.promise is None:
        return None
    end_of_shift = max((datetime.combine(ctx.today, t.shift_end) for t in staff.technicians(ctx) if t.present), default=None)
    past_shift = end_of_shift is not None and found.promise > end_of_shift
    slow = found.promise - ctx.now_local > FAR_FACTOR * (timedelta(hours=hours) + QC_AND_WASH)
    if not (past_shift or slow):
        return None
    said_zh, said_en = (found.cause.zh, found.cause.en) if found.cause else ("车间排队", "the workshop's queue")
    if past_shift:
        assert end_of_shift is not None
        return (f"{said_zh};承诺时间晚于技师下班({end_of_shift:%H:%M})", f"{said_en}; the promise is after the shift ends ({end_of_shift:%H:%M})")
    return (f"{said_zh};工时 {hours:g} 小时,取车时间却在 {found.promise:%H:%M}", f"{said_en}; {hours:g} h of work, but ready only at {found.promise:%H:%M}")


def _options(ctx: Ctx, work: Work, priority: PriorityClass, car: int, allowance: timedelta, data: commands.QuoteIn,
             found: Promise) -> list[dict[str, Any]]:
    """What else the customer may choose when the promise is far: an express bay, leaving the car,
    or coming another time that the workshop can keep."""
    out: list[dict[str, Any]] = []
    maintenance = all(j.skill is Skill.MAINTENANCE for j in work.jobs)
    if maintenance and any(j.bay_kind is not BayKind.QUICK_SERVICE for j in work.jobs):
        express = _promise(ctx, _cards(work.jobs, priority, car, BayKind.QUICK_SERVICE), allowance, data.appointment_id)
        if express.promise is not None and found.promise is not None and express.promise < found.promise:
            out.append(_option("express", ctx, express.promise, ("快保工位", "an express bay")))
    other = _other_technician(ctx, work, priority, car, allowance, data, found)
    if other is not None:
        out.append(other)
    if data.customer_waiting:
        dropped = _promise(ctx, _cards(work.jobs, PriorityClass.APPOINTMENT if data.appointment_id else PriorityClass.WALK_IN, car), allowance,
                           data.appointment_id)
        if dropped.promise is not None:
            out.append(_option("drop_off", ctx, dropped.promise, ("留车送修,完工后电话通知", "leave the car; we call when it is ready")))
    later = _later_visit(ctx, work)
    if later is not None:
        out.append(later)
    return out


# Another technician is worth offering only when he has the car ready this much sooner.
SOONER_ENOUGH = timedelta(minutes=15)


def _other_technician(ctx: Ctx, work: Work, priority: PriorityClass, car: int, allowance: timedelta, data: commands.QuoteIn,
                      found: Promise) -> dict[str, Any] | None:
    """The man on shift, holding every skill the work needs, who would have the car ready soonest if
    the foreman gave it to him (the plan keeps a master for harder work and a car with its man)."""
    if found.promise is None:
        return None
    needs = {(j.skill, j.level) for j in work.jobs}
    best: tuple[datetime, str] | None = None
    for tech in staff.technicians(ctx):
        levels = {s.skill: s.level for s in tech.skills}
        if not tech.present or any(levels.get(skill, 0) < level for skill, level in needs):
            continue
        his = _promise(ctx, _cards(work.jobs, priority, car, tech=tech.id), allowance, data.appointment_id)
        if his.promise is not None and his.promise <= found.promise - SOONER_ENOUGH and (best is None or his.promise < best[0]):
            best = (his.promise, tech.name)
    if best is None:
        return None
    return _option("another_technician", ctx, best[0], (f"改派{best[1]}", f"{best[1]} instead"))


def _option(kind: str, ctx: Ctx, ready: datetime, words: tuple[str, str]) -> dict[str, Any]:
    return {"kind": kind, "ready": _at(ctx, ready), "zh": f"{words[0]}:{_day_words(ctx, ready)[0]} {ready:%H:%M} 可取车",
            "en": f"{words[1]}: ready {_day_words(ctx, ready)[1]} {ready:%H:%M}"}


def _later_visit(ctx: Ctx, work: Work) -> dict[str, Any] | None:
    """The first time tomorrow the workshop can take the car and start it at once, and when it would be ready."""
    tomorrow = ctx.today + timedelta(days=1)
    service = next((m.service_type for m in menus.by_codes(ctx, list(work.menu_names))), ServiceType.REPAIR) if work.menu_names \
        else ServiceType.REPAIR
    wanted = booking_capacity.Work(service, next(iter(work.menu_names), None), True)
    for view in booking_capacity.day_slots(ctx, tomorrow, wanted):
        shop = view.workshop
        if view.capacity and shop is not None and shop.ready is not None:
            ready = shop.ready.astimezone(ctx.zone).replace(tzinfo=None)
            return {"kind": "another_day", "ready": shop.ready.isoformat(timespec="minutes"), "slot_start": view.start.strftime("%H:%M"),
                    "day": tomorrow.isoformat(), "zh": f"改约明天 {view.start:%H:%M} 到店,{ready:%H:%M} 可取车",
                    "en": f"come back tomorrow at {view.start:%H:%M}: ready {ready:%H:%M}"}
    return None


def _day_words(ctx: Ctx, at: datetime) -> tuple[str, str]:
    if at.date() == ctx.today:
        return "今天", "today"
    if at.date() == ctx.today + timedelta(days=1):
        return "明天", "tomorrow"
    return at.strftime("%m-%d"), at.strftime("%m-%d")


def _at(ctx: Ctx, at: datetime | None) -> str | None:
    return at.replace(tzinfo=ctx.zone).isoformat(timespec="minutes") if at else None


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
    order, placed = repair_orders.open_order_with_cards(ctx, commands.RepairOrderIn(
        appointment_id=appointment_id, plate=data.plate, model=data.model, customer_name=data.customer_name, title=data.title,
        phone=data.phone, advisor_id=data.advisor_id, promised_at=data.promised_at, customer_waiting=data.customer_waiting,
        note=data.note, jobs=work.jobs), work.menu_names)
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
        ctx.session.add(PartLine(shop_id=ctx.shop.id, job_id=placed[index].id, part_no=part.part_no, name=part.name, qty=part.qty,
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

