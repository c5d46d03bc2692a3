"""What a technician needs on his card to do the work without walking to the front desk: the
customer's own words, the operations, the parts picked or on their way, the marks found at the
walk-round, the car's last visits and the work its owner declined, and a high-voltage warning on a
new-energy car (its green 8-character plate: 粤AD12345)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from board.context import Ctx
from board.db.models import Finding, Job, PartLine, Reception, RepairOrder
from board.domain import plates
from board.domain.vocab import FindingStatus

LAST_VISITS = 3


def _at(ctx: Ctx, at: datetime | None) -> str | None:
    return at.astimezone(ctx.zone).isoformat(timespec="minutes") if at is not None else None


def card(ctx: Ctx, job_id: int) -> dict[str, Any]:
    job = ctx.get(Job, job_id, "job")
    ro = job.repair_order
    walk = ctx.session.scalar(select(Reception).where(Reception.repair_order_id == ro.id))
    parts = ctx.session.scalars(select(PartLine).where(PartLine.job_id == job.id).order_by(PartLine.id))
    earlier = list(ctx.session.scalars(
        select(RepairOrder).where(RepairOrder.shop_id == ctx.shop.id, RepairOrder.vehicle_id == ro.vehicle_id, RepairOrder.id != ro.id,
                                  RepairOrder.opened_at < ro.opened_at).order_by(RepairOrder.opened_at.desc()).limit(LAST_VISITS)))
    # The mileage of each earlier visit, read once for all of them.
    mileage = dict(ctx.session.execute(select(Reception.repair_order_id, Reception.mileage_km)
                                       .where(Reception.repair_order_id.in_([v.id for v in earlier]))).all()) if earlier else {}
    declined = ctx.session.scalars(
        select(Finding).join(RepairOrder, RepairOrder.id == Finding.repair_order_id)
        .where(RepairOrder.vehicle_id == ro.vehicle_id, Finding.status == FindingStatus.DECLINED).order_by(Finding.decided_at.desc()))
    return {
        "job_id": job.id, "ro": ro.number, "plate": ro.vehicle.plate_typed, "model": ro.vehicle.model, "vin": ro.vehicle.vin,
        "new_energy": plates.parse(ro.vehicle.plate_typed).kind == "new_energy",
        "customer_words": (walk.customer_words if walk else "") or "", "advisor_note": ro.note,
        "mileage_km": walk.mileage_km if walk else None, "fuel_eighths": walk.fuel_eighths if walk else None,
        "marks": list(walk.marks) if walk else [], "valuables": walk.valuables if walk else "",
        "operations": [{"id": ln.id, "operation": ln.operation, "est_hours": ln.est_hours, "done": ln.done_at is not None} for ln in job.lines],
        "parts": [{"id": p.id, "part_no": p.part_no, "name": p.name, "qty": p.qty, "status": p.status.value,
                   "expected_at": _at(ctx, p.expected_at)} for p in parts],
        "last_visits": [{"ro": v.number, "opened_at": _at(ctx, v.opened_at), "operations": [j.operation for j in v.jobs],
                         "mileage_km": mileage.get(v.id)} for v in earlier],
        "declined": [{"finding_id": f.id, "text": f.text, "operation": f.operation, "decided_at": _at(ctx, f.decided_at)} for f in declined],
    }

