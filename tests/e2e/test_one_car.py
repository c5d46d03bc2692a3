"""One car through every screen of the service process in real Chromium, on the demo shop's day, each
step taken by its own person on his own screen: booked on the booking console, met at the door by the
greeter, received by the advisor at the car (a menu, the estimate, a promise from the live plan, the
customer's signature), dispatched by the foreman, extra work found by the technician with a photo,
priced and sent by the advisor, approved by the customer on his phone (a browser of his own, signed
in nowhere), the new job on the plan, the self-check, a failed and a passed quality check, the wash,
the hand-over, and the follow-up call the next day. While one person acts, another screen is open
and shows the change without a reload. Then: extra work the customer declines (on the bill at
hand-over and on the next day's follow-up call), a part on order (the plan waits for it), and an approval link used, expired or for
someone else's car."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from board.app import create_app
from board.demo import run as demo
from board.settings import Settings
from tests.e2e import test_booking_and_parts
from tests.e2e.conftest import WAIT_MS, on_the_plan_shown
from tests.e2e.test_booking_and_parts import (
    CODE,
    Demo,
    free_slot,
    parts_desk_orders_pads,
    text_within,
)
from tests.e2e.test_order_page import sign
from tests.e2e.test_qc_wash_delivery import self_check
from tests.servers import serve_in_thread

# The fixture of each person on his own screen, on this module's shop.
people = test_booking_and_parts.people

PHONE = {"width": 390, "height": 844}
# The car and its owner, new to the shop.
PLATE, MASKED = "粤A6R017", "粤A·6***7"
CUSTOMER, TITLE, GREETING, MOBILE = "欧阳晓", "女士", "欧阳女士", "13612345678"
FOUND = "前刹车片磨损至2毫米 front pads worn to 2 mm"
EXTRA = "更换前刹车片 front brake pads"
QC_REASON = "放油螺栓处渗油,请重新紧固 drain plug seeping"


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo shop's day, played to 10:30 and then held still (the pages' clocks stand too)."""
    folder: Path = tmp_path_factory.mktemp("demo") / "shop"
    settings, db, clock, _sim, _kiosks = demo.prepare(Settings(heartbeat_s=1), folder, time(10, 30))
    settings = settings.with_(scheduler_interval_s=3600.0)
    with serve_in_thread(create_app(settings, clock, db)) as host:
        yield Demo(host, clock, settings, {}, {})


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """The customer's phone: a browser of its own, no cookies, the pages' CSP kept."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    try:
        yield context.new_page()
    finally:
        context.close()


# -- who is who ------------------------------------------------------------------------------------

def technician_account(shop: Demo, technician: int) -> str:
    """The username a technician signs in with: technician 3 -> "tech3"."""
    return next(u["username"] for u in shop.api("GET", "/users") if u["technician_id"] == technician)


def advisor_id(shop: Demo, username: str) -> int:
    return int(next(u["advisor_id"] for u in shop.api("GET", "/users") if u["username"] == username))


def lane_of(workshop: Any, job: int, kind: str) -> int:
    """The technician's row on the workshop board where the job's block of that kind stands."""
    block = f"#lanes .block[data-job='{job}'][data-kind='{kind}']"
    workshop.wait_for_selector(block, state="attached", timeout=WAIT_MS)
    return int(workshop.eval_on_selector(block, "(b) => b.closest('.lane').dataset.tech"))


def shows(page: Any, selector: str, *texts: str) -> None:
    """Wait until one element matching the selector says every one of the texts."""
    page.wait_for_function("([s, texts]) => [...document.querySelectorAll(s)].some((n) => texts.every((t) => n.textContent.includes(t)))",
                           arg=[selector, list(texts)], timeout=WAIT_MS)


def never_reloaded(*pages: Any) -> bool:
    return all(p.evaluate("performance.getEntriesByType('navigation').length") == 1 for p in pages)


def small_photo(path: Path) -> Path:
    image = Image.new("RGB", (640, 480), (90, 90, 90))
    image.paste((200, 60, 40), (160, 120, 480, 360))
    image.save(path, "JPEG", quality=80)
    return path


# -- what each person does on his screen -------------------------------------------------------------

def advisor_books_a_new_customer(booking: Any, shop: Demo) -> int:
    """On the phone with a customer the shop has never seen: his car, a quick service today, the first free time."""
    booking.fill("#q", PLATE[1:])
    booking.click("#find")
    text_within(booking, "#results", "没有")  # nobody by that plate
    booking.click("#new-customer")
    assert booking.input_value("#new-plate") == PLATE[1:]  # what she searched for, carried over
    booking.select_option("#new-province", PLATE[0])
    booking.fill("#new-model", "卡罗拉 Corolla")
    booking.fill("#new-name", CUSTOMER)
    booking.select_option("#new-title", TITLE)
    booking.fill("#new-phone", MOBILE)
    booking.click("#services [data-service='quick']")
    booking.click("#menus [data-menu='QS']")
    booking.click(f"#days [data-day='{shop.today()}']")
    free_slot(booking)
    booking.click("#confirm")
    booking.wait_for_selector("#result [data-booked]", timeout=WAIT_MS)
    assert PLATE in booking.inner_text("#result")
    return int(booking.get_attribute("#result [data-booked]", "data-booked"))


def greeter_confirms_the_arrival(greeter: Any, appointment: int) -> None:
    greeter.select_option("#province", PLATE[0])
    greeter.fill("#plate", PLATE[1:].lower())
    greeter.click("#find")
    greeter.click(f"#candidates [data-appointment='{appointment}']", timeout=WAIT_MS)
    text_within(greeter, "#verdict", "接待计时开始")


def advisor_writes_the_order(tablet: Any) -> str:
    """At the car: the walk-round, the service menu, the estimate and the promise the plan proposes, the signature."""
    tablet.wait_for_selector("#car .plate", timeout=WAIT_MS)
    assert PLATE in tablet.inner_text("#car") and CUSTOMER in tablet.inner_text("#car")
    tablet.fill("#mileage", "31234")
    tablet.fill("#customer-words", "做个快保,顺便看看刹车")
    tablet.wait_for_selector("#menus [data-menu='QS'].chosen", timeout=WAIT_MS)  # the menu she booked came with the car
    tablet.click("#waits")  # she waits in the lounge
    tablet.wait_for_selector("#est-total", timeout=WAIT_MS)
    assert tablet.inner_text("#est-hours") == "0.5 h" and tablet.inner_text("#est-total").startswith("¥")
    tablet.wait_for_function("document.getElementById('promise').value !== ''", timeout=WAIT_MS)
    text_within(tablet, "#proposed", "按当前计划建议")
    promise = tablet.input_value("#promise")
    assert tablet.is_disabled("#write")  # not before the customer signs
    sign(tablet)
    tablet.click("#write", timeout=WAIT_MS)
    tablet.wait_for_selector("#written", timeout=WAIT_MS)
    assert promise[11:16] in tablet.inner_text("#written")  # "…,承诺 HH:MM 交车"
    return promise


def foreman_accepts_the_suggestion(foreman: Any, job: int) -> None:
    """One click on the technician the plan suggests (again, if the plan was re-made under his finger)."""
    on_the_plan_shown(foreman, lambda: foreman.click(f"#queue [data-job='{job}'] [data-assign]", timeout=WAIT_MS),
                      f"!document.querySelector(`#queue [data-job='{job}']`)")


def technician_starts(tech: Any, job: int, act: str = "start") -> None:
    tech.click(f"#jobs [data-job='{job}'] [data-act='{act}']", timeout=WAIT_MS)
    tech.wait_for_selector(f"#jobs [data-job='{job}'][data-stage='in_progress']", timeout=WAIT_MS)


def technician_reports_extra_work(tech: Any, job: int, text: str, photo: Path | None = None) -> None:
    tech.click(f"#jobs [data-job='{job}'] [data-act='finding']")
    tech.fill("#finding-text", text)
    if photo is not None:
        tech.set_input_files("#finding-photo", str(photo))
    tech.check("#finding-stop-job")  # the pads are on the wheel he works on: this job waits for the answer
    tech.click("#finding-ok")
    tech.wait_for_selector(f"#jobs [data-job='{job}'][data-stage='stopped']", timeout=WAIT_MS)  # waits for the customer's yes
    text_within(tech, f"#jobs [data-job='{job}'] .finding-line", text)
    if photo is not None:
        text_within(tech, f"#jobs [data-job='{job}'] .finding-line", "有照片")


def advisor_prices_and_sends_the_link(advisor: Any, finding: int, operation: str = EXTRA, skill: str = "maintenance",
                                      bay_kind: str = "quick_service") -> tuple[str, str]:
    """Returns the link and the total the advisor saw as she priced it (work the express bay's man does
    there, by default: the pads go on his card, on his bay)."""
    item = f"#approvals [data-finding='{finding}']"
    advisor.wait_for_selector(item, timeout=WAIT_MS)
    advisor.fill(f"{item} [name=operation]", operation)
    advisor.select_option(f"{item} [name=skill]", skill)
    advisor.select_option(f"{item} [name=level]", "1")
    advisor.fill(f"{item} [name=est_hours]", "1")
    advisor.select_option(f"{item} [name=bay_kind]", bay_kind)
    advisor.fill(f"{item} [name=parts_price]", "560")
    total = advisor.inner_text(f"{item} .sums b")
    advisor.click(f"{item} [data-do='price']")
    advisor.wait_for_selector(f"{item}[data-status='priced']", timeout=WAIT_MS)
    advisor.click(f"{item} [data-do='link']")
    advisor.wait_for_selector(f"{item} input[data-link='{finding}']", timeout=WAIT_MS)
    return advisor.input_value(f"{item} input[data-link='{finding}']"), total


def customer_answers(phone: Any, link: str, yes: bool) -> None:
    phone.goto(link)
    phone.click("#yes" if yes else "#no")
    phone.wait_for_selector(f"#decision[data-approved='{'yes' if yes else 'no'}']", timeout=WAIT_MS)


def inspector_fails(qc: Any, job: int, reason: str) -> None:
    row = f"#qc-cars [data-job='{job}']"
    qc.wait_for_selector(f"{row} [data-self='done']", timeout=WAIT_MS)
    qc.click(f"{row} [data-act='fail']")
    qc.fill("#fail-text", reason)
    qc.click("#fail-ok")
    qc.wait_for_selector(f"#qc-returned [data-returned='{job}']", timeout=WAIT_MS)


def inspector_passes(qc: Any, job: int) -> None:
    row = f"#qc-cars [data-job='{job}']"
    qc.wait_for_selector(f"{row} [data-self='done']", timeout=WAIT_MS)
    assert qc.is_disabled(f"{row} [data-act='pass']")  # not before every item is ticked
    for box in qc.locator(f"{row} input[type=checkbox]").all():
        box.check()
    qc.click(f"{row} [data-act='pass']")
    qc.wait_for_selector(row, state="detached", timeout=WAIT_MS)


def washer_finishes(wash: Any, order: int) -> None:
    wash.click(f"#wash-cars [data-ro='{order}'][data-washable='1'] [data-act='wash-done']", timeout=WAIT_MS)
    wash.wait_for_selector(f"#wash-cars [data-ro='{order}']", state="detached", timeout=WAIT_MS)


def advisor_opens_the_bill(delivery: Any, order: int) -> str:
    delivery.click(f"#ready-cars [data-ro='{order}']", timeout=WAIT_MS)
    delivery.wait_for_selector(f"#bill [data-ro='{order}']", timeout=WAIT_MS)
    return delivery.inner_text("#bill")  # type: ignore[no-any-return]


def advisor_hands_over(delivery: Any, order: int) -> None:
    delivery.click("#hand-over")
    delivery.wait_for_selector("#handed-over", timeout=WAIT_MS)
    delivery.wait_for_selector(f"#closed-today [data-closed='{order}']", timeout=WAIT_MS)


# -- the main path ---------------------------------------------------------------------------------

def test_one_car_from_the_booking_to_the_follow_up_call(people, phone, shop, tmp_path):
    # The wall boards, as they hang in the shop.
    reception = people.open("greeter", "reception")
    welcome = people.open("greeter", "welcome")
    workshop = people.open("foreman", "workshop")

    # Booked on the console; the reception board shows it at once.
    booking = people.open("advisor1", "booking", 1280, 800)
    appointment = advisor_books_a_new_customer(booking, shop)
    reception.wait_for_selector(f"#col-today [data-id='{appointment}']", state="attached", timeout=WAIT_MS)
    text_within(welcome, "#coming", f"{GREETING} {MASKED}")  # expected today, masked
    booking.close()

    # The car arrives: the greeter types the plate; the reception board and the advisor's page show it.
    advisor = people.open("advisor1", "advisor", 1400, 1000)
    greeter = people.open("greeter", "greeter", 1280, 800)
    greeter_confirms_the_arrival(greeter, appointment)
    text_within(reception, "#col-arrivals", PLATE)
    reception.wait_for_selector(f"#col-today [data-id='{appointment}'][data-state='arrived']", state="attached", timeout=WAIT_MS)
    arrival = advisor.locator("#arrivals [data-arrival]", has_text=PLATE)
    arrival.wait_for(timeout=WAIT_MS)
    greeter.close()

    # The advisor receives her at the car, on the tablet: the order page from the arrival.
    foreman = people.open("foreman", "foreman")
    arrival.locator("[data-order]").click()
    promise = advisor_writes_the_order(advisor)
    [order] = [o for o in shop.api("GET", "/repair-orders") if o["appointment_id"] == appointment]
    assert order["promised_at"].startswith(promise) and order["customer_waiting"]
    ro, job = order["id"], order["jobs"][0]["id"]
    shows(reception, "#col-arrivals [data-arrival]", PLATE, "✔")  # received within the 5 minutes
    text_within(welcome, f"[data-guest='a{appointment}']", GREETING)

    # The foreman: the job waits with a suggestion; one click, and it lands on that technician's row.
    foreman.wait_for_selector(f"#queue [data-job='{job}'] [data-assign]", timeout=WAIT_MS)
    text_within(workshop, "#waiting", PLATE)
    foreman_accepts_the_suggestion(foreman, job)
    tech_id = lane_of(workshop, job, "dispatched")
    tech = people.open(technician_account(shop, tech_id), "technician", 1280, 800)

    # The technician's card carries the work: the customer's own words and the walk-round's mileage.
    text_within(tech, f"#jobs [data-job='{job}'] .work-card .says", "顺便看看刹车", timeout=WAIT_MS)
    text_within(tech, f"#jobs [data-job='{job}'] .work-card .marks", "31,234")
    # The technician starts; the toast says so once (not the plate and the job twice); the workshop board shows the job in hand.
    technician_starts(tech, job)
    text_within(tech, "#toasts", "已开工")
    toast = tech.inner_text("#toasts .toast:last-child")
    assert toast.count("Started") == 1 and toast.count("已开工") == 1, toast
    workshop.wait_for_selector(f".lane[data-tech='{tech_id}'] .block[data-job='{job}'][data-kind='current']", state="attached", timeout=WAIT_MS)
    welcome.wait_for_selector(f"[data-guest='a{appointment}'] .step.now[data-step='in_repair']", state="attached", timeout=WAIT_MS)

    # He finds worn brake pads and reports them with a photo; the advisor and the foreman see it.
    advisor.click("#written a")  # back to her customers
    advisor.wait_for_function("document.getElementById('status').dataset.online === 'online'", timeout=WAIT_MS)
    technician_reports_extra_work(tech, job, FOUND, small_photo(tmp_path / "IMG_0001.jpg"))
    found = advisor.locator("#approvals [data-finding]", has_text=PLATE)
    found.wait_for(timeout=WAIT_MS)
    finding = int(found.get_attribute("data-finding"))
    advisor.wait_for_function("(f) => { const img = document.querySelector(`#approvals [data-finding='${f}'] img.thumb`); "
                              "return img && img.complete && img.naturalWidth > 0; }", arg=finding, timeout=WAIT_MS)  # the photo, to show her
    text_within(foreman, f"#waiting [data-finding='{finding}']", "待报价")
    workshop.wait_for_selector(f".block[data-job='{job}'][data-kind='stopped']", state="attached", timeout=WAIT_MS)

    # The advisor prices it and sends the link; the foreman sees whom it waits on.
    link, total = advisor_prices_and_sends_the_link(advisor, finding)
    assert link.startswith(f"http://{shop.host}/approve/{CODE}/")
    text_within(foreman, f"#waiting [data-finding='{finding}']", "等客户确认")

    # The customer, on her phone, signed in nowhere: her car masked, the finding, the photo, the price; nobody else's.
    assert phone.context.cookies() == []
    phone.goto(link)
    assert phone.inner_text("#car") == f"卡罗拉 Corolla · {MASKED}"
    assert "front pads worn" in phone.inner_text("#finding-text") and phone.inner_text("#total") in total
    assert phone.locator("#photo").evaluate("img => img.complete && img.naturalWidth") > 0
    shows_nothing_of_anyone_else(phone.content(), shop)
    customer_answers(phone, link, yes=True)

    # At once: off the advisor's list, approved on the technician's page — and on his own card, on his bay, after
    # what he was doing (一车一技师): the card he stopped now lists the pads; nothing for the foreman to hand out.
    advisor.wait_for_selector(f"#approvals [data-finding='{finding}']", state="detached", timeout=WAIT_MS)
    tech.wait_for_selector(f"[data-finding='{finding}'][data-status='approved']", timeout=WAIT_MS)
    foreman.wait_for_selector(f"#waiting [data-finding='{finding}']", state="detached", timeout=WAIT_MS)
    text_within(tech, f"#jobs [data-job='{job}'] .operations", EXTRA)
    card = shop.api("GET", f"/jobs/{job}")
    assert [line["operation"] for line in card["lines"]][-1] == EXTRA and card["technician_id"] == tech_id
    assert len(shop.api("GET", f"/repair-orders/{ro}")["jobs"]) == 1 and card["car_bay_id"] is not None
    phone.goto(link)  # once used, the link decides nothing again
    assert "已收到您的答复" in phone.inner_text("#verdict") and phone.locator("#yes").count() == 0

    # The technician carries on and finishes through his self-check; the inspector fails it once, with why.
    qc = people.open("inspector", "qc")
    technician_starts(tech, job, act="resume")
    self_check(tech, job)
    workshop.wait_for_selector(f"[data-lane='quality_check'] [data-job='{job}']", timeout=WAIT_MS)
    inspector_fails(qc, job, QC_REASON)
    tech.wait_for_selector(f"[data-qc-reason='{job}']", timeout=WAIT_MS)
    assert QC_REASON in tech.inner_text(f"[data-qc-reason='{job}']")
    workshop.wait_for_selector(f"[data-lane='quality_check'] [data-job='{job}']", state="detached", timeout=WAIT_MS)
    technician_starts(tech, job)  # back in his queue: he clocks on again
    self_check(tech, job)

    # The inspector passes it: its operations' checks, the pads' among them, and every car's.
    qc.wait_for_selector(f"#qc-cars [data-job='{job}'] [data-item='pedal_firm']", timeout=WAIT_MS)
    inspector_passes(qc, job)
    workshop.wait_for_selector(f"[data-lane='wash'] [data-job='{job}']", timeout=WAIT_MS)
    welcome.wait_for_selector(f"[data-guest='a{appointment}'] .step.now[data-step='wash']", state="attached", timeout=WAIT_MS)

    # The wash; the lounge screen tells her the car is ready, the advisor's page lists it.
    wash = people.open("advisor1", "wash")
    washer_finishes(wash, ro)
    welcome.wait_for_selector(f"[data-guest='a{appointment}'].ready", state="attached", timeout=WAIT_MS)  # on whichever page of the lounge
    assert "可取车" in welcome.text_content(f"[data-guest='a{appointment}']") and PLATE not in welcome.content()
    advisor.wait_for_selector(f"#ready [data-ro='{ro}']", timeout=WAIT_MS)
    wash.close()

    # The hand-over: both jobs on the bill; the car leaves the workshop board.
    delivery = people.open("advisor1", "delivery")
    bill = advisor_opens_the_bill(delivery, ro)
    assert "更换机油机滤 Oil and filter" in bill and EXTRA in bill  # the card's operations, each on the bill
    advisor_hands_over(delivery, ro)
    workshop.wait_for_selector(f"[data-lane='ready'] [data-job='{job}']", state="detached", timeout=WAIT_MS)
    advisor.wait_for_selector(f"#ready [data-ro='{ro}']", state="detached", timeout=WAIT_MS)
    assert never_reloaded(reception, welcome, workshop, foreman, tech, qc)

    # The next day, the order is on the follow-up calls.
    shop.clock.advance(timedelta(days=1))
    try:
        calls = people.open("advisor1", "follow-up")
        calls.wait_for_selector(f"#due [data-order='{ro}']", timeout=WAIT_MS)
        assert PLATE in calls.inner_text(f"#due [data-order='{ro}']")
    finally:
        shop.clock.advance(-timedelta(days=1))


def shows_nothing_of_anyone_else(content: str, shop: Demo) -> None:
    """Not one other customer's plate, name or phone on the customer's page (nor her own plate and phone unmasked)."""
    staff = {a["name"] for a in shop.api("GET", "/advisors")} | {t["name"] for t in shop.api("GET", "/technicians")}
    others = [(o["plate"], o["customer"]["name"], o["customer"]["phone"]) for o in shop.api("GET", "/repair-orders")]
    others += [(a["plate"], a["customer"]["name"], a["customer"]["phone"]) for a in shop.api("GET", "/appointments")]
    assert len(others) > 20, "a full day of other customers"
    for plate, name, mobile in others:
        assert plate not in content
        assert not mobile or mobile not in content
        assert name in (CUSTOMER, *staff) or name not in content, name


# -- declined ---------------------------------------------------------------------------------------

def a_car_in_the_workshop(shop: Demo, plate: str, advisor: str = "advisor1") -> tuple[dict[str, Any], dict[str, Any], str]:
    """An order written, dispatched and started by its people (the browser steps of these are the main path's)."""
    now = shop.clock.now()
    order = shop.api("POST", "/repair-orders", {
        "plate": plate, "model": "凯美瑞 Camry", "customer_name": "郑爽", "title": "女士", "phone": "13911112222",
        "advisor_id": advisor_id(shop, advisor), "promised_at": (now + timedelta(hours=5)).isoformat(),
        "jobs": [{"operation": "定期保养 Periodic maintenance", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}]},
        as_=advisor)
    job = order["jobs"][0]
    techs = [t for t in shop.api("GET", "/technicians") if t["present"] and any(s["skill"] == "maintenance" for s in t["skills"])]
    job = shop.api("POST", "/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": techs[-1]["id"],
                                                 "reason": "test"}, as_="foreman")
    tech = technician_account(shop, techs[-1]["id"])
    job = shop.api("POST", f"/jobs/{job['id']}/clock-on", {"version": job["version"]}, as_=tech)
    return order, job, tech


