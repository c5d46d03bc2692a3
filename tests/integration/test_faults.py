"""Faults that must lose nothing: many writers racing on one job, a server killed in the middle
of writes. Each on SQLite and on PostgreSQL, on loopback, bounded in time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import httpx

from board.app import create_app
from board.clock import FixedClock
from board.settings import Settings
from tests.conftest import admin_headers, shop_time
from tests.servers import free_port, serve_in_thread

WRITERS = 50
JOB = {"operation": "定期保养", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}


def open_order(http: httpx.Client, base: str) -> dict:
    http.post(f"{base}/api/shops", json={"code": "gz01", "name": "广州店"}).raise_for_status()
    advisor = http.post(f"{base}/api/shops/gz01/advisors", json={"name": "陈静"}).json()
    body = {"plate": "粤B·7K2M9", "model": "雷凌 Levin", "customer_name": "陈芳", "phone": "13700137000", "advisor_id": advisor["id"],
            "promised_at": "2026-11-23T17:00", "jobs": [JOB]}
    response = http.post(f"{base}/api/shops/gz01/repair-orders", json=body)
    assert response.status_code == 201, response.text
    return response.json()["jobs"][0]


def test_fifty_writers_on_one_job_one_wins_the_others_get_409(database_url):
    settings = Settings(database_url=database_url, scheduler_interval_s=3600)
    with serve_in_thread(create_app(settings, FixedClock(shop_time("2026-11-23 09:00")))) as host, \
            httpx.Client(timeout=30, headers=admin_headers(f"http://{host}"), limits=httpx.Limits(max_connections=WRITERS)) as http:
        base = f"http://{host}"
        job = open_order(http, base)
        start = threading.Barrier(WRITERS)
        answers: list[tuple[int, float]] = []
        lock = threading.Lock()

        def write(n: int) -> None:
            hours = 1.0 + (n + 1) / 100  # each writer's own value, so the survivor is identifiable
            start.wait(timeout=30)
            response = http.patch(f"{base}/api/shops/gz01/jobs/{job['id']}", json={"version": job["version"], "est_hours": hours})
            with lock:
                answers.append((response.status_code, hours))

        threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        codes = sorted(code for code, _ in answers)
        assert codes == [200] + [409] * (WRITERS - 1), codes
        winner = next(hours for code, hours in answers if code == 200)
        final = http.get(f"{base}/api/shops/gz01/jobs/{job['id']}").json()
        assert final["est_hours"] == winner and final["version"] == job["version"] + 1
        updates = [e for e in http.get(f"{base}/api/shops/gz01/events?entity=job").json() if e["entity_id"] == job["id"] and e["action"] == "updated"]
        assert len(updates) == 1 and updates[0]["after"]["est_hours"] == winner


def test_a_server_killed_mid_writes_comes_back_consistent(database_url, tmp_path):
    """SIGKILL while a greeter registers cars as fast as it can: after a restart every arrival the
    server confirmed is there, each with its event, and nothing half-written is."""
    env = {**os.environ, "BOARD_DATABASE_URL": database_url, "BOARD_SCHEDULER_INTERVAL_S": "3600"}
    port = free_port()
    cmd = [sys.executable, "-m", "board.cli", "serve", "--port", str(port)]
    base = f"http://127.0.0.1:{port}"

    def start() -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    return proc
            except httpx.TransportError:
                time.sleep(0.1)
        proc.kill()
        raise AssertionError("the server did not start")

    proc = start()
    confirmed: list[int] = []
    signed_in = admin_headers(base)
    try:
        httpx.post(f"{base}/api/shops", json={"code": "gz01", "name": "广州店"}, headers=signed_in).raise_for_status()
        stop = threading.Event()

        def book() -> None:
            n = 0
            with httpx.Client(timeout=5, headers=signed_in) as client:
                while not stop.is_set() and n < 2000:
                    n += 1
                    try:
                        response = client.post(f"{base}/api/shops/gz01/arrivals", json={"walk_in": True, "plate": f"粤A{n:05d}", "model": "凯美瑞"})
                    except httpx.TransportError:
                        return  # the server is gone: whatever was not answered may or may not be there
                    if response.status_code == 201:
                        confirmed.append(response.json()["id"])

        writer = threading.Thread(target=book)
        writer.start()
        deadline = time.monotonic() + 20
        while len(confirmed) < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)  # no shutdown, no flush: mid-write
        proc.wait(10)
        stop.set()
        writer.join(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert len(confirmed) >= 20, "the writer got going before the kill"
    proc = start()
    try:
        ids = {a["id"] for a in httpx.get(f"{base}/api/shops/gz01/arrivals", headers=signed_in).json()}
        assert set(confirmed) <= ids, "a confirmed arrival was lost"
        assert len(ids) - len(confirmed) <= 1, "at most the one in flight when killed was committed unanswered"
        events = httpx.get(f"{base}/api/shops/gz01/events?entity=arrival&limit=1000", headers=signed_in).json()
        assert {e["entity_id"] for e in events if e["action"] == "arrived"} == ids, "every arrival has its event, and no event lacks its arrival"
        # The server works after the crash, and the live boards carry on from the database.
        assert httpx.post(f"{base}/api/shops/gz01/arrivals", json={"walk_in": True, "plate": "粤A99999"}, headers=signed_in).status_code == 201
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()

