"""The foreman's console and the technician's clock, through the HTTP API."""

import pytest

from board.clock import FixedClock
from tests.conftest import shop_time

MAINT = {"operation": "定期保养", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}


@pytest.fixture
def workshop(start_app):
    clock = FixedClock(shop_time("2026-11-24 09:00"))
    with start_app(clock) as shop:
        adv = shop.ok("POST", "/advisors", {"name": "陈静"})["id"]
        shop.master = shop.ok("POST", "/technicians", {"name": "赵强", "team": "mech_elec", "skills": [{"skill": "maintenance", "level": 3}]})
        shop.junior = shop.ok("POST", "/technicians", {"name": "周斌", "team": "mech_elec", "skills": [{"skill": "maintenance", "level": 1}]})
        for name in ("1号举升机", "2号举升机"):
            shop.ok("POST", "/bays", {"name": name, "kind": "general_lift"})

        def order(plate, **extra):
            body = {"plate": plate, "model": "凯美瑞", "customer_name": "王伟", "phone": "13800138000", "advisor_id": adv,
                    "promised_at": "2026-11-24T15:00", "jobs": [MAINT], **extra}
            return shop.ok("POST", "/repair-orders", body)["jobs"][0]

        shop.order = order
        yield shop


def plan_row(shop, job_id):
    return next(r for r in shop.ok("GET", "/dispatch/plan")["plan"] if r["job_id"] == job_id)


def test_the_plan_suggests_with_reasons_and_rework_first(workshop):
    walk_in = workshop.order("粤A11111")
    first = workshop.order("粤A22222")
    rework = workshop.order("粤A33333", rework_of_id=first["repair_order_id"])
    plan = workshop.ok("GET", "/dispatch/plan")
    starts = {r["job_id"]: r["start"] for r in plan["plan"]}
    assert starts[rework["id"]] == "2026-11-24T09:00+08:00"
    row = plan_row(workshop, rework["id"])
    assert row["reasons"][0] == {"zh": "返修:优先处理", "en": "rework: first in line"}
    assert row["technician"] == "周斌" and any(r["en"] == "赵强 kept for harder work" for r in row["reasons"])
    assert walk_in["id"] in starts


def test_assigning_as_suggested_needs_no_reason(workshop):
    job = workshop.order("粤A11111")
    row = plan_row(workshop, job["id"])
    done = workshop.ok("POST", "/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": row["technician_id"]})
    assert done["stage"]["value"] == "dispatched" and done["technician_id"] == row["technician_id"]
    assert done["planned_start"] == "2026-11-24T09:00:00+08:00" and not done["pinned"]
    assert not [e for e in workshop.ok("GET", "/events?entity=job") if e["action"] == "override"]


def test_overriding_the_suggestion_needs_a_reason_which_is_kept_and_counted(workshop):
    job = workshop.order("粤A11111")
    row = plan_row(workshop, job["id"])
    other = workshop.master["id"] if row["technician_id"] != workshop.master["id"] else workshop.junior["id"]
    refused = workshop.post("/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": other})
    assert refused.status_code == 422 and refused.json()["error"]["fields"][0]["field"] == "reason"
    done = workshop.ok("POST", "/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": other, "reason": "客户指定赵师傅"})
    assert done["technician_id"] == other and done["pinned"]
    overrides = [e for e in workshop.ok("GET", "/events?entity=job") if e["action"] == "override"]
    assert len(overrides) == 1 and overrides[0]["reason"] == "客户指定赵师傅"
    assert plan_row(workshop, job["id"])["technician_id"] == other  # re-planning leaves a pinned job where it is


def test_accepting_the_plan_dispatches_every_job_or_none(workshop):
    jobs = [workshop.order(f"粤A1111{n}") for n in range(3)]
    versions = {str(j["id"]): j["version"] for j in jobs}
    stale = dict(versions, **{str(jobs[0]["id"]): jobs[0]["version"] + 5})
    refused = workshop.post("/dispatch/accept", {"versions": stale})
    assert refused.status_code == 409
    assert {j["stage"]["value"] for j in workshop.ok("GET", "/jobs")} == {"waiting_dispatch"}
    done = workshop.ok("POST", "/dispatch/accept", {"versions": versions})
    assert len(done["assigned"]) == 3
    assert {j["stage"]["value"] for j in workshop.ok("GET", "/jobs")} == {"dispatched"}


