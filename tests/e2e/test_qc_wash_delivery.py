"""One car through the three-level check, the wash and the hand-over in real Chromium, each person on
his own screen, signed in as himself, on the demo shop's day: the technician finishes with his
self-check, the inspector fails it once with a reason (the technician's page shows it, live), the
technician finishes again, the inspector passes it, the car is washed, the advisor hands it over with
the final amount and the next service, and the order is in the DMS export and on tomorrow's calls."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from board.app import create_app
from board.clock import FixedClock
from board.demo import run as demo
from board.demo.accounts import DEMO_PASSWORD
from board.settings import Settings
from tests.e2e.conftest import API_WAIT_S, WAIT_MS
from tests.servers import free_port, serve_in_thread

CODE = "gz-demo"
REASON = "机油滤清器处渗油,请重新紧固"


@dataclass
class Person:
    """Someone of the demo shop, signed in: his API client and his session for the browser."""

    host: str
    cookie: str
    csrf: str
    me: dict[str, Any]

    def api(self, method: str, path: str, body: Any = None) -> Any:
        response = httpx.request(method, f"http://{self.host}/api/shops/{CODE}{path}", json=body, timeout=API_WAIT_S,
                                 headers={"Cookie": f"board_session={self.cookie}", "X-CSRF-Token": self.csrf})
        assert response.is_success, response.text
        return response.json() if "json" in response.headers["content-type"] else response.text


@dataclass
class Shop:
    host: str
    clock: FixedClock
    settings: Settings

    def person(self, username: str) -> Person:
        response = httpx.post(f"http://{self.host}/api/session", json={"username": username, "password": DEMO_PASSWORD}, timeout=API_WAIT_S)
        assert response.status_code == 200, response.text
        me = response.json()
        return Person(self.host, response.cookies["board_session"], me["csrf_token"], me)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    """The demo shop's day, played to 10:30 and then held still."""
    folder: Path = tmp_path_factory.mktemp("demo") / "shop"
    settings, db, clock, _sim, _kiosks = demo.prepare(Settings(heartbeat_s=1), folder, time(10, 30))
    settings = settings.with_(scheduler_interval_s=3600.0)
    with contextlib.ExitStack() as stack:
        host = stack.enter_context(serve_in_thread(create_app(settings, clock, db), free_port()))
        yield Shop(host, clock, settings)


