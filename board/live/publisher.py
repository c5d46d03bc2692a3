"""The one road from a committed change to the screens.

``UnitOfWork`` hands every commit that changed a board to ``after_commit``, in the thread that
committed (an API request's worker, the scheduler, the demo). It runs the relay's publish on the
server's event loop and waits for it, bounded: an API request is answered only after its change is
on its way to the displays, so nobody's screen is behind what they just did. Whatever a slow or
absent broker leaves behind, the relay's sweep publishes from the outbox.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading

from sqlalchemy.exc import SQLAlchemyError

from board.boards.outbox import Committed
from board.live.broker import BROKER_DOWN
from board.live.relay import Relay

log = logging.getLogger("board.live.publisher")


class Publisher:
    def __init__(self, relay: Relay, wait_s: float = 2.0) -> None:
        self.relay = relay
        self.wait_s = wait_s
        self.loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop, self._loop_thread = loop, threading.get_ident()

    async def publish(self, committed: Committed) -> None:
        try:
            await self.relay.publish(committed)
        except (SQLAlchemyError, *BROKER_DOWN) as exc:  # committed already: the sweep publishes it later
            log.warning("could not publish now; the sweep will: %s", exc, extra={"shop_id": committed.shop_id})

    def after_commit(self, committed: Committed) -> None:
        loop = self.loop
        if loop is None or loop.is_closed():
            return  # no server here (a CLI command): a server's sweep publishes it
        if threading.get_ident() == self._loop_thread:  # committed on the loop itself: cannot wait for it here
            loop.create_task(self.publish(committed))
            return
        future = asyncio.run_coroutine_threadsafe(self.publish(committed), loop)
        try:
            future.result(timeout=self.wait_s)
        except concurrent.futures.TimeoutError:
            log.warning("live relay slow; the sweep will publish", extra={"shop_id": committed.shop_id})
