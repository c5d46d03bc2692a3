"""One board of one shop as a server process holds it: its state, the last few hundred deltas for
displays that resume, and the displays that follow it."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING, Any

from board.boards.diff import State
from board.live import protocol
from board.live.broker import Entry
from board.live.relay import channel_name

if TYPE_CHECKING:
    from board.live.connection import Connection

HISTORY = 500  # deltas kept per board for resuming displays


class Channel:
    """One board of one shop, as this process holds it."""

    def __init__(self, shop_id: int, board: str, history: int = HISTORY) -> None:
        self.shop_id = shop_id
        self.board = board
        self.name = channel_name(shop_id, board)
        self.epoch = 0
        self.seq = -1
        self.state: State = {}
        self.ring: deque[tuple[int, str]] = deque(maxlen=history)
        self.subscribers: set[Connection] = set()
        self.ready = asyncio.Event()
        self.loading = False
        self.loaded = False  # False until a load from the database has succeeded
        self.pending: list[Entry] = []
        self._snapshot: str | None = None

    def load(self, epoch: int, seq: int, state: State) -> None:
        self.loaded = True
        self.epoch, self.seq, self.state = epoch, seq, dict(state)
        self.ring.clear()
        self._snapshot = None

    def apply(self, seq: int, changes: dict[str, Any], text: str) -> None:
        self.state.update(changes.get("set", {}))
        for key in changes.get("del", []):
            self.state.pop(key, None)
        self.seq = seq
        self.ring.append((seq, text))
        self._snapshot = None

    def snapshot_text(self) -> str:
        if self._snapshot is None:
            self._snapshot = protocol.snapshot(self.board, self.epoch, self.seq, self.state)
        return self._snapshot

    def missed_since(self, seq: int) -> list[str] | None:
        """The deltas after ``seq``, or None when they are no longer kept."""
        if seq == self.seq:
            return []
        if not self.ring or self.ring[0][0] > seq + 1:
            return None
        return [text for s, text in self.ring if s > seq]

    def head(self) -> dict[str, int]:
        return {"epoch": self.epoch, "seq": self.seq}
