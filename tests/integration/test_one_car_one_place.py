"""A car is in one place at a time: the plan, the foreman's manual assignment and the technician's
clock-on all keep it, and say so. The order the first morning broke on: an electrical job (1 h,
general lift) and a maintenance job (0.5 h, quick-service bay) on one car."""

from datetime import datetime

import pytest

from board.clock import FixedClock
from tests.conftest import shop_time

ELECTRICAL = {"operation": "电路检修", "skill": "electrical", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}
QUICK = {"operation": "快速保养", "skill": "maintenance", "level": 1, "est_hours": 0.5, "bay_kind": "quick_service"}


@pytest.fixture
def car(start_app):
    with start_app(FixedClock(shop_time("2026-11-24 15:40"))) as shop:
        adv = shop.ok("POST", "/advisors", {"name": "陈静"})["id"]
        shop.techs = [shop.ok("POST", "/technicians", {"name": name, "team": "mech_elec", "shift_end": "19:00",
                                                        "skills": [{"skill": "electrical", "level": 2}, {"skill": "maintenance", "level": 2}]})
                      for name in ("李军", "吴凯")]
        shop.ok("POST", "/bays", {"name": "1号举升机", "kind": "general_lift"})
        shop.ok("POST", "/bays", {"name": "快保工位", "kind": "quick_service"})
        order = shop.ok("POST", "/repair-orders", {"plate": "粤A46M46", "model": "凯美瑞", "customer_name": "王伟", "phone": "13800138000",
                                                   "advisor_id": adv, "promised_at": "2026-11-24T18:00", "jobs": [ELECTRICAL, QUICK]})
        shop.jobs = order["jobs"]
        yield shop


def span(row):
    return datetime.fromisoformat(row["start"]), datetime.fromisoformat(row["end"])


def test_the_plan_never_puts_the_car_in_two_bays_and_says_why_the_second_job_waits(car):
    plan = {r["job_id"]: r for r in car.ok("GET", "/dispatch/plan")["plan"]}
    (a_start, a_end), (b_start, b_end) = span(plan[car.jobs[0]["id"]]), span(plan[car.jobs[1]["id"]])
    assert a_end <= b_start or b_end <= a_start, (plan[car.jobs[0]["id"]], plan[car.jobs[1]["id"]])
    later = plan[car.jobs[1]["id"]] if b_start > a_start else plan[car.jobs[0]["id"]]
    assert any("car in" in r["en"] and "until" in r["en"] for r in later["reasons"]), later["reasons"]


def test_a_manual_assignment_is_planned_around_the_cars_other_job(car):
    first, second = car.jobs
    row = next(r for r in car.ok("GET", "/dispatch/plan")["plan"] if r["job_id"] == first["id"])
    car.ok("POST", "/dispatch/assign", {"job_id": first["id"], "version": first["version"], "technician_id": row["technician_id"]})
    other = next(t["id"] for t in car.techs if t["id"] != row["technician_id"])
    second = car.ok("GET", f"/jobs/{second['id']}")
    moved = car.ok("POST", "/dispatch/assign", {"job_id": second["id"], "version": second["version"], "technician_id": other,
                                                "reason": "吴凯 does the quick ones"})
    first = car.ok("GET", f"/jobs/{first['id']}")
    a = (datetime.fromisoformat(first["planned_start"]), datetime.fromisoformat(first["planned_end"]))
    b = (datetime.fromisoformat(moved["planned_start"]), datetime.fromisoformat(moved["planned_end"]))
    assert a[1] <= b[0] or b[1] <= a[0], (a, b)


def test_a_technician_cannot_clock_on_a_car_being_worked_in_another_bay(car):
    first, second = car.jobs
    li, wu = (t["id"] for t in car.techs)
    for job, tech, reason in ((first, li, ""), (second, wu, "two at once")):
        job = car.ok("GET", f"/jobs/{job['id']}")
        car.ok("POST", "/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": tech, "reason": reason or "test"})
    first = car.ok("GET", f"/jobs/{first['id']}")
    car.ok("POST", f"/jobs/{first['id']}/clock-on", {"version": first["version"]})
    second = car.ok("GET", f"/jobs/{second['id']}")
    refused = car.post(f"/jobs/{second['id']}/clock-on", {"version": second["version"]})
    assert refused.status_code == 409, refused.text
    assert "1号举升机" in refused.json()["error"]["message_zh"] and "being worked elsewhere" in refused.json()["error"]["message"]
