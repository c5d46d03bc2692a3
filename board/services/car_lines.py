"""How a car and its repair order read on the quality, wash and delivery screens: one header for all three."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from board.context import Ctx
from board.db.models import Event, RepairOrder, Technician
from board.domain.vocab import Labelled


def at(ctx: Ctx, moment: datetime | None) -> str | None:
    """A moment in the shop's zone, with its offset."""
    return moment.astimezone(ctx.zone).isoformat(timespec="seconds") if moment is not None else None


def label(value: Labelled) -> dict[str, str]:
    return {"value": value.value, "zh": value.zh, "en": value.en}


def order_head(ctx: Ctx, ro: RepairOrder) -> dict[str, Any]:
    return {
        "repair_order_id": ro.id, "number": ro.number, "plate": ro.vehicle.plate_typed, "model": ro.vehicle.model,
        "customer": f"{ro.customer.name}{ro.customer.title}", "advisor": {"id": ro.advisor.id, "name": ro.advisor.name},
        "opened_at": at(ctx, ro.opened_at), "promised_at": at(ctx, ro.promised_at),
        "customer_waiting": ro.customer_waiting, "rework": ro.rework_of_id is not None,
    }


def technician_names(ctx: Ctx) -> dict[int, str]:
    return {tech: name for tech, name in ctx.session.execute(select(Technician.id, Technician.name).where(Technician.shop_id == ctx.shop.id))}


def last_moves(ctx: Ctx, job_ids: list[int], action: str) -> dict[int, datetime]:
    """When each job last made this move (the event log): when it came into its stage."""
    if not job_ids:
        return {}
    rows = ctx.session.execute(select(Event.entity_id, Event.at).where(
        Event.shop_id == ctx.shop.id, Event.entity == "job", Event.action == action, Event.entity_id.in_(job_ids)).order_by(Event.id))
    return {job: moment for job, moment in rows}
