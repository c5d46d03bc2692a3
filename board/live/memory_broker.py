"""The in-process broker: capped channels in memory, for one server process."""

from __future__ import annotations

import asyncio
from collections import deque

from board.live.broker import Entry, EntryId

KEEP = 2000


class MemoryBroker:
    def __init__(self) -> None:
        self._channels: dict[str, deque[Entry]] = {}
        self._changed = asyncio.Condition()
        self._woken = False

    async def publish(self, channel: str, entry_id: EntryId, kind: str, data: str) -> bool:
        entries = self._channels.setdefault(channel, deque(maxlen=KEEP))
        if entries and entry_id <= entries[-1].id:
            return False
        entries.append(Entry(channel, entry_id, kind, data))
        async with self._changed:
            self._changed.notify_all()
        return True

    async def last_id(self, channel: str) -> EntryId | None:
        entries = self._channels.get(channel)
        return entries[-1].id if entries else None

    def _after(self, cursors: dict[str, EntryId]) -> list[Entry]:
        out: list[Entry] = []
        for channel, cursor in cursors.items():
            entries = self._channels.get(channel)
            if not entries or entries[-1].id <= cursor:
                continue
            newer = []
            for entry in reversed(entries):
                if entry.id <= cursor:
                    break
                newer.append(entry)
            out.extend(reversed(newer))
        return out

    async def read(self, cursors: dict[str, EntryId], timeout: float) -> list[Entry]:
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: bool(self._after(cursors)) or self._woken), timeout)
            except TimeoutError:
                pass
            self._woken = False
            return self._after(cursors)

    def wake(self) -> None:
        self._woken = True

        async def notify() -> None:
            async with self._changed:
                self._changed.notify_all()

        asyncio.get_running_loop().create_task(notify())

    async def close(self) -> None:
        self._channels.clear()
