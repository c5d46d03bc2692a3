"""The parts desk through the HTTP API: parts lines from a service menu for a job and for tomorrow's
booking, picked / ordered with an expected arrival / arrived with versions and roles, the job's parts
status kept in step, the live job boards carrying the arrival time, and the dispatcher planning the
job from when its parts arrive."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update

from board.boards.specs import BOARDS
from board.db.models import Job
from board.domain.vocab import ServiceType
from tests.conftest import Shop, add_staff, booking, person
from tests.integration.test_booking_console import add_menu, in_db

MAINT = {"operation": "定期保养 Periodic maintenance", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}
BRAKES = {"operation": "更换刹车片 Brake pads", "skill": "maintenance", "level": 1, "est_hours": 1.5, "bay_kind": "general_lift"}


@pytest.fixture
def desk(shop: Shop, clock: Any) -> Shop:
    """09:00 on 2026-11-23: staff, a maintenance menu, the parts desk's clerk signed in."""
    shop.clock = clock
    shop.ids = add_staff(shop, advisors=1, mech_techs=2, body_techs=0, bays=False)
    shop.ok("POST", "/bays", {"name": "1号举升机", "kind": "general_lift"})
    add_menu(shop, "M10K", "10000公里保养")
    shop.parts = person(shop, "beijian", "parts", "刘备件")
    return shop


def open_order(shop: Shop, plate: str, job: dict[str, Any], promised: str = "2026-11-23T17:00", menu: str | None = None) -> dict[str, Any]:
    ro = shop.ok("POST", "/repair-orders", {"plate": plate, "model": "凯美瑞 Camry", "customer_name": "李娜", "title": "女士",
                                             "phone": "13900139000", "advisor_id": shop.ids["advisors"][0], "promised_at": promised,
                                             "jobs": [job]})
    if menu:  # the repair order's screen puts a menu's job on the order (another part of the process)
        job_id = ro["jobs"][0]["id"]
        in_db(shop, lambda ctx: ctx.session.execute(update(Job).where(Job.id == job_id).values(menu_code=menu)))
    return ro  # type: ignore[no-any-return]


def desk_job(shop: Shop, job_id: int) -> dict[str, Any]:
    return next(j for j in shop.ok("GET", "/parts")["jobs"] if j["job_id"] == job_id)


def job_card(shop: Shop, job_id: int) -> dict[str, Any]:
    """The job as the live workshop board (JPCB) carries it, built afresh."""
    with shop.client.app.state.uow.shop(shop.code, "test", write=False) as ctx:
        return BOARDS["jpcb"].build(ctx)[f"j{job_id}"]  # type: ignore[no-any-return]


def test_parts_come_from_the_menu_of_a_job_and_of_tomorrows_booking(desk: Shop):
    ro = open_order(desk, "粤A·11111", MAINT, menu="M10K")
    job_id = ro["jobs"][0]["id"]
    other = open_order(desk, "粤A·22222", BRAKES)["jobs"][0]["id"]
    row = desk_job(desk, job_id)
    assert row["lines"] == [] and row["menu"]["code"] == "M10K" and [p["part_no"] for p in row["menu"]["parts"]] == ["90915-YZZD2", "08880-83717"]
    assert desk_job(desk, other)["menu"] is None  # no menu: its parts are added by hand

    parts = desk.parts
    lines = parts.ok("POST", f"/parts/jobs/{job_id}/menu", {})
    assert [(x["part_no"], x["qty"], x["unit_price"], x["status"]["value"]) for x in lines] == [
        ("90915-YZZD2", 1.0, 68.0, "needed"), ("08880-83717", 1.0, 420.0, "needed")]
    again = parts.post(f"/parts/jobs/{job_id}/menu", {})
    assert again.status_code == 409 and "已有备件清单" in again.json()["error"]["message_zh"]
    none = parts.post(f"/parts/jobs/{other}/menu", {})
    assert none.status_code == 422 and none.json()["error"]["fields"][0]["field"] == "menu_code"
    pads = parts.ok("POST", "/parts/lines", {"job_id": other, "part_no": "04465-33471", "name": "前刹车片 Front pads", "qty": 1, "unit_price": 460})
    assert pads["job_id"] == other and pads["status"]["value"] == "needed"

    # Tomorrow's booking: the shop's menu of its service, until the desk lists its parts.
    appt = desk.ok("POST", "/appointments", booking("2026-11-24", "09:00", plate="粤A33333"))
    desk.ok("POST", "/appointments", booking("2026-11-24", "10:00", plate="粤A44444", service="quick"))
    listed = desk.ok("GET", "/parts")
    assert listed["day"] == "2026-11-24"
    mine, quick = listed["bookings"]
    assert mine["appointment_id"] == appt["id"] and mine["menu"]["code"] == "M10K" and quick["menu"] is None
    # The advisor's preparation list says the same as the desk: the kit is to be prepared, not "无需备件".
    prep = {p["appointment"]["id"]: p["parts_status"] for p in desk.ok("GET", "/preparations?day=2026-11-24")}
    assert prep[appt["id"]]["value"] == "kit_to_prepare" and "10000公里保养" in prep[appt["id"]]["zh"]
    assert prep[quick["appointment_id"]]["value"] == "none_needed"
    parts.ok("POST", f"/parts/bookings/{appt['id']}/menu", {})
    assert next(p for p in desk.ok("GET", "/preparations?day=2026-11-24") if p["appointment"]["id"] == appt["id"])["parts_status"]["value"] != "kit_to_prepare"
    after = desk.ok("GET", "/parts")
    assert [x["part_no"] for x in after["bookings"][0]["lines"]] == ["90915-YZZD2", "08880-83717"] and after["bookings"][0]["menu"] is None
    assert after["counts"]["needed"] == 5
    quick_none = parts.post(f"/parts/bookings/{quick['appointment_id']}/menu", {})
    assert quick_none.status_code == 422 and "no service menu for Quick service" in quick_none.json()["error"]["fields"][0]["reason"]
    neither = parts.post("/parts/lines", {"part_no": "X", "name": "x"})
    assert neither.status_code == 422 and neither.json()["error"]["fields"][0]["field"] == "job_id"


