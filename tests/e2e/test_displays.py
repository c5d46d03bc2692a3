"""The wall displays and consoles in real Chromium, on a full demo day: a change made through
the API shows within 2 s without reload; the greeter's confirmation reaches the reception
display; the foreman's accept reaches the workshop display; pages survive a server restart;
nothing overflows at 1080p or 4K."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from board.app import create_app
from board.clock import FixedClock
from board.demo import run as demo
from board.demo.accounts import DEMO_PASSWORD
from board.settings import Settings
from board.unit import UnitOfWork
from tests.conftest import plan_settled
from tests.e2e.conftest import API_WAIT_S, WAIT_MS, on_the_plan_shown
from tests.floor_check import read_floor
from tests.idle_check import idle_while_waiting
from tests.servers import free_port, serve_in_thread

CODE = "gz-demo"
WALL = ["reception", "welcome", "workshop"]
CONSOLES = ["foreman", "greeter", "technician?id=1", "advisor?id=1", "follow-up"]


@dataclass
class Shop:
    host: str
    clock: FixedClock
    settings: Settings
    restart: Any
    kiosks: dict[str, str]
    uow: Any  # the shop's database, read as the server reads it
    signed_in: dict[str, str] = field(default_factory=dict)  # the demo admin's cookie and CSRF secret

    def url(self, page: str) -> str:
        return f"http://{self.host}/shops/{CODE}/{page}"

    def session(self) -> dict[str, str]:
        """The demo admin's session, signed in on first use."""
        if not self.signed_in:
            response = httpx.post(f"http://{self.host}/api/session", json={"username": "admin", "password": DEMO_PASSWORD}, timeout=API_WAIT_S)
            assert response.status_code == 200, response.text
            self.signed_in = {"cookie": response.cookies["board_session"], "csrf": response.json()["csrf_token"]}
        return self.signed_in

    def api(self, method: str, path: str, body: Any = None) -> Any:
        headers = {"Cookie": f"board_session={self.session()['cookie']}", "X-CSRF-Token": self.session()["csrf"]}
        response = httpx.request(method, f"http://{self.host}/api/shops/{CODE}{path}", json=body, headers=headers, timeout=API_WAIT_S)
        assert response.is_success, response.text
        return response.json()


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    """The demo shop's day, played to 10:30 and then held still (the pages' clocks stand too)."""
    folder: Path = tmp_path_factory.mktemp("demo") / "shop"
    settings, db, clock, _sim, kiosks = demo.prepare(Settings(heartbeat_s=1), folder, time(10, 30))
    settings = settings.with_(scheduler_interval_s=3600.0)
    port = free_port()
    stack = contextlib.ExitStack()

    def start() -> str:
        return stack.enter_context(serve_in_thread(create_app(settings, clock, db), port))

    def restart(stopped: Any) -> None:  # stop, let the caller look, start again
        stack.close()
        stopped()
        start()

    host = start()
    try:
        yield Shop(host, clock, settings, restart, kiosks, UnitOfWork(db, settings, clock))
    finally:
        stack.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A browser context of its own for a test that opens several pages."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN", bypass_csp=True)  # waits use eval(); CSP: test_security_pages.py
    try:
        yield context
    finally:
        context.close()


def open_page(page: Any, shop: Shop, name: str, width: int = 1920, height: int = 1080) -> None:
    if not getattr(page, "_watched", False):  # printed only if the test fails: what the page said
        page.on("console", lambda m: print(f"[{name} {m.type}] {m.text}"))
        page.on("pageerror", lambda e: print(f"[{name} error] {e}"))
        page._watched = True
    page.set_viewport_size({"width": width, "height": height})
    goto(page, shop, name)
    if name == "follow-up":  # nothing live on it: the list is read on each action
        page.wait_for_selector("#due > *", timeout=WAIT_MS)
        return
    page.wait_for_function("document.getElementById('status').dataset.online === 'online'", timeout=WAIT_MS)
    page.wait_for_function("window.liveBoards && Object.keys(window.liveBoards.boards).length > 0", timeout=WAIT_MS)


def goto(page: Any, shop: Shop, name: str) -> Any:
    """Open a page as the demo's admin (signed in once per browser context)."""
    if not page.context.cookies(f"http://{shop.host}"):
        page.context.add_cookies([{"name": "board_session", "value": shop.session()["cookie"], "url": f"http://{shop.host}"}])
    return page.goto(shop.url(name))


def text_within(page: Any, selector: str, text: str, timeout: float = WAIT_MS) -> None:
    page.wait_for_function("([s, t]) => [...document.querySelectorAll(s)].some((n) => n.textContent.includes(t))", arg=[selector, text], timeout=timeout)


def slot_after(shop: Shop, minutes: int) -> str:
    """The first half-hour booking time at least ``minutes`` from the shop's clock (the demo day is
    held at about 10:30; it plays on a little until a car stands in every stage)."""
    at = shop.clock.now().astimezone(shop.settings.zone) + timedelta(minutes=minutes + 29)
    return f"{at.hour:02d}:{at.minute // 30 * 30:02d}"


def book_today(shop: Shop, plate: str, at: str = "16:30", advisor_id: int | None = None) -> dict[str, Any]:
    today = shop.clock.now().astimezone(shop.settings.zone).date().isoformat()
    body = {"day": today, "slot_start": at, "plate": plate, "model": "凯美瑞 Camry", "customer_name": "王伟", "title": "先生",
            "phone": "13800138000", "service_type": "quick", "source": "inbound_call"}
    if advisor_id:
        body["advisor_id"] = advisor_id
    return shop.api("POST", "/appointments", body)  # type: ignore[no-any-return]


def open_order(shop: Shop, plate: str, hours: float = 1.0) -> dict[str, Any]:
    body = {"plate": plate, "model": "凯美瑞 Camry", "customer_name": "李娜", "title": "女士", "phone": "13900139000", "advisor_id": 1,
            "promised_at": (shop.clock.now() + timedelta(hours=4)).isoformat(), "customer_waiting": False,
            "jobs": [{"operation": "更换刹车片 Brake pads", "skill": "mechanical", "level": 1, "est_hours": hours, "bay_kind": "general_lift"}]}
    return shop.api("POST", "/repair-orders", body)  # type: ignore[no-any-return]


def self_check(shop: Shop, job_id: int) -> dict[str, Any]:
    """The technician's self-check of his card: every operation done, every item ticked."""
    job = shop.api("GET", f"/jobs/{job_id}")
    body = {"version": job["version"], "items": [i["key"] for i in job["self_check"]], "lines": [line["id"] for line in job["lines"]]}
    return shop.api("POST", f"/jobs/{job_id}/self-check", body)["job"]  # type: ignore[no-any-return]


def pass_check(shop: Shop, job_id: int) -> dict[str, Any]:
    """The inspector's pass: every item of the card's list and every car's ticked."""
    from board.domain.checklists import EVERY_CAR

    job = shop.api("GET", f"/jobs/{job_id}")
    items = [i["key"] for i in job["self_check"]] + [i.key for i in EVERY_CAR]
    return shop.api("POST", f"/jobs/{job_id}/quality-check", {"version": job["version"], "passed": True, "items": items})["job"]  # type: ignore[no-any-return]


