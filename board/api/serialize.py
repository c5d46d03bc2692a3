"""Rows to JSON. Times go out in the shop's zone with their offset; labels in zh and en."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, overload

from board.api.answers import (
    AdvisorOut,
    AppointmentOut,
    ArrivalOut,
    BayOut,
    CustomerOut,
    EventOut,
    JobOut,
    Label,
    PreparationOut,
    RepairOrderOut,
    ShopOut,
    TechnicianOut,
)
from board.auth.roles import PHONE_READERS
from board.context import Ctx
from board.db.models import Advisor, Appointment, Arrival, Bay, Event, Job, Preparation, RepairOrder, Shop, Technician
from board.domain.appointment_board import CARD_LABELS, CardState
from board.domain.stages import allowed_actions
from board.domain.vocab import PartsStatus
from board.services import parts_desk, quality


# Overloads: a time that is always set goes out as a str, which the answer types then require.
@overload
def _t(at: time) -> str: ...
@overload
def _t(at: time | None) -> str | None: ...
def _t(at: time | None) -> str | None:
    return at.strftime("%H:%M") if at is not None else None


@overload
def _dt(ctx: Ctx, at: datetime) -> str: ...
@overload
def _dt(ctx: Ctx, at: datetime | None) -> str | None: ...
def _dt(ctx: Ctx, at: datetime | None) -> str | None:
    return at.astimezone(ctx.zone).isoformat(timespec="seconds") if at is not None else None


def _label(value: Any) -> Label:
    return {"value": value.value, "zh": value.zh, "en": value.en}


def shop(row: Shop) -> ShopOut:
    return {
        "id": row.id, "code": row.code, "name": row.name, "timezone": row.timezone,
        "opens_at": _t(row.opens_at), "closes_at": _t(row.closes_at), "slot_minutes": row.slot_minutes,
        "receptions_per_advisor_slot": row.receptions_per_advisor_slot, "booking_share": row.booking_share,
        "labour_rate": row.labour_rate, "version": row.version,
    }


def advisor(row: Advisor) -> AdvisorOut:
    return {
        "id": row.id, "name": row.name, "shift_start": _t(row.shift_start), "shift_end": _t(row.shift_end),
        "present": row.present, "version": row.version,
    }


def technician(row: Technician) -> TechnicianOut:
    return {
        "id": row.id, "name": row.name, "team": _label(row.team),
        "skills": [{"skill": s.skill.value, "zh": s.skill.zh, "en": s.skill.en, "level": s.level} for s in row.skills],
        "shift_start": _t(row.shift_start), "shift_end": _t(row.shift_end), "present": row.present, "version": row.version,
    }


def bay(row: Bay) -> BayOut:
    return {"id": row.id, "name": row.name, "kind": _label(row.kind), "version": row.version}


def _customer(ctx: Ctx, row: Appointment | RepairOrder) -> CustomerOut:
    """A customer's phone only for those who call customers (advisors, the foreman, admins)."""
    out: CustomerOut = {"name": row.customer.name, "title": row.customer.title}
    if ctx.principal is None or ctx.principal.role in PHONE_READERS:
        out["phone"] = row.customer.phone
    return out


def appointment(ctx: Ctx, row: Appointment, state: CardState | None = None) -> AppointmentOut:
    out: AppointmentOut = {
        "id": row.id,
        "day": row.day.isoformat(),
        "slot_start": _t(row.slot_start),
        "plate": row.vehicle.plate_typed,
        "plate_normalised": row.vehicle.plate,
        "model": row.vehicle.model,
        "customer": _customer(ctx, row),
        "advisor": {"id": row.advisor.id, "name": row.advisor.name} if row.advisor else None,
        "service_type": _label(row.service_type),
        "source": _label(row.source),
        "status": _label(row.status),
        "column": row.column.value,
        "note": row.note,
        "booked_at": _dt(ctx, row.booked_at),
        "rolled_over_at": _dt(ctx, row.rolled_over_at),
        "arrived_at": _dt(ctx, row.arrived_at),
        "version": row.version,
    }
    if state is not None:
        out["state"] = {"value": state.value, "zh": CARD_LABELS[state][0], "en": CARD_LABELS[state][1]}
    return out


