"""The day's KPIs and the follow-up calls through the API, on SQLite and PostgreSQL: a day played
through the same routes the consoles use, with its edge cases — a walk-in, a cancelled booking, a
job stopped for parts, a car handed over after midnight — and the figures read back."""

from datetime import timedelta

import pytest

from tests.conftest import add_staff, booking, handed_over, inspected, self_checked, shop_time

QUICK = {"operation": "快速保养", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}


def move(shop, job_id, action, **extra):
    job = shop.ok("GET", f"/jobs/{job_id}")
    return shop.ok("POST", f"/jobs/{job_id}/transitions", {"action": action, "version": job["version"], **extra})


def assign_and_start(shop, job_id, tech):
    """Assign and clock on; True when it went against the plan's suggestion (an override, counted)."""
    job = shop.ok("GET", f"/jobs/{job_id}")
    suggested = next((r["technician_id"] for r in shop.ok("GET", "/dispatch/plan")["plan"] if r["job_id"] == job_id), None)
    shop.ok("POST", "/dispatch/assign", {"job_id": job_id, "version": job["version"], "technician_id": tech, "reason": "测试 test"})
    job = shop.ok("GET", f"/jobs/{job_id}")
    shop.ok("POST", f"/jobs/{job_id}/clock-on", {"version": job["version"]})
    return suggested != tech


def hand_over(shop, job_id):
    handed_over(shop, shop.ok("GET", f"/jobs/{job_id}"))


@pytest.fixture
def day(shop, clock):
    """09:00 to 00:30 the next morning at the test shop; returns what was done."""
    ids = add_staff(shop)
    advisor, tech_a, tech_b = ids["advisors"][0], ids["techs"][0], ids["techs"][1]
    kept = shop.ok("POST", "/appointments", booking("2026-11-23", "09:30", advisor_id=advisor))
    gone = shop.ok("POST", "/appointments", booking("2026-11-23", "10:00", advisor_id=advisor))
    shop.ok("POST", f"/appointments/{gone['id']}/cancel", {"version": gone["version"], "reason": "客户改期"})
    arrival = shop.ok("POST", "/arrivals", {"appointment_id": kept["id"]})  # at 09:00
    clock.advance(timedelta(minutes=3))
    shop.ok("POST", f"/arrivals/{arrival['id']}/received", {"version": arrival["version"], "advisor_id": advisor})
    walk = shop.ok("POST", "/arrivals", {"walk_in": True, "plate": "粤B·7K2M9", "model": "雷凌 Levin"})  # 09:03
    clock.advance(timedelta(minutes=7))
    shop.ok("POST", f"/arrivals/{walk['id']}/received", {"version": walk["version"], "advisor_id": advisor})  # waited 7 min
    booked_ro = shop.ok("POST", "/repair-orders", {"appointment_id": kept["id"], "promised_at": "2026-11-23T12:00", "jobs": [QUICK]})
    walk_ro = shop.ok("POST", "/repair-orders", {"plate": "粤B·7K2M9", "model": "雷凌 Levin", "customer_name": "陈芳", "title": "女士",
                                                 "phone": "13700137000", "advisor_id": advisor, "promised_at": "2026-11-23T17:00", "jobs": [QUICK]})
    job_1, job_2 = booked_ro["jobs"][0]["id"], walk_ro["jobs"][0]["id"]
    clock.set(shop_time("2026-11-23 10:00"))
    overrides = assign_and_start(shop, job_1, tech_a) + assign_and_start(shop, job_2, tech_b)
    clock.set(shop_time("2026-11-23 10:30"))
    move(shop, job_2, "stop", reason="parts", note="等刹车片")
    clock.set(shop_time("2026-11-23 11:00"))
    hand_over(shop, job_1)  # clocked 10:00-11:00, delivered 11:00 (promised 12:00)
    clock.set(shop_time("2026-11-23 15:00"))
    move(shop, job_2, "resume")
    clock.set(shop_time("2026-11-23 15:30"))
    job = inspected(shop, self_checked(shop, shop.ok("GET", f"/jobs/{job_2}")))
    shop.ok("POST", f"/repair-orders/{walk_ro['id']}/wash-done", {"versions": {str(job_2): job["version"]}})
    clock.set(shop_time("2026-11-24 00:30"))  # the customer picks it up after midnight
    shop.ok("POST", f"/repair-orders/{walk_ro['id']}/hand-over", {"version": shop.ok("GET", f"/repair-orders/{walk_ro['id']}")["version"]})
    return {"tech_a": tech_a, "tech_b": tech_b, "advisor": advisor, "booked_ro": booked_ro, "walk_ro": walk_ro, "overrides": overrides}