def never_reloaded(page: Any) -> bool:
    return page.evaluate("performance.getEntriesByType('navigation').length") == 1  # type: ignore[no-any-return]


def test_reception_and_welcome_show_a_new_booking_without_reload(page, shop):
    open_page(page, shop, "reception")
    booked = book_today(shop, "粤A77001")
    text_within(page, "#col-today", "粤A77001")
    assert page.locator(f"#col-today [data-id='{booked['id']}']").count() == 1
    open_page(page, shop, "welcome")
    shop.api("PATCH", f"/appointments/{booked['id']}", {"version": booked["version"], "slot_start": "17:00"})
    # Still to come: in the list of today's bookings below the guests on site, masked.
    text_within(page, "#coming", "17:00 王先生 粤A·7***1")
    assert "粤A77001" not in page.content(), "the welcome display shows plates masked"
    assert never_reloaded(page)


def test_on_the_demo_morning_no_waiting_customer_waits_while_a_qualified_man_and_a_bay_are_idle(shop):
    # Issue 18 point 3: on the demo day a lounge customer's quick job was planned for later while
    # 孙浩 stood idle, "kept for harder work". The plan the foreman's console lists, checked as he would.
    # One more customer in the lounge now, so the plan has one whatever the morning's luck.
    shop.api("POST", "/repair-orders", {
        "plate": "粤A·LW001", "model": "雷凌 Levin", "customer_name": "何丽", "title": "女士", "phone": "13700000009", "advisor_id": 1,
        "customer_waiting": True, "promised_at": (shop.clock.now() + timedelta(hours=2)).isoformat(),
        "jobs": [{"operation": "快速保养", "skill": "maintenance", "level": 1, "est_hours": 0.5, "bay_kind": "quick_service"}]})
    assert plan_settled(shop.uow, CODE)
    plan = shop.api("GET", "/dispatch/plan")
    assert any(r["priority"] == "waiting" and not r["fixed"] for r in plan["plan"]), "the demo morning has lounge customers to plan"
    found = idle_while_waiting(plan, shop.api("GET", "/jobs"), shop.api("GET", "/technicians"), shop.api("GET", "/bays"))
    assert found == []


def floor_now(shop: Shop) -> Any:
    """The floor as the plan every screen shows and the data say, once the plan has caught up."""
    assert plan_settled(shop.uow, CODE)
    floor = read_floor(shop.api("GET", "/dispatch/plan"), shop.api("GET", "/jobs"), shop.api("GET", "/bays"))
    print(f"{floor.cars_planned} cars planned, {floor.standing} standing in bays, {floor.forced_moves} moves forced by a card's kind of bay")
    return floor


def test_on_the_demo_morning_one_car_holds_one_bay_and_nobody_works_two_jobs(shop):
    floor = floor_now(shop)
    assert floor.standing >= 5 and floor.cars_planned >= 5, "the demo morning has cars in bays and cars to plan"
    assert floor.problems == []


def test_greeter_confirms_an_arrival_and_the_reception_display_shows_its_clock(context, shop):
    reception, greeter = context.new_page(), context.new_page()
    booked = book_today(shop, "粤B55203", slot_after(shop, 30))
    open_page(reception, shop, "reception")
    open_page(greeter, shop, "greeter", 1280, 800)
    greeter.select_option("#province", "粤")
    greeter.fill("#plate", "b55208")  # one OCR-like slip: 3 read as 8
    greeter.fill("#model", "凯美瑞")
    greeter.click("#find")
    greeter.wait_for_selector(f"[data-appointment='{booked['id']}']", timeout=WAIT_MS)
    greeter.click(f"[data-appointment='{booked['id']}']")
    text_within(greeter, "#verdict", "接待计时开始")
    text_within(reception, "#col-arrivals", "粤B55203")
    clock = reception.locator("#col-arrivals .card", has_text="粤B55203").locator(".clockface")
    assert clock.count() == 1 and "ok" in (clock.get_attribute("class") or "")
    card = reception.locator(f"#col-today [data-id='{booked['id']}']")
    assert card.get_attribute("data-state") == "arrived"
    # Four minutes on, the clock turns amber (the page's clock stands with the server's).
    shop.clock.advance(timedelta(minutes=4, seconds=10))
    try:
        open_page(reception, shop, "reception")
        reception.wait_for_function("document.querySelector('#col-arrivals .clockface.warn') !== null", timeout=WAIT_MS)
    finally:
        shop.clock.advance(-timedelta(minutes=4, seconds=10))


def test_the_foreman_sees_every_technician_and_every_bay_beside_the_queue_at_1080p(page, shop):
    # Issue 25: at 1920x1080 the timeline showed 1 of 12 rows. Measured as a person sees it: each row
    # and each bay inside the screen and inside the plan's box (nothing to scroll), the queue beside.
    open_page(page, shop, "foreman", 1920, 1080)
    techs, bays = shop.api("GET", "/technicians"), shop.api("GET", "/bays")
    page.wait_for_function("([t, b]) => document.querySelectorAll('#timeline .lane').length === t && "
                           "document.querySelectorAll('#bays [data-bay]').length === b", arg=[len(techs), len(bays)], timeout=WAIT_MS)
    boxes = page.evaluate("""() => {
        const box = (n) => { const r = n.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, h: r.height }; };
        return { lanes: [...document.querySelectorAll('#timeline .lane')].map(box), bays: [...document.querySelectorAll('#bays [data-bay]')].map(box),
                 timeline: box(document.getElementById('timeline')), queue: box(document.getElementById('queue')),
                 name: parseFloat(getComputedStyle(document.querySelector('#timeline .lane .who b')).fontSize),
                 plates: [...document.querySelectorAll('#timeline .block .plate')].map((n) => parseFloat(getComputedStyle(n).fontSize)),
                 cut: [...document.querySelectorAll('#bays .plate')].filter((n) => n.scrollWidth > n.clientWidth + 1).map((n) => n.textContent) }; }""")
    seen = [b for b in boxes["lanes"] if b["top"] >= boxes["timeline"]["top"] - 1 and b["bottom"] <= min(boxes["timeline"]["bottom"], 1080) + 1]
    assert len(seen) == len(techs), f"{len(seen)} of {len(techs)} technicians' rows on the screen"
    assert min(b["h"] for b in boxes["lanes"]) >= 20  # a row a person can read, not a sliver
    assert all(0 <= b["top"] and b["bottom"] <= 1080 and b["right"] <= 1920 for b in boxes["bays"]), "every bay on the screen"
    assert boxes["queue"]["left"] >= boxes["timeline"]["right"] and boxes["queue"]["top"] < 1080 / 2  # beside the plan, at the top
    assert boxes["name"] >= 18 and boxes["plates"] and min(boxes["plates"]) >= 18
    assert boxes["cut"] == [], "a plate cut short in the bays"
    # A job nobody was given is not "re-assigned" (改派): it is given to another technician.
    queued = [shop.api("GET", f"/jobs/{n}") for n in page.eval_on_selector_all("#queue [data-job]", "(ns) => ns.map((n) => n.dataset.job)")]
    never = next(j for j in queued if not j["technician_id"])
    words = page.inner_text(f"#queue [data-job='{never['id']}'] select")
    assert "派给其他技师" in words and "改派" not in words
    # A job held up by the lifts, its parts or its car says so, not that a senior was "kept for harder work".
    for row in shop.api("GET", "/dispatch/plan")["plan"]:
        assert not (row["cause"] and any("留给更难的作业" in r["zh"] for r in row["reasons"])), row
    # A man with (almost) nothing on his load bar says why, in words.
    page.wait_for_selector("#load [data-tech]", timeout=WAIT_MS)
    for tech_id, hours, why in page.eval_on_selector_all(
            "#load [data-tech]", "(rows) => rows.map((r) => [r.dataset.tech, Number(r.dataset.hours), (r.querySelector('.idle-why') || {}).textContent || ''])"):
        assert hours >= 0.5 or why.strip(), (tech_id, hours)