def job(ctx: Ctx, row: Job) -> JobOut:
    return {
        "id": row.id,
        "repair_order_id": row.repair_order_id,
        "operation": row.operation,
        "skill": row.skill.value,
        "level": row.level,
        "est_hours": row.est_hours,
        "bay_kind": row.bay_kind.value,
        "priority": _label(row.priority),
        "stage": _label(row.stage),
        "allowed_actions": [a.value for a in allowed_actions(row.stage)],
        "stop_reason": _label(row.stop_reason) if row.stop_reason else None,
        "stop_note": row.stop_note,
        "qc_failures": row.qc_failures,
        "technician_id": row.technician_id,
        "bay_id": row.bay_id,
        "planned_start": _dt(ctx, row.planned_start),
        "planned_end": _dt(ctx, row.planned_end),
        "actual_start": _dt(ctx, row.actual_start),
        "actual_end": _dt(ctx, row.actual_end),
        "parts_status": _label(row.parts_status),
        "pinned": row.pinned, "shares_car": row.shares_car,
        "lines": [{"id": ln.id, "operation": ln.operation, "est_hours": ln.est_hours, "check": ln.check, "done": ln.done_at is not None,
                   "done_at": _dt(ctx, ln.done_at), "done_by": ln.done_by, "finding_id": ln.finding_id} for ln in row.lines],
        "car_bay_id": row.repair_order.bay_id,
        "self_check": [{"key": i.key, "zh": i.zh, "en": i.en} for i in quality.own_list(row)],
        "version": row.version,
    }


def repair_order(ctx: Ctx, row: RepairOrder) -> RepairOrderOut:
    return {
        "id": row.id,
        "number": row.number,
        "appointment_id": row.appointment_id,
        "plate": row.vehicle.plate_typed,
        "model": row.vehicle.model,
        "customer": _customer(ctx, row),
        "advisor": {"id": row.advisor.id, "name": row.advisor.name},
        "opened_at": _dt(ctx, row.opened_at),
        "promised_at": _dt(ctx, row.promised_at),
        "customer_waiting": row.customer_waiting,
        "rework_of_id": row.rework_of_id,
        "note": row.note,
        "bay_id": row.bay_id,
        "jobs": [job(ctx, j) for j in row.jobs],
        "version": row.version,
    }


def preparation(ctx: Ctx, appt: Appointment, prep: Preparation) -> PreparationOut:
    # In step with the parts desk: a booking whose menu kit the desk still has to prepare is not "none needed".
    kit = parts_desk.kit_to_prepare(ctx, appt) if prep.parts_status is PartsStatus.NONE_NEEDED else None
    status: Label = {"value": "kit_to_prepare", "zh": f"备件待备（{kit.name}）", "en": f"Parts to prepare ({kit.name})"} if kit \
        else _label(prep.parts_status)
    return {
        "appointment": appointment(ctx, appt),
        "parts_status": status,
        "parts_note": prep.parts_note,
        "technician_id": prep.technician_id,
        "bay_id": prep.bay_id,
        "checked": prep.checked_at is not None,
        "checked_by": prep.checked_by,
        "checked_at": _dt(ctx, prep.checked_at),
        "version": prep.version,
    }


def arrival(ctx: Ctx, row: Arrival) -> ArrivalOut:
    waited = (row.received_at - row.arrived_at).total_seconds() if row.received_at else None
    return {
        "id": row.id, "appointment_id": row.appointment_id, "walk_in": row.appointment_id is None,
        "plate": row.plate_typed, "model": row.model, "source": row.source,
        "arrived_at": _dt(ctx, row.arrived_at), "received_at": _dt(ctx, row.received_at), "received_by": row.received_by,
        "reception_seconds": round(waited) if waited is not None else None,
        "undone_at": _dt(ctx, row.undone_at), "undo_reason": row.undo_reason, "version": row.version,
    }


def event(ctx: Ctx, row: Event) -> EventOut:
    return {
        "id": row.id, "at": _dt(ctx, row.at), "actor": row.actor, "entity": row.entity, "entity_id": row.entity_id,
        "action": row.action, "before": row.before, "after": row.after, "reason": row.reason,
    }