def test_extra_work_declined_on_the_phone_is_on_the_bill_at_hand_over(people, phone, shop):
    order, job, tech_name = a_car_in_the_workshop(shop, "粤C·D0717")
    advisor = people.open("advisor1", "advisor", 1400, 1000)
    tech = people.open(tech_name, "technician", 1280, 800)
    technician_reports_extra_work(tech, job["id"], "雨刮片老化 wiper blades perished")
    found = advisor.locator("#approvals [data-finding]", has_text="粤C·D0717")
    found.wait_for(timeout=WAIT_MS)
    finding = {"id": int(found.get_attribute("data-finding"))}
    link, _total = advisor_prices_and_sends_the_link(advisor, finding["id"], operation="更换雨刮片 wiper blades")

    customer_answers(phone, link, yes=False)
    assert "暂不维修" in phone.inner_text("#decision")
    advisor.wait_for_selector(f"#approvals [data-finding='{finding['id']}']", state="detached", timeout=WAIT_MS)
    text_within(advisor, f"#declined [data-finding='{finding['id']}']", "更换雨刮片 wiper blades")
    tech.wait_for_selector(f"[data-finding='{finding['id']}'][data-status='declined']", timeout=WAIT_MS)
    phone.goto(link)
    assert "已收到您的答复" in phone.inner_text("#verdict") and phone.locator("#no").count() == 0

    # The technician finishes the service he was doing; through the checks and the wash.
    technician_starts(tech, job["id"], act="resume")
    self_check(tech, job["id"])
    current = shop.api("GET", f"/jobs/{job['id']}")
    items = [i["key"] for i in shop.api("GET", "/checklists")["final"]["maintenance"]]
    passed = shop.api("POST", f"/jobs/{job['id']}/quality-check", {"version": current["version"], "passed": True, "items": items}, as_="inspector")
    shop.api("POST", f"/repair-orders/{order['id']}/wash-done", {"versions": {str(job["id"]): passed["job"]["version"]}}, as_="advisor1")

    # At hand-over the advisor explains the bill: the declined work is on it, to remind him next time.
    delivery = people.open("advisor1", "delivery")
    bill = advisor_opens_the_bill(delivery, order["id"])
    assert "定期保养 Periodic maintenance" in bill
    declined = delivery.inner_text("#bill #declined")
    assert "更换雨刮片 wiper blades" in declined and "wiper blades perished" in declined
    advisor_hands_over(delivery, order["id"])

    # The next day's follow-up call offers it again.
    shop.clock.advance(timedelta(days=1))
    try:
        calls = people.open("advisor1", "follow-up")
        text_within(calls, f"#due [data-declined='{order['id']}']", "更换雨刮片 wiper blades")
        assert "wiper blades perished" in calls.inner_text(f"#due [data-order='{order['id']}']")
    finally:
        shop.clock.advance(-timedelta(days=1))


