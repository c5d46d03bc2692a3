"""Reception and the repair order through the API: service menus kept by an admin, a quote with a
promise from the live plan, the order written with its walk-round, estimate, parts and signature."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from board.db.models import PartLine
from tests.conftest import Shop, add_staff, booking, person

SIGNATURE = "M10 10 L40 30 L80 12 M90 40 L120 44"
FIVE_K = {"code": "M5K", "name": "5000 公里保养", "service_type": "maintenance", "interval_months": 6, "interval_km": 5000,
          "jobs": [{"operation": "更换机油机滤", "skill": "maintenance", "level": 1, "est_hours": 0.5, "bay_kind": "quick_service"},
                   {"operation": "常规检查", "skill": "maintenance", "level": 1, "est_hours": 0.5, "bay_kind": "quick_service"}],
          "parts": [{"part_no": "04152-YZZA6", "name": "机油滤清器", "qty": 1, "unit_price": 40},
                    {"part_no": "08880-83718", "name": "机油 0W-20 (升)", "qty": 4, "unit_price": 60}]}


@pytest.fixture
def front(shop: Shop) -> dict:
    ids = add_staff(shop, advisors=2, mech_techs=2, body_techs=0, bays=False)
    shop.ok("POST", "/bays", {"name": "快保1", "kind": "quick_service"})
    current = shop.ok("GET", "")
    shop.ok("PATCH", "", {"version": current["version"], "labour_rate": 200})
    menu = shop.ok("POST", "/menus", FIVE_K, status=201)
    advisor = person(shop, "chenjing", "advisor", "陈静", advisor_id=ids["advisors"][0])
    appt = shop.ok("POST", "/appointments", booking("2026-11-23", "09:30", advisor_id=ids["advisors"][0]))
    arrival = shop.ok("POST", "/arrivals", {"appointment_id": appt["id"]})
    return {"ids": ids, "menu": menu, "advisor": advisor, "appt": appt, "arrival": arrival}


def test_an_admin_keeps_the_menus_and_each_says_its_price_at_the_labour_rate(shop: Shop, front: dict):
    menu = front["menu"]
    assert (menu["hours"], menu["labour"], menu["parts_amount"], menu["total"]) == (1.0, 200.0, 280.0, 480.0)
    assert front["advisor"].post("/menus", FIVE_K | {"code": "X"}).status_code == 403
    assert shop.post("/menus", FIVE_K).status_code == 409  # the code is taken
    retired = shop.ok("PATCH", f"/menus/{menu['id']}", {"version": menu["version"], "active": False})
    assert retired["active"] is False
    refused = front["advisor"].post("/orders/quote", {"menus": ["M5K"]})
    assert refused.status_code == 422 and refused.json()["error"]["fields"][0]["field"] == "menus"


def test_the_shops_settings_change_one_at_a_time_and_null_leaves_one_as_it_is(shop: Shop):
    current = shop.ok("GET", "")
    same = shop.ok("PATCH", "", {"version": current["version"], "name": None, "labour_rate": 260, "opens_at": None, "closes_at": None})
    assert same["labour_rate"] == 260 and (same["name"], same["opens_at"], same["closes_at"]) == (current["name"], current["opens_at"], current["closes_at"])
    refused = shop.patch("", {"version": same["version"], "opens_at": "18:00", "closes_at": "08:00"})
    assert refused.status_code == 422 and refused.json()["error"]["fields"][0]["field"] == "closes_at"


def test_a_quote_proposes_a_promise_from_the_live_plan(front: dict):
    quote = front["advisor"].ok("POST", "/orders/quote", {"menus": ["M5K"], "customer_waiting": True, "appointment_id": front["appt"]["id"]})
    assert (quote["hours"], quote["labour"], quote["parts"], quote["total"], quote["priority"]) == (1.0, 200.0, 280.0, 480.0, "waiting")
    # Two half-hour jobs on one car from 09:00 (a car is in one place at a time), then QC, wash and the margin.
    assert quote["finish"] == "2026-11-23T10:00+08:00"
    assert datetime.fromisoformat(quote["promise"]) >= datetime.fromisoformat(quote["finish"])
    # No history yet: the default margin of 30 minutes, and the quote says so.
    assert quote["promise"] == "2026-11-23T11:00+08:00" and quote["allowance_minutes"] == 60
    assert quote["margin"]["minutes"] == 30 and quote["margin"]["past_jobs"] == 0 and "default" in quote["margin"]["en"]
    # The floor fills up: the same work quoted later in the morning's queue is promised later.
    for n in range(3):
        body = {"plate": f"粤B{n}0000", "model": "雷凌", "customer_name": "李", "phone": "13700137000", "advisor_id": front["ids"]["advisors"][0],
                "promised_at": "2026-11-23T12:00", "customer_waiting": True,
                "jobs": [{"operation": "保养", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "quick_service"}]}
        front["advisor"].ok("POST", "/repair-orders", body, status=201)
    later = front["advisor"].ok("POST", "/orders/quote", {"menus": ["M5K"], "customer_waiting": True, "appointment_id": front["appt"]["id"]})
    assert later["promise"] > quote["promise"]


def test_the_order_is_written_with_its_walk_round_estimate_parts_and_signature(shop: Shop, front: dict):
    body = {"arrival_id": front["arrival"]["id"], "menus": ["M5K"], "customer_waiting": True, "promised_at": "2026-11-23T11:00",
            "jobs": [{"operation": "检查异响", "skill": "mechanical", "level": 1, "est_hours": 0.5, "bay_kind": "quick_service"}],
            "walk_round": {"mileage_km": 15230, "fuel_eighths": 3, "marks": [{"where": "左前门", "what": "划痕"}], "valuables": "行车记录仪",
                           "customer_words": "刹车时有异响"}}
    unsigned = front["advisor"].post("/orders/reception", body)
    assert unsigned.status_code == 422 and unsigned.json()["error"]["fields"][0]["field"] == "signature"
    written = front["advisor"].ok("POST", "/orders/reception", body | {"signature": SIGNATURE}, status=201)
    order, walk = written["order"], written["reception"]
    # The menu is one card for one technician, its operations as lines; the mechanical check a card of its own.
    assert [(j["operation"], [line["operation"] for line in j["lines"]]) for j in order["jobs"]] == [
        ("5000 公里保养", ["更换机油机滤", "常规检查"]), ("检查异响", ["检查异响"])]
    assert all(j["priority"]["value"] == "waiting" for j in order["jobs"])
    assert order["advisor"]["id"] == front["ids"]["advisors"][0]  # written by her: hers
    assert (walk["mileage_km"], walk["fuel_eighths"], walk["signed"], walk["customer_words"]) == (15230, 3, True, "刹车时有异响")
    assert shop.ok("GET", f"/repair-orders/{order['id']}/reception")["marks"] == [{"where": "左前门", "what": "划痕"}]
    arrival = next(a for a in shop.ok("GET", "/arrivals") if a["id"] == front["arrival"]["id"])
    assert arrival["received_by"] == front["ids"]["advisors"][0]  # writing the order received the customer
    with shop.client.app.state.uow.shop("gz01", "test", write=False) as ctx:
        lines = list(ctx.session.scalars(select(PartLine).where(PartLine.job_id == order["jobs"][0]["id"])))
        assert sorted((p.part_no, p.qty) for p in lines) == [("04152-YZZA6", 1.0), ("08880-83718", 4.0)]
    events = [e["action"] for e in shop.ok("GET", "/events?entity=repair_order")]
    assert "signed" in events
    assert front["advisor"].post("/orders/reception", body | {"signature": SIGNATURE}).status_code == 409  # one order per booking
    # The technician's card carries it all to the bay: her words, the marks, the operations, the parts.
    card = shop.ok("GET", f"/jobs/{order['jobs'][0]['id']}/card")
    assert (card["customer_words"], card["mileage_km"], card["marks"]) == ("刹车时有异响", 15230, [{"where": "左前门", "what": "划痕"}])
    assert [o["operation"] for o in card["operations"]] == ["更换机油机滤", "常规检查"]
    assert sorted((p["part_no"], p["qty"], p["status"]) for p in card["parts"]) == [("04152-YZZA6", 1.0, "needed"), ("08880-83718", 4.0, "needed")]
    assert card["new_energy"] is False and card["last_visits"] == [] and card["declined"] == []


def test_only_advisors_write_orders(shop: Shop, front: dict):
    greeter = person(shop, "linna", "greeter", "林娜")
    assert greeter.post("/orders/quote", {"menus": ["M5K"]}).status_code == 403
    assert greeter.post("/orders/reception", {"menus": ["M5K"], "promised_at": "2026-11-23T11:00", "signature": SIGNATURE}).status_code == 403


def test_a_far_promise_says_why_and_offers_what_else(shop: Shop, front: dict):
    lift = shop.ok("POST", "/bays", {"name": "1号举升机", "kind": "general_lift"})
    # The only lift holds a car worked on for five hours; the express bay stands free.
    order = front["advisor"].ok("POST", "/repair-orders", {
        "plate": "粤B90000", "model": "雷凌", "customer_name": "李", "phone": "13700137000", "advisor_id": front["ids"]["advisors"][0],
        "promised_at": "2026-11-23T17:00",
        "jobs": [{"operation": "电路检修", "skill": "electrical", "level": 1, "est_hours": 5.0, "bay_kind": "general_lift"}]}, status=201)
    job = order["jobs"][0]
    job = shop.ok("POST", "/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": front["ids"]["techs"][0],
                                               "bay_id": lift["id"], "reason": "他熟悉这台车"})
    shop.ok("POST", f"/jobs/{job['id']}/transitions", {"action": "start", "version": job["version"]})
    # An hour's brake-fluid change asked on a lift: it waits for the lift, so the promise is far and says why.
    fluid = {"operation": "更换刹车油", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}
    quote = front["advisor"].ok("POST", "/orders/quote", {"jobs": [fluid], "customer_waiting": True, "appointment_id": front["appt"]["id"]})
    assert quote["finish"] == "2026-11-23T15:00+08:00" and quote["far"] is True
    assert "所有举升机占用至 14:00" in quote["why"]["zh"] and "all lifts taken until 14:00" in quote["why"]["en"]
    options = {o["kind"]: o for o in quote["options"]}
    # The express bay has it ready three hours sooner; leaving the car, the same lift's time.
    assert options["express"]["ready"] == "2026-11-23T11:00+08:00" and "快保工位" in options["express"]["zh"]
    assert datetime.fromisoformat(options["drop_off"]["ready"]) >= datetime.fromisoformat(quote["finish"])
    assert "another_technician" not in options  # the lift, not a man, holds it up
    # Work that fits at once is not far, and offers nothing else.
    near = front["advisor"].ok("POST", "/orders/quote", {"menus": ["M5K"], "customer_waiting": True, "appointment_id": front["appt"]["id"]})
    assert near["far"] is False and near["why"] is None and near["options"] == []
