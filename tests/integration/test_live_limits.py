"""The live hub under abuse and trouble: a display that stops reading is cut off by what the hub
measures (no acknowledgement), floods and huge frames close the socket, a board whose first load
fails is not kept empty, and every loop shows in /api/health."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from board.clock import FixedClock
from tests.conftest import shop_time, wait_for
from tests.integration.test_live import caught_up, live  # noqa: F401  (the fixture)

SUBSCRIBE = json.dumps({"id": 1, "type": "subscribe", "shop": "gz01", "boards": ["appointments"], "resume": {}})


def test_a_display_that_stops_reading_is_cut_off_by_its_silence(live):  # noqa: F811
    with live(FixedClock(shop_time("2026-11-23 09:00")), heartbeat_s=0.3, display_lag_cutoff_s=2.0) as shop:
        hub = shop.app.state.hub

        async def scenario() -> float:
            reader = shop.display(["appointments"])  # acknowledges every heartbeat: stays
            await reader.connect()
            async with connect(shop.ws_url, additional_headers={"Cookie": shop.signed_in["Cookie"]}) as mute:
                await mute.send(SUBSCRIBE)  # ... and never reads again
                began = time.monotonic()
                for n in range(40):  # the shop keeps working meanwhile
                    await shop.ok("POST", "/arrivals", {"walk_in": True, "plate": f"粤A{30000 + n}"})
                    if len(hub.connections) == 1:
                        break
                    await asyncio.sleep(0.1)
                assert await asyncio.to_thread(wait_for, lambda: len(hub.connections) == 1, 10)
                took = time.monotonic() - began
            assert await caught_up(reader, shop)  # the one that reads is served to the last delta
            await reader.close()
            await shop.http.aclose()
            return took

        took = asyncio.run(scenario())
        assert took < 2.0 + 3 * 0.3 + 2.0  # the cut-off, a few beats, and a busy machine's slack


def test_a_flood_of_messages_or_a_huge_frame_closes_the_socket(live):  # noqa: F811
    with live(FixedClock(shop_time("2026-11-23 09:00")), ws_messages_per_s=5) as shop:
        async def closed_with(messages: list[str]) -> int:
            async with connect(shop.ws_url, additional_headers={"Cookie": shop.signed_in["Cookie"]}, max_size=2**24) as ws:
                try:
                    for text in messages:
                        await ws.send(text)
                    async for _ in ws:
                        pass
                except ConnectionClosed:
                    pass
                assert ws.close_code is not None
                return ws.close_code

        assert asyncio.run(closed_with([json.dumps({"id": n, "type": "ping"}) for n in range(200)])) == 1008
        assert asyncio.run(closed_with(["x" * 200_000])) == 1009


def test_a_board_whose_first_load_fails_is_not_kept_empty(live):  # noqa: F811
    with live(FixedClock(shop_time("2026-11-23 09:00"))) as shop:
        hub = shop.app.state.hub
        load = hub._load_db
        failures = [1]

        def flaky(shop_id: int, board: str) -> Any:
            if failures:
                failures.pop()
                raise RuntimeError("database away for a moment")
            return load(shop_id, board)

        hub._load_db = flaky

        async def scenario() -> None:
            await shop.book("2026-11-23", "10:00", "粤A12345")
            first = shop.display(["appointments"])
            await first.connect()
            assert await first.wait_until(lambda d: d.ws is not None and d.ws.close_code == 1013, timeout=10)
            assert "appointments" not in first.copies  # never shown an empty board as if it were the shop's
            second = shop.display(["appointments"])
            await second.connect()
            assert await caught_up(second, shop)
            assert any(card.get("plate") for card in second.state("appointments").values())
            await second.close()
            await shop.http.aclose()

        asyncio.run(scenario())


def test_health_reports_every_loop_and_the_database(live):  # noqa: F811
    with live(FixedClock(shop_time("2026-11-23 09:00")), heartbeat_s=0.5) as shop:
        def healthy() -> Any:
            answer = httpx.get(f"http://{shop.host}/api/health")
            return answer.json() if answer.status_code == 200 else None

        body = wait_for(healthy, 10)
        assert body and body["ok"] and body["database"]["ok"]
        assert set(body["loops"]) == {"live.broker", "live.heartbeat", "live.credentials", "live.sweep", "scheduler", "planner"}
        assert all(loop["restarts"] == 0 for loop in body["loops"].values())
