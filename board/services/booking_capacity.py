"""Bookings the workshop can keep, for the booking console and every booking made: what each time of
a day can still take — the advisors' room (board/domain/capacity.py) where the workshop's plan starts
the car within the stated wait (board/dispatch/capacity.py) — and the honest ready time, whether the
customer waits or drops the car off.

Today is asked of the shop as it stands (the cards on the floor, the cars standing in bays, today's
bookings still to come); another day of that day's bookings, on the technicians' usual shifts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from board.context import Ctx
from board.db.models import Advisor, Appointment, Bay, ServiceMenu, Technician
from board.dispatch import capacity as workshop
from board.dispatch import model, plan_store, planner, shop_plan
from board.domain import capacity
from board.domain.vocab import AppointmentStatus, ServiceType
from board.errors import InvalidInput, SlotFull

# How far ahead other times are searched when a slot is full.
OFFER_DAYS = 7
OFFERS = 5
NO_CAR = -1  # a car not known yet: it stands nowhere


@dataclass(frozen=True)
class Work:
    """What is booked: a kind of service and, where chosen, its menu; the customer waits or not."""

    service_type: ServiceType
    menu_code: str | None
    waits: bool


@dataclass(frozen=True)
class DayFloor:
    """A day as the planner sees it before the booking asked about."""

    jobs: list[model.JobIn]
    techs: list[model.TechIn]
    bays: list[model.BayIn]
    now: datetime
    look_ahead: float | None
    keep: frozenset[int]  # the cards of the day's bookings its plan starts in time: a new booking must not push them
    hours_left: float  # what bookings may still take (the shop's booking share): the rest is kept for walk-ins


def rules(ctx: Ctx) -> capacity.SlotRules:
    s = ctx.shop
    return capacity.SlotRules(s.opens_at, s.closes_at, s.slot_minutes, s.receptions_per_advisor_slot)


def _advisors(ctx: Ctx, day: date) -> list[capacity.Shift]:
    """Advisors counted for a day: today's absences count; future days assume everyone comes."""
    today = day == ctx.today
    return [capacity.Shift(a.shift_start, a.shift_end) for a in ctx.session.scalars(select(Advisor).where(Advisor.shop_id == ctx.shop.id))
            if a.present or not today]


def _booked(ctx: Ctx, day: date, excluding: int | None) -> list[capacity.Booking]:
    rows = ctx.session.execute(select(Appointment.id, Appointment.slot_start).where(
        Appointment.shop_id == ctx.shop.id, Appointment.day == day,
        Appointment.status.in_([AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED])))
    return [capacity.Booking(at) for ident, at in rows if ident != excluding]


def reception(ctx: Ctx, day: date, excluding: int | None = None) -> dict[time, int]:
    if day < ctx.today:
        return {}
    return capacity.reception_free(day, rules(ctx), _advisors(ctx, day), _booked(ctx, day, excluding),
                                   ctx.now_local if day == ctx.today else None)


def floor(ctx: Ctx, day: date, excluding: int | None = None) -> DayFloor:
    """The day before the booking: today the shop as it stands; another day its bookings on the usual shifts."""
    kept = plan_store.shown(ctx)
    if day == ctx.today:
        _rows, jobs, techs, bays, _parts = shop_plan.load(ctx)
        now = ctx.now_local
    else:
        techs = [model.TechIn(t.id, t.name, {s.skill.value: s.level for s in t.skills}, datetime.combine(day, t.shift_start),
                              datetime.combine(day, t.shift_end)) for t in ctx.session.scalars(
                     select(Technician).where(Technician.shop_id == ctx.shop.id).order_by(Technician.id))]
        bays = [model.BayIn(b.id, b.name, b.kind.value) for b in ctx.session.scalars(select(Bay).where(Bay.shop_id == ctx.shop.id).order_by(Bay.id))]
        jobs, now = [], datetime.combine(day, min((t.shift_start.time() for t in techs), default=ctx.shop.opens_at))
    techs = [replace(t, speed=kept.speeds.get(t.id, {})) for t in techs]
    booked = shop_plan.reservations(ctx, day, excluding)
    every = [*jobs, *booked]
    base = planner.plan(every, techs, bays, now, look_ahead=kept.plan.look_ahead) if booked else None
    keep = workshop.started_in_time(base, every, [j.id for j in booked]) if base is not None else frozenset()
    left = workshop.hours_left(booked, techs, now, ctx.shop.booking_share)
    return DayFloor(every, techs, bays, now, kept.plan.look_ahead, keep, left)


def cards(ctx: Ctx, work: Work) -> list[workshop.Card]:
    """The booked work as cards: the menu's lines, else the kind of service's usual work."""
    if work.menu_code:
        menu = ctx.session.scalar(select(ServiceMenu).where(ServiceMenu.shop_id == ctx.shop.id, ServiceMenu.code == work.menu_code))
        if menu is None:
            raise InvalidInput.one("menu_code", f"no service menu {work.menu_code!r} in this shop")
        return workshop.cards_of([(j["operation"], j["skill"], int(j.get("level", 1)), float(j["est_hours"]), j["bay_kind"]) for j in menu.jobs])
    return workshop.cards_of(workshop.USUAL_WORK[work.service_type.value])


