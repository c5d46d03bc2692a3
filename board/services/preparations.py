"""The day-before preparation of each booking: parts, technician and bay, ticked off by the advisor."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from board.api import schemas
from board.db.models import Appointment, Bay, Preparation, Technician
from board.domain.vocab import AppointmentStatus
from board.errors import NotFound
from board.services.context import Ctx, snapshot
from board.services.versions import check_version

FIELDS = ["parts_status", "parts_note", "technician_id", "bay_id", "checked_by", "checked_at"]


def for_day(ctx: Ctx, day: date) -> list[tuple[Appointment, Preparation]]:
    rows = ctx.session.execute(
        select(Appointment, Preparation)
        .join(Preparation, Preparation.appointment_id == Appointment.id)
        .where(Appointment.shop_id == ctx.shop.id, Appointment.day == day, Appointment.status == AppointmentStatus.BOOKED)
        .order_by(Appointment.slot_start, Appointment.id)
    )
    return [(a, p) for a, p in rows]


def update(ctx: Ctx, appointment_id: int, data: schemas.PreparationPatch) -> Preparation:
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
