"""Handing the car over (交车): the cars ready, the bill the advisor explains — what was done, what the
customer declined, labour and parts — and the hand-over itself, which delivers every job (the
deliver move of each), closes the order with what the customer pays and the next service, and so
puts it in the day's KPIs (handed over, on time, sales) and on the follow-up list from the next day.

Payment and the invoice stay in the dealer's DMS: the closed order goes there (board/services/dms_export.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from board import commands, commands_quality
from board.context import Ctx, snapshot
from board.db.models import Finding, Job, PartLine, Reception, RepairOrder, ServiceMenu
from board.domain import handover
from board.domain.stages import Action
from board.domain.vocab import FindingStatus, Stage
from board.errors import IllegalMove, InvalidInput
from board.services import repair_orders
from board.services.car_lines import at, label, last_moves, order_head, technician_names

FIELDS = ["final_amount", "closed_at", "delivered_by", "next_service_date", "next_service_km"]
HANDED = (Stage.READY, Stage.DELIVERED)


def _parts(ctx: Ctx, ro: RepairOrder) -> list[PartLine]:
    ids = [j.id for j in ro.jobs]
    if not ids:
        return []
    return list(ctx.session.scalars(select(PartLine).where(PartLine.shop_id == ctx.shop.id, PartLine.job_id.in_(ids)).order_by(PartLine.id)))


def _findings(ctx: Ctx, ro: RepairOrder) -> list[Finding]:
    return list(ctx.session.scalars(select(Finding).where(Finding.shop_id == ctx.shop.id, Finding.repair_order_id == ro.id).order_by(Finding.id)))


def _mileage(ctx: Ctx, ro: RepairOrder) -> int | None:
    return ctx.session.scalar(select(Reception.mileage_km).where(Reception.shop_id == ctx.shop.id, Reception.repair_order_id == ro.id))


def suggested_next_service(ctx: Ctx, ro: RepairOrder, mileage: int | None) -> handover.NextService:
    """From the menus the order's work came from (the shortest interval), else the usual interval."""
    codes = {j.menu_code for j in ro.jobs if j.menu_code}
    months: list[int] = []
    kms: list[int] = []
    if codes:
        for menu in ctx.session.scalars(select(ServiceMenu).where(ServiceMenu.shop_id == ctx.shop.id, ServiceMenu.code.in_(codes))):
            months += [menu.interval_months] if menu.interval_months else []
            kms += [menu.interval_km] if menu.interval_km else []
    return handover.next_service(ctx.today, mileage, min(months, default=None), min(kms, default=None))


def _lines(ctx: Ctx, ro: RepairOrder) -> list[dict[str, Any]]:
    """What was done: each card with its operations, its hours and its labour."""
    names, rate = technician_names(ctx), ctx.shop.labour_rate
    return [{"job_id": j.id, "operation": j.operation, "operations": [line.operation for line in j.lines], "skill": label(j.skill), "hours": j.est_hours,
             "labour_price": handover.labour_price(handover.Labour(j.est_hours, j.labour_price), rate), "priced": j.labour_price is not None,
             "technician": names.get(j.technician_id) if j.technician_id else None, "stage": label(j.stage), "qc_failures": j.qc_failures}
            for j in ro.jobs]


def _part_rows(ctx: Ctx, ro: RepairOrder, findings: list[Finding]) -> list[dict[str, Any]]:
    """The part lines of the order's jobs; extra work approved with a parts price that never became part lines: that price, once."""
    lines = _parts(ctx, ro)
    rows = [{"job_id": p.job_id, "part_no": p.part_no, "name": p.name, "qty": p.qty, "unit_price": p.unit_price,
             "amount": handover.part_amount(handover.Part(p.qty, p.unit_price)), "finding_id": None} for p in lines]
    with_lines = {p.job_id for p in lines}
    for f in findings:
        if f.status is FindingStatus.APPROVED and f.added_job_id is not None and f.added_job_id not in with_lines and f.parts_price:
            rows.append({"job_id": f.added_job_id, "part_no": "", "name": f.operation or f.text[:80], "qty": 1.0, "unit_price": f.parts_price,
                         "amount": handover.part_amount(handover.Part(1.0, f.parts_price)), "finding_id": f.id})
    return rows


def declined_work(ctx: Ctx, findings: list[Finding]) -> list[dict[str, Any]]:
    """What the customer said no to: told again at hand-over, kept for the follow-up call and the next visit."""
    return [{"finding_id": f.id, "text": f.text, "operation": f.operation, "labour_price": f.labour_price, "parts_price": f.parts_price,
             "amount": round(f.labour_price + f.parts_price, 2), "decided_at": at(ctx, f.decided_at)}
            for f in findings if f.status is FindingStatus.DECLINED]


def _closed(ro: RepairOrder, when: str | None) -> dict[str, Any] | None:
    if ro.closed_at is None:
        return None
    return {"closed_at": when, "final_amount": ro.final_amount, "delivered_by": ro.delivered_by,
            "next_service_date": ro.next_service_date.isoformat() if ro.next_service_date else None, "next_service_km": ro.next_service_km}


