"""The advisor's booking console (预约): find the customer and the car by plate or phone with the car's
history at this shop, the free slots of the next days, a booking with its service menu, and the
cars due for maintenance to call (主动预约, booked as outbound reminders).

A car's last visit is its latest repair order (or a booking it came to, for visits from before the
board kept orders); its next service is the date the advisor set at its last hand-over, else the
last visit plus the interval of the menu it had (``interval_months``), else the shop's maintenance
menu's, else six months. Bookings themselves go through board/services/appointments.py: the same
capacity, the same refusal of a full slot with the nearest free ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Annotated, Any

from pydantic import Field, StringConstraints
from sqlalchemy import func, select, true

from board import commands
from board.auth.roles import PHONE_READERS
from board.commands import Id, ShopDay, Strict
from board.context import Ctx
from board.db.models import Advisor, Appointment, Customer, Finding, Job, Reception, RepairOrder, ServiceMenu, Vehicle
from board.domain import plates
from board.domain.handover import add_months
from board.domain.vocab import AppointmentStatus, FindingStatus, ServiceType, Stage
from board.errors import InvalidInput
from board.services import appointments, booking_capacity, parts_desk

DEFAULT_INTERVAL_MONTHS = 6
SEARCH_LIMIT = 20
DUE_LIMIT = 200
HISTORY_LIMIT = 20

# -- what the console asks ---------------------------------------------------------------------


class SearchQuery(Strict):
    q: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40)] = Field(
        description="A plate (whole or part, with or without the province) or a phone number (or part), or a customer's name")


class SlotsQuery(Strict):
    service_type: ServiceType
    first: ShopDay | None = Field(default=None, description="The first day (default today)")
    days: Annotated[int, Field(ge=1, le=31)] = 7
    moving: Id | None = Field(default=None, description="A booking being moved: its own place counts as free")
    menu_code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)] | None = Field(
        default=None, description="The menu to book: its work is what the workshop is asked for")
    waits: bool = Field(default=False, description="The customer waits in the lounge (else he drops the car off)")


class OfferQuery(Strict):
    service_type: ServiceType
    day: ShopDay
    slot_start: Annotated[str, StringConstraints(pattern=r"^\d{2}:\d{2}$")]
    menu_code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)] | None = None


class DueQuery(Strict):
    within_days: Annotated[int, Field(ge=0, le=365, description="Due by today plus this many days (overdue included)")] = 30


class MenusQuery(Strict):
    service_type: ServiceType | None = None


class ConsoleBookingIn(commands.BookingIn):
    """A booking from the console: the booking, and the service menu chosen with it (its parts are
    listed for the parts desk at once)."""


# -- the car and its history -------------------------------------------------------------------


@dataclass(frozen=True)
class LastOrder:
    """A car's latest repair order, as much of it as the console shows."""

    id: int
    opened_on: date
    next_service_date: date | None
    next_service_km: int | None
    advisor: dict[str, Any]


@dataclass(frozen=True)
class Visits:
    """What the shop knows of a car's visits: the last, where its next service stands, the last mileage."""

    last: date | None
    last_order: LastOrder | None
    due: date | None
    interval_months: int | None  # None when the date was set at the hand-over
    menu: ServiceMenu | None  # the menu its next service would be (the one it had, else the shop's maintenance menu)
    mileage_km: int | None


def _of(column: Any, ids: list[int] | None) -> Any:
    """``column IN ids``; every row when ``ids`` is None (the whole shop: no list of thousands of ids)."""
    return true() if ids is None else column.in_(ids)