def test_picked_ordered_arrived_with_versions_roles_and_the_jobs_parts_status(desk: Shop):
    job = open_order(desk, "粤A·55555", MAINT, menu="M10K")["jobs"][0]
    parts = desk.parts
    filter_, oil = parts.ok("POST", f"/parts/jobs/{job['id']}/menu", {})
    advisor = person(desk, "chenjing", "advisor", "陈静", advisor_id=desk.ids["advisors"][0])
    tech = person(desk, "zhaoqiang", "technician", "赵强", technician_id=desk.ids["techs"][0])
    for who in (advisor, tech):
        assert who.post(f"/part-lines/{oil['id']}/pick", {"version": oil["version"]}).status_code == 403
    assert advisor.get("/parts").status_code == 200  # everyone in the shop may read what waits for parts

    filter_ = parts.ok("POST", f"/part-lines/{filter_['id']}/pick", {"version": filter_["version"]})
    assert filter_["status"]["value"] == "picked"
    assert parts.post(f"/part-lines/{filter_['id']}/order", {"version": filter_["version"]}).status_code == 409
    past = parts.post(f"/part-lines/{oil['id']}/order", {"version": oil["version"], "expected_at": "2026-11-23T08:00"})
    assert past.status_code == 422 and past.json()["error"]["fields"][0]["field"] == "expected_at"
    ordered = parts.ok("POST", f"/part-lines/{oil['id']}/order", {"version": oil["version"], "expected_at": "2026-11-23T14:30"})
    assert ordered["status"]["value"] == "ordered" and ordered["expected_at"] == "2026-11-23T14:30+08:00"
    stale = parts.post(f"/part-lines/{oil['id']}/arrive", {"version": oil["version"]})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    assert desk.ok("GET", f"/jobs/{job['id']}")["parts_status"]["value"] == "ordered"
    row = desk_job(desk, job["id"])
    assert row["parts_eta"] == "2026-11-23T14:30+08:00" and row["parts_status"]["value"] == "ordered"
    card = job_card(desk, job["id"])
    assert (card["parts_eta"], card["parts_status"], card["parts_todo"]) == ("2026-11-23T14:30:00+08:00", "ordered", 1)

    later = parts.ok("POST", f"/part-lines/{oil['id']}/order", {"version": ordered["version"], "expected_at": "2026-11-23T16:00"})  # the supplier is late
    assert job_card(desk, job["id"])["parts_eta"] == "2026-11-23T16:00:00+08:00"
    arrived = parts.ok("POST", f"/part-lines/{oil['id']}/arrive", {"version": later["version"]})
    assert arrived["status"]["value"] == "arrived"
    assert desk.ok("GET", f"/jobs/{job['id']}")["parts_status"]["value"] == "arrived"
    assert (job_card(desk, job["id"])["parts_eta"], job_card(desk, job["id"])["parts_todo"]) == (None, 0)
    assert parts.post(f"/part-lines/{oil['id']}/remove", {"version": arrived["version"]}).status_code == 409
    extra = parts.ok("POST", "/parts/lines", {"job_id": job["id"], "part_no": "90430-12031", "name": "放油螺栓垫片 Drain washer"})
    assert parts.ok("POST", f"/part-lines/{extra['id']}/remove", {"version": extra["version"]})["id"] == extra["id"]
    assert [x["part_no"] for x in desk_job(desk, job["id"])["lines"]] == ["90915-YZZD2", "08880-83717"]

    events = [(e["action"], e["actor"]) for e in desk.ok("GET", "/events?entity=job") if e["entity_id"] == job["id"]]
    assert events == [("created", "管理员 Admin (admin)"), ("part_added", "刘备件 (beijian)"), ("part_added", "刘备件 (beijian)"), ("part_picked", "刘备件 (beijian)"),
                      ("part_ordered", "刘备件 (beijian)"), ("parts_status", "刘备件 (beijian)"), ("part_ordered", "刘备件 (beijian)"),
                      ("part_arrived", "刘备件 (beijian)"), ("parts_status", "刘备件 (beijian)"), ("part_added", "刘备件 (beijian)"),
                      ("part_removed", "刘备件 (beijian)")]


