"""A display in Python: the reference client of the live protocol (tests, bench, kiosks).

It follows the same rules as ``displays/static/js/live.js``: a snapshot replaces a board;
a delta applies only as the next seq of the same epoch; a gap, a new epoch or a heartbeat
head beyond what it has makes it ask again with its (epoch, seq).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from board.boards.diff import State, apply


@dataclass
class BoardCopy:
    epoch: int
    seq: int
    state: State


@dataclass
class Display:
    url: str
    shop: str
    boards: list[str]
    copies: dict[str, BoardCopy] = field(default_factory=dict)
    received: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[tuple[float, dict[str, Any]]] = field(default_factory=list)  # (when it arrived, message), kept with the messages
    keep_messages: bool = True
    ws: ClientConnection | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    last_message_at: float = 0.0
    on_delta: Any = None  # called with (board, seq, arrival time) for latency measurements
    headers: dict[str, str] | None = None  # e.g. the session cookie of a signed-in person
    _next_id: int = 1
    _reader: asyncio.Task[None] | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def connect(self, resume: bool = True) -> None:
        self.ws = await connect(self.url, additional_headers=self.headers, compression=None, max_size=2**24, open_timeout=20, ping_interval=None)
        had = {name: {"epoch": c.epoch, "seq": c.seq} for name, c in self.copies.items()} if resume else {}
        await self.send({"type": "subscribe", "shop": self.shop, "boards": self.boards, "resume": had})
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def send(self, message: dict[str, Any]) -> None:
        assert self.ws is not None
        await self.ws.send(json.dumps({"id": self._next_id, **message}))
        self._next_id += 1

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                await self._reader
        self.ws = None

    async def _read(self) -> None:
        assert self.ws is not None
        with contextlib.suppress(ConnectionClosed):
            async for raw in self.ws:
                message = json.loads(raw)
                self.last_message_at = time.monotonic()
                if self.keep_messages:
                    self.received.append(message)
                    self.timeline.append((self.last_message_at, message))
                await self._handle(message)
                self._changed.set()

    async def _handle(self, m: dict[str, Any]) -> None:
        kind = m["type"]
        if kind == "snapshot":
            self.copies[m["board"]] = BoardCopy(m["epoch"], m["seq"], m["state"])
        elif kind == "delta":
            copy = self.copies.get(m["board"])
            if copy is None or m["epoch"] != copy.epoch or m["seq"] > copy.seq + 1:
                await self.resync(m["board"])
            elif m["seq"] == copy.seq + 1:
                copy.state = apply(copy.state, m["changes"])
                copy.seq = m["seq"]
                if self.on_delta is not None:
                    self.on_delta(m["board"], m["seq"], time.monotonic())
        elif kind == "heartbeat":
            await self.send({"type": "ack", "heads": {b: c.seq for b, c in self.copies.items()}})  # still reading
            for board, head in m["heads"].items():
                copy = self.copies.get(board)
                if copy is not None and (head["epoch"] != copy.epoch or head["seq"] > copy.seq):
                    await self.resync(board)
        elif kind == "error":
            self.errors.append(m)

    async def resync(self, board: str) -> None:
        copy = self.copies.get(board)
        resume = {board: {"epoch": copy.epoch, "seq": copy.seq}} if copy else {}
        await self.send({"type": "subscribe", "shop": self.shop, "boards": [board], "resume": resume})

    async def wait_until(self, predicate: Any, timeout: float = 10.0) -> bool:
        """Wait (bounded) until ``predicate(self)`` holds; True if it did."""
        deadline = time.monotonic() + timeout
        while not predicate(self):
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(left, 0.2))
        return True

    def state(self, board: str) -> State:
        return self.copies[board].state