def test_foreman_accepts_the_plan_and_the_job_lands_on_that_technicians_row(context, shop):
    foreman, workshop = context.new_page(), context.new_page()
    order = open_order(shop, "粤C31415")
    job_id = order["jobs"][0]["id"]
    open_page(workshop, shop, "workshop")
    open_page(foreman, shop, "foreman")
    foreman.wait_for_selector(f"#queue [data-job='{job_id}'] [data-assign]", timeout=WAIT_MS)
    shown: list[int] = []  # the technician the console suggested when the foreman accepted

    def accept() -> None:
        shown.append(int(foreman.get_attribute(f"#queue [data-job='{job_id}'] [data-assign]", "data-tech")))
        foreman.click("#accept")

    on_the_plan_shown(foreman, accept, f"!document.querySelector(`#queue [data-job='{job_id}']`)")
    tech = shown[-1]
    assert shop.api("GET", f"/jobs/{job_id}")["technician_id"] == tech
    # Suggested before (outlined), dispatched after (solid), on the same technician's row.
    workshop.wait_for_selector(f".lane[data-tech='{tech}'] .block[data-job='{job_id}'][data-kind='dispatched']", state="attached", timeout=WAIT_MS)
    assert workshop.get_attribute(f".lane[data-tech='{tech}'] .block[data-job='{job_id}']", "data-stage") == "dispatched"
    foreman.wait_for_selector(f"#queue [data-job='{job_id}']", state="detached", timeout=WAIT_MS)
    assert never_reloaded(workshop) and never_reloaded(foreman)


def test_foreman_override_needs_a_reason_and_is_kept(page, shop):
    order = open_order(shop, "粤C27182")
    job_id = order["jobs"][0]["id"]
    open_page(page, shop, "foreman")
    page.wait_for_selector(f"#queue [data-job='{job_id}'] select", timeout=WAIT_MS)
    plan = shop.api("GET", "/dispatch/plan")
    suggested = next(r["technician_id"] for r in plan["plan"] if r["job_id"] == job_id)
    other = next(t["id"] for t in shop.api("GET", "/technicians") if t["id"] != suggested and t["present"]
                 and any(s["skill"] == "mechanical" for s in t["skills"]))
    before = shop.api("GET", "/events?entity=job&limit=1000")
    after = before[-1]["id"] if before else 0
    page.select_option(f"#queue [data-job='{job_id}'] select", str(other))
    page.fill("#override-text", "客户指定老师傅 customer asked for him")
    page.click("#override-ok")
    page.wait_for_selector(f"#queue [data-job='{job_id}']", state="detached", timeout=WAIT_MS)
    job = shop.api("GET", f"/jobs/{job_id}")
    assert job["technician_id"] == other and job["pinned"]
    events = shop.api("GET", f"/events?entity=job&after={after}")
    assert any(e["action"] == "override" and e["entity_id"] == job_id and "customer asked" in e["reason"] for e in events)


def test_technician_starts_and_stops_for_approval_and_the_advisor_sees_it(context, shop):
    tech_page, advisor_page = context.new_page(), context.new_page()
    order = open_order(shop, "粤D16180")
    job = order["jobs"][0]
    techs = [t for t in shop.api("GET", "/technicians") if t["present"] and any(s["skill"] == "mechanical" for s in t["skills"])]
    tech = techs[0]["id"]
    shop.api("POST", "/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": tech, "reason": "test"})
    open_page(tech_page, shop, f"technician?id={tech}", 1280, 800)
    open_page(advisor_page, shop, "advisor?id=1", 1280, 800)
    tech_page.click(f"[data-job='{job['id']}'] [data-act='start']")
    tech_page.wait_for_selector(f"[data-job='{job['id']}'][data-stage='in_progress']", timeout=WAIT_MS)
    tech_page.click(f"[data-job='{job['id']}'] [data-act='stop']")
    tech_page.select_option("#stop-reason", "approval")
    tech_page.fill("#stop-note", "左前减震器漏油 front shock leaking")
    tech_page.click("#stop-ok")
    tech_page.wait_for_selector(f"[data-job='{job['id']}'][data-stage='stopped']", timeout=WAIT_MS)
    text_within(advisor_page, "#approvals", "front shock leaking")


def test_advisor_receives_a_customer_and_the_clock_stops(page, shop):
    booked = book_today(shop, "粤E42424", slot_after(shop, 60), advisor_id=1)
    open_page(page, shop, "advisor?id=1", 1280, 800)
    arrival = shop.api("POST", "/arrivals", {"appointment_id": booked["id"]})
    page.wait_for_selector(f"[data-receive='{arrival['id']}']", timeout=WAIT_MS)
    page.click(f"[data-receive='{arrival['id']}']")
    page.wait_for_selector(f"[data-receive='{arrival['id']}']", state="detached", timeout=WAIT_MS)
    assert next(a for a in shop.api("GET", "/arrivals") if a["id"] == arrival["id"])["received_at"] is not None


