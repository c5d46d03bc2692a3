"""Carries committed deltas from the outbox table to the broker, in seq order.

Kicked after each commit that changed a board, and swept every second for anything a
failed publish (Redis down, a process killed between commit and publish) left behind.
When the broker lacks the board's current epoch or the deltas it needs, a ``reset`` entry
tells every hub to reload the board from the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from collections.abc import Coroutine
from typing import Any

from board.boards import outbox
from board.db.session import Database
from board.live.broker import BROKER_DOWN, Broker
from board.supervisor import Beat

log = logging.getLogger("board.live.relay")


def channel_name(shop_id: int, board: str) -> str:
    return f"{shop_id}:{board}"


class Relay:
    def __init__(self, db: Database, broker: Broker) -> None:
        self.db = db
        self.broker = broker
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.failing = False

    def _heads(self, shop_id: int) -> list[outbox.Head]:
        with self.db.transaction() as session:
            return outbox.heads(session, shop_id)

    def _deltas(self, shop_id: int, head: outbox.Head, after: int) -> list[tuple[int, dict[str, object]]]:
        with self.db.transaction() as session:
            return outbox.deltas_after(session, shop_id, head.board, head.epoch, after)

    async def publish(self, committed: outbox.Committed) -> None:
        """Publish what a commit just wrote, without reading it back, when the broker's head is
        right behind it; otherwise (or after a board started afresh) catch up from the outbox."""
        if committed.staged is None:
            await self.kick(committed.shop_id)
            return
        async with self._locks[committed.shop_id]:
            await self._guarded(committed.shop_id, self._publish_staged(committed.shop_id, committed.staged))

    async def _publish_staged(self, shop_id: int, staged: list[outbox.Staged]) -> None:
        for delta in staged:
            channel = channel_name(shop_id, delta.board)
            if await self.broker.last_id(channel) != (delta.epoch, delta.seq - 1):
                await self._catch_up_all(shop_id)
                return
            await self.broker.publish(channel, (delta.epoch, delta.seq), "delta", delta.changes_json)

    async def kick(self, shop_id: int) -> None:
        async with self._locks[shop_id]:
            await self._guarded(shop_id, self._catch_up_all(shop_id))

    async def _catch_up_all(self, shop_id: int) -> None:
        for head in await asyncio.to_thread(self._heads, shop_id):
            await self._catch_up(shop_id, head)

    async def _guarded(self, shop_id: int, work: Coroutine[Any, Any, None]) -> None:
        """Run relay work; a broker that is down is logged once and retried by the sweep."""
        try:
            await work
        except BROKER_DOWN as exc:
            if not self.failing:
                log.warning("cannot publish to the broker; will retry: %s", exc, extra={"shop_id": shop_id})
            self.failing = True
            return
        if self.failing:
            log.info("publishing to the broker again", extra={"shop_id": shop_id})
        self.failing = False

    async def _catch_up(self, shop_id: int, head: outbox.Head) -> None:
        channel = channel_name(shop_id, head.board)
        last = await self.broker.last_id(channel)
        if last == (head.epoch, head.seq):
            return
        if last is None or last[0] != head.epoch or last[1] > head.seq:
            await self.broker.publish(channel, (head.epoch, head.seq), "reset", "")
            return
        while last[1] < head.seq:
            rows = await asyncio.to_thread(self._deltas, shop_id, head, last[1])
            if not rows or rows[0][0] != last[1] + 1:  # pruned: the hubs must reload
                await self.broker.publish(channel, (head.epoch, head.seq), "reset", "")
                return
            for seq, changes in rows:
                await self.broker.publish(channel, (head.epoch, seq), "delta", json.dumps(changes, ensure_ascii=False, separators=(",", ":")))
            last = (head.epoch, rows[-1][0])

    def _all_heads(self) -> list[tuple[int, outbox.Head]]:
        with self.db.transaction() as session:
            return outbox.all_heads(session)

    async def sweep_loop(self, beat: Beat) -> None:
        """Once a second, publish whatever a failed or lost publish left in the outbox. Run supervised:
        a database error ends this round and the supervisor starts the loop again."""
        while True:
            await asyncio.sleep(1.0)
            with contextlib.suppress(*BROKER_DOWN):
                await self.sweep()
            beat()

    async def sweep(self) -> None:
        """Catch up every shop the broker is behind on; one query, whatever the number of shops."""
        behind = set()
        for shop_id, head in await asyncio.to_thread(self._all_heads):
            if shop_id not in behind and await self.broker.last_id(channel_name(shop_id, head.board)) != (head.epoch, head.seq):
                behind.add(shop_id)
        for shop_id in behind:
            await self.kick(shop_id)
