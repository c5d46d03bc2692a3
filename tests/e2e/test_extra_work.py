"""Extra work (追加维修) in real Chromium on the demo day: the technician reports a finding with a photo
from his page, the advisor prices it and sends the link, the customer opens the link on his phone
(a browser context of its own, never signed in, under the pages' CSP) and approves, and the new job
is on the foreman's plan; the declined path; and every new part of the pages under the CSP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time
from io import BytesIO
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from board.app import create_app
from board.demo import run as demo
from board.settings import Settings
from board.unit import UnitOfWork
from tests.e2e.conftest import API_WAIT_S, WAIT_MS
from tests.e2e.test_displays import CODE, Shop, open_order, open_page, text_within
from tests.servers import free_port, serve_in_thread

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    """The demo shop's day, played to 10:30 and held still (as the displays' tests have it)."""
    settings, db, clock, _sim, kiosks = demo.prepare(Settings(heartbeat_s=1), tmp_path_factory.mktemp("demo") / "shop", time(10, 30))
    settings = settings.with_(scheduler_interval_s=3600.0)
    with serve_in_thread(create_app(settings, clock, db), free_port()) as host:
        yield Shop(host, clock, settings, None, kiosks, UnitOfWork(db, settings, clock))


@pytest.fixture
def staff(browser: Any) -> Iterator[Any]:
    """The shop's side: one browser context for the technician's, the advisor's and the foreman's pages."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN", bypass_csp=True)  # waits use eval(); CSP: below
    try:
        yield context
    finally:
        context.close()


def phone_photo(path: Path) -> Path:
    """What a phone's camera writes: a big JPEG, turned by its EXIF orientation, with the place it was taken."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "HUAWEI"
    exif.get_ifd(0x8825).update({1: "N", 2: (23.0, 7.0, 30.5), 3: "E", 4: (113.0, 19.0, 12.25)})
    image = Image.new("RGB", (3264, 2448), (90, 90, 90))
    image.paste((200, 60, 40), (800, 600, 2400, 1800))
    image.save(path, "JPEG", exif=exif, quality=85)
    return path


@pytest.fixture
def customer(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """The customer's phone: a context of its own, no cookies, the pages' CSP kept; the violations it reports."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        yield page, violations
    finally:
        context.close()


def mechanic(shop: Any) -> int:
    return next(t["id"] for t in shop.api("GET", "/technicians") if t["present"] and any(s["skill"] == "mechanical" for s in t["skills"]))


def dispatched(shop: Any, plate: str) -> tuple[dict[str, Any], dict[str, Any], int]:
    order = open_order(shop, plate)
    job = order["jobs"][0]
    tech = mechanic(shop)
    job = shop.api("POST", "/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": tech, "reason": "test"})
    return order, job, tech


def linked(shop: Any, job: dict[str, Any], text: str, operation: str = "更换前刹车片 front brake pads") -> tuple[dict[str, Any], str]:
    """Reported, priced and sent through the API (the browser test of those steps is the approval one)."""
    finding = shop.api("POST", "/findings", {"job_id": job["id"], "text": text, "carry_on": True})
    finding = shop.api("POST", f"/findings/{finding['id']}/price", {"version": finding["version"], "operation": operation, "skill": "mechanical",
                                                                    "level": 1, "est_hours": 1.0, "bay_kind": "general_lift", "parts_price": 300})
    sent = shop.api("POST", f"/findings/{finding['id']}/link", {"version": finding["version"]})
    return sent["finding"], f"http://{shop.host}{sent['url']}"