def test_pages_say_offline_when_the_server_dies_then_recover_to_a_fresh_snapshot(context, shop):
    pages = {name: context.new_page() for name in ("reception", "workshop")}
    for name, p in pages.items():
        open_page(p, shop, name)

    def offline() -> None:
        for p in pages.values():
            p.wait_for_function("document.getElementById('status').dataset.online === 'offline'", timeout=WAIT_MS)
            assert "离线" in p.inner_text("#status")

    shop.restart(offline)
    book_today(shop, "粤F90001", "16:00")
    new_job = open_order(shop, "粤F90002")["jobs"][0]["id"]
    for p in pages.values():  # back by itself: one backoff step, capped at 15 s (jittered to 22.5 s)
        p.wait_for_function("document.getElementById('status').dataset.online === 'online'", timeout=35_000)
    text_within(pages["reception"], "#col-today", "粤F90001", timeout=WAIT_MS)
    # The new job is on the board: drawn (a chip, or a suggestion on a row) and counted in the strip's title.
    waiting = len(shop.api("GET", "/jobs?stage=waiting_dispatch"))
    pages["workshop"].wait_for_function("([job, n]) => (document.querySelector(`[data-job='${job}']`) !== null || document.querySelector('.jpcb-foot > .more').dataset.more) && "
                                        "document.querySelector('#waiting-count .n').textContent === String(n)", arg=[new_job, waiting], timeout=WAIT_MS)
    state = "JSON.stringify(Object.entries(window.liveBoards.boards[%r].state).sort())"
    for name, board in (("reception", "appointments"), ("workshop", "jpcb")):
        fresh = context.new_page()
        open_page(fresh, shop, name)
        assert pages[name].evaluate(state % board) == fresh.evaluate(state % board), f"{name} differs from a fresh snapshot"
        assert never_reloaded(pages[name])
        fresh.close()


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160)], ids=["1080p", "4K"])
@pytest.mark.parametrize("name", WALL + CONSOLES)
def test_nothing_overflows_with_a_full_day(page, shop, name, size):
    open_page(page, shop, name, *size)
    # Measured once the page is drawn with its fonts and has nothing left to fetch (its polls are 20 s or more apart).
    page.wait_for_load_state("networkidle", timeout=WAIT_MS)
    page.evaluate("document.fonts.ready.then(() => new Promise((drawn) => requestAnimationFrame(() => requestAnimationFrame(drawn))))")
    width, height, inner_w, inner_h = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight, innerWidth, innerHeight]")
    assert width <= inner_w and height <= inner_h, f"{name} scrolls at {size}: {width}x{height}"
    # Every row shown on a wall display lies wholly inside its list: paged, not cut off.
    cut = page.evaluate("""() => [...document.querySelectorAll('.rows, .lanes, .lounge')].flatMap((list) => {
        const box = list.getBoundingClientRect();
        return [...list.children].filter((c) => !c.hidden).map((c) => c.getBoundingClientRect())
          .filter((r) => r.bottom > box.bottom + 1 || r.right > box.right + 1).map((r) => `${list.id}: ${r.bottom} > ${box.bottom}`);
    })""")
    if name in WALL:
        assert cut == [], cut
        assert page.evaluate("document.querySelectorAll('.rows > *, .lanes > *, .lounge > *').length") > 5, "a full day shows rows"


def test_english_on_request_chinese_by_default(page, shop):
    open_page(page, shop, "workshop")
    assert "车间进度看板" in page.inner_text(".bar .name")
    goto(page, shop, "workshop?lang=en")
    page.wait_for_function("document.getElementById('status').dataset.online === 'online'", timeout=WAIT_MS)
    header = page.inner_text(".bar")
    assert "Job progress board" in header and "车间" not in header
    text_within(page, "#summary", "In progress")  # drawn from the live board once it arrives
    assert "In progress" in page.inner_text("#summary") and "维修中" not in page.inner_text("#summary")


def test_an_unknown_shop_or_page_says_so(page, shop):
    response = page.goto(f"http://{shop.host}/shops/nowhere/reception")
    assert response.status == 404 and "No such shop" in page.inner_text("h1")
    response = page.goto(f"http://{shop.host}/shops/{CODE}/nothing")
    assert response.status == 404 and "No such page" in page.inner_text("h1")


def test_greeter_registers_a_walk_in_and_can_take_it_back(context, shop):
    greeter, reception = context.new_page(), context.new_page()
    open_page(reception, shop, "reception")
    open_page(greeter, shop, "greeter", 1280, 800)
    greeter.fill("#plate", "Q88888")
    greeter.click("#find")
    greeter.click("#walk-in", timeout=WAIT_MS)
    text_within(reception, "#col-arrivals", "粤Q88888")
    card = greeter.locator("#recent .item", has_text="粤Q88888")
    card.locator("button").click()
    greeter.fill("#undo-text", "看错车牌 misread plate")
    greeter.click("#undo-ok")
    reception.wait_for_function("!document.getElementById('col-arrivals').textContent.includes('粤Q88888')", timeout=WAIT_MS)


def test_foreman_drags_a_job_onto_the_suggested_technician(page, shop):
    order = open_order(shop, "粤G11235")
    job_id = order["jobs"][0]["id"]
    open_page(page, shop, "foreman")
    page.wait_for_selector(f"#queue [data-job='{job_id}'] [data-assign]", timeout=WAIT_MS)
    tech = next(r["technician_id"] for r in shop.api("GET", "/dispatch/plan")["plan"] if r["job_id"] == job_id)
    # Taken by its title line (the buttons below it are for clicking) onto his row of the plan.
    page.drag_and_drop(f"#queue [data-job='{job_id}']", f"#timeline .lane[data-tech='{tech}']", source_position={"x": 30, "y": 15})
    page.wait_for_selector(f"#queue [data-job='{job_id}']", state="detached", timeout=WAIT_MS)
    job = shop.api("GET", f"/jobs/{job_id}")
    assert job["technician_id"] == tech and not job["pinned"]


def test_rows_that_do_not_fit_rotate_in_pages(page, shop):
    open_page(page, shop, "reception?rotate=1")
    indicator = page.inner_text("[data-column=today] .pager")
    assert "第 1/" in indicator, indicator
    first = page.evaluate("document.querySelector('#col-today > :not([hidden])').dataset.id")
    page.wait_for_function("(id) => document.querySelector('#col-today > :not([hidden])').dataset.id !== id", arg=first, timeout=WAIT_MS)
    assert "第 2/" in page.inner_text("[data-column=today] .pager")


def test_daily_summary_page_shows_the_days_figures_in_both_languages(page, shop):
    figures = shop.api("GET", "/reports/day")
    goto(page, shop, "summary")
    tile = page.locator("[data-kpi=appointment_rate] .tile-value").inner_text()
    expected = "–" if figures["appointment_rate"] is None else f"{figures['appointment_rate'] * 100:.1f} %"
    assert tile == expected
    assert page.locator("[data-kpi=on_time_delivery] .tile-counts .n").inner_text() == f"{figures['on_time_orders']}/{figures['delivered_orders']}"
    assert page.locator("[data-kpi=on_time_delivery] .tile-counts .unit").inner_text() == "单 orders"  # orders, never beside jobs unsaid
    assert page.locator("#technicians tr").count() == len(figures["technicians"]) + 1
    assert "当日总结" in page.inner_text(".bar")
    with page.expect_download() as download:
        page.click("text=下载 CSV")
    assert download.value.suggested_filename.endswith(".csv")
    page.click("text=前一天")
    day = page.url.split("day=")[1][:10]
    yesterday = shop.api("GET", f"/reports/day?day={day}")
    assert page.inner_text(".bar .clock") == day and day == yesterday["day"]
    assert page.locator("[data-kpi=on_time_delivery] .tile-counts .n").inner_text() == f"{yesterday['on_time_orders']}/{yesterday['delivered_orders']}"
    assert "收工时" in page.inner_text(".bar") and "at close" in page.inner_text(".bar")  # a past day is a whole day
    goto(page, shop, "summary?lang=en")
    assert "Daily summary" in page.inner_text(".bar") and "当日总结" not in page.inner_text("body")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1920


