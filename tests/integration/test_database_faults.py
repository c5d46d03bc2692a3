"""A hung PostgreSQL (SIGSTOP for 20 s), then a restart, under a greeter writing and a wall display
watching: every save answers within its bound as a JSON 503 with Retry-After, heartbeats keep
their beat, saves succeed again within seconds of the database coming back, the background loops
that failed start again, and the display ends equal to a fresh snapshot. A server of its own, on
loopback, so the shared test server is never frozen."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from board.app import create_app
from board.boards.specs import BOARDS
from board.clock import FixedClock
from board.live.client import Display
from board.settings import Settings
from tests.conftest import add_admin, admin_headers, shop_time, wait_for
from tests.pg_server import PostgresServer
from tests.servers import serve_in_thread

FREEZE_S = 20.0
STATEMENT_S = 2.0  # the bound every save waits at most (+2 s for the watchdog to act, as configured)


@pytest.fixture
def pg() -> Iterator[PostgresServer]:
    server = PostgresServer()
    url = server.start()
    from board.db.migrate import upgrade

    upgrade(url)
    add_admin(url)
    server.url = url  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        server.thaw() if server.dir.exists() else None
        server.stop()


class Greeter(threading.Thread):
    """Registers a walk-in five times a second and notes when each answer came and what it was."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base, self.stop = base, threading.Event()
        self.answers: list[tuple[float, float, int, dict[str, Any], dict[str, str]]] = []  # sent, took, status, body, headers

    def run(self) -> None:
        with httpx.Client(base_url=self.base, headers=admin_headers(), timeout=60) as http:
            n = 0
            while not self.stop.is_set():
                sent = time.monotonic()
                answer = http.post("/api/shops/gz01/arrivals", json={"walk_in": True, "plate": f"粤B{10000 + n}"})
                body = answer.json() if answer.headers.get("content-type", "").startswith("application/json") else {"text": answer.text}
                self.answers.append((sent, time.monotonic() - sent, answer.status_code, body, dict(answer.headers)))
                n += 1
                time.sleep(max(0.0, 0.2 - (time.monotonic() - sent)))


def test_a_hung_then_restarted_database_is_answered_with_bounded_503s_and_the_shop_recovers(pg: PostgresServer):
    settings = Settings(database_url=pg.url, scheduler_interval_s=1, heartbeat_s=0.5, db_statement_timeout_s=STATEMENT_S,  # type: ignore[attr-defined]
                        db_connect_timeout_s=2, db_lock_timeout_s=2, db_pool_timeout_s=2)
    app = create_app(settings, FixedClock(shop_time("2026-11-23 09:00")))
    with serve_in_thread(app) as host:
        base = f"http://{host}"
        httpx.post(f"{base}/api/shops", json={"code": "gz01", "name": "广州店"}, headers=admin_headers()).raise_for_status()

        async def scenario() -> None:
            display = Display(f"ws://{host}/live", "gz01", ["appointments"], headers={"Cookie": admin_headers()["Cookie"]})
            await display.connect()
            assert await display.wait_until(lambda d: "appointments" in d.copies, timeout=15)
            greeter = Greeter(base)
            greeter.start()
            await asyncio.sleep(2)

            pg.freeze()
            frozen_at = time.monotonic()
            await asyncio.sleep(FREEZE_S)
            pg.thaw()
            thawed_at = time.monotonic()
            await asyncio.sleep(6)
            greeter.stop.set()
            greeter.join(30)

            during = [a for a in greeter.answers if frozen_at <= a[0] < thawed_at - STATEMENT_S - 3]
            assert during, "the greeter kept trying while the database hung"
            for _sent, took, status, body, headers in during:
                assert status == 503, (status, body)
                assert body["error"]["code"] == "unavailable" and body["error"]["message_zh"] and int(headers["retry-after"]) >= 1
                assert took <= STATEMENT_S + 2 + 3, took  # the statement bound, the watchdog's grace, a busy machine's slack
            back = [a for a in greeter.answers if a[0] >= thawed_at and a[2] == 201]
            assert back and back[0][0] + back[0][1] - thawed_at <= 2 + STATEMENT_S, "saves work again within seconds of the thaw"
            assert all(a[2] in (201, 503) for a in greeter.answers)  # never a bare 500
            # Heartbeats never waited on the database: no gap anywhere near the freeze's length.
            during_beats = [b for b in display_beats(display) if frozen_at <= b <= thawed_at]
            assert len(during_beats) >= FREEZE_S / 0.5 / 2
            gaps = [b - a for a, b in zip(during_beats, during_beats[1:], strict=False)]
            assert max(gaps) < 3.0, max(gaps)

            # A restart: the loops that failed are restarted and report healthy again.
            await asyncio.to_thread(pg.restart)
            health = await asyncio.to_thread(wait_for, lambda: healthy(base), 30)
            assert health and health["ok"]
            assert sum(loop["restarts"] for loop in health["loops"].values()) >= 1  # the sweep (at least) failed and came back
            # After all of it the display holds what the database says.
            with app.state.uow.shop("gz01", "test", write=False) as ctx:
                fresh = BOARDS["appointments"].build(ctx)
            assert await display.wait_until(lambda d: d.state("appointments") == fresh, timeout=20)
            await display.close()

        asyncio.run(scenario())


def display_beats(display: Display) -> list[float]:
    return [t for t, m in display.timeline if m["type"] == "heartbeat"]


def healthy(base: str) -> dict[str, Any] | None:
    try:
        answer = httpx.get(f"{base}/api/health", timeout=5)
    except httpx.HTTPError:
        return None
    body: dict[str, Any] = answer.json()
    return body if answer.status_code == 200 else None