# -- parts delayed ----------------------------------------------------------------------------------

SUGGESTED_START = """([job, lo, hi]) => {
  // The start the plan suggests, as the foreman's queue says it ("13:00–14:00"), once it lies in [lo, hi).
  const item = document.querySelector(`#queue [data-job='${job}']`);
  const found = item && item.querySelector('[data-assign]') && item.textContent.match(/(\\d\\d:\\d\\d)–\\d\\d:\\d\\d/);
  return Boolean(found) && found[1] >= lo && found[1] < hi;
}"""


def planned_from(foreman: Any, job: int, not_before: str = "00:00", before: str = "24:00") -> None:
    """Wait until the foreman's queue suggests starting the job within [not_before, before)."""
    foreman.wait_for_function(SUGGESTED_START, arg=[job, not_before, before], timeout=WAIT_MS)


def test_a_part_on_order_holds_the_job_until_it_arrives(people, shop):
    now = shop.clock.now().astimezone(shop.settings.zone)
    order = shop.api("POST", "/repair-orders", {
        "plate": "粤C·P4343", "model": "凯美瑞 Camry", "customer_name": "何敏", "title": "女士", "phone": "13911113333",
        "advisor_id": advisor_id(shop, "advisor2"), "promised_at": (now + timedelta(hours=3)).isoformat(),
        "jobs": [{"operation": "更换刹车片 Brake pads", "skill": "mechanical", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}]},
        as_="advisor2")
    job = order["jobs"][0]["id"]
    workshop = people.open("foreman", "workshop")
    foreman = people.open("foreman", "foreman")
    planned_from(foreman, job)
    parts = people.open("parts", "parts", 1280, 800)

    # The parts desk adds the pads the job needs and orders them: due at 15:00.
    item = parts_desk_orders_pads(parts, job, now.replace(hour=15, minute=0, second=0, microsecond=0))

    # The foreman's console and the workshop board say when it comes; the plan starts the job no sooner.
    text_within(foreman, f"#queue [data-job='{job}']", "备件预计 15:00 到")
    text_within(workshop, f"#waiting [data-job='{job}']", "备件 15:00 到")
    planned_from(foreman, job, not_before="15:00")

    # It arrives early: the tag goes, and the job is planned before 15:00 after all.
    parts.click(f"{item} [data-arrive]")
    foreman.wait_for_selector(f"#queue [data-job='{job}'] [data-parts-eta]", state="detached", timeout=WAIT_MS)
    workshop.wait_for_function("(job) => !document.querySelector(`#waiting [data-job='${job}']`).textContent.includes('备件')",
                               arg=job, timeout=WAIT_MS)
    planned_from(foreman, job, before="15:00")
    foreman_accepts_the_suggestion(foreman, job)
    lane_of(workshop, job, "dispatched")