def test_a_finding_with_a_photo_approved_on_the_customers_phone_lands_on_the_foremans_plan(staff, customer, day, tmp_path):
    shop = day
    tech_page, advisor_page, foreman_page = staff.new_page(), staff.new_page(), staff.new_page()
    order, job, tech = dispatched(shop, "粤D27828")
    open_page(tech_page, shop, f"technician?id={tech}", 1280, 800)
    open_page(advisor_page, shop, "advisor?id=1", 1400, 1000)
    open_page(foreman_page, shop, "foreman")
    tech_page.click(f"[data-job='{job['id']}'] [data-act='start']")
    tech_page.wait_for_selector(f"[data-job='{job['id']}'][data-stage='in_progress']", timeout=WAIT_MS)

    # The technician: what he found, a photo from the camera, and his job stops for the customer's answer.
    tech_page.click(f"[data-job='{job['id']}'] [data-act='finding']")
    tech_page.fill("#finding-text", "左前刹车片磨损至2毫米 front pads worn to 2 mm")
    tech_page.set_input_files("#finding-photo", str(phone_photo(tmp_path / "IMG_20261123.jpg")))
    assert tech_page.get_attribute("#finding-photo", "capture") == "environment"
    # Asked whether to stop, carry on is the default (an oil change need not wait for brake pads); this one stops.
    assert tech_page.is_checked("#finding-carry-on") and not tech_page.is_checked("#finding-stop-job")
    tech_page.check("#finding-stop-job")
    tech_page.click("#finding-ok")
    tech_page.wait_for_selector(f"[data-job='{job['id']}'][data-stage='stopped']", timeout=WAIT_MS)
    text_within(tech_page, f"[data-job='{job['id']}'] .finding-line", "有照片")
    [finding] = shop.api("GET", f"/findings?repair_order_id={order['id']}")
    fid = finding["id"]
    kept = httpx.get(f"http://{shop.host}/api/shops/{CODE}/findings/{fid}/photo", cookies={"board_session": shop.session()["cookie"]}, timeout=API_WAIT_S)
    image = Image.open(BytesIO(kept.content))
    assert image.size == (1200, 1600) and not image.getexif() and b"HUAWEI" not in kept.content  # upright, small, no GPS

    # The foreman sees who it waits on; the advisor prices it and sends the link.
    text_within(foreman_page, f"#waiting [data-finding='{fid}']", "待报价")
    item = f"#approvals [data-finding='{fid}']"
    advisor_page.wait_for_selector(item, timeout=WAIT_MS)
    assert advisor_page.locator(f"{item} img.thumb").evaluate("img => img.complete && img.naturalWidth") == 1200
    advisor_page.fill(f"{item} [name=operation]", "更换前刹车片 front brake pads")
    advisor_page.select_option(f"{item} [name=skill]", "mechanical")
    advisor_page.select_option(f"{item} [name=level]", "1")
    advisor_page.fill(f"{item} [name=est_hours]", "1.5")
    advisor_page.select_option(f"{item} [name=bay_kind]", "general_lift")
    advisor_page.fill(f"{item} [name=parts_price]", "420")
    text_within(advisor_page, f"{item} .sums", "¥690.00")
    advisor_page.click(f"{item} [data-do='price']")
    advisor_page.wait_for_selector(f"#approvals [data-finding='{fid}'][data-status='priced']", timeout=WAIT_MS)
    advisor_page.click(f"{item} [data-do='link']")
    advisor_page.wait_for_selector(f"{item} input[data-link='{fid}']", timeout=WAIT_MS)
    link = advisor_page.input_value(f"{item} input[data-link='{fid}']")
    assert link.startswith(f"http://{shop.host}/approve/{CODE}/")
    text_within(foreman_page, f"#waiting [data-finding='{fid}']", "等客户确认")
    text_within(advisor_page, item, "等客户确认")

    # The customer, on his phone, signed in nowhere: his car, masked; the finding, the photo, the price; approve.
    phone, violations = customer
    assert phone.context.cookies() == []
    phone.goto(link)
    assert phone.inner_text("#car") == "凯美瑞 Camry · 粤D·2***8"
    assert "front pads worn" in phone.inner_text("#finding-text") and phone.inner_text("#total") == "¥690.00"
    assert phone.locator("#photo").evaluate("img => img.complete && img.naturalWidth") == 1200
    assert "粤D27828" not in phone.content() and "李娜" not in phone.content()
    phone.click("#yes")
    phone.wait_for_selector("#decision[data-approved='yes']", timeout=WAIT_MS)
    assert "已收到您的答复" in phone.inner_text("#verdict") and violations == []

    # The work is the finder's, on the same lift: a line on his card of the same kind, on his page and
    # in the foreman's plan at once (his card's block grows), not a new job in the queue.
    done = shop.api("GET", f"/findings/{fid}")
    assert (done["status"], done["decided_by"]) == ("approved", "customer (link)")
    assert done["added_job_id"] == job["id"]
    card = shop.api("GET", f"/jobs/{job['id']}")
    assert card["technician_id"] == tech and any("前刹车片" in line["operation"] for line in card["lines"][1:])
    text_within(tech_page, f"[data-job='{job['id']}']", "更换前刹车片")
    foreman_page.wait_for_selector(f"[data-job='{job['id']}']", timeout=WAIT_MS)
    assert foreman_page.locator(f"#queue [data-job='{job['id']}']").count() == 0
    tech_page.wait_for_selector(f"[data-finding='{fid}'][data-status='approved']", timeout=WAIT_MS)
    advisor_page.wait_for_selector(item, state="detached", timeout=WAIT_MS)
    foreman_page.wait_for_selector(f"#waiting [data-finding='{fid}']", state="detached", timeout=WAIT_MS)
    phone.goto(link)  # once used, refused
    assert "已收到您的答复" in phone.inner_text("#verdict") and phone.locator("#yes").count() == 0


