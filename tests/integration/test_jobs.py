"""Repair orders and jobs: priorities from the order, every stage move through the API."""

import pytest

from tests.conftest import add_staff, booking, inspected, self_checked

MAINTENANCE = {"operation": "定期保养", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}


def walk_in(**extra):
    return {"plate": "粤B·7K2M9", "model": "雷凌 Levin", "customer_name": "陈芳", "title": "女士", "phone": "13700137000",
            "promised_at": "2026-11-23T12:00", "jobs": [MAINTENANCE], **extra}


@pytest.fixture
def staffed(shop):
    shop.ids = add_staff(shop)
    return shop


def open_walk_in(shop, **extra):
    return shop.ok("POST", "/repair-orders", walk_in(advisor_id=shop.ids["advisors"][0], **extra))


def test_an_order_from_a_booking_marks_the_car_arrived_and_ranks_as_appointment(staffed):
    appt = staffed.ok("POST", "/appointments", booking("2026-11-23", "09:30", advisor_id=staffed.ids["advisors"][1]))
    ro = staffed.ok("POST", "/repair-orders", {"appointment_id": appt["id"], "promised_at": "2026-11-23T15:00", "jobs": [MAINTENANCE]})
    assert ro["number"] == "RO20261123-001"
    assert ro["advisor"]["id"] == staffed.ids["advisors"][1]
    assert ro["promised_at"] == "2026-11-23T15:00:00+08:00"
    assert [j["priority"]["value"] for j in ro["jobs"]] == ["appointment"]
    assert staffed.ok("GET", f"/appointments/{appt['id']}")["status"]["value"] == "arrived"
    again = staffed.post("/repair-orders", {"appointment_id": appt["id"], "promised_at": "2026-11-23T15:00"})
    assert again.status_code == 409


@pytest.mark.parametrize(("extra", "priority"), [
    ({}, "walk_in"),
    ({"customer_waiting": True}, "waiting"),
])
def test_walk_in_priorities(staffed, extra, priority):
    ro = open_walk_in(staffed, **extra)
    assert ro["jobs"][0]["priority"]["value"] == priority


def test_rework_outranks_everything(staffed):
    first = open_walk_in(staffed)
    again = open_walk_in(staffed, rework_of_id=first["id"], customer_waiting=True)
    assert again["jobs"][0]["priority"]["value"] == "rework"
    assert again["number"] == "RO20261123-002"


def test_a_walk_in_needs_plate_model_and_customer(staffed):
    response = staffed.post("/repair-orders", {"advisor_id": staffed.ids["advisors"][0], "promised_at": "2026-11-23T12:00"})
    assert response.status_code == 422
    assert {p["field"] for p in response.json()["error"]["fields"]} == {"plate", "model", "customer_name", "phone"}


def test_a_promise_in_the_past_is_refused(staffed):
    response = staffed.post("/repair-orders", walk_in(advisor_id=staffed.ids["advisors"][0], promised_at="2026-11-23T08:00"))
    assert response.status_code == 422 and response.json()["error"]["fields"][0]["field"] == "promised_at"


def step(shop, job, action, status=200, **extra):
    response = shop.post(f"/jobs/{job['id']}/transitions", {"action": action, "version": job["version"], **extra})
    assert response.status_code == status, response.text
    return response.json()


def test_a_job_goes_through_every_stage(staffed):
    ro = open_walk_in(staffed)
    job = ro["jobs"][0]
    tech = staffed.ids["techs"][0]
    assert job["stage"]["value"] == "waiting_dispatch" and job["allowed_actions"] == ["dispatch"]
    job = step(staffed, job, "dispatch", technician_id=tech)
    assert job["technician_id"] == tech and job["stage"]["zh"] == "已派工"
    job = step(staffed, job, "start")  # the generic road sends a start down the clock-on's: the car goes up in a bay
    assert job["actual_start"] == "2026-11-23T09:00:00+08:00" and job["car_bay_id"] is not None and job["bay_id"] == job["car_bay_id"]
    job = step(staffed, job, "stop", reason="parts", note="等刹车片")
    assert job["stop_reason"]["value"] == "parts" and job["stop_note"] == "等刹车片"
    job = step(staffed, job, "resume")
    assert job["stop_reason"] is None
    job = self_checked(staffed, job)
    assert job["stage"]["value"] == "quality_check" and job["car_bay_id"] is None  # the car left its bay for the check
    job = inspected(staffed, job, passed=False, reason="异响未消除")
    assert job["stage"]["value"] == "dispatched" and job["qc_failures"] == 1 and job["technician_id"] == tech  # back to him
    job = step(staffed, job, "start")
    job = self_checked(staffed, job)
    job = inspected(staffed, job)
    assert job["stage"]["value"] == "wash"
    staffed.ok("POST", f"/repair-orders/{ro['id']}/wash-done", {"versions": {str(job["id"]): job["version"]}})
    order = staffed.ok("GET", f"/repair-orders/{ro['id']}")
    staffed.ok("POST", f"/repair-orders/{ro['id']}/hand-over", {"version": order["version"]})
    job = staffed.ok("GET", f"/jobs/{job['id']}")
    assert job["stage"]["value"] == "delivered" and job["qc_failures"] == 1 and job["allowed_actions"] == []
    actions = [e["action"] for e in staffed.ok("GET", "/events?entity=job")]
    assert actions == ["created", "dispatch", "start", "stop", "resume", "finish", "qc_fail", "start", "finish", "qc_pass", "wash_done", "deliver"]


