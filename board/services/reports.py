"""Reads what the KPIs need from the event log and the records (the I/O edge of board/reports)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from board.context import Ctx
from board.db.models import Advisor, Appointment, Arrival, Event, Job, RepairOrder, Technician
from board.reports import kpis, model

# How far back a job's history is read for a day's report: a car sits in the shop a week at most
# waiting for parts; its clock and its stage at close come from events within this window.
LOOK_BACK = timedelta(days=14)


def _hours(start: time, end: time) -> float:
    return (datetime.combine(date.min, end) - datetime.combine(date.min, start)).total_seconds() / 3600


def _since_midnight(at: time) -> timedelta:
    return timedelta(hours=at.hour, minutes=at.minute)


def ledger(ctx: Ctx, first: date, last: date) -> model.Ledger:
    start, end = ctx.local_to_utc(first, time.min), ctx.local_to_utc(last + timedelta(days=1), time.min)
    s, shop = ctx.session, ctx.shop.id
    facts = tuple(
        model.Fact(e.at, e.entity, e.entity_id, e.action, e.after)
        for e in s.scalars(select(Event).where(Event.shop_id == shop, Event.entity == "job", Event.at >= start - LOOK_BACK, Event.at < end).order_by(Event.id))
    )
    bookings = tuple(
        model.Booking(a.id, a.day, a.status.value, a.advisor_id)
        for a in s.scalars(select(Appointment).where(Appointment.shop_id == shop, Appointment.day >= first, Appointment.day <= last))
    )
    arrivals = tuple(
        model.Arrival(a.id, a.appointment_id, a.arrived_at, a.received_at, a.received_by, a.undone_at is not None)
        for a in s.scalars(select(Arrival).where(Arrival.shop_id == shop, Arrival.arrived_at >= start - timedelta(days=1), Arrival.arrived_at < end))
    )
    # Columns, not rows: the orders' cars, customers and lines are not needed here. The amount is what the
    # customer paid at hand-over (None for an order not handed over on the delivery screen).
    window = (RepairOrder.shop_id == shop, RepairOrder.opened_at >= start - LOOK_BACK, RepairOrder.opened_at < end)
    orders = tuple(model.Order(ro, opened, promised, advisor, rework_of is not None, amount) for ro, opened, promised, advisor, rework_of, amount
                   in s.execute(select(RepairOrder.id, RepairOrder.opened_at, RepairOrder.promised_at, RepairOrder.advisor_id,
                                       RepairOrder.rework_of_id, RepairOrder.final_amount).where(*window)))
    jobs = tuple(model.JobLine(job, ro, hours) for job, ro, hours in s.execute(
        select(Job.id, Job.repair_order_id, Job.est_hours).where(Job.repair_order_id.in_(select(RepairOrder.id).where(*window)))))
    advisors = tuple(model.Person(a.id, a.name) for a in s.scalars(select(Advisor).where(Advisor.shop_id == shop).order_by(Advisor.id)))
    technicians = list(s.scalars(select(Technician).where(Technician.shop_id == shop).order_by(Technician.id)))
    return model.Ledger(
        facts=facts, bookings=bookings, arrivals=arrivals,
        orders=orders,
        jobs=jobs, advisors=advisors,
        technicians=tuple(model.Person(t.id, t.name, _hours(t.shift_start, t.shift_end), _since_midnight(t.shift_start)) for t in technicians),
        present=frozenset(t.id for t in technicians if t.present),
    )


def shop_day(ctx: Ctx, day: date) -> model.Day:
    return model.Day(day, ctx.local_to_utc(day, time.min), ctx.local_to_utc(day + timedelta(days=1), time.min), ctx.now)


def day_summary(ctx: Ctx, day: date) -> kpis.Summary:
    return kpis.summarise(ledger(ctx, day, day), shop_day(ctx, day))


def trend(ctx: Ctx, last: date, days: int) -> list[kpis.Summary]:
    """One summary per day, oldest first, from one read of the whole window."""
    first = last - timedelta(days=days - 1)
    book = ledger(ctx, first, last)
    return [kpis.summarise(book, shop_day(ctx, first + timedelta(days=n))) for n in range(days)]