def ask(ctx: Ctx, day_floor: DayFloor, work_cards: list[workshop.Card], day: date, at: time, waits: bool, car: int = NO_CAR,
        margin: timedelta | None = None) -> capacity.Workshop:
    """What the day's plan says of this work arriving at ``at``."""
    booking = workshop.reserved([model.quoted_id(k) for k in range(len(work_cards))], work_cards, car, datetime.combine(day, at),
                                waits, day_floor.now)
    found = workshop.offer(day_floor.jobs, day_floor.techs, day_floor.bays, day_floor.now, booking, waits, day_floor.look_ahead, day_floor.keep)
    if found.fits and sum(c.hours for c in work_cards) > day_floor.hours_left:
        found = replace(found, fits=False, cause=workshop.share_full(ctx.shop.booking_share))
    margin = margin if margin is not None else timedelta(minutes=plan_store.promise_margin(ctx).minutes)
    zone = ctx.zone
    return capacity.Workshop(found.fits, waits, found.start.replace(tzinfo=zone) if found.start else None,
                             found.finish.replace(tzinfo=zone) if found.finish else None,
                             r.replace(tzinfo=zone) if (r := found.ready(margin)) else None,
                             (found.cause.zh, found.cause.en) if found.cause else None)


def day_slots(ctx: Ctx, day: date, work: Work, excluding: int | None = None, car: int = NO_CAR) -> list[capacity.SlotView]:
    """Every bookable time of the day with what it can take (the workshop asked where reception has room)."""
    room = reception(ctx, day, excluding)
    if not any(room.values()):
        return capacity.day_slots(day, room, {})
    day_floor, work_cards = floor(ctx, day, excluding), cards(ctx, work)
    margin = timedelta(minutes=plan_store.promise_margin(ctx).minutes)
    answers = {at: ask(ctx, day_floor, work_cards, day, at, work.waits, car, margin) for at, free in room.items() if free > 0}
    return capacity.day_slots(day, room, answers)


def ensure_room(ctx: Ctx, day: date, at: time, work: Work, excluding: int | None = None, car: int = NO_CAR) -> capacity.Workshop:
    """The booking fits at that time, or 409 with the nearest times that do (the same day first)."""
    r = rules(ctx)
    if not capacity.is_slot_start(r, at):
        starts = capacity.slot_starts(r)
        raise InvalidInput.one("slot_start", f"{at.strftime('%H:%M')} is not a booking slot; slots start every {r.slot_minutes} minutes "
                               f"from {starts[0].strftime('%H:%M')} to {starts[-1].strftime('%H:%M')}")
    if day < ctx.today:
        raise InvalidInput.one("day", f"{day.isoformat()} is in the past")
    room = reception(ctx, day, excluding)
    if at not in room:
        raise InvalidInput.one("slot_start", f"{at.strftime('%H:%M')} today has already passed")
    work_cards = cards(ctx, work)
    if room[at] > 0:
        answer = ask(ctx, floor(ctx, day, excluding), work_cards, day, at, work.waits, car)
        if answer.fits:
            return answer
        why = answer.why
    else:
        why = ("该时段服务顾问已约满", "every advisor is booked at that time")
    offers = nearest(ctx, day, at, work, work_cards, excluding, car)
    when = f"{day.isoformat()} {at.strftime('%H:%M')}"
    because_en = f" ({why[1]})" if why else ""
    because_zh = f"({why[0]})" if why else ""
    raise SlotFull(
        f"{when} cannot take this {work.service_type.en.lower()} booking{because_en}; nearest that can: "
        + (", ".join(f"{o['day']} {o['slot_start']}" for o in offers) or f"none in the next {OFFER_DAYS} days"),
        f"{when} 无法接待该{work.service_type.zh}预约{because_zh};最近可约: " + ("、".join(f"{o['day']} {o['slot_start']}" for o in offers) or "近期无空档"),
        offers,
    )


def nearest(ctx: Ctx, day: date, at: time, work: Work, work_cards: list[workshop.Card], excluding: int | None, car: int) -> list[dict[str, object]]:
    """The times nearest the one wanted that can take the booking: the same day first, then the next days."""
    out: list[dict[str, object]] = []
    margin = timedelta(minutes=plan_store.promise_margin(ctx).minutes)
    for n in range(OFFER_DAYS + 1):
        d = day + timedelta(days=n)
        room = reception(ctx, d, excluding)
        day_floor = None
        for start in capacity.by_nearness(d, at, [s for s, free in room.items() if free > 0]):
            day_floor = day_floor or floor(ctx, d, excluding)
            answer = ask(ctx, day_floor, work_cards, d, start, work.waits, car, margin)
            if answer.fits:
                out.append(capacity.SlotView(d, start, room[start], room[start], answer).as_dict())
                if len(out) >= OFFERS:
                    return out
    return out
