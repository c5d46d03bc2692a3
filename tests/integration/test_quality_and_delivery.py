"""QC, wash and delivery through the API: the technician's self-check before quality check, the
inspector's pass or failure with its reason, the wash per car, the advisor's hand-over that closes the
order (KPIs, follow-up from the next day) and the closed order exported for the DMS."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest

from board.boards.specs import BOARDS
from board.db.models import Finding, PartLine, Reception
from board.domain import checklists
from board.domain.vocab import FindingStatus, Skill
from tests.conftest import Shop, add_staff, inspected, person
from tests.conftest import self_checked as checked_by_himself
from tests.integration.test_openapi import Documented

MAINT = {"operation": "定期保养", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}
WIRING = {"operation": "检修大灯线路", "skill": "electrical", "level": 1, "est_hours": 1.5, "bay_kind": "general_lift"}
SELF_MAINT = [i.key for i in checklists.self_check(Skill.MAINTENANCE)]
FINAL_MAINT = [i.key for i in checklists.final_check(Skill.MAINTENANCE)]


@pytest.fixture
def floor(shop: Shop) -> dict[str, Any]:
    """The shop with staff and a signed-in client for each role of the three checks and the hand-over."""
    ids = add_staff(shop, advisors=2, mech_techs=2, body_techs=0)
    return {
        "ids": ids,
        "admin": Documented(shop),
        "tech": Documented(person(shop, "zhaoqiang", "technician", "赵强", technician_id=ids["techs"][0])),
        "other_tech": person(shop, "qianlei", "technician", "钱磊", technician_id=ids["techs"][1]),
        "inspector": Documented(person(shop, "sunli", "inspector", "孙丽")),
        "advisor": Documented(person(shop, "chenjing", "advisor", "陈静", advisor_id=ids["advisors"][0])),
        "foreman": person(shop, "wanggang", "foreman", "王刚"),
    }


def open_order(shop: Shop, advisor_id: int, jobs: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    body = {"plate": "粤B·7K2M9", "model": "雷凌 Levin", "customer_name": "陈芳", "title": "女士", "phone": "13700137000",
            "advisor_id": advisor_id, "promised_at": "2026-11-23T17:00", "jobs": jobs or [MAINT], **extra}
    return shop.ok("POST", "/repair-orders", body)  # type: ignore[no-any-return]


def step(shop: Shop, job: dict[str, Any], action: str, **extra: Any) -> dict[str, Any]:
    return shop.ok("POST", f"/jobs/{job['id']}/transitions", {"action": action, "version": job["version"], **extra})  # type: ignore[no-any-return]


def started(floor: dict[str, Any], job: dict[str, Any], tech: int | None = None) -> dict[str, Any]:
    admin = floor["admin"]
    job = step(admin, job, "dispatch", technician_id=tech or floor["ids"]["techs"][0])
    return step(admin, job, "start")


def jpcb(shop: Shop) -> dict[str, Any]:
    """The live workshop board as the database makes it now."""
    with shop.client.app.state.uow.shop(shop.code, "test") as ctx:
        return BOARDS["jpcb"].build(ctx)


def self_checked(floor: dict[str, Any], job: dict[str, Any]) -> dict[str, Any]:
    return checked_by_himself(floor["admin"], job)


def passed(floor: dict[str, Any], job: dict[str, Any]) -> dict[str, Any]:
    return inspected(floor["inspector"], job)


def ready_order(floor: dict[str, Any], jobs: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    """An order whose every job has been checked, passed and washed."""
    admin = floor["admin"]
    order = open_order(admin, floor["ids"]["advisors"][0], jobs, **extra)
    done = [passed(floor, self_checked(floor, started(floor, j))) for j in order["jobs"]]
    admin.ok("POST", f"/repair-orders/{order['id']}/wash-done", {"versions": {str(j["id"]): j["version"] for j in done}})
    return admin.ok("GET", f"/repair-orders/{order['id']}/hand-over")  # type: ignore[no-any-return]


# -- the three-level check --------------------------------------------------------------------


def test_every_kind_of_job_has_its_self_check_and_the_inspector_checks_more(floor):
    lists = floor["tech"].ok("GET", "/checklists")
    assert set(lists["self"]) == set(lists["final"]) == {s.value for s in Skill}
    maintenance = {i["key"]: i for i in lists["self"]["maintenance"]}
    assert {"oil_level", "filter_tight", "no_leaks", "service_light"} <= set(maintenance)
    assert maintenance["oil_level"]["zh"] == "机油液位正常" and maintenance["oil_level"]["en"] == "Oil level correct"
    assert {"codes_cleared", "function_tested"} <= {i["key"] for i in lists["self"]["electrical"]}
    assert {"gaps"} <= {i["key"] for i in lists["self"]["body"]} and {"colour_match"} <= {i["key"] for i in lists["self"]["paint"]}
    for skill, items in lists["final"].items():
        keys = [i["key"] for i in items]
        assert keys[: len(lists["self"][skill])] == [i["key"] for i in lists["self"][skill]]
        assert {"work_done", "nothing_left", "no_new_marks"} <= set(keys)


def test_a_technician_finishes_his_job_only_with_every_item_of_its_self_check(floor):
    tech = floor["tech"]
    job = started(floor, open_order(floor["admin"], floor["ids"]["advisors"][0])["jobs"][0])
    around = tech.post(f"/jobs/{job['id']}/transitions", {"action": "finish", "version": job["version"]})
    assert around.status_code == 409 and "self-check" in around.json()["error"]["message"] and "自检" in around.json()["error"]["message_zh"]
    assert floor["foreman"].post(f"/jobs/{job['id']}/transitions", {"action": "finish", "version": job["version"]}).status_code == 409  # nobody skips it
    half = tech.post(f"/jobs/{job['id']}/self-check", {"version": job["version"], "items": SELF_MAINT[:2]})
    assert half.status_code == 422
    problem = half.json()["error"]["fields"][0]
    assert problem["field"] == "items" and "No leaks" in problem["reason"] and "保养提示已复位" in problem["reason"]
    made_up = tech.post(f"/jobs/{job['id']}/self-check", {"version": job["version"], "items": [*SELF_MAINT, "looks_fine"]})
    assert made_up.status_code == 422 and "looks_fine" in made_up.json()["error"]["fields"][0]["reason"]
    stale = tech.post(f"/jobs/{job['id']}/self-check", {"version": job["version"] - 1, "items": SELF_MAINT})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    assert tech.ok("GET", f"/jobs/{job['id']}")["stage"]["value"] == "in_progress"  # nothing of it was kept

    not_done = tech.post(f"/jobs/{job['id']}/self-check", {"version": job["version"], "items": SELF_MAINT})
    assert not_done.status_code == 422 and not_done.json()["error"]["fields"][0]["field"] == "lines"  # the card's operation is not done
    assert "定期保养" in not_done.json()["error"]["fields"][0]["reason"]
    done = tech.ok("POST", f"/jobs/{job['id']}/self-check", {"version": job["version"], "items": SELF_MAINT, "lines": [job["lines"][0]["id"]]})
    assert done["job"]["stage"]["value"] == "quality_check" and done["job"]["version"] == job["version"] + 1
    assert all(line["done"] and line["done_by"] == "赵强 (zhaoqiang)" for line in done["job"]["lines"])
    assert done["check"]["kind"] == "self" and done["check"]["passed"] and done["check"]["checked_by"] == "赵强 (zhaoqiang)"
    assert [i["item"] for i in done["check"]["items"]] == SELF_MAINT and all(i["ok"] for i in done["check"]["items"])
    assert jpcb(tech)[f"j{job['id']}"]["self_checked_at"] == "2026-11-23T09:00:00+08:00"
    log = [(e["entity"], e["action"], e["actor"]) for e in floor["admin"].ok("GET", "/events?limit=1000") if e["entity"] in ("job", "qc_check")]
    assert log[-2:] == [("job", "finish", "赵强 (zhaoqiang)"), ("qc_check", "self_check", "赵强 (zhaoqiang)")]
    again = tech.post(f"/jobs/{job['id']}/self-check", {"version": done["job"]["version"], "items": SELF_MAINT, "lines": []})
    assert again.status_code == 409 and again.json()["error"]["code"] == "illegal_move"  # it is in quality check already


def test_a_technician_self_checks_only_his_own_jobs_and_the_foreman_may_check_for_one_gone_home(floor):
    order = open_order(floor["admin"], floor["ids"]["advisors"][0], [MAINT, {**WIRING, "shares_car": True}])
    mine = started(floor, order["jobs"][0])
    mine = floor["admin"].ok("POST", f"/jobs/{mine['id']}/clock-off", {"version": mine["version"], "reason": "other"})
    theirs = started(floor, order["jobs"][1], floor["ids"]["techs"][1])
    refused = floor["tech"].post(f"/jobs/{theirs['id']}/self-check", {"version": theirs["version"], "items": []})
    assert refused.status_code == 403
    finished = checked_by_himself(floor["foreman"], theirs)  # his technician went home: the foreman checks it, in his own name
    assert finished["stage"]["value"] == "quality_check"
    mine = floor["admin"].ok("POST", f"/jobs/{mine['id']}/clock-on", {"version": floor["admin"].ok("GET", f"/jobs/{mine['id']}")["version"]})
    self_checked(floor, mine)
    queue = floor["inspector"].ok("GET", "/quality-check")
    [car] = queue["cars"]
    seen = {j["id"]: j for j in car["jobs"]}
    assert seen[mine["id"]]["self_check"]["at"] == "2026-11-23T09:00:00+08:00" and "admin" in seen[mine["id"]]["self_check"]["by"]
    assert "wanggang" in seen[theirs["id"]]["self_check"]["by"]  # the inspector sees who checked it
    assert [i["key"] for i in seen[theirs["id"]]["checklist"]] == [i.key for i in checklists.final_check(Skill.ELECTRICAL)]


def test_the_inspector_passes_a_job_with_every_item_ticked_and_a_technician_cannot(floor):
    job = self_checked(floor, started(floor, open_order(floor["admin"], floor["ids"]["advisors"][0])["jobs"][0]))
    body = {"version": job["version"], "passed": True, "items": FINAL_MAINT}
    assert floor["tech"].post(f"/jobs/{job['id']}/quality-check", body).status_code == 403  # not the man who did the work
    assert floor["tech"].post(f"/jobs/{job['id']}/transitions", {"action": "qc_pass", "version": job["version"]}).status_code == 403
    assert floor["inspector"].post(f"/jobs/{job['id']}/transitions", {"action": "qc_pass", "version": job["version"]}).status_code == 409  # its own road
    short = floor["inspector"].post(f"/jobs/{job['id']}/quality-check", {**body, "items": FINAL_MAINT[:-1]})
    assert short.status_code == 422 and "No new marks" in short.json()["error"]["fields"][0]["reason"]
    done = floor["inspector"].ok("POST", f"/jobs/{job['id']}/quality-check", body)
    assert done["job"]["stage"]["value"] == "wash" and done["check"]["kind"] == "final" and done["check"]["passed"]
    assert done["check"]["checked_by"] == "孙丽 (sunli)" and done["job"]["qc_failures"] == 0
    entries = [e for e in floor["admin"].ok("GET", "/events?limit=1000") if e["entity"] in ("job", "qc_check")][-2:]
    assert [(e["action"], e["actor"]) for e in entries] == [("qc_pass", "孙丽 (sunli)"), ("passed", "孙丽 (sunli)")]


def test_a_failure_says_why_sends_the_job_back_counted_and_the_technician_reads_it(floor):
    inspector = floor["inspector"]
    order = open_order(floor["admin"], floor["ids"]["advisors"][0])
    job = self_checked(floor, started(floor, order["jobs"][0]))
    silent = inspector.post(f"/jobs/{job['id']}/quality-check", {"version": job["version"], "passed": False, "items": FINAL_MAINT[:3]})
    assert silent.status_code == 422 and silent.json()["error"]["fields"][0]["field"] == "reason"
    failed = inspector.ok("POST", f"/jobs/{job['id']}/quality-check",
                          {"version": job["version"], "passed": False, "items": FINAL_MAINT[:3], "reason": "机油滤清器渗油"})
    job = failed["job"]
    assert job["stage"]["value"] == "dispatched" and job["qc_failures"] == 1  # back to its technician: he clocks on when he is free
    assert not failed["check"]["passed"] and [i["ok"] for i in failed["check"]["items"]] == [True] * 3 + [False] * (len(FINAL_MAINT) - 3)
    card = jpcb(floor["tech"])[f"j{job['id']}"]
    assert card["qc_reason"] == "机油滤清器渗油" and card["qc_failures"] == 1  # on the technician's page and the foreman's board
    [back] = inspector.ok("GET", "/quality-check")["returned"]
    assert (back["id"], back["reason"], back["by"], back["technician"]) == (job["id"], "机油滤清器渗油", "孙丽 (sunli)", "机电1")
    event = [e for e in floor["admin"].ok("GET", "/events?entity=job") if e["action"] == "qc_fail"][-1]
    assert event["reason"] == "机油滤清器渗油" and event["actor"] == "孙丽 (sunli)"

    job = floor["tech"].ok("POST", f"/jobs/{job['id']}/clock-on", {"version": job["version"]})
    job = floor["tech"].ok("POST", f"/jobs/{job['id']}/self-check", {"version": job["version"], "items": SELF_MAINT})["job"]
    assert jpcb(floor["tech"])[f"j{job['id']}"]["qc_reason"] == ""  # back in the check: nothing to read on his page
    [car] = inspector.ok("GET", "/quality-check")["cars"]
    [seen] = car["jobs"]
    assert seen["qc_failures"] == 1 and seen["earlier_failures"][0]["reason"] == "机油滤清器渗油" and seen["self_check"]["by"] == "赵强 (zhaoqiang)"
    assert inspector.ok("GET", "/quality-check")["returned"] == []
    passed(floor, job)
    checks = inspector.ok("GET", f"/jobs/{job['id']}/checks")
    assert [(c["kind"], c["passed"]) for c in checks] == [("self", True), ("final", False), ("self", True), ("final", True)]
    report = floor["admin"].ok("GET", "/reports/day")
    assert report["qc_failures"] == 1


def test_the_inspectors_queue_puts_the_car_waiting_longest_first(floor, clock):
    admin = floor["admin"]
    first = started(floor, open_order(admin, floor["ids"]["advisors"][0], plate="粤A11111")["jobs"][0])
    second = started(floor, open_order(admin, floor["ids"]["advisors"][0], plate="粤A22222", customer_waiting=True)["jobs"][0],
                     floor["ids"]["techs"][1])
    self_checked(floor, second)
    clock.advance(timedelta(minutes=10))
    self_checked(floor, first)
    cars = floor["inspector"].ok("GET", "/quality-check")["cars"]
    assert [c["plate"] for c in cars] == ["粤A22222", "粤A11111"]
    assert cars[0]["since"] == "2026-11-23T09:00:00+08:00" and cars[0]["customer_waiting"]


# -- the wash -----------------------------------------------------------------------------------


def test_a_car_is_washed_once_when_all_its_jobs_are_done_and_customers_waiting_go_first(floor):
    admin = floor["admin"]
    order = open_order(admin, floor["ids"]["advisors"][0], [MAINT, WIRING])
    one = passed(floor, self_checked(floor, started(floor, order["jobs"][0])))
    other = started(floor, order["jobs"][1], floor["ids"]["techs"][1])
    [car] = admin.ok("GET", "/wash")
    assert not car["washable"] and [w["operation"] for w in car["waiting_for"]] == ["检修大灯线路"]
    early = admin.post(f"/repair-orders/{order['id']}/wash-done", {"versions": {str(one["id"]): one["version"]}})
    assert early.status_code == 409 and "检修大灯线路" in early.json()["error"]["message_zh"]
    two = passed(floor, self_checked(floor, other))
    waiting = open_order(admin, floor["ids"]["advisors"][1], plate="粤A33333", customer_waiting=True)
    passed(floor, self_checked(floor, started(floor, waiting["jobs"][0])))
    queue = admin.ok("GET", "/wash")
    assert [c["plate"] for c in queue] == ["粤A33333", "粤B·7K2M9"] and all(c["washable"] for c in queue)
    assert {j["id"] for j in queue[1]["jobs"]} == {one["id"], two["id"]}

    half = admin.post(f"/repair-orders/{order['id']}/wash-done", {"versions": {str(one["id"]): one["version"]}})
    assert half.status_code == 422 and str(two["id"]) in half.json()["error"]["fields"][0]["reason"]
    stale = admin.post(f"/repair-orders/{order['id']}/wash-done", {"versions": {str(one["id"]): one["version"], str(two["id"]): 1}})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    assert floor["tech"].post(f"/repair-orders/{order['id']}/wash-done", {"versions": {}}).status_code == 403
    washed = floor["advisor"].ok("POST", f"/repair-orders/{order['id']}/wash-done",
                                 {"versions": {str(one["id"]): one["version"], str(two["id"]): two["version"]}})
    assert [j["stage"]["value"] for j in washed["jobs"]] == ["ready", "ready"]
    assert [c["plate"] for c in admin.ok("GET", "/wash")] == ["粤A33333"]
    moves = [(e["entity_id"], e["action"], e["actor"]) for e in admin.ok("GET", "/events?entity=job&limit=1000")][-2:]
    assert moves == [(one["id"], "wash_done", "陈静 (chenjing)"), (two["id"], "wash_done", "陈静 (chenjing)")]
    again = admin.post(f"/repair-orders/{order['id']}/wash-done", {"versions": {}})
    assert again.status_code == 409


# -- the hand-over ----------------------------------------------------------------------------------


def add_parts_and_findings(shop: Shop, bill: dict[str, Any]) -> None:
    """What the parts desk and extra work put on the order (their own routes are another part of the work)."""
    job = bill["lines"][0]["job_id"]
    with shop.client.app.state.uow.shop(shop.code, "test") as ctx:
        ctx.session.add(PartLine(shop_id=ctx.shop.id, job_id=job, part_no="90915-YZZD1", name="机油滤清器", qty=1, unit_price=58.0, updated_at=ctx.now))
        ctx.session.add(PartLine(shop_id=ctx.shop.id, job_id=job, part_no="08880-83717", name="=机油 0W-20", qty=4, unit_price=72.5, updated_at=ctx.now))
        ctx.session.add(Finding(shop_id=ctx.shop.id, repair_order_id=bill["repair_order_id"], text="前刹车片磨损至 3mm", operation="更换前刹车片",
                                labour_price=180.0, parts_price=420.0, status=FindingStatus.DECLINED, decided_at=ctx.now, created_at=ctx.now))
        ctx.session.add(Reception(shop_id=ctx.shop.id, repair_order_id=bill["repair_order_id"], mileage_km=42_180, marks=[], created_at=ctx.now,
                                  created_by="test"))


def test_the_bill_shows_the_work_with_hours_the_parts_the_declined_work_and_the_next_service(floor):
    bill = ready_order(floor, [MAINT, WIRING])
    add_parts_and_findings(floor["admin"], bill)
    bill = floor["advisor"].ok("GET", f"/repair-orders/{bill['repair_order_id']}/hand-over")
    assert bill["ready"] and bill["closed"] is None and bill["labour_rate"] == 180.0
    assert [(line["operation"], line["hours"], line["labour_price"]) for line in bill["lines"]] == [("定期保养", 1.0, 180.0), ("检修大灯线路", 1.5, 270.0)]
    assert [(p["name"], p["amount"]) for p in bill["parts"]] == [("机油滤清器", 58.0), ("=机油 0W-20", 290.0)]
    assert (bill["labour_amount"], bill["parts_amount"], bill["computed_amount"]) == (450.0, 348.0, 798.0)
    [declined] = bill["declined"]
    assert declined["operation"] == "更换前刹车片" and declined["amount"] == 600.0
    assert bill["mileage_km"] == 42_180
    assert bill["suggested_next_service"] == {"date": "2027-05-23", "km": 47_180}
    [car] = floor["advisor"].ok("GET", "/delivery")
    assert car["repair_order_id"] == bill["repair_order_id"] and car["mine"] and car["labour_hours"] == 2.5


def test_hand_over_delivers_every_job_closes_the_order_and_puts_it_on_tomorrows_follow_up_list(floor, clock):
    advisor = floor["advisor"]
    bill = ready_order(floor, [MAINT, WIRING])
    ro = bill["repair_order_id"]
    add_parts_and_findings(floor["admin"], bill)
    body = {"version": bill["version"], "final_amount": 750.0, "next_service_date": "2027-05-20", "next_service_km": 47_000}
    assert floor["tech"].post(f"/repair-orders/{ro}/hand-over", body).status_code == 403
    assert floor["foreman"].post(f"/repair-orders/{ro}/hand-over", body).status_code == 403
    assert advisor.post(f"/repair-orders/{ro}/hand-over", {**body, "version": bill["version"] + 1}).status_code == 409
    past = advisor.post(f"/repair-orders/{ro}/hand-over", {**body, "next_service_date": "2026-11-23"})
    assert past.status_code == 422 and past.json()["error"]["fields"][0]["field"] == "next_service_date"
    behind = advisor.post(f"/repair-orders/{ro}/hand-over", {**body, "next_service_km": 40_000})
    assert behind.status_code == 422 and behind.json()["error"]["fields"][0]["field"] == "next_service_km"

    clock.advance(timedelta(hours=2))
    done = advisor.ok("POST", f"/repair-orders/{ro}/hand-over", {**body, "note": "客户满意"})
    assert done["closed"] == {"closed_at": "2026-11-23T11:00:00+08:00", "final_amount": 750.0, "delivered_by": "陈静 (chenjing)",
                              "next_service_date": "2027-05-20", "next_service_km": 47_000}
    assert not done["ready"] and [line["stage"]["value"] for line in done["lines"]] == ["delivered", "delivered"]
    assert done["version"] == bill["version"] + 1
    assert advisor.ok("GET", "/delivery") == []
    twice = advisor.post(f"/repair-orders/{ro}/hand-over", {**body, "version": done["version"]})
    assert twice.status_code == 409 and "陈静" in twice.json()["error"]["message"]
    log = [e for e in floor["admin"].ok("GET", "/events?limit=1000") if e["entity"] == "repair_order" and e["action"] == "handed_over"]
    assert log[0]["actor"] == "陈静 (chenjing)" and log[0]["reason"] == "客户满意"
    assert log[0]["after"]["final_amount"] == 750.0 and log[0]["after"]["computed_amount"] == 798.0 and log[0]["before"]["closed_at"] is None

    report = floor["admin"].ok("GET", "/reports/day")
    assert report["delivered_orders"] == 1 and report["sales_amount"] == 750.0
    assert floor["advisor"].ok("GET", "/follow-ups")["due"] == []  # not on the day it left
    [due] = floor["advisor"].ok("GET", "/follow-ups?day=2026-11-24")["due"]
    assert due["repair_order_id"] == ro and due["delivered_at"] == "2026-11-23T11:00+08:00"


def test_a_car_not_ready_cannot_be_handed_over(floor):
    order = open_order(floor["admin"], floor["ids"]["advisors"][0], [MAINT, WIRING])
    passed(floor, self_checked(floor, started(floor, order["jobs"][0])))
    bill = floor["advisor"].ok("GET", f"/repair-orders/{order['id']}/hand-over")
    assert not bill["ready"] and floor["advisor"].ok("GET", "/delivery") == []
    refused = floor["advisor"].post(f"/repair-orders/{order['id']}/hand-over", {"version": bill["version"]})
    assert refused.status_code == 409 and "检修大灯线路" in refused.json()["error"]["message"]


def test_the_amount_and_the_next_service_default_to_the_bill_and_the_suggestion(floor):
    bill = ready_order(floor)
    done = floor["advisor"].ok("POST", f"/repair-orders/{bill['repair_order_id']}/hand-over", {"version": bill["version"]})
    assert done["closed"]["final_amount"] == 180.0 and done["closed"]["next_service_date"] == "2027-05-23"
    assert done["closed"]["next_service_km"] is None  # no mileage taken at reception: no km to guess


# -- the DMS export -------------------------------------------------------------------------------------


def test_the_closed_orders_go_to_the_dms_as_json_and_spreadsheet_safe_csv(floor):
    admin = floor["admin"]
    bill = ready_order(floor, [MAINT, WIRING], customer_name="=HYPERLINK(\"http://x\",\"y\")", phone="+8613700137000")
    add_parts_and_findings(admin, bill)
    advisor = floor["advisor"]
    assert advisor.ok("GET", "/dms/closed-orders") == []
    advisor.ok("POST", f"/repair-orders/{bill['repair_order_id']}/hand-over",
               {"version": bill["version"], "final_amount": 750.0, "next_service_date": "2027-05-20", "next_service_km": 47_000})
    # Another car handed over at the amount its bill computes.
    other = ready_order(floor, plate="粤A44444")
    advisor.ok("POST", f"/repair-orders/{other['repair_order_id']}/hand-over", {"version": other["version"]})

    [first, second] = advisor.ok("GET", "/dms/closed-orders?day=2026-11-23")
    assert first["number"] == bill["number"] and first["plate"] == "粤B·7K2M9" and first["model"] == "雷凌 Levin"
    assert first["customer"] == {"name": "=HYPERLINK(\"http://x\",\"y\")", "title": "女士", "phone": "+8613700137000"}
    assert first["advisor"] == "顾问1" and first["opened_at"] == "2026-11-23T09:00:00+08:00" and first["closed_at"] == "2026-11-23T09:00:00+08:00"
    assert [(line["operation"], line["hours"], line["labour_price"]) for line in first["lines"]] == [("定期保养", 1.0, 180.0), ("检修大灯线路", 1.5, 270.0)]
    assert [p["part_no"] for p in first["parts"]] == ["90915-YZZD1", "08880-83717"]
    assert [d["operation"] for d in first["declined"]] == ["更换前刹车片"]
    assert (first["computed_amount"], first["final_amount"], first["total"]) == (798.0, 750.0, 750.0)
    assert first["next_service"] == {"date": "2027-05-20", "km": 47_000} and first["closed_on_screen"]
    assert second["plate"] == "粤A44444" and second["closed_on_screen"] and second["final_amount"] == 180.0 and second["total"] == 180.0
    assert advisor.ok("GET", "/dms/closed-orders?day=2026-11-22") == []

    response = advisor.client.get(advisor.url("/dms/closed-orders.csv?day=2026-11-23"))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    mine = [r for r in rows if r["order_number"] == bill["number"]]
    assert [(r["line_type"], r["description"], r["amount"], r["charged"]) for r in mine] == [
        ("labour", "定期保养", "180.0", "yes"), ("labour", "检修大灯线路", "270.0", "yes"),
        ("part", "机油滤清器", "58.0", "yes"), ("part", "'=机油 0W-20", "290.0", "yes"),
        ("adjustment", "交车调整 adjustment at hand-over", "-48.0", "yes"), ("declined", "更换前刹车片", "600.0", "no")]
    assert sum(float(r["amount"]) for r in mine if r["charged"] == "yes") == pytest.approx(750.0)  # the lines add up to what was paid
    assert {r["customer"] for r in mine} == {"'=HYPERLINK(\"http://x\",\"y\")女士"} and {r["phone"] for r in mine} == {"'+8613700137000"}
    assert {r["order_total"] for r in mine} == {"750.0"} and {r["next_service_date"] for r in mine} == {"2027-05-20"}
    assert [r["line_type"] for r in rows if r["order_number"] == second["number"]] == ["labour"]
    assert floor["tech"].get("/dms/closed-orders").status_code == 403  # customers' phones: for those who settle with them
    assert floor["tech"].get("/dms/closed-orders.csv").status_code == 403


def test_the_screens_answers_fit_their_documented_schemas(floor):
    inspector, advisor = floor["inspector"], floor["advisor"]
    floor["tech"].ok("GET", "/checklists")
    order = open_order(floor["admin"], floor["ids"]["advisors"][0], [MAINT, WIRING])
    one = self_checked(floor, started(floor, order["jobs"][0]))
    inspector.ok("POST", f"/jobs/{one['id']}/quality-check", {"version": one["version"], "passed": False, "items": [], "reason": "异响"})
    two = self_checked(floor, started(floor, order["jobs"][1], floor["ids"]["techs"][1]))
    inspector.ok("GET", "/quality-check")
    inspector.ok("GET", f"/jobs/{one['id']}/checks")
    passed(floor, two)
    advisor.ok("GET", "/wash")
    advisor.ok("GET", f"/repair-orders/{order['id']}/hand-over")
    bill = ready_order(floor)
    add_parts_and_findings(floor["admin"], bill)
    advisor.ok("GET", "/delivery")
    advisor.ok("POST", f"/repair-orders/{bill['repair_order_id']}/hand-over", {"version": bill["version"]})
    advisor.ok("GET", "/dms/closed-orders")
    assert {"checklists", "self_check", "inspect", "job_checks", "qc_queue", "wash_queue", "wash_done", "ready_cars", "get_bill",
            "hand_over", "closed_orders"} <= inspector.checked | advisor.checked | floor["admin"].checked | floor["tech"].checked
