"""The background loop that does each shop's daily work when it falls due."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from board.auth.sessions import Lifetime
from board.boards import outbox
from board.clock import wall_clock
from board.db.models import Shop
from board.services import cameras, login_sessions
from board.services.rollover import run_due
from board.supervisor import Beat
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


def purge_sessions(uow: UnitOfWork, lifetime: Lifetime) -> int:
    with uow.db.transaction(write=True) as session:
        return login_sessions.purge(session, wall_clock(), lifetime)


def scheduler_loop(uow: UnitOfWork, interval_s: float, lifetime: Lifetime) -> Callable[[Beat], Awaitable[None]]:
    """The loop body the supervisor runs (and restarts if the database fails it)."""
    async def loop(beat: Beat) -> None:
        while True:
            await asyncio.sleep(interval_s)
            await asyncio.to_thread(run_all_due, uow, "schedule")
            await asyncio.to_thread(purge_sessions, uow, lifetime)
            beat()
    return loop
