"""The advisor's booking console through the HTTP API: a car found by plate or phone with its history,
the cars due for maintenance (booked as outbound reminders), a booking made on the follow-up call,
a full slot refused with the nearest free ones, and who may read customers' phones."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update

from board.db.models import Finding, Job, Reception, ServiceMenu
from board.domain.vocab import FindingStatus, ServiceType
from tests.conftest import Shop, add_staff, booking, handed_over, person, shop_time

MAINT = {"operation": "定期保养 Periodic maintenance", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}
MENU_PARTS = [{"part_no": "90915-YZZD2", "name": "机油滤清器 Oil filter", "qty": 1, "unit_price": 68},
              {"part_no": "08880-83717", "name": "机油 0W-20 4L", "qty": 1, "unit_price": 420}]


def add_menu(shop: Shop, code: str, name: str, service: ServiceType = ServiceType.MAINTENANCE, months: int | None = 6,
             parts: list[dict[str, Any]] | None = None) -> None:
    """A service menu as the shop's admin keeps it (its own API is another part of the process)."""
    with shop.client.app.state.uow.shop(shop.code, "test") as ctx:
        ctx.session.add(ServiceMenu(shop_id=ctx.shop.id, code=code, name=name, service_type=service, interval_months=months,
                                    interval_km=5000, jobs=[{"operation": name, "skill": "maintenance", "level": 1, "est_hours": 1.0,
                                                             "bay_kind": "general_lift"}], parts=MENU_PARTS if parts is None else parts))


def in_db(shop: Shop, fn: Any) -> None:
    with shop.client.app.state.uow.shop(shop.code, "test") as ctx:
        fn(ctx)


@pytest.fixture
def desk(shop: Shop, clock: Any) -> Shop:
    """The shop on 2026-11-23 09:00: one advisor (a slot takes two cars), technicians, a maintenance menu."""
    shop.clock = clock
    shop.ids = add_staff(shop, advisors=1)
    add_menu(shop, "M10K", "10000公里保养")
    return shop


def visit(shop: Shop, when: str, plate: str, phone: str = "13800138000", name: str = "王伟", menu: str | None = None,
          deliver: bool = False) -> dict[str, Any]:
    """A repair order opened at ``when`` (the shop's clock is put back, then forward again)."""
    now = shop.clock.now()
    shop.clock.set(shop_time(when))
    try:
        ro = shop.ok("POST", "/repair-orders", {"plate": plate, "model": "凯美瑞 Camry", "customer_name": name, "title": "先生",
                                                 "phone": phone, "advisor_id": shop.ids["advisors"][0], "jobs": [MAINT],
                                                 "promised_at": (shop_time(when).replace(hour=17)).isoformat()})
        job = ro["jobs"][0]
        if menu:
            in_db(shop, lambda ctx: ctx.session.execute(update(Job).where(Job.id == job["id"]).values(menu_code=menu)))
        if deliver:
            job = shop.ok("POST", f"/jobs/{job['id']}/transitions", {"action": "dispatch", "version": job["version"],
                                                                     "technician_id": shop.ids["techs"][0]})
            job = shop.ok("POST", f"/jobs/{job['id']}/transitions", {"action": "start", "version": job["version"]})
            handed_over(shop, job)
    finally:
        shop.clock.set(now)
    return ro  # type: ignore[no-any-return]


