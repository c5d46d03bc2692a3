"""Bookings: made by phone or online, moved, cancelled, arrived; and the board they make."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from board import commands
from board.context import Ctx, snapshot
from board.db.models import Advisor, Appointment, Arrival, Customer, Preparation, Vehicle
from board.domain import capacity, plates
from board.domain.appointment_board import CardState, card_state, column_for_new_booking
from board.domain.vocab import AppointmentStatus, BoardColumn, ServiceType
from board.errors import Conflict, IllegalMove
from board.services import booking_capacity
from board.services.arrivals import record_arrival
from board.services.rollover import rollover_done

FIELDS = ["day", "slot_start", "service_type", "advisor_id", "status", "column", "note", "arrived_at", "menu_code", "customer_waiting"]


def day_slots(ctx: Ctx, day: date, service_type: ServiceType, excluding: int | None = None, menu_code: str | None = None,
              waits: bool = False) -> list[capacity.SlotView]:
    """The day's times with what each can still take (board/services/booking_capacity.py)."""
    return booking_capacity.day_slots(ctx, day, booking_capacity.Work(service_type, menu_code, waits), excluding)


def _advisor(ctx: Ctx, advisor_id: int | None) -> Advisor | None:
    if advisor_id is None:
        return None
    return ctx.ref(Advisor, advisor_id, "advisor_id", "advisor")


def find_or_add_vehicle(ctx: Ctx, typed_plate: str, model: str, vin: str | None, customer: Customer) -> Vehicle:
    normal = plates.normalise(typed_plate)
    vehicle = ctx.session.scalar(select(Vehicle).where(Vehicle.shop_id == ctx.shop.id, Vehicle.plate == normal))
    if vehicle is None:
        vehicle = Vehicle(shop_id=ctx.shop.id, plate_typed=typed_plate, plate=normal, model=model, vin=vin, customer_id=customer.id)
        ctx.session.add(vehicle)
        ctx.session.flush()
        return vehicle
    vehicle.model = model or vehicle.model
    vehicle.vin = vin or vehicle.vin
    vehicle.customer_id = customer.id
    return vehicle


def find_or_add_customer(ctx: Ctx, name: str, title: str, phone: str) -> Customer:
    customer = ctx.session.scalar(
        select(Customer).where(Customer.shop_id == ctx.shop.id, Customer.phone == phone, Customer.name == name)
    )
    if customer is None:
        customer = Customer(shop_id=ctx.shop.id, name=name, title=title, phone=phone)
        ctx.session.add(customer)
        ctx.session.flush()
    elif title and customer.title != title:
        customer.title = title
    return customer


def _already_booked(ctx: Ctx, vehicle: Vehicle, day: date) -> None:
    clash = ctx.session.scalar(
        select(Appointment).where(
            Appointment.vehicle_id == vehicle.id, Appointment.day == day, Appointment.status == AppointmentStatus.BOOKED
        )
    )
    if clash is not None:
        at = clash.slot_start.strftime("%H:%M")
        raise Conflict(
            f"{vehicle.plate_typed} is already booked on {day.isoformat()} at {at} (booking {clash.id}).",
            f"{vehicle.plate_typed} 已预约 {day.isoformat()} {at}(预约号 {clash.id})。",
        )


def book(ctx: Ctx, data: commands.BookingIn, check_capacity: bool = True, booked_at: datetime | None = None) -> Appointment:
    advisor = _advisor(ctx, data.advisor_id)
    if check_capacity:
        booking_capacity.ensure_room(ctx, data.day, data.slot_start, booking_capacity.Work(data.service_type, data.menu_code, data.customer_waiting))
    customer = find_or_add_customer(ctx, data.customer_name, data.title, data.phone)
    vehicle = find_or_add_vehicle(ctx, data.plate, data.model, data.vin, customer)
    _already_booked(ctx, vehicle, data.day)
    when = booked_at or ctx.now
    made_on = when.astimezone(ctx.zone).date()
    if data.day == ctx.today and rollover_done(ctx, data.day):
        made_on = ctx.today  # today's cards have moved already: a late entry joins them
    appt = Appointment(
        shop_id=ctx.shop.id,
        vehicle=vehicle,
        customer=customer,
        advisor=advisor,
        day=data.day,
        slot_start=data.slot_start,
        service_type=data.service_type,
        source=data.source,
        status=AppointmentStatus.BOOKED,
        column=column_for_new_booking(data.day, made_on),
        note=data.note,
        menu_code=data.menu_code,
        customer_waiting=data.customer_waiting,
        booked_at=when,
    )
    ctx.session.add(appt)
    ctx.session.flush()
    ctx.session.add(Preparation(shop_id=ctx.shop.id, appointment_id=appt.id))
    after = snapshot(appt, FIELDS) | {"plate": vehicle.plate, "source": data.source.value}
    ctx.record("appointment", appt.id, "booked", None, after)
    return appt


