"""Live boards over websockets: consistency of snapshot + deltas, resume, errors, day change."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from board.app import create_app
from board.boards.diff import apply
from board.boards.specs import BOARDS
from board.clock import FixedClock
from board.live.client import Display
from board.settings import Settings
from tests.conftest import add_staff, admin_headers, plan_settled, shop_time
from tests.servers import serve_in_thread

ALL = list(BOARDS)


class LiveShop:
    def __init__(self, app: Any, host: str, clock: FixedClock) -> None:
        self.app, self.host, self.clock = app, host, clock
        self.ws_url = f"ws://{host}/live"
        self.signed_in = admin_headers(f"http://{host}")
        self.http = httpx.AsyncClient(base_url=f"http://{host}/api/shops/gz01", timeout=30, headers=self.signed_in)

    def display(self, boards: list[str] = ALL) -> Display:
        return Display(self.ws_url, "gz01", boards, headers={"Cookie": self.signed_in["Cookie"]})

    async def ok(self, method: str, path: str, json: Any = None) -> Any:
        response = await self.http.request(method, path, json=json)
        assert response.status_code in (200, 201), response.text
        return response.json()

    def fresh(self) -> dict[str, Any]:
        """Every board built anew from the database, once the planning loop has planned the last change."""
        assert plan_settled(self.app.state.uow), "the planning loop never planned the last change"
        with self.app.state.uow.shop("gz01", "test") as ctx:
            return {name: spec.build(ctx) for name, spec in BOARDS.items()}

    async def book(self, day: str, at: str, plate: str, **extra: Any) -> Any:
        body = {"day": day, "slot_start": at, "plate": plate, "model": "凯美瑞 Camry", "customer_name": "王伟", "title": "先生",
                "phone": "13800138000", "service_type": "maintenance", **extra}
        return await self.ok("POST", "/appointments", body)


@pytest.fixture
def live(database_url: str) -> Iterator[Any]:
    @contextmanager
    def start(clock: FixedClock, **overrides: Any) -> Iterator[LiveShop]:
        settings = Settings(**{"database_url": database_url, "scheduler_interval_s": 3600, **overrides})
        app = create_app(settings, clock)
        with serve_in_thread(app) as host:
            shop = LiveShop(app, host, clock)
            with httpx.Client(base_url=f"http://{host}", headers=shop.signed_in) as c:
                if c.get("/api/shops/gz01").status_code == 404:
                    assert c.post("/api/shops", json={"code": "gz01", "name": "广州丰田测试店"}).status_code == 201
                    assert c.post("/api/shops/gz01/advisors", json={"name": "陈静"}).status_code == 201
                    for n, skill in enumerate(["maintenance", "electrical"]):
                        body = {"name": f"技师{n}", "team": "mech_elec", "skills": [{"skill": skill, "level": 2}]}
                        assert c.post("/api/shops/gz01/technicians", json=body).status_code == 201
            yield shop

    return start


async def caught_up(display: Display, shop: LiveShop) -> bool:
    """Wait until the display's subscription is answered and it holds what the database says now."""
    fresh = shop.fresh()
    answered = await display.wait_until(lambda d: any(m["type"] == "result" for m in d.received), timeout=15)
    return answered and await display.wait_until(lambda d: all(b in d.copies and d.state(b) == fresh[b] for b in d.boards), timeout=15)


def replay(messages: list[dict[str, Any]], board: str) -> dict[str, Any]:
    """Apply every delta a display received, in order, to its first snapshot (snapshots restart it)."""
    state: dict[str, Any] | None = None
    seq = -1
    for m in messages:
        if m.get("board") != board:
            continue
        if m["type"] == "snapshot":
            state, seq = m["state"], m["seq"]
        elif m["type"] == "delta" and state is not None and m["seq"] == seq + 1:
            state, seq = apply(state, m["changes"]), m["seq"]
    assert state is not None
    return state