def test_a_click_on_a_suggestion_the_plan_has_since_remade_is_a_409_not_an_override(workshop):
    job = workshop.order("粤A11111")
    seen = workshop.ok("GET", "/dispatch/plan")
    assert workshop.ok("GET", "/dispatch/plan")["plan_stamp"] == seen["plan_stamp"]  # nothing changed: the same name
    row = next(r for r in seen["plan"] if r["job_id"] == job["id"])
    other = workshop.master["id"] if row["technician_id"] != workshop.master["id"] else workshop.junior["id"]
    # His screen showed another plan (older) suggesting ``other``: he clicked it; the shop's plan has moved on.
    moved_on = workshop.post("/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": other,
                                                 "plan_stamp": "0123456789ab"})
    assert moved_on.status_code == 409 and moved_on.json()["error"]["code"] == "plan_changed"
    assert moved_on.json()["error"]["now_suggested"] == {"technician_id": row["technician_id"]}
    assert "计划刚刚更新" in moved_on.json()["error"]["message_zh"]
    # The same choice from the plan as it stands is an override: it needs a reason.
    override = workshop.post("/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": other,
                                                 "plan_stamp": seen["plan_stamp"]})
    assert override.status_code == 422 and override.json()["error"]["fields"][0]["field"] == "reason"
    assert workshop.ok("GET", f"/jobs/{job['id']}")["stage"]["value"] == "waiting_dispatch"
    # A new order changes the suggestions, and their name; accepting the old plan applies nothing.
    workshop.order("粤A22222")
    now = workshop.ok("GET", "/dispatch/plan")
    assert now["plan_stamp"] != seen["plan_stamp"]
    jobs = {str(j["id"]): j["version"] for j in workshop.ok("GET", "/jobs")}
    refused = workshop.post("/dispatch/accept", {"versions": jobs, "plan_stamp": seen["plan_stamp"]})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "plan_changed"
    assert {j["stage"]["value"] for j in workshop.ok("GET", "/jobs")} == {"waiting_dispatch"}
    assert len(workshop.ok("POST", "/dispatch/accept", {"versions": jobs, "plan_stamp": now["plan_stamp"]})["assigned"]) == 2


def test_two_foremen_on_the_same_job_the_second_gets_409(workshop):
    job = workshop.order("粤A11111")
    a, b = workshop.junior["id"], workshop.master["id"]
    workshop.ok("POST", "/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": a, "reason": "x"})
    second = workshop.post("/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": b, "reason": "y"})
    assert second.status_code == 409 and second.json()["error"]["code"] == "stale_version"
    assert workshop.ok("GET", f"/jobs/{job['id']}")["technician_id"] == a


def test_two_foremen_on_the_same_technicians_slot_the_second_gets_409(workshop):
    one, two = workshop.order("粤A11111"), workshop.order("粤A22222")
    junior = workshop.junior
    workshop.ok("POST", "/dispatch/assign", {"job_id": one["id"], "version": one["version"], "technician_id": junior["id"],
                                             "technician_version": junior["version"], "reason": "r"})
    second = workshop.post("/dispatch/assign", {"job_id": two["id"], "version": two["version"], "technician_id": junior["id"],
                                                "technician_version": junior["version"], "reason": "r"})
    assert second.status_code == 409
    assert workshop.ok("GET", f"/jobs/{two['id']}")["stage"]["value"] == "waiting_dispatch"


def test_clocking_on_a_job_clocks_off_the_previous_one(workshop):
    one, two = workshop.order("粤A11111"), workshop.order("粤A22222")
    tech = workshop.junior["id"]
    one = workshop.ok("POST", "/dispatch/assign", {"job_id": one["id"], "version": one["version"], "technician_id": tech, "reason": "r"})
    two = workshop.ok("POST", "/dispatch/assign", {"job_id": two["id"], "version": two["version"], "technician_id": tech, "reason": "r"})
    one = workshop.ok("POST", f"/jobs/{one['id']}/clock-on", {"version": one["version"]})
    assert one["stage"]["value"] == "in_progress"
    two = workshop.ok("POST", f"/jobs/{two['id']}/clock-on", {"version": two["version"]})
    assert two["stage"]["value"] == "in_progress"
    one = workshop.ok("GET", f"/jobs/{one['id']}")
    assert one["stage"]["value"] == "stopped" and one["stop_reason"]["value"] == "other"
    off = workshop.ok("POST", f"/jobs/{two['id']}/clock-off", {"version": two["version"], "reason": "parts", "note": "等配件"})
    assert off["stage"]["value"] == "stopped" and off["stop_reason"]["value"] == "parts"
    back = workshop.ok("POST", f"/jobs/{one['id']}/clock-on", {"version": one["version"]})
    assert back["stage"]["value"] == "in_progress"