def plan_of(shop: Shop, job_id: int) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    plan = shop.ok("GET", "/dispatch/plan")
    slot = next((r for r in plan["plan"] if r["job_id"] == job_id), None)
    cannot = next((u for u in plan["unassignable"] if u["job_id"] == job_id), None)
    return slot, cannot


def test_the_plan_starts_a_job_when_its_parts_arrive(desk: Shop):
    job = open_order(desk, "粤A·77777", BRAKES, promised="2026-11-23T17:30")["jobs"][0]
    parts = desk.parts
    pads = parts.ok("POST", "/parts/lines", {"job_id": job["id"], "part_no": "04465-33471", "name": "前刹车片 Front pads"})
    slot, _ = plan_of(desk, job["id"])
    assert slot is not None and slot["start"] == "2026-11-23T09:00+08:00"  # needed from stock: no wait

    # Ordered with no date yet: waiting for parts, as a job ordered without lines always was.
    pads = parts.ok("POST", f"/part-lines/{pads['id']}/order", {"version": pads["version"]})
    slot, cannot = plan_of(desk, job["id"])
    assert slot is None and cannot is not None and cannot["reason"] == {"zh": "等待备件到货", "en": "waiting for parts"}

    # Due at 11:00: planned from then, and the plan says why.
    pads = parts.ok("POST", f"/part-lines/{pads['id']}/order", {"version": pads["version"], "expected_at": "2026-11-23T11:00"})
    slot, cannot = plan_of(desk, job["id"])
    assert cannot is None and slot is not None and slot["start"] >= "2026-11-23T11:00+08:00"
    assert {"zh": "备件 11:00 到,之后开工", "en": "parts at 11:00: starts then"} in slot["reasons"]

    # Due tomorrow: not in today's plan, with the date said.
    pads = parts.ok("POST", f"/part-lines/{pads['id']}/order", {"version": pads["version"], "expected_at": "2026-11-24T10:00"})
    slot, cannot = plan_of(desk, job["id"])
    assert slot is None and cannot is not None and cannot["reason"]["en"] == "waiting for parts, due 11-24 10:00"

    # Overdue (the supplier said 10:00; it is 10:30 and nothing came): not planned until it is here.
    pads = parts.ok("POST", f"/part-lines/{pads['id']}/order", {"version": pads["version"], "expected_at": "2026-11-23T10:00"})
    desk.clock.set(desk.clock.now().replace(hour=10, minute=30))
    slot, cannot = plan_of(desk, job["id"])
    assert slot is None and cannot is not None and cannot["reason"]["en"] == "parts overdue (due 10:00)"
    assert desk_job(desk, job["id"])["lines"][0]["overdue"] is True

    parts.ok("POST", f"/part-lines/{pads['id']}/arrive", {"version": pads["version"]})
    slot, _ = plan_of(desk, job["id"])
    assert slot is not None and slot["start"] == "2026-11-23T10:30+08:00"