async def shop_day(shop: LiveShop, mid_day: Any) -> None:
    """A scripted morning: roll-over, bookings, arrivals, orders, every stage, an absence."""
    shop.clock.set(shop_time("2026-11-24 07:35"))
    await shop.ok("POST", "/rollover")
    late = await shop.book("2026-11-24", "15:00", "粤B77777")
    await shop.book("2026-11-25", "09:00", "粤C55555")
    appts = await shop.ok("GET", "/appointments?day=2026-11-24")
    techs = await shop.ok("GET", "/technicians")
    shop.clock.set(shop_time("2026-11-24 08:55"))
    job = None
    for n, appt in enumerate(appts[:3]):
        ro = await shop.ok("POST", "/repair-orders", {
            "appointment_id": appt["id"], "promised_at": "2026-11-24T12:00", "customer_waiting": n == 0,
            "jobs": [{"operation": "定期保养", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}]})
        job = ro["jobs"][0] if job is None else job
        if n == 1:
            await mid_day()
    assert job is not None
    for action, extra in [("dispatch", {"technician_id": techs[0]["id"]}), ("start", {}), ("stop", {"reason": "parts"}),
                          ("resume", {}), ("finish", {}), ("qc_fail", {}), ("finish", {}), ("qc_pass", {}),
                          ("wash_done", {}), ("deliver", {})]:
        job = await shop.ok("POST", f"/jobs/{job['id']}/transitions", {"action": action, "version": job["version"], **extra})
    await shop.ok("PATCH", f"/technicians/{techs[1]['id']}", {"version": techs[1]["version"], "present": False})
    await shop.ok("POST", f"/appointments/{late['id']}/cancel", {"version": late["version"], "reason": "改天"})
    walk_in = {"plate": "粤E12121", "model": "雷凌", "customer_name": "陈芳", "phone": "13700137000", "advisor_id": appts[0]["advisor"]["id"],
               "promised_at": "2026-11-24T16:00", "jobs": [{"operation": "换轮胎", "skill": "maintenance", "est_hours": 0.5, "bay_kind": "quick_service"}]}
    await shop.ok("POST", "/repair-orders", walk_in)


def test_every_display_ends_equal_to_a_fresh_snapshot(live, start_app):
    # Yesterday the advisors booked today's cars.
    with start_app(FixedClock(shop_time("2026-11-23 15:00"))) as setup:
        adv = {"id": add_staff(setup)["advisors"][0]}
        for n in range(4):
            setup.ok("POST", "/appointments", {"day": "2026-11-24", "slot_start": f"{9 + n:02d}:00", "plate": f"粤A1234{n}",
                                               "model": "Camry", "customer_name": "李雷", "phone": "13900000000",
                                               "service_type": "maintenance", "advisor_id": adv["id"]})

    async def scenario(shop: LiveShop) -> None:
        steady, leaver = shop.display(), shop.display()
        await steady.connect()
        await leaver.connect()
        late_joiner = shop.display()

        async def mid_day() -> None:
            await leaver.close()
            await late_joiner.connect()

        await shop_day(shop, mid_day)
        await leaver.connect()  # comes back and resumes
        for d in (steady, leaver, late_joiner):
            assert await caught_up(d, shop), "a display never caught up with the database"
        fresh = shop.fresh()
        for board in ALL:
            # Applying every delta the steady display received to its first snapshot gives the fresh state.
            assert replay(steady.received, board) == fresh[board]
            seqs = [m["seq"] for m in steady.received if m["type"] == "delta" and m["board"] == board]
            snapshots = [m for m in steady.received if m["type"] == "snapshot" and m["board"] == board]
            assert len(snapshots) == 1 and seqs == list(range(snapshots[0]["seq"] + 1, snapshots[0]["seq"] + 1 + len(seqs)))
        assert len([m for m in steady.received if m["type"] == "delta"]) > 20
        for d in (steady, leaver, late_joiner):
            await d.close()
        await shop.http.aclose()

    with live(FixedClock(shop_time("2026-11-24 07:00")), heartbeat_s=0.3) as shop:
        asyncio.run(scenario(shop))


