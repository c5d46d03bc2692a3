"""The background loop that does each shop's daily work when it falls due."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from board.clock import Clock
from board.db.models import Shop
from board.db.session import Database
from board.services.context import Ctx
from board.services.rollover import run_due
from board.settings import Settings

log = logging.getLogger("board.scheduler")


def run_all_due(db: Database, clock: Clock, settings: Settings, trigger: str) -> dict[str, dict[str, object]]:
    """Run what is due for every shop; each shop in its own transaction."""
    with db.transaction() as session:
        codes = list(session.scalars(select(Shop.code)))
    done: dict[str, dict[str, object]] = {}
    for code in codes:
        try:
            with db.transaction() as session:
                shop = session.scalar(select(Shop).where(Shop.code == code))
                assert shop is not None
                result = run_due(Ctx(session, shop, clock.now(), "system", settings), trigger)
        except IntegrityError:
            log.info("daily work for shop %s was done by another process", code, extra={"shop": code})
            continue
        if result:
            done[code] = result
            log.info("daily work done: shop=%s trigger=%s %s", code, trigger, result, extra={"shop": code, "trigger": trigger})
    return done


async def scheduler_loop(db: Database, clock: Clock, settings: Settings, stopping: Callable[[], bool]) -> None:
    while not stopping():
        await asyncio.sleep(settings.scheduler_interval_s)
        try:
            await asyncio.to_thread(run_all_due, db, clock, settings, "schedule")
        except OperationalError:
            log.exception("daily work failed; will retry at the next tick")
