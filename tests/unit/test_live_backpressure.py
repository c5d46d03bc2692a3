"""A display that falls behind gets one fresh snapshot instead of its backlog; one that stays
stuck is cut off; the others are never slowed."""

import asyncio

from board.auth.principal import Principal
from board.auth.roles import Role
from board.live import connection as connection_module
from board.live.channel import Channel
from board.live.connection import QUEUE_LIMIT, Connection


class FakeSocket:
    def __init__(self, stuck: bool) -> None:
        self.sent: list[str] = []
        self.release = asyncio.Event()
        if not stuck:
            self.release.set()
        self.closed_with: tuple[int, str] | None = None
        self.client = None

    async def send_text(self, text: str) -> None:
        await self.release.wait()
        self.sent.append(text)

    async def close(self, code: int, reason: str) -> None:
        self.closed_with = (code, reason)


class FakeHub:
    def __init__(self) -> None:
        self.dropped: list[Connection] = []

    def drop(self, conn: Connection) -> None:
        self.dropped.append(conn)


def fresh_channel(state=None) -> Channel:
    channel = Channel(1, "appointments")
    channel.load(7, 0, state or {})
    return channel


def subscribed(ws: FakeSocket, hub: FakeHub, channel: Channel) -> Connection:
    conn = Connection(ws, Principal(Role.FOREMAN, "foreman", shop_id=1), hub.drop)  # type: ignore[arg-type]
    conn.channels["appointments"] = channel
    channel.subscribers.add(conn)
    return conn


def test_a_display_that_falls_behind_gets_one_snapshot_instead_of_its_backlog():
    async def scenario() -> None:
        channel = fresh_channel({"a1": {"slot": "09:00"}})
        hub = FakeHub()
        slow_ws, fast_ws = FakeSocket(stuck=True), FakeSocket(stuck=False)
        slow, fast = subscribed(slow_ws, hub, channel), subscribed(fast_ws, hub, channel)
        await asyncio.sleep(0)
        for n in range(QUEUE_LIMIT + 10):
            text = f'{{"type":"delta","seq":{n + 1}}}'
            channel.apply(n + 1, {"set": {"a1": {"slot": f"n{n}"}}}, text)
            for conn in (slow, fast):
                conn.offer(text)
            await asyncio.sleep(0)
        # The fast display got every delta while the slow one was stuck.
        for _ in range(200):
            if len(fast_ws.sent) == QUEUE_LIMIT + 10:
                break
            await asyncio.sleep(0.01)
        assert len(fast_ws.sent) == QUEUE_LIMIT + 10
        assert len(slow.queue) < 20 and not slow.closed
        slow_ws.release.set()
        await asyncio.sleep(0.2)
        snapshots = [t for t in slow_ws.sent if '"type":"snapshot"' in t]
        assert len(snapshots) == 1
        assert f'"seq":{channel.seq}' in snapshots[0] and f"n{QUEUE_LIMIT + 9}" in snapshots[0]
        assert len(slow_ws.sent) < 20  # not the whole backlog
        for conn in (slow, fast):
            conn.stop()

    asyncio.run(scenario())


def test_a_display_that_keeps_falling_behind_is_cut_off():
    async def scenario() -> None:
        channel = fresh_channel()
        hub = FakeHub()
        ws = FakeSocket(stuck=True)
        conn = subscribed(ws, hub, channel)
        await asyncio.sleep(0)
        for _ in range(3 * (QUEUE_LIMIT + 2)):
            conn.offer("{}")
        for _ in range(5):
            await asyncio.sleep(0)
        assert conn.closed and hub.dropped == [conn]
        assert ws.closed_with == (1013, "too slow")

    asyncio.run(scenario())


def test_a_display_that_stops_reading_is_cut_off_after_the_send_timeout(monkeypatch):
    monkeypatch.setattr(connection_module, "SEND_TIMEOUT", 0.05)

    async def scenario() -> None:
        channel = fresh_channel()
        hub = FakeHub()
        ws = FakeSocket(stuck=True)
        conn = subscribed(ws, hub, channel)
        conn.offer("{}")
        await asyncio.sleep(0.3)
        assert conn.closed and hub.dropped == [conn]

    asyncio.run(scenario())