def test_a_resuming_display_gets_exactly_the_missed_deltas(live):
    async def scenario(shop: LiveShop) -> None:
        d = shop.display(["appointments"])
        await d.connect()
        assert await caught_up(d, shop)
        before = d.copies["appointments"].seq
        await d.close()
        for n in range(3):
            await shop.book("2026-11-24", "10:00" if n < 2 else "11:00", f"粤A5000{n}")
        d.received.clear()
        await d.connect()
        assert await caught_up(d, shop)
        kinds = [(m["type"], m.get("seq")) for m in d.received if m.get("board") == "appointments"]
        assert kinds == [("delta", before + 1), ("delta", before + 2), ("delta", before + 3)]
        await d.close()
        await shop.http.aclose()

    with live(FixedClock(shop_time("2026-11-23 09:00"))) as shop:
        asyncio.run(scenario(shop))


def test_past_the_kept_history_a_resuming_display_gets_a_snapshot(live):
    async def scenario(shop: LiveShop) -> None:
        d = shop.display(["appointments"])
        await d.connect()
        assert await caught_up(d, shop)
        await d.close()
        for n in range(6):
            await shop.book("2026-11-24", f"{9 + n:02d}:00", f"粤A6000{n}")
        d.received.clear()
        await d.connect()
        assert await caught_up(d, shop)
        assert [m["type"] for m in d.received if m.get("board") == "appointments"] == ["snapshot"]
        # An epoch the server does not know (the display's memory of another day) also gets a snapshot.
        d.copies["appointments"].epoch = 12345
        await d.close()
        d.received.clear()
        await d.connect()
        assert await caught_up(d, shop)
        assert [m["type"] for m in d.received if m.get("board") == "appointments"] == ["snapshot"]
        await d.close()
        await shop.http.aclose()

    with live(FixedClock(shop_time("2026-11-23 09:00")), live_history=3) as shop:
        asyncio.run(scenario(shop))


def test_a_rolled_back_change_never_reaches_a_display(live):
    async def scenario(shop: LiveShop) -> None:
        d = shop.display(["appointments", "welcome"])
        await d.connect()
        assert await caught_up(d, shop)
        head = d.copies["appointments"].seq

        def failing_booking() -> None:
            from board.commands import BookingIn
            from board.services.appointments import book

            with pytest.raises(RuntimeError), shop.app.state.uow.shop("gz01", "test") as ctx:
                book(ctx, BookingIn(day="2026-11-24", slot_start="10:00", plate="粤A99999", model="Camry",  # type: ignore[arg-type]
                                    customer_name="张三", phone="13800000000", service_type="quick"))
                raise RuntimeError("the advisor's terminal crashed before commit")

        await asyncio.to_thread(failing_booking)
        assert not await d.wait_until(lambda x: x.copies["appointments"].seq > head, timeout=1.0)
        await shop.book("2026-11-24", "11:00", "粤A88888")
        assert await caught_up(d, shop)
        assert d.copies["appointments"].seq == head + 1
        assert not any("粤A99999" in str(m) for m in d.received)
        await d.close()
        await shop.http.aclose()

    with live(FixedClock(shop_time("2026-11-23 09:00"))) as shop:
        asyncio.run(scenario(shop))


def test_a_new_shop_day_starts_a_new_epoch_with_a_fresh_snapshot(live):
    async def scenario(shop: LiveShop) -> None:
        await shop.book("2026-11-24", "10:00", "粤A77777")
        d = shop.display(["appointments"])
        await d.connect()
        assert await caught_up(d, shop)
        epoch = d.copies["appointments"].epoch
        shop.clock.set(shop_time("2026-11-24 00:01"))
        assert await d.wait_until(lambda x: x.copies["appointments"].epoch != epoch, timeout=10)
        assert d.state("appointments")["_meta"]["day"] == "2026-11-24"
        assert [m["type"] for m in d.received if m.get("board") == "appointments"][-1] == "snapshot"
        await d.close()
        await shop.http.aclose()

    with live(FixedClock(shop_time("2026-11-23 23:50")), scheduler_interval_s=0.1) as shop:
        asyncio.run(scenario(shop))


