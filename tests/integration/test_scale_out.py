"""Two server processes on PostgreSQL and a real Redis: a change made through one reaches the
displays of the other, and everyone recovers after redis-server is killed and restarted."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from board.boards.specs import BOARDS
from board.clock import SystemClock
from board.db.session import Database
from board.live.client import Display
from board.settings import Settings
from board.unit import UnitOfWork
from tests.conftest import admin_headers
from tests.servers import BoardProcess


def fresh_state(url: str, board: str) -> dict:
    db = Database(url)
    try:
        with UnitOfWork(db, Settings(database_url=url), SystemClock()).shop("gz01", "test") as ctx:
            return BOARDS[board].build(ctx)
    finally:
        db.dispose()


def test_changes_cross_processes_through_redis_and_survive_a_redis_restart(pg_database, redis_server, tmp_path):
    env = {"BOARD_DATABASE_URL": pg_database, "BOARD_BROKER_URL": redis_server.url, "BOARD_HEARTBEAT_S": "1"}
    a, b = BoardProcess(env, str(tmp_path / "a.log")), BoardProcess(env, str(tmp_path / "b.log"))
    tomorrow = (datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=1)).date().isoformat()

    def booking(n: int) -> dict:
        return {"day": tomorrow, "slot_start": f"{9 + n:02d}:00", "plate": f"粤A7000{n}", "model": "Camry", "customer_name": "王伟",
                "phone": "13800138000", "service_type": "quick"}

    async def scenario() -> None:
        signed_in = admin_headers(a.http)  # one session cookie, good on both processes (same key, same database)
        async with httpx.AsyncClient(base_url=a.http, timeout=30, headers=signed_in) as http:
            assert (await http.post("/api/shops", json={"code": "gz01", "name": "广州店"})).status_code == 201
            assert (await http.post("/api/shops/gz01/advisors", json={"name": "陈静"})).status_code == 201
            tech = {"name": "赵强", "team": "mech_elec", "skills": [{"skill": "maintenance", "level": 2}]}
            assert (await http.post("/api/shops/gz01/technicians", json=tech)).status_code == 201
            assert (await http.post("/api/shops/gz01/bays", json={"name": "快保1", "kind": "quick_service"})).status_code == 201
            on_b, on_a = (Display(b.ws, "gz01", ["appointments"], headers={"Cookie": signed_in["Cookie"]}),
                          Display(a.ws, "gz01", ["appointments"], headers={"Cookie": signed_in["Cookie"]}))
            await on_b.connect()
            await on_a.connect()
            assert await on_b.wait_until(lambda d: "appointments" in d.copies, timeout=20)

            made = (await http.post("/api/shops/gz01/appointments", json=booking(0))).json()
            assert await on_b.wait_until(lambda d: f"a{made['id']}" in d.state("appointments"), timeout=10), \
                "a booking made on process A never reached a display on process B"

            redis_server.kill()
            for n in (1, 2):  # the shop goes on working while Redis is down
                assert (await http.post("/api/shops/gz01/appointments", json=booking(n))).status_code == 201
            await asyncio.sleep(1.5)
            redis_server.start()

            fresh = await asyncio.to_thread(fresh_state, pg_database, "appointments")
            assert len([k for k in fresh if k.startswith("a")]) == 3
            for display in (on_b, on_a):
                assert await display.wait_until(lambda d: d.state("appointments") == fresh, timeout=40), \
                    "a display did not resync after Redis came back"
            # And live again: a new change flows from A to B through the new Redis.
            made = (await http.post("/api/shops/gz01/appointments", json=booking(3))).json()
            assert await on_b.wait_until(lambda d: f"a{made['id']}" in d.state("appointments"), timeout=10)
            await on_a.close()
            await on_b.close()

    a.start()
    b.start()
    try:
        asyncio.run(scenario())
    finally:
        a.stop()
        b.stop()
    logs = (tmp_path / "a.log").read_text() + (tmp_path / "b.log").read_text()
    assert "lost the broker" in logs and "broker is back" in logs  # it said so in the logs