def test_a_bookings_parts_go_with_its_car_to_the_repair_order(desk: Shop):
    appt = desk.ok("POST", "/appointments", booking("2026-11-23", "11:00", plate="粤A88888", advisor_id=desk.ids["advisors"][0]))
    parts = desk.parts
    filter_, oil = parts.ok("POST", f"/parts/bookings/{appt['id']}/menu", {})
    parts.ok("POST", f"/part-lines/{filter_['id']}/pick", {"version": filter_["version"]})
    oil = parts.ok("POST", f"/part-lines/{oil['id']}/order", {"version": oil["version"], "expected_at": "2026-11-23T13:00"})
    prep = next(p for p in desk.ok("GET", "/preparations?day=2026-11-23") if p["appointment"]["id"] == appt["id"])
    assert prep["parts_status"]["value"] == "ordered"  # the advisor's day-before checklist says so
    events = [e["action"] for e in desk.ok("GET", "/events?entity=part_line")]
    assert events == ["part_added", "part_added", "part_picked", "part_ordered"]

    ro = desk.ok("POST", "/repair-orders", {"appointment_id": appt["id"], "promised_at": "2026-11-23T17:00",
                                            "jobs": [MAINT, {**BRAKES, "separate": True}]})
    menu_job, brakes = ro["jobs"]
    row = desk_job(desk, menu_job["id"])
    assert [(x["part_no"], x["from_booking"]) for x in row["lines"]] == [("90915-YZZD2", True), ("08880-83717", True)]
    assert row["parts_eta"] == "2026-11-23T13:00+08:00" and desk_job(desk, brakes["id"])["lines"] == []
    assert desk.ok("GET", "/parts?day=2026-11-23")["bookings"] == []  # the car is in: its parts are the job's now
    slot, _ = plan_of(desk, menu_job["id"])
    assert slot is not None and slot["start"] >= "2026-11-23T13:00+08:00"
    assert job_card(desk, menu_job["id"])["parts_eta"] == "2026-11-23T13:00:00+08:00"

    parts.ok("POST", f"/part-lines/{oil['id']}/arrive", {"version": oil["version"]})
    assert desk.ok("GET", f"/jobs/{menu_job['id']}")["parts_status"]["value"] == "arrived"
    assert job_card(desk, menu_job["id"])["parts_eta"] is None
    assert [e["action"] for e in desk.ok("GET", "/events?entity=job") if e["entity_id"] == menu_job["id"]][-2:] == ["part_arrived", "parts_status"]


def test_a_delivered_job_or_a_cancelled_booking_takes_no_parts(desk: Shop):
    appt = desk.ok("POST", "/appointments", booking("2026-11-24", "09:00", plate="粤A99999"))
    desk.ok("POST", f"/appointments/{appt['id']}/cancel", {"version": appt["version"]})
    refused = desk.parts.post("/parts/lines", {"appointment_id": appt["id"], "part_no": "X1", "name": "x"})
    assert refused.status_code == 409 and "cancelled" in refused.json()["error"]["message"]
    unknown = desk.parts.post("/parts/lines", {"job_id": 999999, "part_no": "X1", "name": "x"})
    assert unknown.status_code == 422 and unknown.json()["error"]["fields"][0]["field"] == "job_id"
    assert desk.parts.post("/part-lines/999999/pick", {"version": 1}).status_code == 404
    add_menu(desk, "EMPTY", "空套餐", ServiceType.REPAIR, parts=[])
    job = open_order(desk, "粤A·12121", MAINT)["jobs"][0]
    empty = desk.parts.post(f"/parts/jobs/{job['id']}/menu", {"menu_code": "EMPTY"})
    assert empty.status_code == 422 and "lists no parts" in empty.json()["error"]["fields"][0]["reason"]


def test_a_job_stopped_for_parts_is_on_the_desk_even_before_its_parts_are_entered(desk: Shop):
    """The foreman and the TV showed jobs 等待备件到货 while the desk said it had nothing to do."""
    ro = open_order(desk, "粤A·HELD1", BRAKES)
    job = ro["jobs"][0]
    job = desk.ok("POST", "/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": desk.ids["techs"][0], "reason": "test"})
    job = desk.ok("POST", f"/jobs/{job['id']}/clock-on", {"version": job["version"]})
    desk.ok("POST", f"/jobs/{job['id']}/clock-off", {"version": job["version"], "reason": "parts", "note": "左前刹车片缺货"})
    row = desk_job(desk, job["id"])
    assert (row["held_for_parts"], row["lines"], row["stop_note"]) == (True, [], "左前刹车片缺货")
    assert desk.parts.ok("GET", "/parts")["counts"]["held"] == 1