def test_the_days_figures_come_back_as_played(shop, day):
    s = shop.ok("GET", "/reports/day?day=2026-11-23")
    assert (s["arrivals"], s["booked_arrivals"], s["walk_ins"], s["appointment_rate"]) == (2, 1, 1, 0.5)
    assert (s["bookings"], s["cancelled"], s["no_shows"]) == (1, 1, 0)
    assert (s["received"], s["within_5_min"], s["mean_wait_s"]) == (2, 0.5, 300.0)  # 3 and 7 minutes
    assert (s["delivered_orders"], s["on_time_orders"], s["on_time_delivery"]) == (1, 1, 1.0)  # the other left after midnight
    assert (s["qc_passes"], s["qc_failures"], s["orders_opened"], s["comebacks"]) == (2, 0, 2, 0)
    techs = {t["id"]: t for t in s["technicians"]}
    assert techs[day["tech_a"]]["clocked_hours"] == 1.0
    assert techs[day["tech_b"]]["clocked_hours"] == 1.0  # 10:00-10:30 and 15:00-15:30: the parts stop is not clocked
    assert techs[day["tech_b"]]["efficiency"] == 1.0
    assert s["stages_at_close"] == {"delivered": 1, "ready": 1}
    assert (s["dispatches"], s["overrides"]) == (2, day["overrides"])  # those against the suggestion, with a reason
    assert next(a for a in s["advisors"] if a["id"] == day["advisor"])["received"] == 2
    after_midnight = shop.ok("GET", "/reports/day?day=2026-11-24")
    assert (after_midnight["delivered_orders"], after_midnight["on_time_orders"]) == (1, 0)  # promised 17:00 the day before


def test_csv_export_and_trend(shop, day):
    response = shop.get("/reports/day.csv?day=2026-11-23")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "day,scope,id,name,kpi,value"
    assert "2026-11-23,shop,,,appointment_rate,0.5" in lines
    trend = shop.ok("GET", "/reports/trend?day=2026-11-24&days=3")
    assert [d["day"] for d in trend] == ["2026-11-22", "2026-11-23", "2026-11-24"]
    assert [d["delivered_orders"] for d in trend] == [0, 1, 1]


def test_a_bad_report_day_is_named(shop):
    response = shop.get("/reports/day?day=yesterday")
    assert response.status_code == 422 and response.json()["error"]["fields"][0]["field"] == "day"
    assert shop.get("/reports/trend?days=500").status_code == 422


def test_follow_up_within_three_days_complaint_until_closed(shop, day, clock):
    booked, walk = day["booked_ro"]["number"], day["walk_ro"]["number"]
    clock.set(shop_time("2026-11-24 10:00"))  # the day after the first car left; the walk-in left after midnight: today
    due = shop.ok("GET", "/follow-ups")
    assert [(c["number"], c["call_by"], c["overdue"]) for c in due["due"]] == [(booked, "2026-11-26", False)]
    clock.set(shop_time("2026-11-26 10:00"))  # the third day for the first car (still within the standard), the second for the walk-in
    assert [(c["number"], c["overdue"]) for c in shop.ok("GET", "/follow-ups")["due"]] == [(booked, False), (walk, False)]
    call = shop.ok("POST", "/follow-ups", {"repair_order_id": day["booked_ro"]["id"], "outcome": "unreachable"})
    assert [c["number"] for c in shop.ok("GET", "/follow-ups")["due"]] == [booked, walk]  # called again later
    twice = shop.post("/follow-ups", {"repair_order_id": day["booked_ro"]["id"], "outcome": "complaint"})
    assert twice.status_code == 422 and twice.json()["error"]["fields"][0]["field"] == "version"
    complaint = shop.ok("POST", "/follow-ups", {"repair_order_id": day["booked_ro"]["id"], "outcome": "complaint",
                                                 "note": "洗车不干净 car not clean", "version": call["version"]})
    listing = shop.ok("GET", "/follow-ups")
    assert [c["number"] for c in listing["due"]] == [walk] and [c["id"] for c in listing["open_complaints"]] == [complaint["id"]]
    assert (listing["complaints_30_days"], listing["reached_30_days"], listing["complaint_rate"], listing["standard"]) == (1, 1, 1.0, 0.01)
    clock.set(shop_time("2026-11-28 10:00"))  # the walk-in's fourth day: overdue, and still on the list until reached
    assert [(c["number"], c["overdue"]) for c in shop.ok("GET", "/follow-ups")["due"]] == [(walk, True)]
    stale = shop.post(f"/follow-ups/{complaint['id']}/close", {"version": complaint["version"] - 1, "resolution": "重新洗车"})
    assert stale.status_code == 409
    closed = shop.ok("POST", f"/follow-ups/{complaint['id']}/close", {"version": complaint["version"], "resolution": "免费重新洗车 washed again"})
    assert closed["resolved_at"] is not None
    assert shop.ok("GET", "/follow-ups")["open_complaints"] == []
    again = shop.post(f"/follow-ups/{complaint['id']}/close", {"version": closed["version"], "resolution": "x"})
    assert again.status_code == 409


def test_a_car_not_handed_over_has_no_follow_up(shop, day):
    open_order = shop.ok("POST", "/repair-orders", {"plate": "粤C·12345", "model": "凯美瑞", "customer_name": "王伟", "phone": "13800138000",
                                                     "advisor_id": day["advisor"], "promised_at": "2026-11-24T17:00", "jobs": [QUICK]})
    response = shop.post("/follow-ups", {"repair_order_id": open_order["id"], "outcome": "satisfied"})
    assert response.status_code == 422 and "not been handed over" in response.json()["error"]["message"]