def test_the_generic_road_refuses_every_step_with_rules_of_its_own_and_names_its_road(staffed):
    """The checklist, the whole car's wash and the closed order cannot be skipped by moving the stage."""
    ro = open_walk_in(staffed)
    job = ro["jobs"][0]
    job = step(staffed, job, "dispatch", technician_id=staffed.ids["techs"][0])
    job = step(staffed, job, "start")
    for stage, action, road in [("in_progress", "finish", f"/jobs/{job['id']}/self-check")]:
        assert job["stage"]["value"] == stage
        error = step(staffed, job, action, status=409)["error"]
        assert error["code"] == "illegal_move" and road in error["message"] and "自检" in error["message_zh"]
    job = inspected_ready(staffed, job)
    for action, road, words in [("qc_pass", f"/jobs/{job['id']}/quality-check", "终检"), ("qc_fail", f"/jobs/{job['id']}/quality-check", "原因")]:
        error = step(staffed, job, action, status=409)["error"]
        assert error["code"] == "illegal_move" and road in error["message"] and words in error["message_zh"], action
    job = inspected(staffed, job)
    error = step(staffed, job, "wash_done", status=409)["error"]
    assert f"/repair-orders/{ro['id']}/wash-done" in error["message"] and "整车" in error["message_zh"]
    job = staffed.ok("POST", f"/repair-orders/{ro['id']}/wash-done", {"versions": {str(job["id"]): job["version"]}})["jobs"][0]
    error = step(staffed, job, "deliver", status=409)["error"]
    assert f"/repair-orders/{ro['id']}/hand-over" in error["message"] and "关闭委托书" in error["message_zh"]
    # None of them moved the card, closed the order or left a QC record behind.
    assert staffed.ok("GET", f"/jobs/{job['id']}")["stage"]["value"] == "ready"
    assert staffed.ok("GET", f"/repair-orders/{ro['id']}/hand-over")["closed"] is None
    assert [c["kind"] for c in staffed.ok("GET", f"/jobs/{job['id']}/checks")] == ["self", "final"]


def inspected_ready(shop, job):
    """The card through its self-check, to the inspector."""
    return self_checked(shop, job)


def test_an_illegal_move_is_409_with_a_sentence_and_changes_nothing(staffed):
    job = open_walk_in(staffed)["jobs"][0]
    error = step(staffed, job, "start", status=409)["error"]
    assert error["code"] == "illegal_move"
    assert "Waiting dispatch" in error["message"] and "dispatch" in error["message"].split("can:")[1]
    assert "等待派工" in error["message_zh"]
    assert staffed.ok("GET", f"/jobs/{job['id']}")["stage"]["value"] == "waiting_dispatch"


def test_stopping_without_a_reason_is_422(staffed):
    job = open_walk_in(staffed)["jobs"][0]
    job = step(staffed, job, "dispatch", technician_id=staffed.ids["techs"][0])
    job = step(staffed, job, "start")
    error = step(staffed, job, "stop", status=422)["error"]
    assert error["fields"][0]["field"] == "reason"


def test_two_foremen_moving_the_same_job_the_second_gets_409(staffed):
    job = open_walk_in(staffed)["jobs"][0]
    a, b = staffed.ids["techs"][:2]
    step(staffed, job, "dispatch", technician_id=a)
    error = step(staffed, job, "dispatch", status=409, technician_id=b)["error"]
    assert error["code"] == "stale_version"
    assert staffed.ok("GET", f"/jobs/{job['id']}")["technician_id"] == a


