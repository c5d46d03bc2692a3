"""The booking console and the parts desk in real Chromium, on the demo shop's day: the advisor finds
a car by its plate and books it into a free time, and it appears on the reception board; a car due
for maintenance is booked from the call list as an outbound reminder; the day-three follow-up call
books the next visit; the parts desk orders a part with its arrival time and the foreman's console
shows it, the dispatcher planning the job from then."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select

from board import commands
from board.app import create_app
from board.clock import FixedClock
from board.context import Ctx
from board.db.models import Advisor, ServiceMenu, Shop, Technician
from board.db.session import Database
from board.demo import run as demo
from board.demo.accounts import DEMO_PASSWORD
from board.domain.vocab import BayKind, ServiceType, Skill
from board.services import repair_orders
from board.settings import Settings
from tests.e2e.conftest import API_WAIT_S, WAIT_MS
from tests.seeding import delivered
from tests.servers import serve_in_thread

CODE = "gz-demo"
MENU_PARTS = [{"part_no": "90915-YZZD2", "name": "机油滤清器 Oil filter", "qty": 1, "unit_price": 68},
              {"part_no": "08880-83717", "name": "机油 0W-20 4L", "qty": 1, "unit_price": 420}]


def seed_console(db: Database, settings: Settings, clock: FixedClock) -> dict[str, str]:
    """What the demo day lacks for these screens: the shop's service menus, and two customers who
    came months ago (one due for maintenance now, one not). Returns their plates."""
    now = clock.now()
    with db.transaction(write=True) as session:
        shop = session.scalars(select(Shop).where(Shop.code == CODE)).one()
        job = {"operation": "10000公里保养", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}
        # These tests' own two menus (the demo's menus of the same code are replaced by them).
        for menu in (dict(code="M10K", name="10000公里保养", service_type=ServiceType.MAINTENANCE, interval_months=6,
                          interval_km=10000, jobs=[job], parts=MENU_PARTS),
                     dict(code="Q5K", name="5000公里快保", service_type=ServiceType.QUICK, interval_months=3,
                          interval_km=5000, jobs=[job | {"operation": "5000公里快保", "est_hours": 0.5, "bay_kind": "quick_service"}],
                          parts=MENU_PARTS[:1])):
            session.execute(delete(ServiceMenu).where(ServiceMenu.shop_id == shop.id, ServiceMenu.code == menu["code"]))
            session.add(ServiceMenu(shop_id=shop.id, **menu))
    plates = {"due": "粤A·DUE01", "known": "粤B·Q7788"}
    for plate, months in ((plates["due"], 7), (plates["known"], 2)):
        when = (now - timedelta(days=30 * months)).replace(hour=2, minute=0)  # 10:00 shop time
        with db.transaction(write=True) as session:
            shop = session.scalars(select(Shop).where(Shop.code == CODE)).one()
            ctx = Ctx(session, shop, when, "demo", settings)
            advisor = session.scalars(select(Advisor).where(Advisor.shop_id == shop.id).order_by(Advisor.id)).first()
            tech = session.scalars(select(Technician).where(Technician.shop_id == shop.id).order_by(Technician.id)).first()
            assert advisor is not None and tech is not None
            ro = repair_orders.open_order(ctx, commands.RepairOrderIn(
                plate=plate, model="凯美瑞 Camry", customer_name="周杰" if months == 7 else "吴敏", title="先生",
                phone="13712345678" if months == 7 else "13598765432", advisor_id=advisor.id, promised_at=when + timedelta(hours=4),
                # On the alignment bay: the floor is today's (every lift holds a car at 10:30), the visit months old.
                jobs=[commands.JobIn(operation="定期保养 Periodic maintenance", skill=Skill.MAINTENANCE, est_hours=1.0, bay_kind=BayKind.ALIGNMENT)]))
            delivered(ctx, ro, tech.id)
    return plates


@dataclass
class Demo:
    host: str
    clock: FixedClock
    settings: Settings
    plates: dict[str, str]
    sessions: dict[str, dict[str, str]]

    def url(self, page: str) -> str:
        return f"http://{self.host}/shops/{CODE}/{page}"

    def session(self, username: str) -> dict[str, str]:
        if username not in self.sessions:
            response = httpx.post(f"http://{self.host}/api/session", json={"username": username, "password": DEMO_PASSWORD}, timeout=API_WAIT_S)
            assert response.status_code == 200, response.text
            self.sessions[username] = {"cookie": response.cookies["board_session"], "csrf": response.json()["csrf_token"]}
        return self.sessions[username]

    def api(self, method: str, path: str, body: Any = None, as_: str = "admin") -> Any:
        s = self.session(as_)
        response = httpx.request(method, f"http://{self.host}/api/shops/{CODE}{path}", json=body, timeout=API_WAIT_S,
                                 headers={"Cookie": f"board_session={s['cookie']}", "X-CSRF-Token": s["csrf"]})
        assert response.is_success, response.text
        return response.json()

    def today(self) -> str:
        return self.clock.now().astimezone(self.settings.zone).date().isoformat()


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo shop's day, played to 10:30 and held still, with menus and two customers of months ago."""
    folder: Path = tmp_path_factory.mktemp("demo") / "shop"
    settings, db, clock, _sim, _kiosks = demo.prepare(Settings(heartbeat_s=1), folder, time(10, 30))
    settings = settings.with_(scheduler_interval_s=3600.0)
    plates = seed_console(db, settings, clock)
    with serve_in_thread(create_app(settings, clock, db)) as host:
        yield Demo(host, clock, settings, plates, {})