def test_a_car_is_found_by_plate_or_phone_with_its_history(desk: Shop):
    old = visit(desk, "2026-06-10 10:00", "粤A·12345", phone="138-0013-8000")
    in_db(desk, lambda ctx: ctx.session.add(Reception(shop_id=ctx.shop.id, repair_order_id=old["id"], mileage_km=18_250, marks=[],
                                                      created_at=shop_time("2026-06-10 10:05"), created_by="陈静")))
    in_db(desk, lambda ctx: ctx.session.add(Finding(shop_id=ctx.shop.id, repair_order_id=old["id"], text="刹车片剩 3 mm", operation="更换前刹车片",
                                                    labour_price=180, parts_price=460, status=FindingStatus.DECLINED,
                                                    created_at=shop_time("2026-06-10 11:00"))))
    booked = desk.ok("POST", "/appointments", booking("2026-11-25", "10:00", plate="粤A12345", phone="138-0013-8000"))
    desk.ok("POST", "/appointments", booking("2026-11-25", "10:30", plate="粤B54321", phone="13966667777", customer_name="李娜"))

    for typed in ("a12345", "粤A·12345", "12345", "13800138000", "0013 8000"):
        found = desk.ok("GET", f"/booking/cars?q={typed}")
        assert [c["plate"] for c in found] == ["粤A·12345"], typed
    car = found[0]
    assert car["customer"]["name"] == "王伟" and car["customer"]["phone"] == "138-0013-8000"
    assert (car["last_visit"], car["last_mileage_km"]) == ("2026-06-10", 18_250)
    assert car["upcoming"]["id"] == booked["id"] and car["upcoming"]["day"] == "2026-11-25"
    assert [c["plate"] for c in desk.ok("GET", "/booking/cars?q=李娜")] == ["粤B54321"]
    assert desk.ok("GET", "/booking/cars?q=粤C99999") == []

    history = desk.ok("GET", f"/booking/cars/{car['vehicle_id']}")
    assert [o["number"] for o in history["orders"]] == [old["number"]] and history["orders"][0]["mileage_km"] == 18_250
    assert history["orders"][0]["operations"] == ["定期保养 Periodic maintenance"] and history["orders"][0]["delivered"] is False
    assert [(b["id"], b["status"]["value"]) for b in history["bookings"]] == [(booked["id"], "booked")]
    assert history["declined"] == [{"finding_id": history["declined"][0]["finding_id"], "repair_order": old["number"], "text": "刹车片剩 3 mm",
                                    "operation": "更换前刹车片", "price": 640.0, "found_at": "2026-06-10"}]
    # The shop's maintenance menu says six months: due on 2026-12-10.
    assert (history["next_service"], history["interval_months"], history["menu_code"]) == ("2026-12-10", 6, "M10K")

    short = desk.get("/booking/cars?q=A")
    assert short.status_code == 422 and short.json()["error"]["fields"][0]["field"] == "q"
    assert desk.get("/booking/cars/999999").status_code == 404


def test_only_advisors_search_customers_with_their_phones(desk: Shop):
    desk.ok("POST", "/appointments", booking("2026-11-25", "10:00", plate="粤A12345"))
    tech = person(desk, "zhaoqiang", "technician", "赵强", technician_id=desk.ids["techs"][0])
    parts = person(desk, "beijian", "parts", "备件员")
    for who in (tech, parts):
        assert who.get("/booking/cars?q=12345").status_code == 403
        assert who.get("/booking/due").status_code == 403
    advisor = person(desk, "chenjing", "advisor", "陈静", advisor_id=desk.ids["advisors"][0])
    assert advisor.ok("GET", "/booking/cars?q=12345")[0]["customer"]["phone"] == "13800138000"


def test_cars_due_for_maintenance_are_the_outbound_calls_and_booked_as_such(desk: Shop):
    add_menu(desk, "Q3M", "快保 3个月", ServiceType.QUICK, months=3)
    visit(desk, "2026-04-20 09:00", "粤A·00001")  # 7 months: overdue by the 6-month default menu
    visit(desk, "2026-09-20 09:00", "粤A·00002")  # 2 months: not due
    visit(desk, "2026-04-01 09:00", "粤A·00003")  # overdue, but booked already
    visit(desk, "2026-07-30 09:00", "粤A·00004", menu="Q3M")  # its menu says 3 months: due 10-30
    visit(desk, "2026-05-30 09:00", "粤A·00005")  # due 11-30: within the month ahead
    desk.ok("POST", "/appointments", booking("2026-11-27", "09:00", plate="粤A00003"))

    due = desk.ok("GET", "/booking/due")
    assert (due["day"], due["by"], due["default_interval_months"]) == ("2026-11-23", "2026-12-23", 6)
    rows = [(c["plate"], c["next_service"], c["overdue_days"], c["menu_code"]) for c in due["cars"]]
    assert rows == [("粤A·00001", "2026-10-20", 34, "M10K"), ("粤A·00004", "2026-10-30", 24, "Q3M"), ("粤A·00005", "2026-11-30", 0, "M10K")]
    assert [c["plate"] for c in desk.ok("GET", "/booking/due?within_days=0")["cars"]] == ["粤A·00001", "粤A·00004"]
    assert due["cars"][0]["advisor"]["id"] == desk.ids["advisors"][0] and due["cars"][0]["customer"]["phone"] == "13800138000"

    first = due["cars"][0]
    body = booking("2026-11-24", "09:30", plate=first["plate"], model="凯美瑞 Camry", source="outbound_reminder",
                   advisor_id=first["advisor"]["id"], menu_code=first["menu_code"])
    made = desk.ok("POST", "/booking/appointments", body)
    assert made["source"] == {"value": "outbound_reminder", "zh": "主动预约", "en": "Outbound reminder"}
    assert made["note"] == "10000公里保养" and made["column"] == "day_before"
    assert [c["plate"] for c in desk.ok("GET", "/booking/due")["cars"]] == ["粤A·00004", "粤A·00005"]  # booked: off the call list
    events = [e for e in desk.ok("GET", "/events?entity=appointment") if e["entity_id"] == made["id"]]
    assert events[0]["action"] == "booked" and events[0]["after"]["source"] == "outbound_reminder"


