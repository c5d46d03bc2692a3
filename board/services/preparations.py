"""The day-before preparation of each booking: parts, technician and bay, ticked off by the advisor."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from board import commands
from board.context import Ctx, snapshot
from board.db.models import Appointment, Bay, Preparation, Technician
from board.domain.vocab import AppointmentStatus
from board.errors import NotFound
from board.versions import check_version

FIELDS = ["parts_status", "parts_note", "technician_id", "bay_id", "checked_by", "checked_at"]


def for_day(ctx: Ctx, day: date) -> list[tuple[Appointment, Preparation]]:
    rows = ctx.session.execute(
        select(Appointment, Preparation)
        .join(Preparation, Preparation.appointment_id == Appointment.id)
        .where(Appointment.shop_id == ctx.shop.id, Appointment.day == day, Appointment.status == AppointmentStatus.BOOKED)
        .order_by(Appointment.slot_start, Appointment.id)
    )
    return [(a, p) for a, p in rows]


def plan_day(ctx: Ctx, day: date) -> list[tuple[Appointment, Preparation]]:
    """Reserve a technician and a bay for each booking of ``day`` that the advisor has not ticked off."""
    from board.db.models import Bay
    from board.dispatch.preparation import BookingWork, Crew, reserve

    items = [(a, p) for a, p in for_day(ctx, day) if p.checked_at is None]
    techs = ctx.session.scalars(select(Technician).where(Technician.shop_id == ctx.shop.id).order_by(Technician.id)).all()
    crew = [Crew(t.id, {s.skill.value: s.level for s in t.skills},
                 (datetime.combine(day, t.shift_end) - datetime.combine(day, t.shift_start)).total_seconds() / 3600) for t in techs]
    bays = [(b.id, b.kind.value) for b in ctx.session.scalars(select(Bay).where(Bay.shop_id == ctx.shop.id).order_by(Bay.id))]
    plan = {r.appointment_id: r for r in reserve([BookingWork(a.id, a.service_type.value, a.slot_start) for a, _ in items], crew, bays)}
    for appt, prep in items:
        r = plan[appt.id]
        if (prep.technician_id, prep.bay_id) == (r.tech_id, r.bay_id):
            continue
        before = snapshot(prep, FIELDS)
        prep.technician_id, prep.bay_id = r.tech_id, r.bay_id
        ctx.session.flush()
        ctx.record("preparation", prep.id, "planned", before, snapshot(prep, FIELDS) | {"appointment_id": appt.id}, r.reason)
    return for_day(ctx, day)


def update(ctx: Ctx, appointment_id: int, data: commands.PreparationPatch) -> Preparation:
    prep = ctx.session.scalar(
        select(Preparation).where(Preparation.shop_id == ctx.shop.id, Preparation.appointment_id == appointment_id)
    )
    if prep is None:
        raise NotFound("appointment", appointment_id)
    check_version(prep, data.version, "preparation")
    ctx.check_ref(Technician, data.technician_id, "technician_id", "technician")
    ctx.check_ref(Bay, data.bay_id, "bay_id", "bay")
    before = snapshot(prep, FIELDS)
    changes = data.model_dump(exclude_unset=True, exclude={"version", "checked"})
    for name, value in changes.items():
        setattr(prep, name, value)
    if data.checked is True:
        prep.checked_by, prep.checked_at = ctx.actor, ctx.now
    elif data.checked is False:
        prep.checked_by, prep.checked_at = None, None
    ctx.session.flush()
    ctx.record("preparation", prep.id, "updated", before, snapshot(prep, FIELDS) | {"appointment_id": appointment_id})
    return prep