class People:
    """A browser context per person, each signed in as himself."""

    def __init__(self, browser: Any, shop: Demo) -> None:
        self.browser, self.shop = browser, shop
        self.contexts: dict[str, Any] = {}

    def open(self, username: str, page_name: str, width: int = 1920, height: int = 1080) -> Any:
        """A page of ``username``'s, once it is live."""
        if username not in self.contexts:
            context = self.browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                               bypass_csp=True)  # waits use eval(); the CSP is proven in test_security_pages.py
            context.add_cookies([{"name": "board_session", "value": self.shop.session(username)["cookie"], "url": f"http://{self.shop.host}"}])
            self.contexts[username] = context
        page = self.contexts[username].new_page()
        page.on("console", lambda m: print(f"[{page_name} {m.type}] {m.text}"))
        page.on("pageerror", lambda e: print(f"[{page_name} error] {e}"))
        page.set_viewport_size({"width": width, "height": height})
        page.goto(self.shop.url(page_name))
        if page_name.startswith("follow-up"):
            page.wait_for_selector("#due > *", timeout=WAIT_MS)
        else:
            page.wait_for_function("document.getElementById('status').dataset.online === 'online'", timeout=WAIT_MS)
        return page


@pytest.fixture
def people(browser: Any, shop: Demo) -> Iterator[People]:
    crowd = People(browser, shop)
    try:
        yield crowd
    finally:
        for context in crowd.contexts.values():
            context.close()


def text_within(page: Any, selector: str, text: str, timeout: float = WAIT_MS) -> None:
    page.wait_for_function("([s, t]) => [...document.querySelectorAll(s)].some((n) => n.textContent.includes(t))", arg=[selector, text], timeout=timeout)


def parts_desk_orders_pads(parts: Any, job_id: int, eta: datetime) -> str:
    """On the parts desk: add the front pads a job needs and order them, due at ``eta``. Returns the job's item."""
    item = f"#jobs [data-job='{job_id}']"
    parts.click("#todo")  # show all: this job has no parts yet
    parts.wait_for_selector(item, timeout=WAIT_MS)
    parts.click(f"{item} .add-open")
    parts.fill(f"{item} .part-no", "04465-33471")
    parts.fill(f"{item} .part-name", "前刹车片 Front pads")
    parts.click(f"{item} form.add button")
    parts.click(f"{item} [data-status='needed'] [data-order]", timeout=WAIT_MS)
    parts.fill("#order-date", eta.date().isoformat())
    parts.fill("#order-time", eta.strftime("%H:%M"))
    parts.click("#order-ok")
    parts.wait_for_selector(f"{item} [data-status='ordered']", timeout=WAIT_MS)
    return item


def free_slot(page: Any) -> str:
    """The first time of the chosen day that still takes a car, as the advisor sees it."""
    page.wait_for_selector("#slots [data-slot]", timeout=WAIT_MS)
    slot = page.locator("#slots [data-slot]:not(.full)").first
    chosen: str = slot.get_attribute("data-slot")
    slot.click()
    return chosen