def test_a_booking_made_on_the_follow_up_call(desk: Shop):
    ro = visit(desk, "2026-11-21 09:00", "粤C·66666", phone="13611112222", name="赵敏", deliver=True)
    assert [c["repair_order_id"] for c in desk.ok("GET", "/follow-ups")["due"]] == [ro["id"]]

    car = desk.ok("GET", f"/booking/orders/{ro['id']}")
    assert car["from_order"] == {"id": ro["id"], "number": ro["number"]}
    assert (car["plate"], car["customer"]["name"], car["customer"]["phone"]) == ("粤C·66666", "赵敏", "13611112222")
    assert car["orders"][0]["delivered"] is True and car["last_visit"] == "2026-11-21"

    body = booking("2026-11-24", "14:00", plate=car["plate"], model=car["model"], customer_name=car["customer"]["name"],
                   title=car["customer"]["title"], phone=car["customer"]["phone"], source="outbound_reminder",
                   note=f"回访预约 follow-up of {ro['number']}", menu_code="M10K")
    made = desk.ok("POST", "/booking/appointments", body)
    assert made["note"] == f"10000公里保养 · 回访预约 follow-up of {ro['number']}" and made["source"]["value"] == "outbound_reminder"
    # The same car and customer, not new ones; the menu's parts wait at the desk for the day before.
    assert desk.ok("GET", f"/booking/cars/{car['vehicle_id']}")["upcoming"]["id"] == made["id"]
    assert len(desk.ok("GET", "/booking/cars?q=13611112222")) == 1
    [listed] = desk.ok("GET", "/parts?day=2026-11-24")["bookings"]
    assert listed["appointment_id"] == made["id"] and [x["part_no"] for x in listed["lines"]] == ["90915-YZZD2", "08880-83717"]
    assert desk.get("/booking/orders/999999").status_code == 404


def test_a_full_slot_is_refused_with_the_nearest_free_ones(desk: Shop):
    for plate in ("粤A10001", "粤A10002"):  # one advisor receives two cars a slot
        desk.ok("POST", "/appointments", booking("2026-11-24", "10:00", plate=plate))
    week = desk.ok("GET", "/booking/slots?service_type=maintenance&first=2026-11-24&days=3")
    assert [d["day"] for d in week] == ["2026-11-24", "2026-11-25", "2026-11-26"] and week[0]["weekday"] == 2
    ten = next(s for s in week[0]["slots"] if s["slot_start"] == "10:00")
    assert ten["free"] == 0 and week[0]["times"] > 0 and ten["workshop"] is None  # no advisor free: the workshop is not asked

    full = desk.post("/booking/appointments", booking("2026-11-24", "10:00", plate="粤A10003", menu_code="M10K"))
    assert full.status_code == 409
    error = full.json()["error"]
    assert error["code"] == "slot_full" and "已约满" in error["message_zh"]
    assert [(a["day"], a["slot_start"]) for a in error["alternatives"][:2]] == [("2026-11-24", "09:30"), ("2026-11-24", "10:30")]
    assert desk.ok("GET", "/booking/cars?q=10003") == []  # nothing was kept of the refused booking
    # One of the alternatives, taken as offered.
    alt = error["alternatives"][1]
    made = desk.ok("POST", "/booking/appointments", booking(alt["day"], alt["slot_start"], plate="粤A10003", menu_code="M10K"))
    assert made["slot_start"] == "10:30"

    # Moving a booking counts its own place as free: the full 10:00 is free again to the car in it.
    first = desk.ok("GET", "/appointments?day=2026-11-24")[0]
    moving = desk.ok("GET", f"/booking/slots?service_type=maintenance&first=2026-11-24&days=1&moving={first['id']}")
    assert next(s for s in moving[0]["slots"] if s["slot_start"] == "10:00")["free"] == 1
    moved = desk.ok("PATCH", f"/appointments/{made['id']}", {"version": made["version"], "slot_start": "11:00"})
    assert moved["slot_start"] == "11:00"
    stale = desk.patch(f"/appointments/{made['id']}", {"version": made["version"], "slot_start": "11:30"})
    assert stale.status_code == 409
    cancelled = desk.ok("POST", f"/appointments/{made['id']}/cancel", {"version": moved["version"], "reason": "客户改约"})
    assert cancelled["status"]["value"] == "cancelled"