def test_trend_page_draws_a_chart_per_kpi_and_leaves_the_day_not_over_out(page, shop):
    goto(page, shop, "trends")
    assert page.locator("svg.chart").count() == 9
    assert page.locator("svg.chart line.standard").count() == 8  # every KPI chart but arrivals: the shop's standard
    today = shop.api("GET", "/reports/day")
    yesterday = shop.api("GET", f"/reports/day?day={date.fromisoformat(today['day']) - timedelta(days=1)}")
    note = page.inner_text("#partial-left-out")
    assert today["day"] in note and f"the charts end on {yesterday['day']}" in note
    if yesterday["appointment_rate"] is not None:  # the last point is yesterday's whole day, not this morning's
        title = page.locator("[data-kpi=appointment_rate] circle title").last.text_content()
        assert title == f"{yesterday['day']}: {yesterday['appointment_rate'] * 100:.0f}%"
    assert all(today["day"] not in t for t in page.locator("svg.chart circle title").all_text_contents())


def test_the_summary_at_10_35_is_so_far_over_the_hours_gone_by_and_says_a_bad_figure_is_bad(page, shop):
    held = shop.clock.now()  # the demo plays on a few minutes past 10:30 until every stage has a car
    shop.clock.set(datetime.combine(held.astimezone(shop.settings.zone).date(), time(10, 35), tzinfo=shop.settings.zone))
    try:
        figures = shop.api("GET", "/reports/day")
        assert (figures["so_far"], figures["as_of"]) == (True, "10:35")
        assert 0 < figures["shift_hours"] < figures["shift_hours_full"]  # the hours gone by, not the whole day's
        goto(page, shop, "summary")
        bar = page.inner_text(".bar")
        assert "截至 10:35" in bar and "so far, at 10:35" in bar and "收工时" not in page.inner_text("body")
        utilisation = page.locator("[data-kpi=utilisation]")
        assert utilisation.locator(".tile-counts .n").inner_text() == f"{figures['clocked_hours']}/{figures['shift_hours']}"
        assert utilisation.locator(".tile-value").inner_text() == f"{figures['utilisation'] * 100:.1f} %"
        assert figures["utilisation"] == pytest.approx(figures["clocked_hours"] / figures["shift_hours"], abs=1e-3)
        assert f"{figures['shift_hours_full']}" in utilisation.inner_text()  # the whole day's shift said beside it
        on_time = page.locator("[data-kpi=on_time_delivery]")
        assert figures["on_time_delivery"] < 0.85, "the demo morning hands over most cars late"
        assert on_time.get_attribute("data-verdict") == "bad"
        verdict = on_time.locator(".tile-verdict")
        assert verdict.is_visible() and "✖ 不达标 bad" in verdict.inner_text() and "≥ 95" in verdict.inner_text()
        assert page.locator("[data-kpi=labour_hours_sold] .tile-value").inner_text() == f"{figures['labour_hours_sold']} h"
        # What the customers paid at hand-over (the delivery screen), never made up.
        assert figures["sales_amount"] and f"产值 {figures['sales_amount']} 元" in page.inner_text("[data-kpi=labour_hours_sold]")
    finally:
        shop.clock.set(held)


def test_follow_up_calls_from_the_day_after_delivery(page, shop):
    delivered = shop.api("GET", "/reports/day")["delivered_orders"]
    assert delivered >= 2, "the demo day hands over cars"
    shop.clock.advance(timedelta(days=1))  # within three days: due from the day after
    try:
        goto(page, shop, "follow-up")
        page.wait_for_selector("#due [data-order]", timeout=WAIT_MS)
        cards = page.locator("#due [data-order]")
        assert cards.count() >= 2
        first, second = cards.nth(0).get_attribute("data-order"), cards.nth(1).get_attribute("data-order")
        page.click(f"#due [data-order='{first}'] [data-outcome=satisfied]")
        page.wait_for_selector(f"#due [data-order='{first}']", state="detached", timeout=WAIT_MS)
        page.click(f"#due [data-order='{second}'] [data-outcome=complaint]")
        page.fill("#complaint-text", "等车太久 waited too long")
        page.click("#complaint-ok")
        page.wait_for_selector("#complaints [data-complaint]", timeout=WAIT_MS)
        assert "50.0 %" in page.inner_text("#complaint-rate") and "bad" in page.get_attribute("#complaint-rate", "class")
        page.click("#complaints [data-close]")
        page.fill("#resolution-text", "致歉并赠送保养 apologised, free service")
        page.click("#resolution-ok")
        page.wait_for_selector("#complaints [data-complaint]", state="detached", timeout=WAIT_MS)
    finally:
        shop.clock.advance(-timedelta(days=1))