def bill(ctx: Ctx, ro: RepairOrder) -> dict[str, Any]:
    """The order as the advisor explains it at hand-over, and as the DMS is told."""
    findings = _findings(ctx, ro)
    parts = _part_rows(ctx, ro, findings)
    labour_amount = handover.labour_amount([handover.Labour(j.est_hours, j.labour_price) for j in ro.jobs], ctx.shop.labour_rate)
    parts_amount = handover.parts_amount([handover.Part(float(p["qty"]), float(p["unit_price"])) for p in parts])
    mileage = _mileage(ctx, ro)
    suggestion = suggested_next_service(ctx, ro, mileage)
    estimate = None
    if ro.estimate_labour is not None or ro.estimate_parts is not None:
        estimate = {"labour": ro.estimate_labour, "parts": ro.estimate_parts, "signed_at": at(ctx, ro.signed_at)}
    return {
        **order_head(ctx, ro), "version": ro.version, "labour_rate": ctx.shop.labour_rate,
        "lines": _lines(ctx, ro), "parts": parts, "declined": declined_work(ctx, findings),
        "labour_hours": round(sum(j.est_hours for j in ro.jobs), 2), "labour_amount": labour_amount, "parts_amount": parts_amount,
        "computed_amount": round(labour_amount + parts_amount, 2), "estimate": estimate, "mileage_km": mileage,
        "suggested_next_service": {"date": suggestion.day.isoformat(), "km": suggestion.km},
        "ready": _ready(ro), "closed": _closed(ro, at(ctx, ro.closed_at)),
    }


def _ready(ro: RepairOrder) -> bool:
    """Every job ready (or already delivered), one at least still here, and the order not closed."""
    return ro.closed_at is None and all(j.stage in HANDED for j in ro.jobs) and any(j.stage is Stage.READY for j in ro.jobs)


def ready_cars(ctx: Ctx) -> list[dict[str, Any]]:
    """Cars to hand over: every job ready, the promised time soonest first; the signed-in advisor's marked."""
    orders = [ro for ro in ctx.session.scalars(select(RepairOrder).where(
        RepairOrder.shop_id == ctx.shop.id, RepairOrder.closed_at.is_(None),
        RepairOrder.id.in_(select(Job.repair_order_id).where(Job.shop_id == ctx.shop.id, Job.stage == Stage.READY)))) if _ready(ro)]
    washed = last_moves(ctx, [j.id for ro in orders for j in ro.jobs], Action.WASH_DONE.value)
    me = ctx.principal.advisor_id if ctx.principal is not None else None
    cars = []
    for ro in sorted(orders, key=lambda o: (o.promised_at, o.id)):
        since: list[datetime] = [washed[j.id] for j in ro.jobs if j.id in washed]
        rate = ctx.shop.labour_rate
        cars.append({**order_head(ctx, ro), "version": ro.version, "ready_since": at(ctx, max(since, default=None)),
                     "jobs": len(ro.jobs), "labour_hours": round(sum(j.est_hours for j in ro.jobs), 2),
                     "labour_amount": handover.labour_amount([handover.Labour(j.est_hours, j.labour_price) for j in ro.jobs], rate),
                     "mine": me is not None and ro.advisor_id == me})
    return cars


def hand_over(ctx: Ctx, ro_id: int, data: commands_quality.HandOverIn) -> RepairOrder:
    ro = ctx.edit(RepairOrder, ro_id, "repair order", data.version)
    if ro.closed_at is not None:
        when = ro.closed_at.astimezone(ctx.zone).strftime("%m-%d %H:%M")
        raise IllegalMove(f"{ro.number} was handed over at {when} by {ro.delivered_by}.", f"{ro.number} 已于 {when} 由 {ro.delivered_by} 交车。")
    behind = [j for j in ro.jobs if j.stage not in HANDED]
    if behind or not ro.jobs:
        en = "; ".join(f"{j.operation}: {j.stage.en.lower()}" for j in behind) or "no job lines"
        zh = ";".join(f"{j.operation}:{j.stage.zh}" for j in behind) or "没有作业项目"
        raise IllegalMove(f"{ro.vehicle.plate_typed} is not ready to hand over ({en}).", f"{ro.vehicle.plate_typed} 尚不能交车({zh})。")
    bill_now = bill(ctx, ro)
    mileage = bill_now["mileage_km"]
    suggestion = suggested_next_service(ctx, ro, mileage)
    next_day = data.next_service_date or suggestion.day
    if next_day <= ctx.today:
        raise InvalidInput.one("next_service_date", "the next service is a day after today")
    next_km = data.next_service_km if data.next_service_km is not None else suggestion.km
    if next_km is not None and mileage is not None and next_km <= mileage:
        raise InvalidInput.one("next_service_km", f"the car has {mileage} km already: the next service is further on")
    for job in ro.jobs:
        if job.stage is Stage.READY:
            repair_orders.transition(ctx, job.id, commands.TransitionIn(action=Action.DELIVER, version=job.version))
    before = snapshot(ro, FIELDS)
    ro.final_amount = round(data.final_amount if data.final_amount is not None else bill_now["computed_amount"], 2)
    ro.closed_at = ctx.now
    ro.delivered_by = ctx.actor[:60]
    ro.next_service_date, ro.next_service_km = next_day, next_km
    ctx.session.flush()
    after = snapshot(ro, FIELDS) | {"computed_amount": bill_now["computed_amount"]}
    ctx.record("repair_order", ro.id, "handed_over", before, after, data.note)
    return ro