def test_the_advisor_finds_a_car_by_its_plate_books_a_free_time_and_reception_shows_it(people, shop):
    reception = people.open("advisor1", "reception")
    booking = people.open("advisor1", "booking", 1280, 800)  # the front desk's tablet
    booking.fill("#q", "q7788")
    booking.click("#find")
    text_within(booking, "#car .car-card", shop.plates["known"])  # one car found: chosen at once, with its history
    text_within(booking, "#car", "定期保养 Periodic maintenance")
    booking.click("#services [data-service='quick']")
    booking.click("#menus [data-menu='Q5K']")
    tomorrow = (datetime.fromisoformat(shop.today()) + timedelta(days=1)).date().isoformat()
    booking.click(f"#days [data-day='{tomorrow}']")
    at = free_slot(booking)
    booking.click("#confirm")
    booking.wait_for_selector("#result [data-booked]", timeout=WAIT_MS)
    appt_id = int(booking.get_attribute("#result [data-booked]", "data-booked"))
    made = shop.api("GET", f"/appointments/{appt_id}")
    assert (made["plate"], made["day"], made["slot_start"], made["service_type"]["value"]) == (shop.plates["known"], tomorrow, at, "quick")
    assert made["note"] == "5000公里快保" and made["advisor"]["name"] == "陈静"  # advisor1 books as herself
    # Booked the day before: on the reception board's first column, without a reload.
    reception.wait_for_selector(f"#col-day_before [data-id='{appt_id}']", state="attached", timeout=WAIT_MS)
    text_within(booking, "#car", f"{tomorrow[5:]} {at}")  # the car's history now holds the booking
    assert reception.evaluate("performance.getEntriesByType('navigation').length") == 1


def test_a_full_time_offers_the_nearest_free_ones_as_buttons(people, shop):
    booking = people.open("advisor2", "booking")
    booking.fill("#q", "粤B Q7788")
    booking.click("#find")
    text_within(booking, "#car .car-card", shop.plates["known"])
    booking.click("#services [data-service='repair']")
    # Another advisor books tomorrow: what that time can still take goes down on this screen at once.
    tomorrow = (datetime.fromisoformat(shop.today()) + timedelta(days=1)).date().isoformat()
    booking.click(f"#days [data-day='{tomorrow}']")
    free_at = next(s for s in shop.api("GET", f"/booking/slots?service_type=repair&first={tomorrow}&days=1")[0]["slots"] if s["free"] > 0)
    slot_button = f"#slots [data-slot='{free_at['slot_start']}']"
    booking.wait_for_selector(slot_button, timeout=WAIT_MS)
    before = booking.get_attribute(slot_button, "data-free")
    shop.api("POST", "/appointments", {"day": tomorrow, "slot_start": free_at["slot_start"], "plate": "粤E·LIVE1", "model": "雷凌 Levin",
                                        "customer_name": "林峰", "phone": "13700000001", "service_type": "repair"})
    booking.wait_for_function("([s, was]) => document.querySelector(s).dataset.free !== was", arg=[slot_button, before], timeout=WAIT_MS)
    assert int(booking.get_attribute(slot_button, "data-free")) < int(before)
    later = (datetime.fromisoformat(shop.today()) + timedelta(days=2)).date().isoformat()  # the car is booked for tomorrow already
    booking.click(f"#days [data-day='{later}']")
    # Other advisors fill one time of that day meanwhile; then the customer asks for it.
    slots = shop.api("GET", f"/booking/slots?service_type=repair&first={later}&days=1")[0]["slots"]
    target = next(s for s in slots if s["free"] > 0)
    for n in range(target["free"]):  # a booking may take more than one place: the workshop's hours go too
        now_free = next(s["free"] for s in shop.api("GET", f"/booking/slots?service_type=repair&first={later}&days=1")[0]["slots"]
                        if s["slot_start"] == target["slot_start"])
        if not now_free:
            break
        body = {"day": later, "slot_start": target["slot_start"], "plate": f"粤E·F{n:04d}", "model": "雷凌 Levin", "customer_name": f"测试{n}",
                "phone": "13700000000", "service_type": "repair"}
        shop.api("POST", "/appointments", body)
    booking.click(f"#slots [data-slot='{target['slot_start']}']")  # still free on this screen, or just shown full: either way asked for
    booking.click("#confirm")
    booking.wait_for_selector("#alternatives [data-alt]", timeout=WAIT_MS)
    first = booking.locator("#alternatives [data-alt]").first
    day, at = first.get_attribute("data-alt").split(" ")
    first.click()
    booking.wait_for_selector("#result [data-booked]", timeout=WAIT_MS)
    made = shop.api("GET", f"/appointments/{booking.get_attribute('#result [data-booked]', 'data-booked')}")
    assert (made["day"], made["slot_start"], made["plate"]) == (day, at, shop.plates["known"])