def test_a_technician_signs_in_with_the_form_sees_only_his_jobs_and_signs_out(page, shop):
    page.goto(shop.url("technician"))
    page.wait_for_selector("main.login form", timeout=WAIT_MS)  # sent to sign in first, and back afterwards
    assert "登录" in page.inner_text("h1") and "Sign in" in page.inner_text("h1")
    page.fill("input[name=username]", "tech1")
    page.fill("input[name=password]", "wrong password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.inner_text("#login-error")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(shop.url("technician"), timeout=WAIT_MS)
    page.wait_for_function("document.getElementById('status').dataset.online === 'online'", timeout=WAIT_MS)
    people = page.evaluate("JSON.parse(document.getElementById('boot').textContent).people")
    assert len(people) == 1 and people[0]["id"] == 1  # tech1 is the first technician: his page, not a chooser of all
    assert f"{people[0]['name']} (tech1)" in page.inner_text("form.signout")  # who is signed in, as the event log names him
    response = page.goto(shop.url("foreman"))
    assert response.status == 403 and "无权" in page.inner_text("h1")
    page.goto(shop.url("technician"))
    page.click("form.signout button")
    page.wait_for_url(f"http://{shop.host}/login", timeout=WAIT_MS)
    assert page.goto(shop.url("technician")).url.startswith(f"http://{shop.host}/login?next=")


def test_a_kiosk_link_needs_no_sign_in_is_masked_and_goes_dark_when_revoked(page, shop):
    page.goto(f"http://{shop.host}{shop.kiosks['reception']}")  # no cookie in this context: the token alone
    page.wait_for_function("document.getElementById('status').dataset.online === 'online'", timeout=WAIT_MS)
    booked = book_today(shop, "粤A66123", at="16:30")
    text_within(page, "#col-today", "粤A·6***3")
    text_within(page, "#col-today", "王先生")  # surname and title, on whichever page of the column it is
    assert "粤A66123" not in page.content() and "王伟" not in page.content()
    token_id = next(d["id"] for d in shop.api("GET", "/tokens")["displays"] if d["board"] == "reception" and not d["revoked_at"])
    shop.api("POST", f"/tokens/{token_id}/revoke")
    try:
        page.wait_for_function("document.getElementById('status').dataset.online === 'refused'", timeout=WAIT_MS)
        assert "未授权" in page.inner_text("#status")
    finally:
        shop.api("POST", f"/appointments/{booked['id']}/cancel", {"version": booked["version"]})


def sign_in_with_the_form(browser: Any, shop: Shop, username: str) -> Any:
    """A fresh browser (no cookie), signed in through the login form as a person does; returns the page it lands on."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.goto(f"http://{shop.host}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"http://{shop.host}/shops/{CODE}/**", timeout=WAIT_MS)
    return page


def test_the_technicians_card_reads_on_a_phone(browser, shop):
    """At 390x844, in his hand at the car: no sideways scrolling, the work in type he can read, buttons a gloved finger hits."""
    tech_id = 4
    order = shop.api("POST", "/repair-orders", {
        "plate": "粤AD20261", "model": "bZ4X", "customer_name": "林静", "title": "女士", "phone": "13900139001", "advisor_id": 1,
        "promised_at": (shop.clock.now() + timedelta(hours=4)).isoformat(), "note": "客户说：起步时底盘异响",
        "jobs": [{"operation": "检查底盘异响", "skill": "mechanical", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}]})
    job = order["jobs"][0]
    shop.api("POST", "/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": tech_id, "reason": "test"})
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", bypass_csp=True, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"http://{shop.host}/login")
        page.fill("input[name=username]", f"tech{tech_id}")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        card = f"#jobs [data-job='{job['id']}']"
        page.wait_for_selector(f"{card} .work-card .ev-warning", timeout=WAIT_MS)  # a green plate: high voltage, said first
        seen = page.evaluate("""(card) => ({ wide: document.documentElement.scrollWidth,
            fonts: [...document.querySelectorAll(`${card} .work-card, ${card} .operations li, ${card} .line b`)].map((n) => parseFloat(getComputedStyle(n).fontSize)),
            buttons: [...document.querySelectorAll(`${card} button.big`)].map((b) => b.getBoundingClientRect().height) })""", card)
        assert seen["wide"] <= 390, "the page scrolls sideways on a phone"
        assert seen["fonts"] and min(seen["fonts"]) >= 15, seen["fonts"]
        assert seen["buttons"] and min(seen["buttons"]) >= 44, seen["buttons"]
    finally:
        context.close()


def test_each_person_signs_in_and_lands_on_their_own_work_with_no_id(browser, shop):
    tech_id = 3
    tech_name = next(t["name"] for t in shop.api("GET", "/technicians") if t["id"] == tech_id)
    order = open_order(shop, "粤D13131")
    job = order["jobs"][0]
    shop.api("POST", "/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": tech_id, "reason": "test"})

    tech = sign_in_with_the_form(browser, shop, f"tech{tech_id}")
    assert tech.url == shop.url("technician")  # no ?id=: the signed-in technician's own page
    tech.wait_for_selector(f"[data-job='{job['id']}'] [data-act='start']", timeout=WAIT_MS)
    assert tech_name in tech.inner_text("h2")
    tech.click(f"[data-job='{job['id']}'] [data-act='start']")
    tech.wait_for_selector(f"[data-job='{job['id']}'][data-stage='in_progress']", timeout=WAIT_MS)
    assert shop.api("GET", f"/jobs/{job['id']}")["stage"]["value"] == "in_progress"
    tech.context.close()

    today = shop.clock.now().astimezone(shop.settings.zone).date().isoformat()
    advisor_id = 2
    before = next(a for a in shop.api("GET", f"/reports/day?day={today}")["advisors"] if a["id"] == advisor_id)["received"]
    booked = book_today(shop, "粤E52525", slot_after(shop, 60), advisor_id=advisor_id)
    arrival = shop.api("POST", "/arrivals", {"appointment_id": booked["id"]})
    advisor = sign_in_with_the_form(browser, shop, f"advisor{advisor_id}")
    assert advisor.url == shop.url("advisor")
    advisor.wait_for_selector(f"[data-receive='{arrival['id']}']", timeout=WAIT_MS)
    advisor.click(f"[data-receive='{arrival['id']}']")
    advisor.wait_for_selector(f"[data-receive='{arrival['id']}']", state="detached", timeout=WAIT_MS)
    received = next(a for a in shop.api("GET", "/arrivals") if a["id"] == arrival["id"])
    assert received["received_by"] == advisor_id  # credited to her, though the page never named her
    after = next(a for a in shop.api("GET", f"/reports/day?day={today}")["advisors"] if a["id"] == advisor_id)["received"]
    assert after == before + 1
    advisor.context.close()

    for username, page_name in (("foreman", "foreman"), ("greeter", "greeter")):
        landed = sign_in_with_the_form(browser, shop, username)
        assert landed.url == shop.url(page_name)
        landed.wait_for_function("document.getElementById('status').dataset.online === 'online'", timeout=WAIT_MS)
        landed.context.close()


@pytest.mark.parametrize("username, landing, pages", [
    ("advisor1", "advisor", ["booking", "order", "delivery", "follow-up", "workshop", "summary"]),
    ("foreman", "foreman", ["workshop", "parts", "qc", "wash", "summary", "trends"]),
    ("wash", "wash", ["workshop"]),
    ("inspector", "qc", ["workshop", "summary"]),
    ("parts", "parts", ["workshop"]),
    ("tech2", "technician", ["workshop"]),
    ("greeter", "greeter", ["reception", "welcome"]),
])
def test_each_role_reaches_its_pages_by_clicks_from_where_it_lands(browser, shop, username, landing, pages):
    """Issue 25: nobody should need the README's addresses. Signed in through the form, each person
    lands on his page and clicks through the bar to each page his work uses; the start page lists them."""
    page = sign_in_with_the_form(browser, shop, username)
    try:
        assert page.url == shop.url(landing)
        assert page.get_attribute("#pages-nav [aria-current='page']", "data-page") == landing
        for name in pages:
            page.click(f"#pages-nav a[data-page='{name}']")
            page.wait_for_url(shop.url(name), timeout=WAIT_MS)
            assert page.locator("#error-title").count() == 0, name  # the page itself, not a refusal or an error
            page.go_back()
            page.wait_for_url(shop.url(landing), timeout=WAIT_MS)
        # The start page: his own pages first, under his role.
        page.click("#pages-nav a[data-page='index']")
        page.wait_for_url(f"http://{shop.host}/", timeout=WAIT_MS)
        mine = page.eval_on_selector("ul.pages", "(ul) => [...ul.querySelectorAll('a')].map((a) => a.dataset.page)")
        assert mine[0] == landing and set(pages) <= set(mine)
    finally:
        page.context.close()


def test_the_demo_calls_its_customers_by_the_title_their_names_call_for(shop):
    """马芳 and 胡娟 were 先生 on the demo's welcome board."""
    from board.demo.shop_data import FEMALE_GIVEN
    day = shop.clock.now().date()
    booked = [a for d in (day - timedelta(days=1), day, day + timedelta(days=1)) for a in shop.api("GET", f"/appointments?day={d}")]
    assert len(booked) > 20
    for a in booked:
        name, title = a["customer"]["name"], a["customer"]["title"]
        assert title == ("女士" if any(name.endswith(g) for g in FEMALE_GIVEN) else "先生"), (name, title)


def test_a_save_the_server_cannot_take_now_is_retried_and_what_was_typed_is_kept(page, shop):
    """The database is away for a moment (the server answers 503 with Retry-After, as tests/integration/
    test_database_faults.py shows it does): the page says so, keeps the technician's words, and saves them."""
    order = open_order(shop, "粤D17171")
    job = order["jobs"][0]
    techs = [t for t in shop.api("GET", "/technicians") if t["present"] and any(s["skill"] == "mechanical" for s in t["skills"])]
    tech = techs[-1]["id"]
    shop.api("POST", "/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": tech, "reason": "test"})
    job = shop.api("POST", f"/jobs/{job['id']}/clock-on", {"version": shop.api("GET", f"/jobs/{job['id']}")["version"]})
    open_page(page, shop, f"technician?id={tech}", 1280, 800)
    refused = []

    def unavailable_once(route: Any) -> None:
        if not refused:
            refused.append(route.request.post_data)
            route.fulfill(status=503, headers={"Retry-After": "1", "Content-Type": "application/json"},
                          body='{"error":{"code":"unavailable","message":"Can\'t save right now","message_zh":"暂时无法保存"}}')
        else:
            route.continue_()

    page.route("**/clock-off", unavailable_once)
    page.click(f"[data-job='{job['id']}'] [data-act='stop']")
    page.select_option("#stop-reason", "parts")
    page.fill("#stop-note", "等左前刹车片 waiting for front pads")
    page.click("#stop-ok")
    text_within(page, "#toasts", "正在重试", timeout=WAIT_MS)
    page.wait_for_selector(f"[data-job='{job['id']}'][data-stage='stopped']", timeout=15_000)
    assert "front pads" in (refused[0] or "")
    assert shop.api("GET", f"/jobs/{job['id']}")["stop_note"] == "等左前刹车片 waiting for front pads"


