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
from tests.conftest import TEST_BAYS, add_staff, admin_headers, plan_settled, shop_time
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
                    for name, kind in TEST_BAYS:
                        assert c.post("/api/shops/gz01/bays", json={"name": name, "kind": kind}).status_code == 201
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


M10K = {"code": "M10K", "name": "10000 公里保养", "service_type": "maintenance", "interval_months": 12,
        "jobs": [{"operation": "更换机油机滤", "skill": "maintenance", "level": 1, "est_hours": 0.5, "bay_kind": "quick_service"},
                 {"operation": "全车检查", "skill": "maintenance", "level": 1, "est_hours": 0.5, "bay_kind": "quick_service"}],
        "parts": [{"part_no": "04152-YZZA6", "name": "机油滤清器", "qty": 1, "unit_price": 45}]}
SIGNATURE = "M10 10 L40 40 L80 20"


async def shop_day(shop: LiveShop, step: Any) -> None:
    """A scripted day through every road that writes: bookings on the console, the greeter, reception
    on the tablet, the foreman's plan, the technician's clock and operations, extra work priced and
    approved on the phone, a part ordered and come, a car sent to the waiting area, the three-level
    check (a failure, then a pass), the wash, the hand-over, an alert the plan raises and its answer,
    an absence. ``step(name, action)`` runs each and proves it reached the displays."""
    ok = shop.ok
    shop.clock.set(shop_time("2026-11-24 07:35"))
    await step("rollover", ok("POST", "/rollover"))
    await ok("POST", "/menus", M10K)  # the shop's menus: on no board
    techs = await ok("GET", "/technicians")
    advisor = (await ok("GET", "/advisors"))[0]
    shop.clock.set(shop_time("2026-11-24 08:20"))
    booked = await step("console booking", ok("POST", "/booking/appointments", {
        "day": "2026-11-24", "slot_start": "08:30", "plate": "粤A66K01", "model": "凯美瑞 Camry", "customer_name": "王伟", "title": "先生",
        "phone": "13800138000", "service_type": "maintenance", "menu_code": "M10K", "customer_waiting": True, "advisor_id": advisor["id"]}))
    late = await step("booking", shop.book("2026-11-24", "15:00", "粤B77777"))
    late = await step("move a booking", ok("PATCH", f"/appointments/{late['id']}", {"version": late["version"], "slot_start": "15:30"}))
    await step("cancel a booking", ok("POST", f"/appointments/{late['id']}/cancel", {"version": late["version"], "reason": "改天"}))
    arrival = await step("greeter", ok("POST", "/arrivals", {"appointment_id": booked["id"]}))
    order = (await step("reception", ok("POST", "/orders/reception", {
        "arrival_id": arrival["id"], "menus": ["M10K"], "customer_waiting": True, "promised_at": "2026-11-24T10:00",
        "walk_round": {"mileage_km": 10230, "fuel_eighths": 4, "customer_words": "刹车有异响"}, "signature": SIGNATURE})))["order"]
    card = order["jobs"][0]
    assert len(order["jobs"]) == 1 and [line["operation"] for line in card["lines"]] == ["更换机油机滤", "全车检查"]  # one menu, one card
    plan = await ok("GET", "/dispatch/plan")
    card = await step("assign", ok("POST", "/dispatch/assign", {"job_id": card["id"], "version": card["version"], "technician_id": techs[0]["id"],
                                                                "plan_stamp": plan["plan_stamp"], "reason": "熟悉这台车"}))
    card = await step("clock on", ok("POST", f"/jobs/{card['id']}/clock-on", {"version": card["version"]}))
    card = await step("operation done", ok("POST", f"/jobs/{card['id']}/lines/{card['lines'][0]['id']}", {"version": card["version"]}))
    finding = await step("finding", ok("POST", "/findings", {"job_id": card["id"], "text": "前刹车片磨损至 2 mm"}))
    finding = await step("price", ok("POST", f"/findings/{finding['id']}/price", {
        "version": finding["version"], "operation": "更换前刹车片", "skill": "maintenance", "est_hours": 1.0, "bay_kind": "quick_service",
        "parts_price": 420}))
    finding = await step("approval on the phone", ok("POST", f"/findings/{finding['id']}/decision", {
        "version": finding["version"], "decision": "approve", "note": "电话确认"}))
    card = await ok("GET", f"/jobs/{card['id']}")
    assert [line["operation"] for line in card["lines"]][-1] == "更换前刹车片"  # on his own card, on his lift
    part = await step("part needed", ok("POST", "/parts/lines", {"job_id": card["id"], "part_no": "04465-33471", "name": "前刹车片"}))
    part = await step("part ordered", ok("POST", f"/part-lines/{part['id']}/order", {"version": part["version"], "expected_at": "2026-11-24T11:00"}))
    card = await ok("GET", f"/jobs/{card['id']}")
    card = await step("resume", ok("POST", f"/jobs/{card['id']}/clock-on", {"version": card["version"]}))
    card = await step("clock off", ok("POST", f"/jobs/{card['id']}/clock-off", {"version": card["version"], "reason": "parts"}))
    ro = await ok("GET", f"/repair-orders/{order['id']}")
    await step("to the waiting area", ok("POST", f"/repair-orders/{order['id']}/waiting-area", {"version": ro["version"]}))
    shop.clock.set(shop_time("2026-11-24 10:50"))
    await step("part came", ok("POST", f"/part-lines/{part['id']}/arrive", {"version": part["version"]}))
    card = await ok("GET", f"/jobs/{card['id']}")
    card = await step("back on a lift", ok("POST", f"/jobs/{card['id']}/clock-on", {"version": card["version"]}))
    card = await step("self-check", self_checked_async(shop, card))
    card = await step("QC fails", inspected_async(shop, card, passed=False, reason="保养灯未复位"))
    card = await step("clock on again", ok("POST", f"/jobs/{card['id']}/clock-on", {"version": card["version"]}))
    card = await step("self-check again", self_checked_async(shop, card))
    await step("QC passes", inspected_async(shop, card))
    await step("wash", ok("POST", f"/repair-orders/{order['id']}/wash-done", {"versions": {str(card["id"]): (await ok("GET", f"/jobs/{card['id']}"))["version"]}}))
    ro = await ok("GET", f"/repair-orders/{order['id']}")
    await step("hand-over", ok("POST", f"/repair-orders/{order['id']}/hand-over", {"version": ro["version"]}))
    # A walk-in promised for 11:30 whose work runs over: the plan moves it past its promise and its advisor hears.
    walk_in = await step("walk-in order", ok("POST", "/repair-orders", {
        "plate": "粤E12121", "model": "雷凌", "customer_name": "陈芳", "phone": "13700137000", "advisor_id": advisor["id"],
        "promised_at": "2026-11-24T11:40", "customer_waiting": True,
        "jobs": [{"operation": "故障诊断", "skill": "electrical", "level": 1, "est_hours": 0.5, "bay_kind": "general_lift"}]}))
    job = walk_in["jobs"][0]
    job = await step("dispatch", ok("POST", f"/jobs/{job['id']}/transitions", {"action": "dispatch", "version": job["version"],
                                                                                  "technician_id": techs[1]["id"]}))
    job = await step("start", ok("POST", f"/jobs/{job['id']}/transitions", {"action": "start", "version": job["version"]}))
    shop.clock.set(shop_time("2026-11-24 11:35"))  # still in progress at 11:35: QC and the wash cannot make 11:40
    alert = await step("alert raised", raised_alert(shop, walk_in["id"]))
    await step("alert answered", ok("POST", f"/alerts/{alert['id']}/answer", {"version": alert["version"], "answer": "called"}))
    await step("absence", ok("PATCH", f"/technicians/{techs[1]['id']}", {"version": techs[1]["version"], "present": False}))