def _booked(appt: Appointment, doing: str, doing_zh: str) -> None:
    if appt.status is not AppointmentStatus.BOOKED:
        raise IllegalMove(
            f"Booking {appt.id} is {appt.status.en.lower()}; only a booked appointment can be {doing}.",
            f"预约 {appt.id} 当前为「{appt.status.zh}」,只有已预约状态才能{doing_zh}。",
        )


def reschedule(ctx: Ctx, appt_id: int, data: commands.BookingPatch) -> Appointment:
    appt = ctx.edit(Appointment, appt_id, "appointment", data.version)
    _booked(appt, "changed", "修改")
    before = snapshot(appt, FIELDS)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if "advisor_id" in changes:
        appt.advisor = _advisor(ctx, changes.pop("advisor_id"))
    day = changes.get("day", appt.day)
    at = changes.get("slot_start", appt.slot_start)
    service = changes.get("service_type", appt.service_type)
    waits = changes.get("customer_waiting", appt.customer_waiting)
    if (day, at, service, waits) != (appt.day, appt.slot_start, appt.service_type, appt.customer_waiting):
        menu = appt.menu_code if service is appt.service_type else None
        booking_capacity.ensure_room(ctx, day, at, booking_capacity.Work(service, menu, waits), excluding=appt.id)
        if menu is None:
            changes["menu_code"] = None  # another kind of service: the menu booked is not its work
        if day != appt.day:
            appt.column = column_for_new_booking(day, ctx.today)
            appt.rolled_over_at = None
    for name, value in changes.items():
        setattr(appt, name, value)
    ctx.session.flush()
    ctx.record("appointment", appt.id, "rescheduled", before, snapshot(appt, FIELDS))
    return appt


def cancel(ctx: Ctx, appt_id: int, data: commands.VersionedAction) -> Appointment:
    appt = ctx.edit(Appointment, appt_id, "appointment", data.version)
    _booked(appt, "cancelled", "取消")
    before = snapshot(appt, FIELDS)
    appt.status = AppointmentStatus.CANCELLED
    ctx.session.flush()
    ctx.record("appointment", appt.id, "cancelled", before, snapshot(appt, FIELDS), data.reason)
    return appt


def mark_arrived(ctx: Ctx, appt: Appointment, source: str = "greeter", at: datetime | None = None) -> Arrival:
    """The booked car is here: its card moves to arrived and its reception clock starts."""
    if appt.day != ctx.today:
        raise IllegalMove(
            f"Booking {appt.id} is for {appt.day.isoformat()}, not today; it cannot arrive now.",
            f"预约 {appt.id} 是 {appt.day.isoformat()} 的,不是今天的,不能登记到店。",
        )
    _booked(appt, "marked arrived", "登记到店")
    before = snapshot(appt, FIELDS)
    appt.status = AppointmentStatus.ARRIVED
    appt.arrived_at = at or ctx.now
    appt.column = BoardColumn.TODAY
    ctx.session.flush()
    ctx.record("appointment", appt.id, "arrived", before, snapshot(appt, FIELDS))
    return record_arrival(ctx, appt, appt.vehicle.plate_typed, appt.vehicle.model, source, at)


def arrive(ctx: Ctx, appt_id: int, data: commands.VersionedAction) -> Appointment:
    appt = ctx.edit(Appointment, appt_id, "appointment", data.version)
    mark_arrived(ctx, appt)
    return appt


def for_day(ctx: Ctx, day: date) -> list[Appointment]:
    return list(
        ctx.session.scalars(
            select(Appointment)
            .where(Appointment.shop_id == ctx.shop.id, Appointment.day == day)
            .order_by(Appointment.slot_start, Appointment.id)
        )
    )


def state_of(ctx: Ctx, appt: Appointment) -> CardState:
    late_after = timedelta(minutes=ctx.settings.late_after_minutes)
    return card_state(appt.status, appt.day, appt.slot_start, ctx.now_local, late_after)
