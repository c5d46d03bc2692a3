"""The Redis broker: one capped Redis Stream per board channel, entry ids ``epoch-seq``."""

from __future__ import annotations

from typing import Any

from redis import asyncio as aioredis
from redis.exceptions import ResponseError

from board.live.broker import Entry, EntryId

KEEP = 2000
PREFIX = "board:live:"
# A blocked XREAD cannot learn of a new channel: keep blocks short.
BLOCK_MS = 250


def _parse(raw: bytes | str) -> EntryId:
    text = raw.decode() if isinstance(raw, bytes) else raw
    epoch, seq = text.split("-")
    return int(epoch), int(seq)


class RedisBroker:
    def __init__(self, url: str) -> None:
        self.url = url
        # Separate connections: a blocked read must not hold up publishing.
        self._writer = aioredis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        self._reader = aioredis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)

    async def publish(self, channel: str, entry_id: EntryId, kind: str, data: str) -> bool:
        try:
            await self._writer.xadd(PREFIX + channel, {"kind": kind, "data": data}, id=f"{entry_id[0]}-{entry_id[1]}",
                                    maxlen=KEEP, approximate=True)
        except ResponseError as exc:
            if "equal or smaller" in str(exc):
                return False
            raise
        return True

    async def last_id(self, channel: str) -> EntryId | None:
        rows: Any = await self._writer.xrevrange(PREFIX + channel, count=1)
        return _parse(rows[0][0]) if rows else None

    async def read(self, cursors: dict[str, EntryId], timeout: float) -> list[Entry]:
        if not cursors:
            return []
        streams = {PREFIX + ch: f"{c[0]}-{c[1]}" for ch, c in cursors.items()}
        block = max(1, min(int(timeout * 1000), BLOCK_MS))
        result: Any = await self._reader.xread(streams, block=block, count=500)  # type: ignore[arg-type]
        out = []
        for key, rows in result or []:
            channel = (key.decode() if isinstance(key, bytes) else key).removeprefix(PREFIX)
            for raw_id, fields in rows:
                kind = fields[b"kind"].decode()
                out.append(Entry(channel, _parse(raw_id), kind, fields[b"data"].decode()))
        return out

    def wake(self) -> None:
        pass  # reads block for at most BLOCK_MS

    async def close(self) -> None:
        await self._writer.aclose()
        await self._reader.aclose()