def test_unknown_technician_or_action_is_named(staffed):
    job = open_walk_in(staffed)["jobs"][0]
    assert step(staffed, job, "dispatch", status=422, technician_id=999)["error"]["fields"][0]["field"] == "technician_id"
    assert step(staffed, job, "teleport", status=422)["error"]["fields"][0]["field"] == "action"


def test_parts_arriving_and_additional_work_are_recorded(staffed):
    ro = open_walk_in(staffed)
    job = ro["jobs"][0]
    changed = staffed.ok("PATCH", f"/jobs/{job['id']}", {"version": job["version"], "parts_status": "arrived", "est_hours": 1.5})
    assert changed["parts_status"]["value"] == "arrived" and changed["est_hours"] == 1.5
    extra = staffed.ok("POST", f"/repair-orders/{ro['id']}/jobs", {"operation": "更换刹车片", "skill": "mechanical", "level": 2, "est_hours": 0.8, "bay_kind": "general_lift"})
    assert extra["priority"]["value"] == "walk_in"
    assert len(staffed.ok("GET", f"/repair-orders/{ro['id']}")["jobs"]) == 2
    assert [j["id"] for j in staffed.ok("GET", "/jobs?stage=waiting_dispatch")] == [job["id"], extra["id"]]
    assert staffed.get("/jobs?stage=flying").status_code == 422


ALL_ACTIONS = ["dispatch", "unassign", "start", "stop", "resume", "finish", "qc_pass", "qc_fail", "wash_done", "deliver"]
OWN_ROADS = {"finish", "qc_pass", "qc_fail", "wash_done", "deliver"}  # refused on the generic road at every stage
PATH = ["waiting_dispatch", "dispatched", "in_progress", "stopped", "in_progress", "quality_check", "wash", "ready", "delivered"]
LEGAL = {"waiting_dispatch": {"dispatch"}, "dispatched": {"unassign", "start"}, "in_progress": {"stop"},
         "stopped": {"resume"}, "quality_check": set(), "wash": set(), "ready": set(), "delivered": set()}


def forward(shop, ro, job, stage, tech):
    """The next step, by its own road."""
    if stage == "waiting_dispatch":
        return step(shop, job, "dispatch", technician_id=tech)
    if stage == "dispatched":
        return step(shop, job, "start")
    if stage == "in_progress" and job["stop_reason"] is None and not shop.__dict__.get("stopped_once"):
        shop.stopped_once = True
        return step(shop, job, "stop", reason="other")
    if stage == "stopped":
        return step(shop, job, "resume")
    if stage == "in_progress":
        return self_checked(shop, job)
    if stage == "quality_check":
        return inspected(shop, job)
    if stage == "wash":
        return shop.ok("POST", f"/repair-orders/{ro['id']}/wash-done", {"versions": {str(job["id"]): job["version"]}})["jobs"][0]
    order = shop.ok("GET", f"/repair-orders/{ro['id']}")
    shop.ok("POST", f"/repair-orders/{ro['id']}/hand-over", {"version": order["version"]})
    return shop.ok("GET", f"/jobs/{job['id']}")


def test_at_every_stage_every_illegal_move_is_refused_over_http(staffed):
    ro = open_walk_in(staffed)
    job = ro["jobs"][0]
    tech = staffed.ids["techs"][0]
    for stage in PATH:
        assert job["stage"]["value"] == stage
        for action in ALL_ACTIONS:
            if action in LEGAL[stage]:
                continue
            error = step(staffed, job, action, status=409, technician_id=tech, reason="other")["error"]
            assert error["code"] == "illegal_move", (stage, action)
            if action in OWN_ROADS:
                assert "POST " in error["message"], (stage, action)  # names the road to take
        assert staffed.ok("GET", f"/jobs/{job['id']}")["version"] == job["version"]  # refusals changed nothing
        if stage != "delivered":
            job = forward(staffed, ro, job, stage, tech)


def test_a_dispatched_job_can_be_taken_back_before_work_starts(staffed):
    job = open_walk_in(staffed)["jobs"][0]
    job = step(staffed, job, "dispatch", technician_id=staffed.ids["techs"][0])
    job = step(staffed, job, "unassign")
    assert job["stage"]["value"] == "waiting_dispatch" and job["technician_id"] is None