def test_declined_on_the_phone_it_is_kept_where_the_advisor_will_see_it(staff, customer, day):
    shop = day
    tech_page, advisor_page = staff.new_page(), staff.new_page()
    _order, job, tech = dispatched(shop, "粤D31337")
    finding, link = linked(shop, job, "雨刮片老化 wiper blades perished", operation="更换雨刮片 wiper blades")
    open_page(tech_page, shop, f"technician?id={tech}", 1280, 800)
    open_page(advisor_page, shop, "advisor?id=1", 1400, 1000)
    advisor_page.wait_for_selector(f"#approvals [data-finding='{finding['id']}'][data-status='priced']", timeout=WAIT_MS)
    phone, violations = customer
    phone.goto(link)
    phone.click("#no")
    phone.wait_for_selector("#decision[data-approved='no']", timeout=WAIT_MS)
    assert violations == []
    advisor_page.wait_for_selector(f"#approvals [data-finding='{finding['id']}']", state="detached", timeout=WAIT_MS)
    text_within(advisor_page, f"#declined [data-finding='{finding['id']}']", "更换雨刮片 wiper blades")
    tech_page.wait_for_selector(f"[data-finding='{finding['id']}'][data-status='declined']", timeout=WAIT_MS)
    assert [f["id"] for f in shop.api("GET", "/findings?plate=粤D31337")] == [finding["id"]]  # the car's history
    assert shop.api("GET", f"/findings/{finding['id']}")["added_job_id"] is None


def test_the_new_parts_and_the_customers_page_work_under_the_policy_with_markup_shown_as_text(browser, customer, day):
    shop = day
    markup = "<img src=x onerror=window.__stored=1>"
    _order, job, tech = dispatched(shop, "粤D40404")
    finding, link = linked(shop, job, f"{markup} 刹车油变色", operation=f"{markup} 更换刹车油")
    strict = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    strict.add_cookies([{"name": "board_session", "value": shop.session()["cookie"], "url": f"http://{shop.host}"}])
    try:
        page = strict.new_page()
        violations: list[str] = []
        dialogs: list[str] = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for name, where in ((f"technician?id={tech}", f"[data-finding='{finding['id']}']"), ("advisor?id=1", f"#approvals [data-finding='{finding['id']}']"),
                            ("foreman", f"#waiting [data-finding='{finding['id']}']")):
            page.goto(f"http://{shop.host}/shops/{CODE}/{name}")
            page.wait_for_selector(where, timeout=WAIT_MS)
            page.wait_for_load_state("networkidle")
            assert markup in page.inner_text(where), name
            assert page.evaluate("typeof window.__stored") == "undefined" and violations == [] and dialogs == [], name
    finally:
        strict.close()
    phone, phone_violations = customer
    phone.goto(link)
    assert markup in phone.inner_text("#finding-text") and markup in phone.inner_text("#operation")
    assert phone.evaluate("typeof window.__stored") == "undefined" and phone_violations == []
    assert phone.locator("script").count() == 0  # the customer's page runs no script at all
