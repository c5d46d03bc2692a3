"""The broker interface: ordered, capped, resumable channels (one per board of a shop).

An entry's id is ``(epoch, seq)``; publishing an id not above the channel's last is refused
(returns False), which makes concurrent relays in several processes harmless. Chosen by URL:
``memory://`` (one process, the default) or ``redis://`` (Redis Streams, several processes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from redis.exceptions import RedisError

EntryId = tuple[int, int]


@dataclass(frozen=True)
class Entry:
    channel: str
    id: EntryId
    kind: str  # "delta" (data: the changes as JSON) or "reset" (reload from the database)
    data: str


# What a broker raises while it is unreachable: callers retry, they do not fail the request.
BROKER_DOWN = (RedisError, OSError, TimeoutError)


class Broker(Protocol):
    async def publish(self, channel: str, entry_id: EntryId, kind: str, data: str) -> bool: ...
    async def last_id(self, channel: str) -> EntryId | None: ...
    async def read(self, cursors: dict[str, EntryId], timeout: float) -> list[Entry]: ...
    def wake(self) -> None: ...
    async def close(self) -> None: ...


def from_url(url: str) -> Broker:
    if url.startswith("memory://"):
        from board.live.memory_broker import MemoryBroker

        return MemoryBroker()
    if url.startswith(("redis://", "rediss://", "unix://")):
        from board.live.redis_broker import RedisBroker

        return RedisBroker(url)
    from board.errors import ConfigError

    raise ConfigError(f"BOARD_BROKER_URL must start with memory:// or redis://, not {url!r}")