def screen(browser: Any, who: Person, page: str) -> Any:
    """A browser of its own for one person, on one of his pages, live."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN", bypass_csp=True)  # waits use eval()
    context.add_cookies([{"name": "board_session", "value": who.cookie, "url": f"http://{who.host}"}])
    tab = context.new_page()
    tab.on("console", lambda m: print(f"[{page} {m.type}] {m.text}"))
    tab.on("pageerror", lambda e: print(f"[{page} error] {e}"))
    tab.goto(f"http://{who.host}/shops/{CODE}/{page}")
    tab.wait_for_function("document.getElementById('status').dataset.online === 'online'", timeout=WAIT_MS)
    return tab


def events(who: Person) -> list[dict[str, Any]]:
    """The whole event log, page by page."""
    out: list[dict[str, Any]] = []
    while True:
        page = who.api("GET", f"/events?limit=1000&after={out[-1]['id'] if out else 0}")
        out += page
        if len(page) < 1000:
            return out


def self_check(tech: Any, job: int) -> None:
    tech.click(f"[data-job='{job}'] [data-act='finish']", timeout=WAIT_MS)
    tech.wait_for_selector("#selfcheck input[type=checkbox]")
    assert tech.is_disabled("#selfcheck-ok")  # nothing ticked: it cannot go to QC
    for box in tech.query_selector_all("#selfcheck input[type=checkbox]"):
        box.check()
    tech.click("#selfcheck-ok")
    tech.wait_for_selector(f"#jobs [data-job='{job}']", state="detached", timeout=WAIT_MS)  # off to the inspector


def test_one_car_through_the_three_checks_the_wash_and_the_hand_over(browser, shop):
    admin, tech_person, inspector_person, advisor = (shop.person(u) for u in ("admin", "tech1", "inspector", "advisor1"))
    now = shop.clock.now().astimezone(shop.settings.zone)
    order = admin.api("POST", "/repair-orders", {
        "plate": "粤B·Q1C17", "model": "卡罗拉 Corolla", "customer_name": "李娜", "title": "女士", "phone": "13900139000",
        "advisor_id": advisor.me["advisor_id"], "promised_at": (now + timedelta(hours=3)).isoformat(),
        "jobs": [{"operation": "定期保养 Periodic maintenance", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}]})
    ro, job = order["id"], order["jobs"][0]
    job = admin.api("POST", f"/jobs/{job['id']}/transitions", {"action": "dispatch", "version": job["version"],
                                                              "technician_id": tech_person.me["technician_id"]})
    admin.api("POST", f"/jobs/{job['id']}/transitions", {"action": "start", "version": job["version"]})
    job_id = job["id"]

    tech = screen(browser, tech_person, "technician")
    qc = screen(browser, inspector_person, "qc")
    self_check(tech, job_id)

    # The inspector sees it come in with the self-check done, and by whom; he fails it with a reason.
    row = f"#qc-cars [data-job='{job_id}']"
    qc.wait_for_selector(f"{row} [data-self='done']", timeout=WAIT_MS)
    assert tech_person.me["name"] in qc.inner_text(f"{row} [data-self='done']")
    assert qc.is_disabled(f"{row} [data-act='pass']")
    qc.click(f"{row} [data-act='fail']")
    qc.fill("#fail-text", REASON)
    qc.click("#fail-ok")
    qc.wait_for_selector(f"#qc-returned [data-returned='{job_id}']", timeout=WAIT_MS)
    assert REASON in qc.inner_text(f"#qc-returned [data-returned='{job_id}']")  # the foreman reads it here too

    # Back on the technician's page, live, with why; and on the foreman's timeline.
    tech.wait_for_selector(f"[data-qc-reason='{job_id}']", timeout=WAIT_MS)
    assert REASON in tech.inner_text(f"[data-qc-reason='{job_id}']")
    foreman = screen(browser, shop.person("foreman"), "foreman")
    block = f"#timeline .block[data-job='{job_id}']"
    foreman.wait_for_selector(block, state="attached", timeout=WAIT_MS)
    assert REASON in (foreman.get_attribute(block, "title") or "") and "质检退回" in foreman.eval_on_selector(block, "(b) => b.textContent")
    foreman.context.close()
    # Back in his queue (the car went to the inspector off its lift): he clocks on again when he is free.
    tech.click(f"#jobs [data-job='{job_id}'] [data-act='start']", timeout=WAIT_MS)
    tech.wait_for_selector(f"#jobs [data-job='{job_id}'][data-stage='in_progress']", timeout=WAIT_MS)
    self_check(tech, job_id)

    qc.wait_for_selector(f"{row} [data-self='done']", timeout=WAIT_MS)
    assert REASON in qc.inner_text(row) and not qc.query_selector(f"#qc-returned [data-returned='{job_id}']")
    for box in qc.query_selector_all(f"{row} input[type=checkbox]"):
        box.check()
    qc.click(f"{row} [data-act='pass']")
    qc.wait_for_selector(row, state="detached", timeout=WAIT_MS)

    # The wash: the advisor's colleague at the wash bay taps "wash done" for the car.
    wash = screen(browser, advisor, "wash")
    car = f"#wash-cars [data-ro='{ro}'][data-washable='1']"
    wash.click(f"{car} [data-act='wash-done']", timeout=WAIT_MS)
    wash.wait_for_selector(f"#wash-cars [data-ro='{ro}']", state="detached", timeout=WAIT_MS)

    # The hand-over: the bill explained, the amount the customer pays, the next service.
    delivery = screen(browser, advisor, "delivery")
    delivery.click(f"#ready-cars [data-ro='{ro}']", timeout=WAIT_MS)
    delivery.wait_for_selector(f"#bill [data-ro='{ro}']", timeout=WAIT_MS)
    bill = delivery.inner_text("#bill")
    assert "定期保养 Periodic maintenance" in bill and "180.00" in bill
    next_day = (now + timedelta(days=182)).date().isoformat()
    delivery.fill("#final-amount", "168")
    delivery.fill("#next-date", next_day)
    delivery.fill("#next-km", "52000")
    delivery.click("#hand-over")
    delivery.wait_for_selector("#handed-over", timeout=WAIT_MS)
    delivery.wait_for_selector(f"#closed-today [data-closed='{ro}']", timeout=WAIT_MS)
    delivery.wait_for_selector(f"#ready-cars [data-ro='{ro}']", state="detached", timeout=WAIT_MS)

    # Closed: in the DMS export, on tomorrow's follow-up calls, every step logged with who took it.
    [closed] = [o for o in advisor.api("GET", "/dms/closed-orders") if o["repair_order_id"] == ro]
    assert closed["total"] == 168.0 and closed["next_service"] == {"date": next_day, "km": 52000}
    assert closed["delivered_by"] == f"{advisor.me['name']} (advisor1)" and [line["hours"] for line in closed["lines"]] == [1.0]
    rows = list(csv.DictReader(io.StringIO(advisor.api("GET", "/dms/closed-orders.csv").lstrip("\ufeff"))))
    assert {r["order_total"] for r in rows if r["order_number"] == order["number"]} == {"168.0"}
    tomorrow = (now + timedelta(days=1)).date().isoformat()
    assert ro in [d["repair_order_id"] for d in advisor.api("GET", f"/follow-ups?day={tomorrow}")["due"]]
    assert ro not in [d["repair_order_id"] for d in advisor.api("GET", "/follow-ups")["due"]]
    steps = [(e["action"], e["actor"].split(" (")[-1].rstrip(")")) for e in events(admin)
             if (e["entity"] == "job" and e["entity_id"] == job_id) or (e["entity"] == "repair_order" and e["entity_id"] == ro and e["action"] == "handed_over")]
    assert steps[-8:] == [("finish", "tech1"), ("qc_fail", "inspector"), ("start", "tech1"), ("finish", "tech1"), ("qc_pass", "inspector"),
                          ("wash_done", "advisor1"), ("deliver", "advisor1"), ("handed_over", "advisor1")]
    for tab in (tech, qc, wash, delivery):
        tab.context.close()
