"""The day's closed repair orders for the dealer's DMS, where payment and the invoice are done: as JSON
(one object per order) and as CSV (one row per line: labour, part, an adjustment to what the
customer paid, and the declined work, not charged).

Closed on a day: handed over on the delivery screen that day, or — an order whose last job was
delivered through the API, never closed on the screen — whose last job left that day (the KPIs'
"handed over"). Such an order has no final amount: its total is the one computed, and it says so.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from board.context import Ctx
from board.db.models import RepairOrder
from board.reports import cells
from board.services import follow_ups
from board.services.car_lines import at
from board.services.handover import bill

CSV_FIELDS = [
    "order_number", "closed_at", "opened_at", "plate", "vin", "model", "customer", "phone", "advisor", "delivered_by",
    "line_type", "part_no", "description", "hours", "qty", "unit_price", "amount", "charged", "order_total",
    "next_service_date", "next_service_km",
]


def closed_orders(ctx: Ctx, day: date) -> list[dict[str, Any]]:
    start, end = ctx.local_to_utc(day, time.min), ctx.local_to_utc(day + timedelta(days=1), time.min)
    left = follow_ups.delivered_orders(ctx, day, day)
    closed_then = select(RepairOrder.id).where(RepairOrder.shop_id == ctx.shop.id, RepairOrder.closed_at >= start, RepairOrder.closed_at < end)
    ids = set(left) | set(ctx.session.scalars(closed_then))
    out: list[tuple[datetime, int, dict[str, Any]]] = []
    for ro in ctx.session.scalars(select(RepairOrder).where(RepairOrder.shop_id == ctx.shop.id, RepairOrder.id.in_(ids))):
        closed = ro.closed_at or left.get(ro.id)
        if closed is None or not start <= closed < end:  # closed on the screen another day than its last job left
            continue
        out.append((closed, ro.id, _order(ctx, ro, closed)))
    return [o for _closed, _id, o in sorted(out, key=lambda x: (x[0], x[1]))]


def _order(ctx: Ctx, ro: RepairOrder, closed: datetime) -> dict[str, Any]:
    b = bill(ctx, ro)
    total = ro.final_amount if ro.final_amount is not None else b["computed_amount"]
    return {
        "repair_order_id": ro.id, "number": ro.number, "plate": ro.vehicle.plate_typed, "vin": ro.vehicle.vin, "model": ro.vehicle.model,
        "customer": {"name": ro.customer.name, "title": ro.customer.title, "phone": ro.customer.phone},
        "advisor": ro.advisor.name, "opened_at": at(ctx, ro.opened_at), "promised_at": at(ctx, ro.promised_at), "closed_at": at(ctx, closed),
        "delivered_by": ro.delivered_by, "closed_on_screen": ro.closed_at is not None,
        "lines": [{k: line[k] for k in ("job_id", "operation", "hours", "labour_price", "technician")} for line in b["lines"]],
        "parts": b["parts"], "declined": b["declined"],
        "labour_rate": b["labour_rate"], "labour_hours": b["labour_hours"], "labour_amount": b["labour_amount"], "parts_amount": b["parts_amount"],
        "computed_amount": b["computed_amount"], "final_amount": ro.final_amount, "total": round(total, 2),
        "next_service": {"date": ro.next_service_date.isoformat() if ro.next_service_date else None, "km": ro.next_service_km},
    }


def csv_rows(order: dict[str, Any]) -> list[list[Any]]:
    head = [order["number"], order["closed_at"], order["opened_at"], order["plate"], order["vin"] or "", order["model"],
            order["customer"]["name"] + order["customer"]["title"], order["customer"]["phone"], order["advisor"], order["delivered_by"]]
    tail = [order["total"], order["next_service"]["date"] or "", order["next_service"]["km"] if order["next_service"]["km"] is not None else ""]
    rows = [head + ["labour", "", line["operation"], line["hours"], 1, line["labour_price"], line["labour_price"], "yes"] + tail
            for line in order["lines"]]
    rows += [head + ["part", p["part_no"], p["name"], "", p["qty"], p["unit_price"], p["amount"], "yes"] + tail for p in order["parts"]]
    adjustment = round(order["total"] - order["computed_amount"], 2)
    if adjustment:  # what the advisor changed: the charged lines add up to what the customer paid
        rows.append(head + ["adjustment", "", "交车调整 adjustment at hand-over", "", 1, adjustment, adjustment, "yes"] + tail)
    rows += [head + ["declined", "", d["operation"] or d["text"], "", 1, d["amount"], d["amount"], "no"] + tail for d in order["declined"]]
    return rows


def csv_text(orders: list[dict[str, Any]]) -> str:
    """With a byte-order mark, so that spreadsheets read the Chinese right; every cell spreadsheet-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for order in orders:
        writer.writerows(cells.row(r) for r in csv_rows(order))
    return "\ufeff" + out.getvalue()
