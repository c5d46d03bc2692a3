"""Routes of the technician's self-check, the inspector's quality check, the wash queue, the advisor's hand-over (交车) and the closed order for the DMS.

Registered in the one registry (board/api/registry.py) like every route; the rules live in board/services/."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from board import commands_quality
from board.api import answers_quality as answers
from board.api import serialize
from board.api.registry import api
from board.auth.principal import require_own_job
from board.auth.roles import ADVISORS, INSPECTORS, WASHERS, WORKSHOP
from board.context import Ctx
from board.db.models import Job, RepairOrder
from board.services import dms_export, handover, quality, wash

S = "/api/shops/{shop}"
Result = tuple[int, Any]


# -- the three-level check (三检) ------------------------------------------------------------


@api("GET", S + "/checklists", "The self-check (自检) and the inspector's check (终检) of every kind of job", response=answers.Checklists)
def checklists(ctx: Ctx) -> Result:
    return 200, quality.all_checklists()


@api("POST", S + "/jobs/{job_id:int}/self-check", "The technician's own check: every item of his job's list ticked sends it to quality check",
     body=commands_quality.SelfCheckIn, roles=WORKSHOP, response=answers.Checked)
def self_check(ctx: Ctx, body: commands_quality.SelfCheckIn, job_id: int) -> Result:
    require_own_job(ctx.asker, ctx.get(Job, job_id, "job").technician_id)
    job, check = quality.self_check(ctx, job_id, body)
    return 200, {"check": quality.serialize_check(ctx, check), "job": serialize.job(ctx, job)}


@api("POST", S + "/jobs/{job_id:int}/quality-check", "The inspector's check: passed to the wash (every item ticked), or failed back "
     "to the technician with the reason", body=commands_quality.InspectionIn, roles=INSPECTORS, response=answers.Checked)
def inspect(ctx: Ctx, body: commands_quality.InspectionIn, job_id: int) -> Result:
    job, check = quality.inspect(ctx, job_id, body)
    return 200, {"check": quality.serialize_check(ctx, check), "job": serialize.job(ctx, job)}


@api("GET", S + "/jobs/{job_id:int}/checks", "A job's checks, oldest first: self-checks and the inspector's, with the reasons of failures",
     response=list[answers.CheckOut])
def job_checks(ctx: Ctx, job_id: int) -> Result:
    return 200, quality.job_checks(ctx, job_id)


@api("GET", S + "/quality-check", "The inspector's screen: cars waiting for the check (longest first) with their self-checks and "
     "lists; the jobs sent back, with why", response=answers.QcQueue)
def qc_queue(ctx: Ctx) -> Result:
    return 200, quality.queue(ctx)


# -- the wash ---------------------------------------------------------------------------------


@api("GET", S + "/wash", "The wash queue: customers waiting first, then the car waiting longest; cars still being worked on last",
     response=list[answers.WashCar])
def wash_queue(ctx: Ctx) -> Result:
    return 200, wash.queue(ctx)


@api("POST", S + "/repair-orders/{ro_id:int}/wash-done", "The car is washed: every one of its jobs in the wash is ready",
     body=commands_quality.WashDoneIn, roles=WASHERS, response=answers.Washed)
def wash_done(ctx: Ctx, body: commands_quality.WashDoneIn, ro_id: int) -> Result:
    ro = wash.wash_done(ctx, ro_id, body)
    return 200, {"repair_order_id": ro.id, "jobs": [serialize.job(ctx, j) for j in ro.jobs]}


# -- the hand-over (交车) and the DMS --------------------------------------------------------------


@api("GET", S + "/delivery", "Cars ready to hand over (every job ready), the promised time soonest first", response=list[answers.ReadyCar])
def ready_cars(ctx: Ctx) -> Result:
    return 200, handover.ready_cars(ctx)


@api("GET", S + "/repair-orders/{ro_id:int}/hand-over", "The bill at hand-over: what was done (hours, labour), parts, what was declined, "
     "the amount, the next service suggested", response=answers.Bill)
def get_bill(ctx: Ctx, ro_id: int) -> Result:
    return 200, handover.bill(ctx, ctx.get(RepairOrder, ro_id, "repair order"))


@api("POST", S + "/repair-orders/{ro_id:int}/hand-over", "Hand the car over: every job delivered, the order closed with the amount paid "
     "and the next service (into the KPIs, on the follow-up list from tomorrow, to the DMS)",
     body=commands_quality.HandOverIn, roles=ADVISORS, response=answers.Bill)
def hand_over(ctx: Ctx, body: commands_quality.HandOverIn, ro_id: int) -> Result:
    return 200, handover.bill(ctx, handover.hand_over(ctx, ro_id, body))


@api("GET", S + "/dms/closed-orders", "The day's closed repair orders for the DMS (payment, invoice): lines with hours and prices, "
     "declined work, the total, the next service", query=commands_quality.ClosedQuery, roles=ADVISORS, response=list[answers.ClosedOrder])
def closed_orders(ctx: Ctx, query: commands_quality.ClosedQuery) -> Result:
    return 200, dms_export.closed_orders(ctx, query.day or ctx.today)


@api("GET", S + "/dms/closed-orders.csv", "The day's closed repair orders as CSV for the DMS, one row per line (spreadsheet-safe cells)",
     query=commands_quality.ClosedQuery, roles=ADVISORS, response=str, media_type="text/csv")
def closed_orders_csv(ctx: Ctx, query: commands_quality.ClosedQuery) -> Result:
    day = query.day or ctx.today
    text = dms_export.csv_text(dms_export.closed_orders(ctx, day))
    return 200, Response(text, media_type="text/csv; charset=utf-8",
                         headers={"Content-Disposition": f'attachment; filename="closed-orders-{ctx.shop.code}-{day.isoformat()}.csv"'})