def _visits(ctx: Ctx, vehicle_ids: list[int] | None) -> dict[int, Visits]:
    """Each car's visits (``None``: every car of the shop that ever came)."""
    if vehicle_ids is not None and not vehicle_ids:
        return {}
    shop = ctx.shop.id
    latest = (select(RepairOrder.vehicle_id, func.max(RepairOrder.opened_at).label("at"))
              .where(RepairOrder.shop_id == shop, _of(RepairOrder.vehicle_id, vehicle_ids)).group_by(RepairOrder.vehicle_id).subquery())
    orders: dict[int, LastOrder] = {}
    for ro_id, vid, opened, next_date, next_km, adv_id, adv_name in ctx.session.execute(
            select(RepairOrder.id, RepairOrder.vehicle_id, RepairOrder.opened_at, RepairOrder.next_service_date, RepairOrder.next_service_km,
                   Advisor.id, Advisor.name)
            .join(latest, (RepairOrder.vehicle_id == latest.c.vehicle_id) & (RepairOrder.opened_at == latest.c.at))
            .join(Advisor, Advisor.id == RepairOrder.advisor_id).order_by(RepairOrder.id)):
        orders[vid] = LastOrder(ro_id, opened.astimezone(ctx.zone).date(), next_date, next_km, {"id": adv_id, "name": adv_name})
    came: dict[int, date] = {vid: day for vid, day in ctx.session.execute(
        select(Appointment.vehicle_id, func.max(Appointment.day)).where(
            Appointment.shop_id == shop, _of(Appointment.vehicle_id, vehicle_ids), Appointment.status == AppointmentStatus.ARRIVED)
        .group_by(Appointment.vehicle_id))}
    codes: dict[int, list[str]] = {}
    for ro_id, code in ctx.session.execute(  # the menus its last visit had
            select(Job.repair_order_id, Job.menu_code).join(RepairOrder, RepairOrder.id == Job.repair_order_id)
            .join(latest, (RepairOrder.vehicle_id == latest.c.vehicle_id) & (RepairOrder.opened_at == latest.c.at))
            .where(Job.menu_code.is_not(None))):
        if code:
            codes.setdefault(ro_id, []).append(code)
    menus = {m.code: m for m in parts_desk.menus(ctx)}
    usual = parts_desk.menu_for_service(ctx, ServiceType.MAINTENANCE)
    mileage: dict[int, int] = {}
    for vehicle, km in ctx.session.execute(
            select(RepairOrder.vehicle_id, Reception.mileage_km).join(Reception, Reception.repair_order_id == RepairOrder.id)
            .where(RepairOrder.shop_id == shop, _of(RepairOrder.vehicle_id, vehicle_ids), Reception.mileage_km.is_not(None))
            .order_by(Reception.created_at)):
        if km is not None:
            mileage[vehicle] = km
    out = {}
    for vid in vehicle_ids if vehicle_ids is not None else sorted(orders.keys() | came.keys()):
        last_order = orders.get(vid)
        seen = [d for d in (last_order.opened_on if last_order else None, came.get(vid)) if d is not None]
        last = max(seen) if seen else None
        had = [menus[c] for c in (codes.get(last_order.id, []) if last_order else []) if c in menus]
        menu = min(had, key=lambda m: m.interval_months or 99, default=None) or usual
        interval: int | None
        if last_order is not None and last_order.next_service_date is not None:
            due, interval = last_order.next_service_date, None
        elif last is not None:
            interval = (menu.interval_months if menu and menu.interval_months else DEFAULT_INTERVAL_MONTHS)
            due = add_months(last, interval)
        else:
            due, interval = None, None
        out[vid] = Visits(last, last_order, due, interval, menu, mileage.get(vid))
    return out


def _customer(ctx: Ctx, c: Customer | None) -> dict[str, Any]:
    if c is None:
        return {"id": None, "name": "", "title": ""}
    out: dict[str, Any] = {"id": c.id, "name": c.name, "title": c.title}
    if ctx.principal is None or ctx.principal.role in PHONE_READERS:
        out["phone"] = c.phone
    return out


def _label(value: Any) -> dict[str, str]:
    return {"value": value.value, "zh": value.zh, "en": value.en}


def _upcoming(ctx: Ctx, vehicle_ids: list[int]) -> dict[int, Appointment]:
    """Each car's next booking still to come."""
    out: dict[int, Appointment] = {}
    for a in ctx.session.scalars(select(Appointment).where(
            Appointment.shop_id == ctx.shop.id, Appointment.vehicle_id.in_(vehicle_ids), Appointment.status == AppointmentStatus.BOOKED,
            Appointment.day >= ctx.today).order_by(Appointment.day.desc(), Appointment.slot_start.desc())):
        out[a.vehicle_id] = a  # the earliest wins: read last
    return out


def _booking(ctx: Ctx, a: Appointment) -> dict[str, Any]:
    return {"id": a.id, "day": a.day.isoformat(), "slot_start": a.slot_start.strftime("%H:%M"), "service_type": _label(a.service_type),
            "source": _label(a.source), "status": _label(a.status), "advisor": a.advisor.name if a.advisor else None,
            "note": a.note, "version": a.version}