def test_a_car_due_for_maintenance_is_booked_as_an_outbound_reminder(people, shop):
    booking = people.open("advisor1", "booking")
    booking.click("#tab-due")
    due = "#due [data-due]"
    text_within(booking, due, shop.plates["due"])
    assert shop.plates["known"] not in booking.inner_text("#due")  # two months ago: not due yet
    row = booking.locator(due, has_text=shop.plates["due"])
    assert "逾期" in row.inner_text()
    row.locator("[data-book-due]").click()
    text_within(booking, "#car .car-card", shop.plates["due"])
    assert booking.input_value("#source") == "outbound_reminder"
    booking.wait_for_selector("#menus [data-menu='M10K'].on", timeout=WAIT_MS)
    tomorrow = (datetime.fromisoformat(shop.today()) + timedelta(days=1)).date().isoformat()
    booking.click(f"#days [data-day='{tomorrow}']")
    free_slot(booking)
    booking.click("#confirm")
    booking.wait_for_selector("#result [data-booked]", timeout=WAIT_MS)
    made = shop.api("GET", f"/appointments/{booking.get_attribute('#result [data-booked]', 'data-booked')}")
    assert made["source"]["value"] == "outbound_reminder" and made["plate"] == shop.plates["due"] and made["note"] == "10000公里保养"
    booking.wait_for_function(f"!document.getElementById('due').textContent.includes('{shop.plates['due']}')", timeout=WAIT_MS)
    # Its menu's parts wait at the parts desk for the day before.
    listed = next(b for b in shop.api("GET", f"/parts?day={tomorrow}", as_="parts")["bookings"] if b["appointment_id"] == made["id"])
    assert [x["part_no"] for x in listed["lines"]] == ["90915-YZZD2", "08880-83717"]


def test_the_follow_up_call_books_the_next_visit(people, shop):
    follow = people.open("advisor1", "follow-up")
    entry = follow.locator("#due [data-order]").first
    order_id = entry.get_attribute("data-order")
    entry.locator("[data-book-next]").click()
    follow.wait_for_url("**/booking?from=follow-up*", timeout=WAIT_MS)
    follow.wait_for_selector("#car .banner", timeout=WAIT_MS)
    order = shop.api("GET", f"/repair-orders/{order_id}")
    text_within(follow, "#car .car-card", order["plate"])
    assert follow.input_value("#source") == "outbound_reminder" and order["number"] in follow.input_value("#note")
    tomorrow = (datetime.fromisoformat(shop.today()) + timedelta(days=1)).date().isoformat()
    follow.click(f"#days [data-day='{tomorrow}']")
    free_slot(follow)
    follow.click("#confirm")
    follow.wait_for_selector("#result [data-booked]", timeout=WAIT_MS)
    made = shop.api("GET", f"/appointments/{follow.get_attribute('#result [data-booked]', 'data-booked')}")
    assert made["plate"] == order["plate"] and made["customer"]["name"] == order["customer"]["name"]
    assert made["source"]["value"] == "outbound_reminder" and order["number"] in made["note"]


def test_the_parts_desk_orders_a_part_and_the_foreman_sees_when_it_arrives(people, shop):
    promised = (shop.clock.now() + timedelta(hours=6)).isoformat()
    order = shop.api("POST", "/repair-orders", {"plate": "粤C·P4242", "model": "凯美瑞 Camry", "customer_name": "郑爽", "title": "女士",
                                                 "phone": "13911112222", "advisor_id": 1, "promised_at": promised,
                                                 "jobs": [{"operation": "更换刹车片 Brake pads", "skill": "mechanical", "level": 1,
                                                           "est_hours": 1.0, "bay_kind": "general_lift"}]})
    job_id = order["jobs"][0]["id"]
    foreman = people.open("foreman", "foreman")
    parts = people.open("parts", "parts", 1280, 800)
    eta = (shop.clock.now().astimezone(shop.settings.zone) + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    item = parts_desk_orders_pads(parts, job_id, eta)
    text_within(parts, item, f"备件预计 {eta:%H:%M} 到")
    # The foreman's queue shows it within moments, and the plan starts the job then.
    text_within(foreman, f"#queue [data-job='{job_id}']", f"备件预计 {eta:%H:%M} 到")
    slot = next(r for r in shop.api("GET", "/dispatch/plan")["plan"] if r["job_id"] == job_id)
    assert slot["start"] >= eta.isoformat(timespec="minutes")
    if slot["start"] == eta.isoformat(timespec="minutes"):  # a technician free then: the plan says why it starts no sooner
        text_within(foreman, f"#queue [data-job='{job_id}'] .reasons", f"备件 {eta:%H:%M} 到,之后开工")
    # It arrives: the foreman's tag goes, the job may start now.
    parts.click(f"{item} [data-arrive]")
    foreman.wait_for_selector(f"#queue [data-job='{job_id}'] [data-parts-eta]", state="detached", timeout=WAIT_MS)
    assert shop.api("GET", f"/jobs/{job_id}")["parts_status"]["value"] == "arrived"