def test_a_menu_must_be_the_shops_and_of_the_service_booked(desk: Shop):
    unknown = desk.post("/booking/appointments", booking("2026-11-24", "10:00", menu_code="NOPE"))
    assert unknown.status_code == 422 and unknown.json()["error"]["fields"][0]["field"] == "menu_code"
    other = desk.post("/booking/appointments", booking("2026-11-24", "10:00", service="quick", menu_code="M10K"))
    assert other.status_code == 422 and "is for Maintenance, not Quick service" in other.json()["error"]["fields"][0]["reason"]
    menus = desk.ok("GET", "/booking/menus?service_type=maintenance")
    assert [(m["code"], m["hours"], m["parts_price"], m["price"]) for m in menus] == [("M10K", 1.0, 488.0, 668.0)]
    assert desk.ok("GET", "/booking/menus?service_type=quick") == []


def test_the_consoles_answers_fit_their_documented_schemas(desk: Shop):
    from tests.integration.test_openapi import Documented

    s = Documented(desk)
    old = visit(desk, "2026-04-20 09:00", "粤A·00001", menu="M10K")
    in_db(desk, lambda ctx: ctx.session.add(Reception(shop_id=ctx.shop.id, repair_order_id=old["id"], mileage_km=9_800, marks=[],
                                                      created_at=shop_time("2026-04-20 09:05"), created_by="陈静")))
    car = s.ok("GET", "/booking/cars?q=00001")[0]
    s.ok("GET", f"/booking/cars/{car['vehicle_id']}")
    s.ok("GET", f"/booking/orders/{old['id']}")
    assert s.ok("GET", "/booking/due")["cars"]
    s.ok("GET", "/booking/slots?service_type=maintenance&days=2")
    s.ok("GET", "/booking/menus")
    made = s.ok("POST", "/booking/appointments", booking("2026-11-24", "09:00", plate="粤A00001"))
    s.ok("POST", f"/parts/bookings/{made['id']}/menu", {})
    job = desk.ok("POST", "/repair-orders", {"plate": "粤A·00002", "model": "凯美瑞", "customer_name": "王伟", "phone": "13800138000",
                                              "advisor_id": desk.ids["advisors"][0], "promised_at": "2026-11-23T17:00",
                                              "jobs": [MAINT]})["jobs"][0]
    in_db(desk, lambda ctx: ctx.session.execute(update(Job).where(Job.id == job["id"]).values(menu_code="M10K")))
    lines = s.ok("POST", f"/parts/jobs/{job['id']}/menu", {})
    added = s.ok("POST", "/parts/lines", {"appointment_id": made["id"], "part_no": "X-1", "name": "雨刮片 Wipers", "qty": 2, "unit_price": 95})
    picked = s.ok("POST", f"/part-lines/{lines[0]['id']}/pick", {"version": lines[0]["version"]})
    ordered = s.ok("POST", f"/part-lines/{lines[1]['id']}/order", {"version": lines[1]["version"], "expected_at": "2026-11-23T15:00"})
    s.ok("POST", f"/part-lines/{ordered['id']}/arrive", {"version": ordered["version"]})
    s.ok("POST", f"/part-lines/{added['id']}/remove", {"version": added["version"]})
    desk_list = s.ok("GET", "/parts?day=2026-11-24")
    assert desk_list["jobs"] and desk_list["bookings"] and picked["status"]["value"] == "picked"
    assert len(s.checked) == 15, sorted(s.checked)
