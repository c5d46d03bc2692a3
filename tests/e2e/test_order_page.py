"""The reception and repair order screen on the advisor's tablet, in Chromium: from an arrival, the
walk-round, a service menu, an estimate and a promise from the live plan, the customer's signature
drawn on the glass, the order written."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import WAIT_MS
from tests.e2e.test_displays import book_today, shop, sign_in_with_the_form, slot_after  # noqa: F401  (the demo shop fixture)


def sign(page: Any) -> None:
    """The customer signs with a finger: the pad scrolled into sight first, as the advisor would."""
    pad = page.locator("#signature")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 30)
    page.mouse.down()
    for n in range(1, 12):
        page.mouse.move(box["x"] + 20 + n * 25, box["y"] + 30 + (n % 3) * 20)
    page.mouse.up()


def test_an_advisor_writes_the_order_at_the_car_with_a_promise_from_the_plan(browser, shop):  # noqa: F811
    booked = book_today(shop, "粤E31313", at=slot_after(shop, 90), advisor_id=2)
    arrival = shop.api("POST", "/arrivals", {"appointment_id": booked["id"]})
    page = sign_in_with_the_form(browser, shop, "advisor2")
    page.wait_for_selector(f"[data-order='{arrival['id']}']", timeout=WAIT_MS)
    page.click(f"[data-order='{arrival['id']}']")
    page.wait_for_selector("#car .plate", timeout=WAIT_MS)
    assert "粤E31313" in page.inner_text("#car")
    page.fill("#mileage", "23456")
    page.select_option("#mark-where", "left_front_door")
    page.select_option("#mark-what", "scratch")
    page.click("#add-mark")
    page.fill("#customer-words", "刹车有异响")
    page.click("[data-menu='M10K']")
    page.click("#waits")
    page.wait_for_selector("#est-total", timeout=WAIT_MS)
    assert page.inner_text("#est-hours") == "1.3 h"
    page.wait_for_function("document.getElementById('promise').value !== ''", timeout=WAIT_MS)
    proposed = page.input_value("#promise")
    assert "按当前计划建议" in page.inner_text("#proposed")
    assert page.is_disabled("#write")  # not before the customer signs
    sign(page)
    page.wait_for_selector("#write:not([disabled])", timeout=WAIT_MS)
    page.click("#write")
    page.wait_for_selector("#written", timeout=WAIT_MS)
    order = next(o for o in shop.api("GET", "/repair-orders") if o["appointment_id"] == booked["id"])
    [card] = order["jobs"]  # the menu is one card for one technician, its operations as lines
    assert card["operation"].startswith("10000 公里保养") and card["lines"][0]["operation"].startswith("更换机油机滤")
    assert order["customer_waiting"] and order["promised_at"].startswith(proposed)
    walk = shop.api("GET", f"/repair-orders/{order['id']}/reception")
    assert walk["mileage_km"] == 23456 and walk["signed"] and walk["marks"] == [{"where": "左前门", "what": "划痕"}]
    page.context.close()


def test_the_tablet_opened_on_its_own_lets_her_choose_the_car_and_carries_the_booked_menu(browser, shop):  # noqa: F811
    """Issue 25 at 1280x800: the car chooser was 0 px high; the booked menu was not carried over; the
    job inputs had no labels; 添加项目 and the signature's 清除 sat outside the screen."""
    today = shop.clock.now().astimezone(shop.settings.zone).date().isoformat()
    booked = shop.api("POST", "/appointments", {"day": today, "slot_start": slot_after(shop, 60), "plate": "粤E51515", "model": "卡罗拉 Corolla",
                                                "customer_name": "周敏", "title": "女士", "phone": "13800138005", "service_type": "maintenance",
                                                "source": "inbound_call", "advisor_id": 2, "menu_code": "M10K", "note": "空调有异味"})
    arrival = shop.api("POST", "/arrivals", {"appointment_id": booked["id"]})
    page = sign_in_with_the_form(browser, shop, "advisor2")
    page.goto(f"http://{shop.host}/shops/gz-demo/order")
    car = page.locator(f"#pick [data-arrival='{arrival['id']}']")
    car.wait_for(timeout=WAIT_MS)
    box = car.bounding_box()
    assert box and box["height"] >= 30 and box["y"] + box["height"] <= 800 * 3, box  # a button a finger can press
    car.click()
    page.wait_for_selector("#car .plate", timeout=WAIT_MS)
    page.wait_for_selector("[data-menu='M10K'].chosen", timeout=WAIT_MS)  # the menu she booked, already chosen
    assert page.input_value("#customer-words") == "空调有异味"
    # Every input of a job line has its words; the buttons lie inside the screen's width.
    unlabelled = page.eval_on_selector_all(".job-entry input, .job-entry select", "(ns) => ns.filter((n) => !n.closest('label')).map((n) => n.id)")
    assert unlabelled == []
    for button in ("#add-job", "#clear-signature"):
        page.locator(button).scroll_into_view_if_needed()
        b = page.locator(button).bounding_box()
        assert b and b["x"] >= 0 and b["x"] + b["width"] <= 1280 and b["y"] + b["height"] <= 800, (button, b)
    page.context.close()
