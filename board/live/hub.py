"""The websocket hub of one server process: every display connected here, fed from the broker.

Per board channel the hub keeps the state (loaded from the database, then moved on by each
delta), the last few hundred deltas for displays that resume, and its subscribers. A delta
is encoded once and queued to every subscriber; a display whose queue fills up has its
queue replaced by one fresh snapshot, and is cut off if that keeps happening.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from starlette.websockets import WebSocket

from board.auth.principal import Principal
from board.auth.roles import PUBLIC_BOARDS, Role
from board.db.models import Shop
from board.live import outbox, protocol
from board.live.boards import BOARDS
from board.live.broker import BROKER_DOWN, Broker, Entry, EntryId
from board.live.diff import State
from board.live.protocol import ProtocolError
from board.live.relay import Relay, channel_name
from board.supervisor import Beat, Supervisor
from board.unit import UnitOfWork

log = logging.getLogger("board.live.hub")

QUEUE_LIMIT = 100  # messages waiting for one display
HISTORY = 500  # deltas kept per board for resuming displays
SEND_TIMEOUT = 10.0  # one message not taken this long: the display is stuck
STUCK_AFTER = 3  # resyncs within STUCK_WINDOW: the display cannot keep up and is cut off
STUCK_WINDOW = 60.0


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


_RESYNC = object()


class Connection:
    """One display's websocket.

    Fast path: when nothing is waiting for this display, a message is written at once, in the
    fan-out loop itself (the socket takes it without suspending, as ``websockets.broadcast``
    does). Slow path: if the socket is not writable the send is finished by a task, and later
    messages wait in a bounded queue behind it, in order.
    """

    def __init__(self, ws: WebSocket, hub: Hub, principal: Principal) -> None:
        self.ws = ws
        self.hub = hub
        self.principal = principal
        self.queue: deque[object] = deque()
        self.channels: dict[str, Channel] = {}
        self.resyncs: deque[float] = deque(maxlen=STUCK_AFTER)
        self.closed = False
        self.busy: asyncio.Task[None] | None = None
        # When the display last acknowledged a heartbeat: a display that stops reading stops acknowledging,
        # however much the kernel's socket buffers still take.
        self.heard_at = time.monotonic()

    def offer(self, item: object) -> None:
        if self.closed:
            return
        if self.busy is None:
            self._write(item)
        elif len(self.queue) < QUEUE_LIMIT:
            self.queue.append(item)
        else:
            self._fell_behind()

    def _texts(self, item: object) -> list[str]:
        return [ch.snapshot_text() for ch in self.channels.values()] if item is _RESYNC else [item]  # type: ignore[list-item]

    def _write(self, item: object) -> None:
        texts = self._texts(item)
        for n, text in enumerate(texts):
            send = self.ws.send_text(text)
            try:
                waiting = send.send(None)  # runs the send until it would have to wait
            except StopIteration:
                continue  # written
            except Exception:
                self.closed = True  # the socket went away: the receive side drops us
                return
            self.queue.extendleft(reversed(texts[n + 1 :]))
            self.busy = asyncio.get_running_loop().create_task(self._finish(send, waiting))
            return

    async def _finish(self, send: Any, waiting: Any) -> None:
        """Drive a suspended send to its end, then drain the queue in order; cut off if stuck."""
        try:
            async with asyncio.timeout(SEND_TIMEOUT):
                while True:
                    await asyncio.wait([waiting])
                    try:
                        waiting = send.send(None)
                    except StopIteration:
                        break
                while self.queue:
                    for text in self._texts(self.queue.popleft()):
                        await self.ws.send_text(text)
        except TimeoutError:
            send.close()
            log.warning("display stopped reading; disconnecting it", extra={"client": self.client})
            self.cut_off()
            return
        except Exception:
            self.closed = True
            return
        self.busy = None

    def _fell_behind(self) -> None:
        now = time.monotonic()
        self.resyncs.append(now)
        if len(self.resyncs) == STUCK_AFTER and now - self.resyncs[0] < STUCK_WINDOW:
            log.warning("display cannot keep up; disconnecting it", extra={"client": self.client})
            self.cut_off()
            return
        self.queue.clear()
        self.queue.append(_RESYNC)

    @property
    def client(self) -> str:
        c = self.ws.client
        return f"{c.host}:{c.port}" if c else "?"

    def stop(self) -> None:
        if self.busy is not None:
            self.busy.cancel()

    def cut_off(self, code: int = 1013, reason: str = "too slow") -> None:
        self.closed = True
        self.hub.drop(self)
        asyncio.get_running_loop().create_task(self._close(code, reason))

    def refuse(self) -> None:
        """Its kiosk token was revoked or its user signed out everywhere: close with 4403."""
        self.closed = True
        self.hub.drop(self)
        asyncio.get_running_loop().create_task(self._close(4403, "no longer authorised"))

    async def _close(self, code: int = 1013, reason: str = "too slow") -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.ws.close(code=code, reason=reason), 5)


Ended = Callable[[set[int], set[int]], tuple[set[int], set[int]]]


class BoardUnavailable(Exception):
    """A board could not be loaded from the database: the display is told to come back later (1013)."""


class Hub:
    def __init__(self, uow: UnitOfWork, broker: Broker, relay: Relay, ended: Ended, heartbeat_s: float = 15.0,
                 history: int = HISTORY, lag_cutoff_s: float = 30.0) -> None:
        self.uow = uow
        self.history = history
        self.broker = broker
        self.relay = relay
        self.ended = ended  # which sign-in sessions and kiosk tokens no longer stand (a database read)
        self.heartbeat_s = heartbeat_s
        # A display silent this long is cut off; never less than a few heartbeats.
        self.lag_cutoff_s = max(lag_cutoff_s, 2.5 * heartbeat_s)
        self.channels: dict[str, Channel] = {}
        self.connections: set[Connection] = set()
        self.cursors: dict[str, EntryId] = {}
        self.broker_down = False
        self._shop_ids: dict[str, int] = {}

    # -- lifecycle: each loop supervised (restarted after a failure, reported by /api/health) --------

    def start(self, supervisor: Supervisor) -> None:
        supervisor.start("live.broker", 1.0, self._read_loop)
        supervisor.start("live.heartbeat", self.heartbeat_s, self._heartbeat_loop)
        supervisor.start("live.credentials", self.heartbeat_s, self._credentials_loop)
        supervisor.start("live.sweep", 1.0, self._sweep_loop)

    def stop(self) -> None:
        for conn in list(self.connections):
            conn.stop()

    # -- channels --------------------------------------------------------------------------

    def _load_db(self, shop_id: int, board: str) -> tuple[int, int, State, bool]:
        with self.uow.shop(shop_id, "system") as ctx:
            row = outbox.refresh(ctx, board)
            return row.epoch, row.seq, row.state, bool(ctx.reset_boards)

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
            epoch, seq, state, reset = await asyncio.to_thread(self._load_db, ch.shop_id, ch.board)
            if reset:
                asyncio.get_running_loop().create_task(self.relay.kick(ch.shop_id))
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

    async def _sweep_loop(self, beat: Beat) -> None:
        """Publish whatever a failed or lost publish left in the outbox (a database error restarts the loop)."""
        while True:
            await asyncio.sleep(1.0)
            with contextlib.suppress(*BROKER_DOWN):
                await self.relay.sweep()
            beat()

    async def _heartbeat_loop(self, beat: Beat) -> None:
        """Heartbeats never wait on the database: a slow database must not make every display reconnect."""
        while True:
            await asyncio.sleep(self.heartbeat_s)
            self.heartbeat()
            self.cut_off_silent()
            beat()

    async def _credentials_loop(self, beat: Beat) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_s)
            try:
                await asyncio.wait_for(self.check_credentials(), timeout=max(self.heartbeat_s, 5.0))
            except TimeoutError:
                log.warning("credential check timed out (the database is slow); trying again next beat")
                continue
            beat()

    async def check_credentials(self) -> None:
        """Close the displays whose kiosk token was revoked, or whose sign-in session has ended (signed out,
        disabled, password changed) since they connected: one query each for all of this process's displays."""
        conns = list(self.connections)
        if not conns:
            return
        token_ids = {c.principal.token_id for c in conns if c.principal.token_id is not None}
        session_ids = {c.principal.session_id for c in conns if c.principal.session_id is not None}
        signed_out, revoked = await asyncio.to_thread(self.ended, session_ids, token_ids)
        for conn in conns:
            p = conn.principal
            if p.token_id in revoked or p.session_id in signed_out:
                log.info("display no longer authorised; closing it", extra={"client": conn.client, "who": p.name})
                conn.refuse()

    def heartbeat(self) -> None:
        now = self.uow.clock.now().isoformat(timespec="seconds")
        for conn in list(self.connections):
            conn.offer(protocol.heartbeat({b: ch.head() for b, ch in conn.channels.items()}, now))

    def cut_off_silent(self) -> None:
        """A display that has acknowledged nothing for ``lag_cutoff_s`` has stopped reading: cut it off."""
        limit = time.monotonic() - self.lag_cutoff_s
        for conn in list(self.connections):
            if conn.heard_at < limit and not conn.closed:
                log.warning("display stopped acknowledging; disconnecting it", extra={"client": conn.client})
                conn.cut_off(1013, "not reading")

    # -- displays --------------------------------------------------------------------------

    def connect(self, ws: WebSocket, principal: Principal) -> Connection:
        conn = Connection(ws, self, principal)
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