def _car(ctx: Ctx, v: Vehicle, customer: Customer | None, visits: Visits, upcoming: Appointment | None) -> dict[str, Any]:
    ro = visits.last_order
    return {
        "vehicle_id": v.id, "plate": v.plate_typed, "model": v.model, "vin": v.vin, "customer": _customer(ctx, customer),
        "last_visit": visits.last.isoformat() if visits.last else None, "last_mileage_km": visits.mileage_km,
        "next_service": visits.due.isoformat() if visits.due else None, "interval_months": visits.interval_months,
        "next_service_km": ro.next_service_km if ro else None,
        "menu_code": visits.menu.code if visits.menu else None,
        "advisor": ro.advisor if ro else None,
        "upcoming": _booking(ctx, upcoming) if upcoming else None,
    }


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def search(ctx: Ctx, q: str) -> list[dict[str, Any]]:
    """Cars whose plate holds the typed one (normalised: spaces, dots, case, look-alike letters), or
    whose customer's phone holds the digits typed, or whose customer's name holds the text."""
    normal = plates.normalise(q)
    digits = _digits(q)
    bare_phone = func.replace(func.replace(func.replace(Customer.phone, " ", ""), "-", ""), "+", "")
    found = Vehicle.plate.contains(normal, autoescape=True) | Customer.name.contains(q, autoescape=True)
    if len(digits) >= 4 and len(digits) == len(re.sub(r"[\s\-+]", "", q)):  # typed digits only: a phone number, or part of one
        found = found | bare_phone.contains(digits, autoescape=True)
    rows = list(ctx.session.execute(
        select(Vehicle, Customer).outerjoin(Customer, Customer.id == Vehicle.customer_id)
        .where(Vehicle.shop_id == ctx.shop.id, found).order_by(Vehicle.plate != normal, Vehicle.plate).limit(SEARCH_LIMIT)))
    ids = [v.id for v, _ in rows]
    visits, upcoming = _visits(ctx, ids), _upcoming(ctx, ids)
    return [_car(ctx, v, c, visits[v.id], upcoming.get(v.id)) for v, c in rows]


def history(ctx: Ctx, vehicle_id: int) -> dict[str, Any]:
    """The car with its customer, its bookings and repair orders at this shop (newest first), the work
    the customer declined last time (to offer again), its last visit, mileage and next service."""
    v = ctx.get(Vehicle, vehicle_id, "car")
    customer = ctx.session.get(Customer, v.customer_id) if v.customer_id else None
    visits = _visits(ctx, [v.id])[v.id]
    bookings = list(ctx.session.scalars(select(Appointment).where(Appointment.shop_id == ctx.shop.id, Appointment.vehicle_id == v.id)
                                        .order_by(Appointment.day.desc(), Appointment.slot_start.desc()).limit(HISTORY_LIMIT)))
    orders = list(ctx.session.scalars(select(RepairOrder).where(RepairOrder.shop_id == ctx.shop.id, RepairOrder.vehicle_id == v.id)
                                      .order_by(RepairOrder.opened_at.desc()).limit(HISTORY_LIMIT)))
    mileage: dict[int, int | None] = {ro: km for ro, km in ctx.session.execute(
        select(Reception.repair_order_id, Reception.mileage_km).where(Reception.repair_order_id.in_([o.id for o in orders])))}
    declined = ctx.session.execute(
        select(Finding, RepairOrder.number).join(RepairOrder, RepairOrder.id == Finding.repair_order_id)
        .where(Finding.shop_id == ctx.shop.id, RepairOrder.vehicle_id == v.id, Finding.status == FindingStatus.DECLINED)
        .order_by(Finding.created_at.desc()).limit(HISTORY_LIMIT))
    upcoming = [a for a in bookings if a.status is AppointmentStatus.BOOKED and a.day >= ctx.today]
    return {
        **_car(ctx, v, customer, visits, min(upcoming, key=lambda a: (a.day, a.slot_start), default=None)),
        "bookings": [_booking(ctx, a) for a in bookings],
        "orders": [_order(ctx, o, mileage.get(o.id)) for o in orders],
        "declined": [{"finding_id": f.id, "repair_order": number, "text": f.text, "operation": f.operation,
                      "price": round(f.labour_price + f.parts_price, 2), "found_at": f.created_at.astimezone(ctx.zone).date().isoformat()}
                     for f, number in declined],
    }


def _order(ctx: Ctx, o: RepairOrder, mileage: int | None) -> dict[str, Any]:
    jobs = list(o.jobs)
    return {"id": o.id, "number": o.number, "opened_at": o.opened_at.astimezone(ctx.zone).isoformat(timespec="minutes"),
            "advisor": o.advisor.name, "operations": [j.operation for j in jobs],
            "delivered": bool(jobs) and all(j.stage is Stage.DELIVERED for j in jobs),
            "final_amount": o.final_amount, "mileage_km": mileage,
            "next_service_date": o.next_service_date.isoformat() if o.next_service_date else None}


