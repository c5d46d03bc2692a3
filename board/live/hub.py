"""The websocket hub of one server process: its channels (board/live/channel.py), fed from the
broker, and the displays (board/live/connection.py) subscribed to them.

A channel is loaded from the database after its broker stream is followed, so nothing falls
between; a delta is encoded once and offered to every subscriber. Heartbeats, credential checks
and cutting off silent displays are board/live/watch.py; publishing is board/live/publisher.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from typing import Any

from sqlalchemy import select
from starlette.websockets import WebSocket

from board.auth.principal import Principal
from board.auth.roles import PUBLIC_BOARDS, Role
from board.boards import outbox
from board.boards.diff import State
from board.boards.specs import BOARDS
from board.db.models import Shop
from board.live import protocol
from board.live.broker import BROKER_DOWN, Broker, Entry, EntryId
from board.live.channel import HISTORY, Channel
from board.live.connection import QUEUE_LIMIT, Connection
from board.live.protocol import ProtocolError
from board.live.relay import channel_name
from board.supervisor import Beat, Supervisor
from board.unit import UnitOfWork

log = logging.getLogger("board.live.hub")

class BoardUnavailable(Exception):
    """A board could not be loaded from the database: the display is told to come back later (1013)."""


class Hub:
    """The channels of this process, fed from the broker, and the displays subscribed to them."""

    def __init__(self, uow: UnitOfWork, broker: Broker, history: int = HISTORY) -> None:
        self.uow = uow
        self.history = history
        self.broker = broker
        self.channels: dict[str, Channel] = {}
        self.connections: set[Connection] = set()
        self.cursors: dict[str, EntryId] = {}
        self.broker_down = False
        self._shop_ids: dict[str, int] = {}

    # -- lifecycle: each loop supervised (restarted after a failure, reported by /api/health) --------

    def start(self, supervisor: Supervisor) -> None:
        supervisor.start("live.broker", 1.0, self._read_loop)

    def stop(self) -> None:
        for conn in list(self.connections):
            conn.stop()

    # -- channels --------------------------------------------------------------------------

    def _load_db(self, shop_id: int, board: str) -> tuple[int, int, State]:
        with self.uow.shop(shop_id, "system") as ctx:
            row = outbox.refresh(ctx, board)
            return row.epoch, row.seq, row.state

    async def channel(self, shop_id: int, board: str) -> Channel:
        name = channel_name(shop_id, board)
        ch = self.channels.get(name)
        if ch is None:
            ch = self.channels[name] = Channel(shop_id, board, self.history)
            await self._reload(ch)
        await ch.ready.wait()
        if not ch.loaded:  # its first load failed: nothing to show, and nothing cached
            raise BoardUnavailable(name)
        return ch

    async def _reload(self, ch: Channel) -> None:
        """Load a board from the database: listen first, so nothing falls between. If the load fails, a
        board never loaded is forgotten (the next display asks again); a loaded one keeps its last state
        and tries again in a second."""
        if ch.loading:
            return
        ch.loading = True
        ch.ready.clear()
        try:
            if ch.name not in self.cursors and not self.broker_down:
                with contextlib.suppress(*BROKER_DOWN):
                    self.cursors[ch.name] = await self.broker.last_id(ch.name) or (0, 0)
                    self.broker.wake()
            # A board started afresh here reaches the broker the one road: its commit is published.
            epoch, seq, state = await asyncio.to_thread(self._load_db, ch.shop_id, ch.board)
            ch.load(epoch, seq, state)
        except Exception as exc:
            log.warning("could not load a live board: %s", exc, extra={"channel": ch.name})
            if not ch.loaded:
                if self.channels.get(ch.name) is ch:
                    del self.channels[ch.name]
                for conn in list(ch.subscribers):
                    conn.cut_off(1013, "board unavailable; try again")
            else:
                asyncio.get_running_loop().call_later(1.0, lambda: asyncio.ensure_future(self._reload(ch)))
            return
        finally:
            ch.loading = False
            ch.ready.set()
        pending, ch.pending = ch.pending, []
        for entry in pending:
            self._on_entry(ch, entry)
        snapshot = ch.snapshot_text()
        for conn in list(ch.subscribers):
            conn.offer(snapshot)

    def _on_entry(self, ch: Channel, entry: Entry) -> None:
        if ch.loading:
            ch.pending.append(entry)
            return
        epoch, seq = entry.id
        if epoch == ch.epoch and seq <= ch.seq:
            return  # already in our state
        if entry.kind == "delta" and epoch == ch.epoch and seq == ch.seq + 1:
            text = protocol.delta(ch.board, epoch, seq, entry.data)
            ch.apply(seq, json.loads(entry.data), text)
            for conn in list(ch.subscribers):
                conn.offer(text)
            return
        # A reset, a new epoch or a gap: the database knows best.
        asyncio.get_running_loop().create_task(self._reload(ch))

    # -- broker ------------------------------------------------------------------------------

    async def _resync_all(self) -> None:
        for name, ch in list(self.channels.items()):
            self.cursors[name] = await self.broker.last_id(name) or (0, 0)
            await self._reload(ch)

    async def _read_loop(self, beat: Beat) -> None:
        backoff = 0.5
        while True:
            beat()
            try:
                if self.broker_down:
                    await self._resync_all()
                    log.info("broker is back; displays resynced", extra={"channels": len(self.channels)})
                    self.broker_down, backoff = False, 0.5
                if not self.cursors:
                    await asyncio.sleep(0.05)
                    continue
                entries = await self.broker.read(dict(self.cursors), timeout=1.0)
            except BROKER_DOWN as exc:
                if not self.broker_down:
                    log.warning("lost the broker; serving last known state, retrying: %s", exc)
                self.broker_down = True
                await asyncio.sleep(backoff * random.uniform(0.5, 1.5))
                backoff = min(backoff * 2, 8.0)
                continue
            for entry in entries:
                self.cursors[entry.channel] = max(self.cursors.get(entry.channel, (0, 0)), entry.id)
                ch = self.channels.get(entry.channel)
                if ch is not None:
                    self._on_entry(ch, entry)

    # -- displays --------------------------------------------------------------------------

    def connect(self, ws: WebSocket, principal: Principal) -> Connection:
        conn = Connection(ws, principal, self.drop)
        self.connections.add(conn)
        return conn

    def drop(self, conn: Connection) -> None:
        self.connections.discard(conn)
        for ch in conn.channels.values():
            ch.subscribers.discard(conn)
        conn.channels.clear()
        if not conn.closed:
            conn.stop()

    def _find_shop(self, code: str) -> int | None:
        with self.uow.db.transaction() as session:
            return session.scalar(select(Shop.id).where(Shop.code == code))

    async def shop_id(self, code: str) -> int:
        if code not in self._shop_ids:
            found = await asyncio.to_thread(self._find_shop, code)
            if found is None:
                raise ProtocolError("unknown_shop", f"There is no shop {code!r}.", f"没有门店 {code!r}。")
            self._shop_ids[code] = found
        return self._shop_ids[code]

    async def subscribe(self, conn: Connection, shop: str, boards: list[str], resume: dict[str, Any]) -> dict[str, Any]:
        unknown = [b for b in boards if b not in BOARDS]
        if unknown or not boards:
            raise ProtocolError(
                "unknown_board", f"Unknown board(s) {unknown}; boards are: {', '.join(BOARDS)}.", f"看板名称有误:{unknown}。"
            )
        shop_id = await self.shop_id(shop)
        who = conn.principal
        if not who.may_enter(shop_id):
            raise ProtocolError("forbidden", "Your account belongs to another shop.", "您的账号属于其他门店。")
        if who.role is Role.DISPLAY:  # masked boards only; a kiosk token names its one board
            allowed = {who.board} if who.board else PUBLIC_BOARDS
            if not set(boards) <= allowed:
                shown = ", ".join(sorted(allowed))
                raise ProtocolError("forbidden", f"This display may only show {shown}.", f"此显示屏只能显示 {shown}。")
        if any(ch.shop_id != shop_id for ch in conn.channels.values()):
            raise ProtocolError("one_shop", "A connection follows the boards of one shop.", "一个连接只能订阅一个门店的看板。")
        heads: dict[str, Any] = {}
        for board in boards:
            ch = await self.channel(shop_id, board)
            # No await from here on: the display sees everything after what it is sent now.
            self._catch_up(conn, ch, resume.get(board))
            conn.channels[board] = ch
            ch.subscribers.add(conn)
            heads[board] = ch.head()
        return heads

    @staticmethod
    def _catch_up(conn: Connection, ch: Channel, had: Any) -> None:
        if isinstance(had, dict) and had.get("epoch") == ch.epoch and isinstance(had.get("seq"), int):
            if had["seq"] >= ch.seq:
                return  # already up to date
            missed = ch.missed_since(had["seq"])
            if missed is not None and len(missed) < QUEUE_LIMIT // 2:
                for text in missed:
                    conn.offer(text)
                return
        conn.offer(ch.snapshot_text())

    def unsubscribe(self, conn: Connection, boards: list[str]) -> None:
        for board in boards:
            ch = conn.channels.pop(board, None)
            if ch is not None:
                ch.subscribers.discard(conn)