OVERLAPS = """() => {
  // Every row shown at once (the pager hides some between its turns), then every pair of blocks on a row.
  const lanes = [...document.querySelectorAll('#lanes .lane')];
  const hidden = lanes.filter((l) => l.hidden);
  hidden.forEach((l) => { l.hidden = false; });
  const found = [];
  let blocks = 0;
  for (const lane of lanes) {
    const boxes = [...lane.querySelectorAll('.block')].map((b) => [b.dataset.job, b.getBoundingClientRect()]);
    blocks += boxes.length;
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, ra] = boxes[i], [b, rb] = boxes[j];
      const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left), y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (x > 1 && y > 1) found.push(`tech ${lane.dataset.tech}: jobs ${a} and ${b}`);
    }
  }
  hidden.forEach((l) => { l.hidden = true; });
  return { found, blocks };
}"""


JPCB_SEEN = """([width, height]) => {
  const box = (n) => n.getBoundingClientRect();
  const inside = (n) => { const r = box(n); return r.width > 0 && r.top >= -1 && r.left >= -1 && r.bottom <= height + 1 && r.right <= width + 1; };
  const seen = (sel) => [...document.querySelectorAll(sel)].filter(inside);
  const px = (sel) => [...document.querySelectorAll(sel)].map((n) => parseFloat(getComputedStyle(n).fontSize));
  // Each count in the header against the cars a person can find on the screen, and the "+N" beside them.
  const counts = {};
  for (const c of document.querySelectorAll('#summary .count[data-stage]')) {
    const stage = c.dataset.stage;
    const jobs = new Set(seen(`[data-stage='${stage}'][data-job]`).map((n) => n.dataset.job));
    const more = [...document.querySelectorAll(`[data-lane='${stage}'] h2 .more`)].reduce((n, m) => n + Number(m.dataset.more || 0), 0);
    counts[stage] = { said: Number(c.querySelector('b').textContent), shown: jobs.size, more };
  }
  const waiting = { said: Number(document.querySelector('#waiting-count .n').textContent),
                    shown: seen('#waiting [data-job]').length, more: Number(document.querySelector('.jpcb-foot > .more').dataset.more || 0) };
  // Blocks keep to the clock: every block as wide as its minutes on the axis.
  const track = document.querySelector('#lanes .track');
  const ticks = [...document.querySelectorAll('.axis .tick')].map(box);
  const perMinute = (ticks.at(-1).left - ticks[0].left + (ticks.at(-1).width - ticks[0].width) / 2) / ((ticks.length - 1) * 60);
  const widths = [...document.querySelectorAll('#lanes .block')].map((b) => ({ job: b.dataset.job, minutes: Number(b.dataset.minutes), width: box(b).width }));
  // Labels of one sub-row never on top of each other.
  const clashes = [];
  for (const lane of document.querySelectorAll('#lanes .lane')) {
    const labels = [...lane.querySelectorAll('.block:not(.unlabelled)')].map((b) => [b.dataset.row, b.dataset.job, box(b.querySelector('.plate'))]);
    for (const [i, [row, a, ra]] of labels.entries()) for (const [rowB, b, rb] of labels.slice(i + 1)) {
      if (row === rowB && Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left) > 1) clashes.push(`${a}/${b}`);
    }
  }
  return { lanes: document.querySelectorAll('#lanes .lane').length, lanesSeen: seen('#lanes .lane').length,
           bays: document.querySelectorAll('#bays [data-bay]').length, baysSeen: seen('#bays [data-bay]').length,
           platesSeen: seen('#lanes .block:not(.unlabelled) .plate').length, plates: document.querySelectorAll('#lanes .block').length,
           unlabelled: document.querySelectorAll('#lanes .block.unlabelled').length,
           rowMore: [...document.querySelectorAll('#lanes .row-more')].reduce((n, m) => n + Number(m.dataset.more), 0),
           platePx: px('#lanes .block .plate'), whyPx: px('#lanes .block .why'), bayPlatePx: px('#bays .plate'),
           pager: document.querySelector('.pager') !== null, counts,
           cutPlates: [...document.querySelectorAll('#bays .plate, .jpcb-side .plate')].filter((n) => n.scrollWidth > n.clientWidth + 1).map((n) => n.textContent), waiting, perMinute, widths, clashes,
           texts: [...document.querySelectorAll('#lanes .block .plate, #bays .plate, #waiting .plate')].map((n) => n.textContent) };
}"""


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160)], ids=["1080p", "4K"])
def test_the_workshop_tv_shows_every_technician_and_bay_on_one_screen_with_full_plates(browser, shop, size):
    # Issue 25: 4-5 of 12 technicians per page, the ready lane below the edge, an 18-minute job drawn
    # two hours wide, plates masked on a staff board. Opened as the wall TV opens it: its kiosk link.
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"http://{shop.host}{shop.kiosks['workshop']}")
        techs, bays = shop.api("GET", "/technicians"), shop.api("GET", "/bays")
        page.wait_for_function("([t, b]) => document.querySelectorAll('#lanes .lane').length === t && "
                               "document.querySelectorAll('#bays [data-bay]').length === b && "
                               "document.querySelectorAll('#lanes .block').length >= 10", arg=[len(techs), len(bays)], timeout=WAIT_MS)
        seen = page.evaluate(JPCB_SEEN, [width, height])
        scale = width / 1920
        assert (seen["lanesSeen"], seen["baysSeen"]) == (len(techs), len(bays)), "every technician's row and every bay on the one screen"
        assert not seen["pager"], "no pages"
        assert seen["cutPlates"] == [], "a plate cut short in the bays or the lists"
        # Every block's plate on the screen, or counted "+N" at the end of its row (the day's last minutes).
        assert seen["platesSeen"] + seen["unlabelled"] == seen["plates"] >= 10 and seen["unlabelled"] <= 3, seen["unlabelled"]
        assert seen["rowMore"] >= seen["unlabelled"]
        # Readable across the shop: plate and stage lines at least 28 px on 1080p, twice that on 4K; the bays' plates 24 px.
        assert min(seen["platePx"] + seen["whyPx"]) >= 28 * scale - 0.5 and min(seen["bayPlatePx"]) >= 24 * scale - 0.5
        # Each count in the header has its cars on the screen, or says how many more.
        for stage, c in seen["counts"].items():
            assert c["shown"] + c["more"] >= c["said"], (stage, c)
        w = seen["waiting"]
        assert w["shown"] + w["more"] == w["said"], w
        # Blocks keep to the clock: a 20-minute job is a third of an hour wide, a 2-hour one two hours
        # (give or take its border: 0.2 rem a side).
        for b in seen["widths"]:
            assert abs(b["width"] - b["minutes"] * seen["perMinute"]) <= 10 * scale + 1, b
        assert seen["clashes"] == [], "two plates drawn on top of each other"
        result = page.evaluate(OVERLAPS)
        assert result["blocks"] >= 10 and result["found"] == [], result
        # The staff's board: full plates (which car to fetch), never 粤S·0***0.
        assert seen["texts"] and not any("*" in text for text in seen["texts"]), seen["texts"]
    finally:
        context.close()


