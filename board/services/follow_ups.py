"""The follow-up call within three days of handing a car over, and complaints until they are closed.

Due on a day: repair orders whose last job was delivered one to three shop days before (the
standard is a call *within* three days: from the day after, not on the third); overdue after that,
for a week more, while the customer is still not reached (an unreachable customer is called
again). The window is the pure rule ``standards.follow_up``. A complaint stays on the open list
until it is closed with its resolution. The complaint rate is complaints over customers reached in
the last 30 days, against the shop's standard (1 % unless an admin set another).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from board import commands
from board.context import Ctx, snapshot
from board.db.models import Event, Finding, FollowUp, Job, RepairOrder
from board.domain.vocab import CallOutcome, FindingStatus, Stage
from board.errors import IllegalMove, InvalidInput
from board.reports import kpis, standards
from board.services import handover, targets

RATE_DAYS = 30
FIELDS = ["repair_order_id", "called_at", "called_by", "outcome", "note", "resolved_at", "resolution"]


def delivered_orders(ctx: Ctx, first: date, last: date) -> dict[int, datetime]:
    """Orders handed over between two shop days (inclusive): order id -> when its last job left."""
    start, end = ctx.local_to_utc(first, time.min), ctx.local_to_utc(last + timedelta(days=1), time.min)
    # An order's earlier lines may have been delivered a little before its last one.
    delivered = {e.entity_id: e.at for e in ctx.session.scalars(
        select(Event).where(Event.shop_id == ctx.shop.id, Event.entity == "job", Event.action == "deliver",
                            Event.at >= start - timedelta(days=2), Event.at < end))}
    orders = select(Job.repair_order_id).where(Job.id.in_(list(delivered)))
    lines = [(ro, job) for ro, job in ctx.session.execute(select(Job.repair_order_id, Job.id).where(Job.repair_order_id.in_(orders)))]
    return {ro: at for ro, at in kpis.handed_over(delivered, lines).items() if start <= at < end}


def _order(ro: RepairOrder) -> dict[str, Any]:
    """The car and its customer, as the person calling reads them."""
    return {"repair_order_id": ro.id, "number": ro.number, "plate": ro.vehicle.plate_typed, "model": ro.vehicle.model,
            "customer": f"{ro.customer.name}{ro.customer.title}", "phone": ro.customer.phone, "advisor": ro.advisor.name}


def serialize_call(ctx: Ctx, call: FollowUp) -> dict[str, Any]:
    return {
        "id": call.id, "repair_order_id": call.repair_order_id, "called_at": call.called_at.astimezone(ctx.zone).isoformat(timespec="minutes"),
        "called_by": call.called_by, "outcome": {"value": call.outcome.value, "zh": call.outcome.zh, "en": call.outcome.en},
        "note": call.note, "resolved_at": call.resolved_at.astimezone(ctx.zone).isoformat(timespec="minutes") if call.resolved_at else None,
        "resolution": call.resolution, "version": call.version,
    }


def _due(ctx: Ctx, order: RepairOrder, left: datetime, day: date, call: FollowUp | None, declined: list[Finding]) -> dict[str, Any]:
    """A car on the day's call list: when it left, the last day of the standard, whether that is past,
    and the extra work the customer declined (the call is the moment to offer it again)."""
    handed_day = left.astimezone(ctx.zone).date()
    return {**_order(order), "delivered_at": left.astimezone(ctx.zone).isoformat(timespec="minutes"),
            "call_by": standards.call_by(handed_day).isoformat(),
            "overdue": standards.follow_up(handed_day, day) is standards.FollowUp.OVERDUE,
            "call": serialize_call(ctx, call) if call is not None else None, "declined": handover.declined_work(ctx, declined)}


def follow_up_list(ctx: Ctx, day: date) -> dict[str, Any]:
    handed = delivered_orders(ctx, *standards.follow_up_window(day))
    since = ctx.local_to_utc(day - timedelta(days=RATE_DAYS - 1), time.min)
    # The calls that matter today: on the cars due, complaints still open, and the last 30 days' for the rate.
    calls = {c.repair_order_id: c for c in ctx.session.scalars(select(FollowUp).where(
        FollowUp.shop_id == ctx.shop.id,
        FollowUp.repair_order_id.in_(list(handed)) | (FollowUp.called_at >= since)
        | ((FollowUp.outcome == CallOutcome.COMPLAINT) & FollowUp.resolved_at.is_(None))))}
    open_complaints = [c for c in calls.values() if c.outcome is CallOutcome.COMPLAINT and c.resolved_at is None]
    orders = {o.id: o for o in ctx.session.scalars(select(RepairOrder).where(
        RepairOrder.id.in_(list(handed) + [c.repair_order_id for c in open_complaints])))}
    declined: dict[int, list[Finding]] = {}
    for f in ctx.session.scalars(select(Finding).where(Finding.shop_id == ctx.shop.id, Finding.repair_order_id.in_(list(handed)),
                                                       Finding.status == FindingStatus.DECLINED).order_by(Finding.id)):
        declined.setdefault(f.repair_order_id, []).append(f)
    due = [_due(ctx, orders[ro], left, day, calls.get(ro), declined.get(ro, []))
           for ro, left in sorted(handed.items(), key=lambda kv: kv[1]) if ro not in calls or calls[ro].outcome is CallOutcome.UNREACHABLE]
    recent = [c for c in calls.values() if c.called_at >= since and c.outcome is not CallOutcome.UNREACHABLE]
    complaints = sum(1 for c in recent if c.outcome is CallOutcome.COMPLAINT)
    return {
        "day": day.isoformat(), "due": due,
        "open_complaints": [{**_order(orders[c.repair_order_id]), **serialize_call(ctx, c)} for c in open_complaints],
        "reached_30_days": len(recent), "complaints_30_days": complaints,
        "complaint_rate": round(complaints / len(recent), 4) if recent else None, "standard": targets.current(ctx)["complaint_rate"],
    }


def record_call(ctx: Ctx, data: commands.FollowUpIn) -> FollowUp:
    ctx.check_ref(RepairOrder, data.repair_order_id, "repair_order_id", "repair order")
    stages = ctx.session.scalars(select(Job.stage).where(Job.repair_order_id == data.repair_order_id)).all()
    if not stages or any(stage is not Stage.DELIVERED for stage in stages):
        raise InvalidInput.one("repair_order_id", "this car has not been handed over yet: there is nothing to follow up")
    call = ctx.session.scalars(select(FollowUp).where(FollowUp.repair_order_id == data.repair_order_id)).one_or_none()
    if call is None:
        call = FollowUp(shop_id=ctx.shop.id, repair_order_id=data.repair_order_id, called_at=ctx.now, called_by=ctx.actor,
                        outcome=data.outcome, note=data.note)
        ctx.session.add(call)
        ctx.session.flush()
        ctx.record("follow_up", call.id, "called", None, snapshot(call, FIELDS))
        return call
    if data.version is None:
        raise InvalidInput.one("version", "this customer was called before: give the version of that call to record another")
    call = ctx.edit(FollowUp, call.id, "follow-up", data.version)
    if call.outcome is not CallOutcome.UNREACHABLE:
        raise IllegalMove("This customer has been reached already; a complaint is closed with its resolution.",
                          "该客户已回访;投诉请以处理结果关闭。")
    before = snapshot(call, FIELDS)
    call.called_at, call.called_by, call.outcome, call.note = ctx.now, ctx.actor, data.outcome, data.note
    ctx.session.flush()
    ctx.record("follow_up", call.id, "called", before, snapshot(call, FIELDS))
    return call


def close_complaint(ctx: Ctx, call_id: int, data: commands.ComplaintClose) -> FollowUp:
    call = ctx.edit(FollowUp, call_id, "follow-up", data.version)
    if call.outcome is not CallOutcome.COMPLAINT or call.resolved_at is not None:
        raise IllegalMove("Only an open complaint can be closed.", "只有未关闭的投诉才能关闭。")
    before = snapshot(call, FIELDS)
    call.resolved_at, call.resolution = ctx.now, data.resolution
    ctx.session.flush()
    ctx.record("follow_up", call.id, "resolved", before, snapshot(call, FIELDS), data.resolution)
    return call