async def self_checked_async(shop: LiveShop, job: dict[str, Any]) -> Any:
    body = {"version": job["version"], "items": [i["key"] for i in job["self_check"]], "lines": [line["id"] for line in job["lines"]]}
    return (await shop.ok("POST", f"/jobs/{job['id']}/self-check", body))["job"]


async def inspected_async(shop: LiveShop, job: dict[str, Any], passed: bool = True, reason: str = "") -> Any:
    from board.domain.checklists import EVERY_CAR

    items = [i["key"] for i in job["self_check"]] + [i.key for i in EVERY_CAR]
    body = {"version": job["version"], "passed": passed, "items": items if passed else [], "reason": reason}
    return (await shop.ok("POST", f"/jobs/{job['id']}/quality-check", body))["job"]


async def raised_alert(shop: LiveShop, order_id: int) -> Any:
    """The alert the planning loop raises for this order (it plans every change and each minute), as it
    stands once the plan is made at this minute."""
    for _ in range(300):
        assert await asyncio.to_thread(plan_settled, shop.app.state.uow)
        with shop.app.state.uow.shop("gz01", "test", write=False) as ctx:
            from sqlalchemy import select

            from board.db.models import PromiseAlert

            found = ctx.session.scalar(select(PromiseAlert).where(PromiseAlert.repair_order_id == order_id))
            if found is not None:
                return {"id": found.id, "version": found.version}
        await asyncio.sleep(0.1)
    raise AssertionError("the plan never raised the alert")


def test_every_display_ends_equal_to_a_fresh_snapshot(live, start_app):
    """Every road that writes drives the displays: each step's deltas reach a display that stays,
    one that leaves and comes back, one that joins late; applied to their first snapshots they equal
    fresh snapshots from the database (Zulip's verify_action, over every call point)."""
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
        quiet: list[str] = []
        steps = 0

        async def step(name: str, action: Any) -> Any:
            nonlocal steps
            steps += 1
            before = len([m for m in steady.received if m["type"] == "delta"])
            result = await action
            if steps == 8:
                await leaver.close()
            if steps == 12:
                await late_joiner.connect()
            assert await caught_up(steady, shop), f"{name}: the display never caught up"
            if len([m for m in steady.received if m["type"] == "delta"]) == before:
                quiet.append(name)
            return result

        await shop_day(shop, step)
        assert quiet == [], f"these roads wrote without reaching a display: {quiet}"
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
