"""The planning loop: each shop's plan made once per change (and as the clock moves), not once per
console, and kept for every screen (board/dispatch/plan_store.py); the boards that show it follow
as deltas like any other change.

A round looks at each shop's last event: a shop changed since its kept plan (or whose plan is a
minute old: the clock moved) gets a new plan, made in a read-only transaction with a budget of work
(so a busy machine makes the same plan, only later), then kept in a short write transaction. Several
processes may plan the same shop; the plan made from the later event wins.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import select

from board.boards import outbox
from board.boards.specs import PLANNED
from board.db.models import Shop
from board.dispatch import plan_store
from board.services import promise_alerts
from board.supervisor import Beat
from board.unit import UnitOfWork

log = logging.getLogger("board.planning")

CLOCK_MOVES = timedelta(seconds=60)  # a plan older than this is made again even if nothing changed


def plan_due(uow: UnitOfWork, budget: str | int | None) -> list[str]:
    """Plan every shop that changed since its kept plan; returns the codes of the shops planned."""
    with uow.db.transaction() as session:
        codes = list(session.scalars(select(Shop.code).order_by(Shop.id)))
    planned = []
    for code in codes:
        with uow.shop(code, "planner", write=False) as ctx:
            row, latest = plan_store.stored(ctx), plan_store.latest_event(ctx)
            if row is not None and row.based_on >= latest and ctx.now - row.made_at < CLOCK_MOVES:
                continue
            began = time.perf_counter()
            shown = plan_store.make(ctx, budget)
            took = time.perf_counter() - began
        with uow.shop(code, "planner") as ctx:
            if not plan_store.save(ctx, shown, latest):
                continue
            outbox.stage(ctx, PLANNED)
            if promise_alerts.raise_for(ctx, shown.plan):  # the advisors hear first; their alerts change nothing the plan reads
                plan_store.save(ctx, shown, plan_store.latest_event(ctx, besides=ctx.events) if plan_store.nothing_since(ctx, latest) else latest)
        planned.append(code)
        log.debug("planned shop %s from event %d in %.2f s", code, latest,
                  took, extra={"shop": code, "based_on": latest, "seconds": round(took, 3), "jobs": len(shown.plan.slots)})
    return planned


def planning_loop(uow: UnitOfWork, interval_s: float, budget: str | int | None) -> Callable[[Beat], Awaitable[None]]:
    """The loop body the supervisor runs (and restarts if the database fails it)."""
    async def loop(beat: Beat) -> None:
        while True:
            await asyncio.to_thread(plan_due, uow, budget)
            beat()
            await asyncio.sleep(interval_s)
    return loop