# -- the link itself ---------------------------------------------------------------------------------

def test_an_expired_or_unknown_link_is_refused_in_a_sentence(phone, shop):
    _order, job, tech = a_car_in_the_workshop(shop, "粤C·E2424")
    finding = shop.api("POST", "/findings", {"job_id": job["id"], "text": "空调滤芯脏 cabin filter dirty"}, as_=tech)
    finding = shop.api("POST", f"/findings/{finding['id']}/price", {"version": finding["version"], "operation": "更换空调滤芯", "skill": "maintenance",
                                                                    "level": 1, "est_hours": 0.3, "bay_kind": "general_lift", "parts_price": 120},
                       as_="advisor1")
    sent = shop.api("POST", f"/findings/{finding['id']}/link", {"version": finding["version"]}, as_="advisor1")
    link = f"http://{shop.host}{sent['url']}"
    phone.goto(link)
    assert phone.locator("#yes").count() == 1  # good today
    shop.clock.advance(timedelta(hours=25))
    try:
        response = phone.goto(link)
        assert response.status == 410
        assert "此链接已过期" in phone.inner_text("#verdict") and "请联系您的服务顾问重新发送" in phone.inner_text("main")
        assert phone.locator("#yes").count() == 0 and "空调滤芯" not in phone.content()
    finally:
        shop.clock.advance(-timedelta(hours=25))
    response = phone.goto(link[:-4] + "abcd")
    assert response.status == 404 and "链接无效" in phone.inner_text("#verdict")