def test_an_absent_technicians_jobs_move_in_the_plan(workshop):
    jobs = [workshop.order(f"粤A1111{n}") for n in range(2)]
    workshop.ok("POST", "/dispatch/accept", {"versions": {str(j["id"]): j["version"] for j in jobs}})
    on_junior = [j for j in workshop.ok("GET", "/jobs") if j["technician_id"] == workshop.junior["id"]]
    junior = workshop.ok("GET", "/technicians")[1]
    workshop.ok("PATCH", f"/technicians/{junior['id']}", {"version": junior["version"], "present": False})
    plan = workshop.ok("GET", "/dispatch/plan")
    assert {m["job_id"] for m in plan["moves"]} == {j["id"] for j in on_junior}
    assert {m["reason"]["en"] for m in plan["moves"]} == {"its technician is absent or off shift"}
    assert {m["from_technician"] for m in plan["moves"]} == {"周斌"}
    assert all(r["technician_id"] == workshop.master["id"] for r in plan["plan"])


def test_tomorrows_bookings_get_a_reservation_and_the_morning_plan_starts_from_it(start_app):
    clock = FixedClock(shop_time("2026-11-23 15:00"))
    with start_app(clock) as shop:
        adv = shop.ok("POST", "/advisors", {"name": "陈静"})["id"]
        one = shop.ok("POST", "/technicians", {"name": "甲", "team": "mech_elec", "skills": [{"skill": "maintenance", "level": 1}]})
        two = shop.ok("POST", "/technicians", {"name": "乙", "team": "mech_elec", "skills": [{"skill": "maintenance", "level": 1}]})
        shop.ok("POST", "/technicians", {"name": "丙", "team": "body_paint", "skills": [{"skill": "body", "level": 3}, {"skill": "paint", "level": 2}]})
        for name, kind in (("1号", "general_lift"), ("2号", "general_lift"), ("钣金", "body"), ("烤漆房", "paint_booth")):
            shop.ok("POST", "/bays", {"name": name, "kind": kind})
        body = {"day": "2026-11-24", "slot_start": "09:00", "plate": "粤A11111", "model": "凯美瑞", "customer_name": "王伟",
                "phone": "13800138000", "service_type": "maintenance", "advisor_id": adv}
        appt = shop.ok("POST", "/appointments", body)
        dent = shop.ok("POST", "/appointments", body | {"plate": "粤A22222", "service_type": "body_paint"})
        checklist = {i["appointment"]["id"]: i for i in shop.ok("POST", "/preparations/plan")}
        assert checklist[dent["id"]]["technician_id"] not in (one["id"], two["id"])  # body work to the body man
        assert checklist[appt["id"]]["technician_id"] in (one["id"], two["id"]) and checklist[appt["id"]]["bay_id"] is not None
        # The advisor prefers 乙 for this customer and ticks it off: a new plan leaves it alone.
        item = shop.ok("PATCH", f"/preparations/{appt['id']}", {"version": checklist[appt["id"]]["version"], "technician_id": two["id"], "checked": True})
        again = {i["appointment"]["id"]: i for i in shop.ok("POST", "/preparations/plan")}
        assert again[appt["id"]]["technician_id"] == two["id"] and again[appt["id"]]["version"] == item["version"]
        clock.set(shop_time("2026-11-24 09:00"))
        ro = shop.ok("POST", "/repair-orders", {"appointment_id": appt["id"], "promised_at": "2026-11-24T15:00", "jobs": [MAINT]})
        assert plan_row(shop, ro["jobs"][0]["id"])["technician_id"] == two["id"]