def car_of_order(ctx: Ctx, ro_id: int) -> dict[str, Any]:
    """The car of a repair order with its history (a booking made on the follow-up call)."""
    ro = ctx.get(RepairOrder, ro_id, "repair order")
    return history(ctx, ro.vehicle_id) | {"from_order": {"id": ro.id, "number": ro.number}}


# -- cars due for maintenance (主动预约) ----------------------------------------------------------


def due(ctx: Ctx, within_days: int) -> dict[str, Any]:
    """Cars whose next service falls by today + ``within_days`` (the overdue first) and that have no
    booking to come: the advisors' outbound calls."""
    by = ctx.today + timedelta(days=within_days)
    booked = set(ctx.session.scalars(select(Appointment.vehicle_id).where(
        Appointment.shop_id == ctx.shop.id, Appointment.status == AppointmentStatus.BOOKED, Appointment.day >= ctx.today)))
    visits = _visits(ctx, None)
    listed = sorted((v.due, vid) for vid, v in visits.items() if v.due is not None and v.due <= by and vid not in booked)[:DUE_LIMIT]
    cars = {v.id: v for v in ctx.session.scalars(select(Vehicle).where(Vehicle.id.in_([vid for _, vid in listed])))}
    people = {c.id: c for c in ctx.session.scalars(select(Customer).where(Customer.id.in_([v.customer_id for v in cars.values() if v.customer_id])))}
    rows = []
    for when, vid in listed:
        v = cars[vid]
        rows.append(_car(ctx, v, people.get(v.customer_id or 0), visits[vid], None) | {"overdue_days": max((ctx.today - when).days, 0)})
    return {"day": ctx.today.isoformat(), "by": by.isoformat(), "default_interval_months": DEFAULT_INTERVAL_MONTHS, "cars": rows}


# -- slots, menus, the booking -----------------------------------------------------------------


def slots(ctx: Ctx, query: SlotsQuery) -> list[dict[str, Any]]:
    """Each day's bookable times for the work booked (its menu, else its kind of service), with what
    each can still take and, from the workshop's plan, when the work would start and the car be ready."""
    if query.moving is not None:
        ctx.get(Appointment, query.moving, "appointment")
    first = query.first or ctx.today
    out = []
    for n in range(query.days):
        day = first + timedelta(days=n)
        views = appointments.day_slots(ctx, day, query.service_type, excluding=query.moving, menu_code=query.menu_code, waits=query.waits)
        out.append({"day": day.isoformat(), "weekday": day.isoweekday(), "times": sum(1 for s in views if s.capacity),
                    "slots": [s.as_dict() for s in views]})
    return out


def offer(ctx: Ctx, query: OfferQuery) -> dict[str, Any]:
    """One time, both ways: when the car would be ready if the customer waits, and if he drops it off."""
    try:
        at = time.fromisoformat(query.slot_start)
    except ValueError as exc:
        raise InvalidInput.one("slot_start", "a time like 09:30") from exc
    work = booking_capacity.cards(ctx, booking_capacity.Work(query.service_type, query.menu_code, False))
    day_floor = booking_capacity.floor(ctx, query.day)
    return {"day": query.day.isoformat(), "slot_start": query.slot_start,
            **{("waits" if waits else "drops_off"): booking_capacity.ask(ctx, day_floor, work, query.day, at, waits).as_dict()
               for waits in (True, False)}}


def book(ctx: Ctx, data: ConsoleBookingIn) -> Appointment:
    """Book as appointments.book does (capacity, alternatives for a full slot); a menu names the work
    (in the note the boards show) and lists its parts for the desk."""
    menu = parts_desk.menu_by_code(ctx, data.menu_code) if data.menu_code else None
    if menu is not None and menu.service_type is not data.service_type:
        raise InvalidInput.one("menu_code", f"the menu {menu.code!r} is for {menu.service_type.en}, not {data.service_type.en}")
    if menu is not None and not data.note.startswith(menu.name):  # the work booked, where the boards and the advisor read it
        data = data.model_copy(update={"note": (f"{menu.name} · {data.note}" if data.note else menu.name)[:2000]})
    appt = appointments.book(ctx, data)
    if menu is not None:
        parts_desk.take_menu_when_booked(ctx, appt, menu)
    return appt

