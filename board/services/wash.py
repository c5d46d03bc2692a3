"""The wash (洗车): cars whose jobs have passed the quality check, washed a car at a time.

A car is washed once, when it is done in the workshop: "wash done" moves every one of its jobs in
the wash to ready (the wash_done move of each, in one transaction), and is refused while another of
its jobs is still being worked or checked (the car would go back in and come out dirty). The queue
puts customers waiting in the lounge first, then the car that has waited longest.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from board import commands, commands_quality
from board.context import Ctx
from board.db.models import Job, RepairOrder
from board.domain.stages import Action
from board.domain.vocab import Stage
from board.errors import FieldProblem, IllegalMove, InvalidInput
from board.services import repair_orders
from board.services.car_lines import at, label, last_moves, order_head

DONE_WITH_THE_WORKSHOP = (Stage.WASH, Stage.READY, Stage.DELIVERED)


def _still_in_workshop(ro: RepairOrder) -> list[Job]:
    return [j for j in ro.jobs if j.stage not in DONE_WITH_THE_WORKSHOP]


def queue(ctx: Ctx) -> list[dict[str, Any]]:
    orders = list(ctx.session.scalars(select(RepairOrder).where(
        RepairOrder.shop_id == ctx.shop.id,
        RepairOrder.id.in_(select(Job.repair_order_id).where(Job.shop_id == ctx.shop.id, Job.stage == Stage.WASH))).order_by(RepairOrder.id)))
    washing = [j for ro in orders for j in ro.jobs if j.stage is Stage.WASH]
    passed = last_moves(ctx, [j.id for j in washing], Action.QC_PASS.value)
    cars: list[tuple[bool, bool, datetime, dict[str, Any]]] = []
    for ro in orders:
        jobs = [j for j in ro.jobs if j.stage is Stage.WASH]
        since = max((passed.get(j.id) or j.actual_end or ro.opened_at) for j in jobs)
        behind = _still_in_workshop(ro)
        car = {**order_head(ctx, ro), "since": at(ctx, since), "washable": not behind,
               "jobs": [{"id": j.id, "operation": j.operation, "version": j.version} for j in jobs],
               "waiting_for": [{"id": j.id, "operation": j.operation, "stage": label(j.stage)} for j in behind]}
        cars.append((bool(behind), not ro.customer_waiting, since, car))
    return [car for *_key, car in sorted(cars, key=lambda c: (c[0], c[1], c[2], c[3]["repair_order_id"]))]


def wash_done(ctx: Ctx, ro_id: int, data: commands_quality.WashDoneIn) -> RepairOrder:
    ro = ctx.get(RepairOrder, ro_id, "repair order")
    jobs = [j for j in ro.jobs if j.stage is Stage.WASH]
    if not jobs:
        raise IllegalMove(f"{ro.vehicle.plate_typed} ({ro.number}) has nothing in the wash.", f"{ro.vehicle.plate_typed}({ro.number})没有待洗车的作业。")
    behind = _still_in_workshop(ro)
    if behind:
        en = "; ".join(f"{j.operation}: {j.stage.en.lower()}" for j in behind)
        zh = ";".join(f"{j.operation}:{j.stage.zh}" for j in behind)
        raise IllegalMove(f"{ro.vehicle.plate_typed} is still being worked on ({en}); wash it once it is done.",
                          f"{ro.vehicle.plate_typed} 还有作业未完成({zh}),完成后再洗车。")
    versions: dict[int, int] = {}
    for key, version in data.versions.items():
        if not key.isdigit():
            raise InvalidInput.one("versions", f"keys are job ids, not {key[:20]!r}")
        versions[int(key)] = version
    missing = [j.id for j in jobs if j.id not in versions]
    if missing:
        raise InvalidInput([FieldProblem("versions", f"give the version of job {j} (in the wash)") for j in missing])
    for job in jobs:
        repair_orders.transition(ctx, job.id, commands.TransitionIn(action=Action.WASH_DONE, version=versions[job.id]))
    return ro
