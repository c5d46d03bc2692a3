"""A car is in one place at a time, in one bay: the plan, the foreman's manual assignment, the
technician's clock-on and the database all keep it, and say so; nobody works two cards at once. The order the first morning broke on: an electrical job (1 h,
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
    assert "车辆在1号举升机正由李军维修" in refused.json()["error"]["message_zh"]
    assert "being worked on in 1号举升机 by 李军" in refused.json()["error"]["message"]
    assert car.ok("GET", f"/jobs/{second['id']}")["stage"]["value"] == "dispatched"  # and nothing moved


def test_the_car_stands_in_one_bay_the_data_refuses_a_second_car_and_a_stopped_car_holds_its_lift(car):
    """One car, one bay: a car goes up where its card is clocked on and stays there, worked or stopped,
    until its cards are done or the foreman sends it to the waiting area; no road puts a second car there."""
    first, second = car.jobs
    li, wu = (t["id"] for t in car.techs)
    job = car.ok("GET", f"/jobs/{first['id']}")
    job = car.ok("POST", "/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": li, "reason": "test"})
    job = car.ok("POST", f"/jobs/{job['id']}/clock-on", {"version": job["version"]})
    lift = job["car_bay_id"]
    assert job["bay_id"] == lift and car.ok("GET", f"/repair-orders/{job['repair_order_id']}")["bay_id"] == lift
    job = car.ok("POST", f"/jobs/{job['id']}/clock-off", {"version": job["version"], "reason": "parts", "note": "等继电器"})
    assert job["car_bay_id"] == lift  # stopped, it holds the lift
    # Another car's card cannot go up on that lift: the plan leaves it, a clock-on finds the other bay or refuses.
    adv = car.ok("GET", "/advisors")[0]["id"]
    other = car.ok("POST", "/repair-orders", {"plate": "粤B12345", "model": "雷凌", "customer_name": "李雷", "phone": "13900000000",
                                               "advisor_id": adv, "promised_at": "2026-11-24T18:00", "jobs": [ELECTRICAL]})["jobs"][0]
    assert all(r["bay_id"] != lift for r in car.ok("GET", "/dispatch/plan")["plan"] if r["job_id"] == other["id"])
    other = car.ok("POST", "/dispatch/assign", {"job_id": other["id"], "version": other["version"], "technician_id": wu, "reason": "test"})
    refused = car.post(f"/jobs/{other['id']}/clock-on", {"version": other["version"]})
    assert refused.status_code == 409 and "所有举升机都有车" in refused.json()["error"]["message_zh"]
    with car.client.app.state.uow.shop("gz01", "test") as ctx:  # nor can any road put it there behind the rules' back
        from sqlalchemy.exc import IntegrityError

        from board.db.models import RepairOrder
        try:
            ctx.session.get(RepairOrder, other["repair_order_id"]).bay_id = lift
            ctx.session.flush()
        except IntegrityError:
            ctx.session.rollback()
        else:
            raise AssertionError("the database took two cars on one lift")
    # The foreman sends the stopped car to the waiting area: the lift is free, the other car goes up.
    order = car.ok("GET", f"/repair-orders/{job['repair_order_id']}")
    waiting = car.ok("POST", f"/repair-orders/{order['id']}/waiting-area", {"version": order["version"], "reason": "继电器明天到"})
    assert waiting["bay_id"] is None
    other = car.ok("GET", f"/jobs/{other['id']}")
    assert car.ok("POST", f"/jobs/{other['id']}/clock-on", {"version": other["version"]})["car_bay_id"] == lift
    events = [(e["action"], e["reason"]) for e in car.ok("GET", "/events?entity=repair_order") if e["entity_id"] == order["id"]]
    assert ("car_in_bay", "") in events and ("car_to_waiting_area", "继电器明天到") in events
    # Back from the waiting area, the first car's card goes up on a free bay of its kind: none is, so it waits.
    job = car.ok("GET", f"/jobs/{job['id']}")
    refused = car.post(f"/jobs/{job['id']}/clock-on", {"version": job["version"]})
    assert refused.status_code == 409


def test_nobody_works_two_cards_at_once_whatever_road_starts_one(car):
    first, second = car.jobs
    li = car.techs[0]["id"]
    adv = car.ok("GET", "/advisors")[0]["id"]
    other = car.ok("POST", "/repair-orders", {"plate": "粤B12345", "model": "雷凌", "customer_name": "李雷", "phone": "13900000000",
                                               "advisor_id": adv, "promised_at": "2026-11-24T18:00", "jobs": [QUICK]})["jobs"][0]
    job = car.ok("POST", f"/jobs/{first['id']}/transitions", {"action": "dispatch", "version": first["version"], "technician_id": li})
    job = car.ok("POST", f"/jobs/{job['id']}/clock-on", {"version": job["version"]})
    job = car.ok("POST", f"/jobs/{job['id']}/clock-off", {"version": job["version"], "reason": "other"})
    other = car.ok("POST", f"/jobs/{other['id']}/transitions", {"action": "dispatch", "version": other["version"], "technician_id": li})
    other = car.ok("POST", f"/jobs/{other['id']}/transitions", {"action": "start", "version": other["version"]})
    job = car.ok("GET", f"/jobs/{job['id']}")
    car.ok("POST", f"/jobs/{job['id']}/transitions", {"action": "resume", "version": job["version"]})  # the generic road: a clock-on too
    working = [j for j in car.ok("GET", "/jobs?stage=in_progress") if j["technician_id"] == li]
    assert [j["id"] for j in working] == [job["id"]]
    assert car.ok("GET", f"/jobs/{other['id']}")["stage"]["value"] == "stopped"  # clocked off when he resumed the first