def test_the_plan_is_drawn_right_of_the_now_line_and_moves_when_the_plan_changes(page, shop):
    order = open_order(shop, "粤C27182", hours=1.0)
    job_id = order["jobs"][0]["id"]
    open_page(page, shop, "workshop")
    block = f"#lanes .block[data-job='{job_id}'][data-kind='suggested']"
    page.wait_for_selector(block, state="attached", timeout=WAIT_MS)
    lane = page.eval_on_selector(block, "(b) => b.closest('.lane').dataset.tech")

    def left_of_now() -> float:
        return float(page.eval_on_selector(block, """(b) => b.getBoundingClientRect().left
            - b.closest('.track').querySelector('.nowline').getBoundingClientRect().left"""))
    page.evaluate("document.querySelectorAll('#lanes .lane').forEach((l) => { l.hidden = false; })")
    assert left_of_now() >= -1  # planned work never drawn in the past
    # The plan changes: that technician is called away; his suggestion moves to someone else's row.
    tech = next(t for t in shop.api("GET", "/technicians") if t["id"] == int(lane))
    shop.api("PATCH", f"/technicians/{tech['id']}", {"version": tech["version"], "present": False})
    try:
        page.wait_for_function("([job, tech]) => { const b = document.querySelector(`#lanes .block[data-job='${job}']`); "
                               "return b && b.closest('.lane').dataset.tech !== tech; }", arg=[job_id, lane], timeout=WAIT_MS)
    finally:
        tech = next(t for t in shop.api("GET", "/technicians") if t["id"] == int(lane))
        shop.api("PATCH", f"/technicians/{tech['id']}", {"version": tech["version"], "present": True})


def test_a_job_sent_to_quality_check_leaves_the_technicians_row_for_its_lane(page, shop):
    job = next(j for j in shop.api("GET", "/jobs?stage=in_progress"))
    open_page(page, shop, "workshop")
    page.wait_for_selector(f"#lanes .block[data-job='{job['id']}']", state="attached", timeout=WAIT_MS)
    self_check(shop, job["id"])
    page.wait_for_selector(f"#lanes .block[data-job='{job['id']}']", state="detached", timeout=WAIT_MS)
    page.wait_for_selector(f"[data-lane='quality_check'] [data-job='{job['id']}']", timeout=WAIT_MS)
    assert never_reloaded(page)


def test_the_lounge_shows_a_waiting_guests_car_stage_and_ready_time_and_says_when_it_is_ready(page, shop):
    booked = book_today(shop, "粤E80808", at=slot_after(shop, 90), advisor_id=1)
    shop.api("POST", "/arrivals", {"appointment_id": booked["id"]})
    order = shop.api("POST", "/repair-orders", {
        "appointment_id": booked["id"], "advisor_id": 1, "customer_waiting": True,
        "promised_at": (shop.clock.now() + timedelta(hours=3)).isoformat(),
        "jobs": [{"operation": "快速保养", "skill": "maintenance", "level": 1, "est_hours": 0.5, "bay_kind": "quick_service"}]})
    job = order["jobs"][0]
    open_page(page, shop, "welcome")
    card = f"[data-guest='a{booked['id']}']"
    page.wait_for_selector(card, timeout=WAIT_MS)
    text_within(page, card, "预计")  # its ready time, once the planning loop has the new car in its plan
    text = page.inner_text(card)
    assert "王先生" in text and "粤E·8***8" in text and "80808" not in text  # masked as ever
    assert page.get_attribute(f"{card} .step.now", "data-step") == "received" and "可取车" in text
    techs = [t for t in shop.api("GET", "/technicians") if t["present"] and any(s["skill"] == "maintenance" for s in t["skills"])]
    job = shop.api("POST", f"/jobs/{job['id']}/transitions", {"action": "dispatch", "version": job["version"], "technician_id": techs[0]["id"]})
    shop.api("POST", f"/jobs/{job['id']}/clock-on", {"version": job["version"]})
    self_check(shop, job["id"])
    page.wait_for_selector(f"{card} .step.now[data-step='quality_check']", timeout=WAIT_MS)
    job = pass_check(shop, job["id"])
    shop.api("POST", f"/repair-orders/{order['id']}/wash-done", {"versions": {str(job["id"]): job["version"]}})
    page.wait_for_selector(f"{card}.ready", timeout=WAIT_MS)
    assert "可取车" in page.inner_text(f"{card} .when") and "粤E·8***8" in page.inner_text("#hero")


def test_after_the_mornings_changes_still_one_car_one_bay_and_one_job_a_man(shop):
    # Every test above changed the shop (arrivals, accepts, overrides, starts, stops, restarts).
    floor = floor_now(shop)
    assert floor.cars_planned >= 5
    assert floor.problems == []
