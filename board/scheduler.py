"""The background loop that does each shop's daily work when it falls due."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from board.db.models import Shop
from board.live import outbox
from board.services import cameras
from board.services.rollover import run_due
from board.unit import UnitOfWork

log = logging.getLogger("board.scheduler")


def run_all_due(uow: UnitOfWork, trigger: str) -> dict[str, dict[str, object]]:
    """Run what is due for every shop, each in its own transaction: the roll-over, no-shows,
    a new day on the live boards, pruning their old deltas, and purging old camera reads."""
    with uow.db.transaction() as session:
        codes = list(session.scalars(select(Shop.code)))
    done: dict[str, dict[str, object]] = {}
    for code in codes:
        try:
            with uow.shop(code, "system") as ctx:
                result = run_due(ctx, trigger)
                outbox.roll_day(ctx)
                outbox.prune(ctx)
                purged = cameras.purge_reads(ctx)
                if purged:
                    log.info("purged %d camera reads of shop %s", purged, code, extra={"shop": code, "purged": purged})
        except IntegrityError:
            log.info("daily work for shop %s was done by another process", code, extra={"shop": code})
            continue
        if result:
            done[code] = result
            log.info("daily work done: shop=%s trigger=%s %s", code, trigger, result, extra={"shop": code, "trigger": trigger})
    return done


async def scheduler_loop(uow: UnitOfWork, interval_s: float, stopping: Callable[[], bool]) -> None:
    while not stopping():
        await asyncio.sleep(interval_s)
        try:
            await asyncio.to_thread(run_all_due, uow, "schedule")
        except OperationalError:
            log.exception("daily work failed; will retry at the next tick")
