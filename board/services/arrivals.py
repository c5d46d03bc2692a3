"""Cars at the door: matching a reading to today's bookings, confirming an arrival (which starts
the advisor's 5-minute reception clock), receiving it (which stops the clock), walk-ins, undo."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from board.context import Ctx, snapshot
from board.db.models import Advisor, Appointment, Arrival, RepairOrder
from board.domain import matching
from board.domain.plates import normalise
from board.domain.vocab import AppointmentStatus, BoardColumn
from board.errors import IllegalMove
from board.services.acting import advisor_for_credit

FIELDS = ["appointment_id", "plate", "source", "arrived_at", "received_at", "received_by", "undone_at"]
# Bookings on these days around today are recognised as "booked for another day".
OTHER_DAYS_BEFORE, OTHER_DAYS_AFTER = 1, 14


def _booking(a: Appointment) -> matching.Booking:
    return matching.Booking(a.id, a.vehicle.plate, a.vehicle.model, a.day, a.slot_start, a.advisor.name if a.advisor else None)


def _bookings(ctx: Ctx, first: Any, last: Any, statuses: tuple[AppointmentStatus, ...]) -> list[Appointment]:
    return list(
        ctx.session.scalars(
            select(Appointment).where(
                Appointment.shop_id == ctx.shop.id, Appointment.day >= first, Appointment.day <= last, Appointment.status.in_(statuses)
            )
        )
    )


def match_reading(ctx: Ctx, plate: str, model: str | None) -> tuple[matching.Match, dict[int, Appointment]]:
    """The matcher's verdict on a reading, against today's bookings (arrived ones included, so a
    car seen twice is recognised) and, for "booked another day", the days around today."""
    today = _bookings(ctx, ctx.today, ctx.today, (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED))
    around = [
        a for a in _bookings(ctx, ctx.today - timedelta(days=OTHER_DAYS_BEFORE), ctx.today + timedelta(days=OTHER_DAYS_AFTER), (AppointmentStatus.BOOKED,))
        if a.day != ctx.today
    ]
    result = matching.match(plate, model, matching.BookingIndex(map(_booking, today)), matching.BookingIndex(map(_booking, around)))
    return result, {a.id: a for a in today + around}


def describe(result: matching.Match, rows: dict[int, Appointment]) -> dict[str, Any]:
    decision = result.decision.value
    accepted = result.accepted.id if result.accepted else None
    en, zh = result.sentence()
    if accepted is not None and rows[accepted].status is AppointmentStatus.ARRIVED:
        decision, en, zh = "already_arrived", "This car has already been received today.", "该车今天已登记到店。"
    return {
        "decision": decision, "rule": result.rule.value, "accepted": accepted,
        "candidates": [c.as_dict() for c in result.candidates], "message": en, "message_zh": zh,
    }


def record_arrival(ctx: Ctx, appt: Appointment | None, plate_typed: str, model: str, source: str, at: datetime | None = None) -> Arrival:
    arrival = Arrival(
        shop_id=ctx.shop.id, appointment_id=appt.id if appt else None, plate=normalise(plate_typed), plate_typed=plate_typed,
        model=model, source=source, arrived_at=at or ctx.now,
    )
    ctx.session.add(arrival)
    ctx.session.flush()
    ctx.record("arrival", arrival.id, "arrived", None, snapshot(arrival, FIELDS))
    return arrival


def confirm(ctx: Ctx, appointment_id: int, source: str = "greeter", at: datetime | None = None) -> Arrival:
    """The greeter (or a sure camera read) says this booked car is here."""
    from board.services.appointments import mark_arrived  # appointments imports this module

    appt = ctx.ref(Appointment, appointment_id, "appointment_id", "appointment")
    return mark_arrived(ctx, appt, source=source, at=at)


def walk_in(ctx: Ctx, plate: str, model: str, source: str = "greeter", at: datetime | None = None) -> Arrival:
    return record_arrival(ctx, None, plate, model, source, at)


def _open(ctx: Ctx, arrival_id: int, version: int) -> Arrival:
    arrival = ctx.edit(Arrival, arrival_id, "arrival", version)
    if arrival.undone_at is not None:
        raise IllegalMove("This arrival was undone.", "该到店记录已撤销。")
    return arrival


def receive(ctx: Ctx, arrival_id: int, version: int, advisor_id: int | None) -> Arrival:
    """The advisor has met the customer: the reception clock stops."""
    arrival = _open(ctx, arrival_id, version)
    if arrival.received_at is not None:
        raise IllegalMove("This car has already been received.", "该车已接待。")
    advisor_id = advisor_for_credit(ctx, advisor_id)
    ctx.check_ref(Advisor, advisor_id, "advisor_id", "advisor")
    before = snapshot(arrival, FIELDS)
    arrival.received_at = max(ctx.now, arrival.arrived_at)
    arrival.received_by = advisor_id
    ctx.session.flush()
    ctx.record("arrival", arrival.id, "received", before, snapshot(arrival, FIELDS))
    return arrival


def undo(ctx: Ctx, arrival_id: int, version: int, reason: str) -> Arrival:
    """A wrong confirmation taken back: the booking waits again; kept in the log with its reason."""
    arrival = _open(ctx, arrival_id, version)
    if arrival.appointment_id is not None:
        if ctx.session.scalar(select(RepairOrder.id).where(RepairOrder.appointment_id == arrival.appointment_id)) is not None:
            raise IllegalMove("A repair order has been written for this booking; it cannot be undone here.",
                              "该预约已开具维修委托书,不能在此撤销。")
        appt = ctx.session.get(Appointment, arrival.appointment_id)
        assert appt is not None
        appt_before = snapshot(appt, ["status", "arrived_at"])
        appt.status, appt.arrived_at = AppointmentStatus.BOOKED, None
        appt.column = BoardColumn.TODAY
        ctx.session.flush()
        ctx.record("appointment", appt.id, "arrival_undone", appt_before, snapshot(appt, ["status", "arrived_at"]), reason)
    before = snapshot(arrival, FIELDS)
    arrival.undone_at, arrival.undo_reason = ctx.now, reason
    ctx.session.flush()
    ctx.record("arrival", arrival.id, "undone", before, snapshot(arrival, FIELDS), reason)
    return arrival


def for_day(ctx: Ctx, day: Any) -> list[Arrival]:
    start = ctx.local_to_utc(day, datetime.min.time())
    return list(
        ctx.session.scalars(
            select(Arrival)
            .where(Arrival.shop_id == ctx.shop.id, Arrival.arrived_at >= start, Arrival.arrived_at < start + timedelta(days=1))
            .order_by(Arrival.arrived_at, Arrival.id)
        )
    )
