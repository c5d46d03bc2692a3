"""The advisor hears first (board/dispatch/promises.py): when the live plan has a car ready past its
promise, an alert for her, with the new time and a message ready to send; her answer — she called
the customer, or gave him a new promise — closes it. Both are in the event log.

Alerts are raised where the plan is kept (the planning loop), in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from board import commands
from board.context import Ctx, snapshot
from board.db.models import PromiseAlert, RepairOrder
from board.dispatch import promises
from board.dispatch.model import Plan
from board.domain.masking import greeting
from board.errors import IllegalMove, InvalidInput

FIELDS = ["repair_order_id", "advisor_id", "promised_at", "expected_at", "late_minutes", "answered_at", "answered_by", "answer", "note"]
ANSWERS = ("called", "new_promise")


def _local(ctx: Ctx, at: datetime) -> datetime:
    return at.astimezone(ctx.zone).replace(tzinfo=None)


def open_alerts(ctx: Ctx) -> list[PromiseAlert]:
    return list(ctx.session.scalars(select(PromiseAlert).where(PromiseAlert.shop_id == ctx.shop.id, PromiseAlert.answered_at.is_(None))
                                    .order_by(PromiseAlert.id)))


def raise_for(ctx: Ctx, plan: Plan) -> list[PromiseAlert]:
    """Alert the advisors of the cars this plan has ready past their promise (once; again when a car
    slips further, or past a promise given since)."""
    orders = list(ctx.session.scalars(select(RepairOrder).where(RepairOrder.shop_id == ctx.shop.id, RepairOrder.closed_at.is_(None))))
    last: dict[int, PromiseAlert] = {}
    for alert in ctx.session.scalars(select(PromiseAlert).where(PromiseAlert.shop_id == ctx.shop.id,
                                                                PromiseAlert.repair_order_id.in_([o.id for o in orders])).order_by(PromiseAlert.id)):
        last[alert.repair_order_id] = alert
    raised = []
    for ro in orders:
        cards = [(j.stage.value, slot.end if (slot := plan.slot(j.id)) else None) for j in ro.jobs]
        expected = promises.expected_ready(ctx.now_local, cards)
        promised = _local(ctx, ro.promised_at)
        was = last.get(ro.id)
        said = _local(ctx, was.expected_at) if was is not None and was.promised_at == ro.promised_at else None
        if expected is None or not promises.alert_due(promised, expected, said):
            continue
        raised.append(_raise(ctx, ro, was if was is not None and was.answered_at is None else None, promised, expected))
    return raised


def _raise(ctx: Ctx, ro: RepairOrder, open_one: PromiseAlert | None, promised: datetime, expected: datetime) -> PromiseAlert:
    text = promises.message(greeting(ro.customer.name, ro.customer.title), ro.vehicle.plate_typed, ro.vehicle.model, promised, expected,
                            ro.advisor.name, ctx.shop.name)
    aware = expected.replace(tzinfo=ctx.zone)
    late = promises.late_by(promised, expected)
    if open_one is not None:  # still unanswered: it says the new time
        before = snapshot(open_one, FIELDS)
        open_one.expected_at, open_one.late_minutes, open_one.message, open_one.promised_at = aware, late, text, ro.promised_at
        ctx.session.flush()
        ctx.record("promise_alert", open_one.id, "moved", before, snapshot(open_one, FIELDS))
        return open_one
    alert = PromiseAlert(shop_id=ctx.shop.id, repair_order_id=ro.id, advisor_id=ro.advisor_id, raised_at=ctx.now, promised_at=ro.promised_at,
                         expected_at=aware, late_minutes=late, message=text)
    ctx.session.add(alert)
    ctx.session.flush()
    ctx.record("promise_alert", alert.id, "raised", None, snapshot(alert, FIELDS))
    return alert


def answer(ctx: Ctx, alert_id: int, data: commands.AlertAnswerIn) -> PromiseAlert:
    """The advisor's answer: she called the customer, or gave him a new promise (the order's promise moves)."""
    alert = ctx.edit(PromiseAlert, alert_id, "alert", data.version)
    if alert.answered_at is not None:
        raise IllegalMove(f"This alert was answered by {alert.answered_by}.", f"该提醒已由{alert.answered_by}处理。")
    ro = ctx.get(RepairOrder, alert.repair_order_id, "repair order")
    before = snapshot(alert, FIELDS)
    if data.answer == "new_promise":
        if data.promised_at is None:
            raise InvalidInput.one("promised_at", "a new promise needs its time")
        new = data.promised_at.replace(tzinfo=ctx.zone) if data.promised_at.tzinfo is None else data.promised_at
        if new <= ctx.now:
            raise InvalidInput.one("promised_at", "the new promise must be later than now")
        was = snapshot(ro, ["promised_at"])
        ro.promised_at = new
        ctx.session.flush()
        ctx.record("repair_order", ro.id, "promise_moved", was, snapshot(ro, ["promised_at"]), data.note)
    alert.answered_at, alert.answered_by, alert.answer, alert.note = ctx.now, ctx.actor[:60], data.answer, data.note
    ctx.session.flush()
    ctx.record("promise_alert", alert.id, "answered", before, snapshot(alert, FIELDS), data.note)
    return alert


def serialize(ctx: Ctx, alert: PromiseAlert, ro: RepairOrder) -> dict[str, Any]:
    def at(moment: datetime | None) -> str | None:
        return moment.astimezone(ctx.zone).isoformat(timespec="minutes") if moment else None
    return {"id": alert.id, "repair_order_id": ro.id, "number": ro.number, "advisor_id": alert.advisor_id, "plate": ro.vehicle.plate_typed,
            "model": ro.vehicle.model, "customer": f"{ro.customer.name}{ro.customer.title}", "customer_waiting": ro.customer_waiting,
            "promised_at": at(alert.promised_at), "expected_at": at(alert.expected_at), "late_minutes": alert.late_minutes,
            "message": alert.message, "raised_at": at(alert.raised_at), "answered_at": at(alert.answered_at), "answer": alert.answer,
            "answered_by": alert.answered_by, "version": alert.version}