def test_heartbeats_carry_the_head_and_protocol_errors_come_back_with_a_code(live):
    async def scenario(shop: LiveShop) -> None:
        d = shop.display(["appointments"])
        await d.connect()
        # A beat may come between connecting and subscribing: the one after the snapshot names the board.
        assert await d.wait_until(lambda x: any(m["type"] == "heartbeat" and m["heads"] for m in x.received), timeout=10)
        beat = next(m for m in d.received if m["type"] == "heartbeat" and m["heads"])
        assert beat["heads"]["appointments"] == {"epoch": d.copies["appointments"].epoch, "seq": d.copies["appointments"].seq}
        await d.send({"type": "subscribe", "shop": "gz01", "boards": ["weather"]})
        await d.send({"type": "subscribe", "shop": "nowhere", "boards": ["jpcb"]})
        await d.send({"type": "dance"})
        assert d.ws is not None
        await d.ws.send('{"no id": true}')
        assert await d.wait_until(lambda x: len(x.errors) == 4, timeout=5)
        assert [e["code"] for e in d.errors] == ["unknown_board", "unknown_shop", "unknown_type", "bad_request"]
        assert all(e["message"] and e["message_zh"] for e in d.errors)
        assert d.errors[0]["id"] is not None
        await d.close()
        await shop.http.aclose()

    with live(FixedClock(shop_time("2026-11-23 09:00")), heartbeat_s=0.2) as shop:
        asyncio.run(scenario(shop))


def test_the_welcome_board_payload_is_masked(live):
    async def scenario(shop: LiveShop) -> None:
        await shop.book("2026-11-23", "10:00", "粤A·12345", customer_name="欧阳娜娜", title="女士", phone="13912345678")
        d = shop.display(["welcome"])
        await d.connect()
        assert await caught_up(d, shop)
        raw = str(d.received)
        assert "欧阳女士" in raw and "粤A·1***5" in raw
        assert "娜娜" not in raw and "13912345678" not in raw and "12345" not in raw
        await d.close()
        await shop.http.aclose()

    with live(FixedClock(shop_time("2026-11-23 09:00"))) as shop:
        asyncio.run(scenario(shop))


def test_a_confirmed_arrival_and_its_reception_reach_the_displays(live):
    async def scenario(shop: LiveShop) -> None:
        appt = await shop.book("2026-11-23", "10:00", "粤A24680")
        d = shop.display(["appointments", "welcome"])
        await d.connect()
        assert await caught_up(d, shop)
        match = await shop.ok("POST", "/arrivals/match", {"plate": "粤A 24680"})
        arrival = await shop.ok("POST", "/arrivals", {"appointment_id": match["accepted"]})
        key = f"r{arrival['id']}"
        assert await d.wait_until(lambda x: key in x.state("appointments"), timeout=5)
        card = d.state("appointments")[key]
        assert card["arrived_at"] == "2026-11-23T09:00:00+08:00" and card["received_at"] is None
        assert d.state("appointments")[f"a{appt['id']}"]["status"] == "arrived"
        # The welcome board is its own channel: its delta may come a moment later.
        assert await d.wait_until(lambda x: x.state("welcome")[f"a{appt['id']}"]["arrived_at"] is not None, timeout=5)
        shop.clock.set(shop_time("2026-11-23 09:04"))
        advisor = (await shop.http.get("/advisors")).json()[0]["id"]
        await shop.ok("POST", f"/arrivals/{arrival['id']}/received", {"version": arrival["version"], "advisor_id": advisor})
        assert await d.wait_until(lambda x: x.state("appointments")[key]["received_at"] == "2026-11-23T09:04:00+08:00", timeout=5)
        await d.close()
        await shop.http.aclose()

    with live(FixedClock(shop_time("2026-11-23 09:00"))) as shop:
        asyncio.run(scenario(shop))
