"""Where a car stands in the workshop (its repair order's ``bay_id``): one car, one bay.

A car goes up in a bay when a technician clocks on its first card (board/dispatch/cars.py says
which); it stays there, worked or stopped, until it leaves for quality check — when no card of it
is left to work — or the foreman sends it to the waiting area (待修区) to free the bay. A bay holds
one car at most: the database refuses a second (a unique index), so no road can put two there.
Every move is in the event log.
"""

from __future__ import annotations

from sqlalchemy import select

from board.context import Ctx
from board.db.models import Bay, RepairOrder
from board.domain.vocab import Stage
from board.errors import IllegalMove

# A car's cards still to be worked: while one is, the car stays where it stands.
TO_WORK = (Stage.WAITING_DISPATCH, Stage.DISPATCHED, Stage.IN_PROGRESS, Stage.STOPPED)


def put(ctx: Ctx, ro: RepairOrder, bay: Bay) -> None:
    """The car goes up in ``bay`` (or stays there). A car standing there under another of its orders
    (a comeback while the first is open) is the same car: it stands there under this one now."""
    if ro.bay_id == bay.id:
        return
    there = ctx.session.scalar(select(RepairOrder).where(RepairOrder.shop_id == ctx.shop.id, RepairOrder.bay_id == bay.id))
    if there is not None and there.vehicle_id == ro.vehicle_id:
        _leave(ctx, there, "car_out")
    before = ro.bay_id
    ro.bay_id = bay.id
    ctx.session.flush()  # the unique index speaks now, not at the commit
    ctx.record("repair_order", ro.id, "car_in_bay", {"bay_id": before}, {"bay_id": bay.id, "bay": bay.name})


def leave_if_done(ctx: Ctx, ro: RepairOrder) -> None:
    """The car leaves its bay once none of its cards is left to work there (it goes to quality check)."""
    if ro.bay_id is not None and not any(j.stage in TO_WORK for j in ro.jobs):
        _leave(ctx, ro, "car_out")


def to_waiting_area(ctx: Ctx, ro: RepairOrder, version: int, reason: str) -> RepairOrder:
    """The foreman frees the bay: the car, stopped, goes to the waiting area until it is worked on again."""
    ctx.edit(RepairOrder, ro.id, "repair order", version)
    if ro.bay_id is None:
        raise IllegalMove(f"{ro.vehicle.plate_typed} is in no bay.", f"{ro.vehicle.plate_typed} 不在工位上。")
    working = [j for j in ro.jobs if j.stage is Stage.IN_PROGRESS]
    if working:
        raise IllegalMove(f"{ro.vehicle.plate_typed} is being worked on ({working[0].operation}): stop the work first.",
                          f"{ro.vehicle.plate_typed} 正在维修({working[0].operation}),请先中断作业。")
    _leave(ctx, ro, "car_to_waiting_area", reason)
    return ro


def _leave(ctx: Ctx, ro: RepairOrder, action: str, reason: str = "") -> None:
    before = ro.bay_id
    ro.bay_id = None
    ctx.session.flush()
    ctx.record("repair_order", ro.id, action, {"bay_id": before}, {"bay_id": None}, reason)
