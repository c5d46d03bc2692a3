"""live.js in a real browser: applies deltas without reload, says when it is offline, and
recovers by itself after the server restarts."""

from __future__ import annotations

import httpx

from board.app import create_app
from board.clock import FixedClock
from board.settings import Settings
from tests.conftest import admin_headers, shop_time
from tests.e2e.conftest import API_WAIT_S, WAIT_MS
from tests.servers import free_port, serve_in_thread


def book(host: str, plate: str, at: str) -> None:
    body = {"day": "2026-11-23", "slot_start": at, "plate": plate, "model": "Camry", "customer_name": "王伟", "title": "先生",
            "phone": "13800138000", "service_type": "quick"}
    response = httpx.post(f"http://{host}/api/shops/gz01/appointments", json=body, headers=admin_headers(f"http://{host}"), timeout=API_WAIT_S)
    assert response.status_code == 201, response.text


def test_the_debug_page_follows_a_board_live_and_recovers_after_a_server_restart(page, database_url):
    clock = FixedClock(shop_time("2026-11-23 09:00"))
    settings = Settings(database_url=database_url, scheduler_interval_s=3600, heartbeat_s=1)
    port = free_port()
    with serve_in_thread(create_app(settings, clock), port) as host:
        signed_in = admin_headers(f"http://{host}")
        httpx.post(f"http://{host}/api/shops", json={"code": "gz01", "name": "广州店"}, headers=signed_in, timeout=API_WAIT_S).raise_for_status()
        httpx.post(f"http://{host}/api/shops/gz01/advisors", json={"name": "陈静"}, headers=signed_in, timeout=API_WAIT_S).raise_for_status()
        tech = {"name": "赵强", "team": "mech_elec", "skills": [{"skill": "maintenance", "level": 2}]}
        httpx.post(f"http://{host}/api/shops/gz01/technicians", json=tech, headers=signed_in, timeout=API_WAIT_S).raise_for_status()
        bay = {"name": "快保1", "kind": "quick_service"}  # a quick service is booked only where a bay can take it
        httpx.post(f"http://{host}/api/shops/gz01/bays", json=bay, headers=signed_in, timeout=API_WAIT_S).raise_for_status()
        page.context.add_cookies([{"name": "board_session", "value": signed_in["Cookie"].split("=", 1)[1], "url": f"http://{host}"}])
        page.goto(f"http://{host}/live/debug?shop=gz01&boards=appointments,welcome")
        page.wait_for_selector("#status.online", timeout=WAIT_MS)
        # "Live" once the first snapshot is in (the socket opens a moment before).
        page.wait_for_function("document.getElementById('status').textContent.includes('实时')", timeout=WAIT_MS)
        book(host, "粤A10001", "10:00")
        page.wait_for_function("document.querySelector('[data-board=appointments]').textContent.includes('粤A10001')", timeout=WAIT_MS)
        page.wait_for_function("document.querySelector('[data-board=welcome]').textContent.includes('粤A·1***1')", timeout=WAIT_MS)
        loads = page.evaluate("performance.getEntriesByType('navigation').length")
    # The server is gone: the page says so, in words readable from across the room.
    page.wait_for_selector("#status.offline", timeout=WAIT_MS)
    assert "离线" in page.inner_text("#status")
    with serve_in_thread(create_app(settings, clock), port) as host:
        # Recovery waits at most one backoff step (capped at 15 s, jittered up to 22.5 s).
        page.wait_for_selector("#status.online", timeout=35_000)
        book(host, "粤A10002", "11:00")
        page.wait_for_function("document.querySelector('[data-board=appointments]').textContent.includes('粤A10002')", timeout=WAIT_MS)
        assert "粤A10001" in page.inner_text("[data-board=appointments]")
        assert page.evaluate("performance.getEntriesByType('navigation').length") == loads  # never reloaded
