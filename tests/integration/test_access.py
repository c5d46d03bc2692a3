"""Who may do what, through the HTTP API: sign-in, every write route's roles, a technician's own
jobs, one shop's staff kept out of another, CSRF and Origin, the login throttle, ended sessions,
and the audit of overrides by the person who made them."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from board.api.registry import ENDPOINTS
from board.auth.roles import Role
from tests.conftest import PASSWORD, Shop, add_staff, inspected, person, self_checked, sign_in

JOB = {"operation": "定期保养", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}


def open_order(shop: Shop, advisor_id: int) -> dict[str, Any]:
    body = {"plate": "粤B·7K2M9", "model": "雷凌 Levin", "customer_name": "陈芳", "phone": "13700137000", "advisor_id": advisor_id,
            "promised_at": "2026-11-23T17:00", "jobs": [JOB]}
    return shop.ok("POST", "/repair-orders", body)  # type: ignore[no-any-return]


@pytest.fixture
def staff(shop: Shop) -> dict[str, Any]:
    """The shop, its records, and a signed-in client for each role."""
    ids = add_staff(shop, advisors=2, mech_techs=2, body_techs=0, bays=False)
    bay = shop.ok("POST", "/bays", {"name": "1号工位", "kind": "general_lift"})
    people = {
        Role.ADMIN: shop,
        Role.ADVISOR: person(shop, "chenjing", "advisor", "陈静", advisor_id=ids["advisors"][0]),
        Role.FOREMAN: person(shop, "wanggang", "foreman", "王刚"),
        Role.GREETER: person(shop, "linna", "greeter", "林娜"),
        Role.TECHNICIAN: person(shop, "zhaoqiang", "technician", "赵强", technician_id=ids["techs"][0]),
        Role.DISPLAY: person(shop, "lobby", "display", "大厅屏"),
    }
    return {"ids": ids, "bay": bay, "people": people}


def concrete(path: str) -> str:
    return re.sub(r"\{[a-z_]+:int\}", "1", path.replace("{shop}", "gz01"))


def test_nobody_signed_in_gets_401_and_the_login_page(shop: Shop):
    stranger = TestClient(shop.client.app)
    for path in ("/api/shops", "/api/shops/gz01/appointments", "/api/shops/gz01/welcome"):
        answer = stranger.get(path)
        assert answer.status_code == 401 and answer.json()["error"]["message_zh"] == "请先登录。"
    assert stranger.post("/api/shops/gz01/appointments", json={}).status_code == 401  # refused before the body is read
    page = stranger.get("/shops/gz01/foreman", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=%2Fshops%2Fgz01%2Fforeman"
    assert stranger.get("/", follow_redirects=False).headers["location"] == "/login"
    assert 'name="csrf_token"' in stranger.get("/login").text


def test_every_write_route_admits_exactly_its_roles(staff: dict[str, Any]):
    """Each write is tried by every role with an empty body: a refused role gets 403 before the body
    is read; an allowed one gets past the door (a 422 for the empty body, a 404, or done)."""
    allowed = refused = 0
    for ep in ENDPOINTS:
        if ep.method == "GET" or ep.camera_auth or ep.public:
            continue
        for role, client in staff["people"].items():
            answer = client.client.request(ep.method, concrete(ep.path), json={})
            if role in ep.roles:
                assert answer.status_code not in (401, 403), f"{role} refused at {ep.method} {ep.path}: {answer.text}"
                allowed += 1
            else:
                assert answer.status_code == 403, f"{role} let through at {ep.method} {ep.path}: {answer.status_code}"
                assert answer.json()["error"]["message"].startswith("Only ")
                refused += 1
    assert allowed >= 60 and refused >= 120  # 34 write routes, six roles: most are one or two roles' work


def test_reads_are_for_staff_and_a_display_account_reads_nothing(staff: dict[str, Any]):
    people = staff["people"]
    for role in (Role.ADVISOR, Role.FOREMAN, Role.GREETER, Role.TECHNICIAN):
        assert people[role].get("/appointment-board").status_code == 200
    for path in ("/appointment-board", "/appointments", "/repair-orders", "/follow-ups"):
        assert people[Role.DISPLAY].get(path).status_code == 403  # names and phones are not for screens
    # A display account opens the wall pages, each on the masked twin of its board, and no console.
    screen = people[Role.DISPLAY].client
    for page, board in (("welcome", "welcome"), ("reception", "appointments_public"), ("workshop", "jpcb_public")):
        html = screen.get(f"/shops/gz01/{page}").text
        boot = json.loads(re.search(r'<script type="application/json" id="boot">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
        assert boot["boards"] == [board], page
    assert screen.get("/shops/gz01/foreman").status_code == 403
    # The follow-up list is the advisors' calls, with the customers' phones: nobody else reads it.
    for role in (Role.FOREMAN, Role.GREETER, Role.TECHNICIAN):
        assert people[role].get("/follow-ups").status_code == 403
    assert people[Role.ADVISOR].get("/follow-ups").status_code == 200


def test_a_technician_moves_only_his_own_jobs_and_the_foreman_checks_them(staff: dict[str, Any], shop: Shop):
    people, ids = staff["people"], staff["ids"]
    mine, theirs = open_order(shop, ids["advisors"][0])["jobs"][0], open_order(shop, ids["advisors"][0])["jobs"][0]
    foreman = people[Role.FOREMAN]
    mine = foreman.ok("POST", "/dispatch/assign", {"job_id": mine["id"], "version": mine["version"], "technician_id": ids["techs"][0],
                                                  "bay_id": staff["bay"]["id"], "reason": "他熟悉这台车"})
    theirs = foreman.ok("POST", "/dispatch/assign", {"job_id": theirs["id"], "version": theirs["version"], "technician_id": ids["techs"][1],
                                                    "reason": "负载均衡"})
    tech = people[Role.TECHNICIAN]
    refused = tech.post(f"/jobs/{theirs['id']}/clock-on", {"version": theirs["version"]})
    assert refused.status_code == 403 and refused.json()["error"]["message"] == "A technician may only move his own jobs."
    assert tech.post(f"/jobs/{theirs['id']}/transitions", {"action": "start", "version": theirs["version"]}).status_code == 403
    mine = tech.ok("POST", f"/jobs/{mine['id']}/clock-on", {"version": mine["version"]})
    assert mine["stage"]["value"] == "in_progress"
    mine = self_checked(tech, mine)
    # Quality is checked by the foreman, not by the man who did the work.
    assert tech.post(f"/jobs/{mine['id']}/quality-check", {"version": mine["version"], "passed": True, "items": []}).status_code == 403
    assert inspected(foreman, mine)["stage"]["value"] == "wash"
    assert shop.ok("GET", f"/jobs/{theirs['id']}")["stage"]["value"] == "dispatched"  # the refused moves changed nothing


def test_overrides_are_audited_with_the_person_and_the_reason(staff: dict[str, Any], shop: Shop):
    job = open_order(shop, staff["ids"]["advisors"][0])["jobs"][0]
    staff["people"][Role.FOREMAN].ok("POST", "/dispatch/assign", {"job_id": job["id"], "version": job["version"],
                                                                 "technician_id": staff["ids"]["techs"][1], "reason": "客户指定赵师傅"})
    events = [e for e in shop.ok("GET", "/events?entity=job&limit=1000") if e["entity_id"] == job["id"] and e["action"] != "created"]
    assert events[-1]["actor"] == "王刚 (wanggang)" and events[-1]["at"] == "2026-11-23T09:00:00+08:00"
    assert events[-1]["reason"] == "客户指定赵师傅" and events[-1]["after"]["technician_id"] == staff["ids"]["techs"][1]


def test_staff_of_one_shop_do_not_see_another(staff: dict[str, Any], shop: Shop):
    shop.ok("POST", "/advisors", {"name": "x"})
    other = shop.client.post("/api/shops", json={"code": "sz01", "name": "深圳店"})
    assert other.status_code == 201
    advisor = staff["people"][Role.ADVISOR]
    assert [s["code"] for s in advisor.client.get("/api/shops").json()] == ["gz01"]
    assert [s["code"] for s in shop.client.get("/api/shops").json()] == ["gz01", "sz01"]  # the group admin sees both
    refused = advisor.client.get("/api/shops/sz01/appointments")
    assert refused.status_code == 403 and refused.json()["error"]["message"] == "Your account belongs to another shop."
    assert advisor.client.get("/shops/sz01/advisor").status_code == 403


def test_writes_need_the_sessions_csrf_secret_and_our_own_origin(staff: dict[str, Any]):
    advisor = staff["people"][Role.ADVISOR]
    body = {"day": "2026-11-24", "slot_start": "10:00", "plate": "粤A55555", "model": "凯美瑞", "customer_name": "王伟", "phone": "13800138000",
            "service_type": "maintenance"}
    secret = advisor.client.headers.pop("X-CSRF-Token")
    missing = advisor.post("/appointments", body)
    assert missing.status_code == 403 and "security token" in missing.json()["error"]["message"]
    assert advisor.post("/appointments", body, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert advisor.post("/appointments", body, headers={"X-CSRF-Token": secret, "Origin": "http://evil.example"}).status_code == 403
    assert advisor.get("/appointments?day=2026-11-24").json() == []  # nothing was booked by the refused requests
    assert advisor.post("/appointments", body, headers={"X-CSRF-Token": secret, "Origin": "http://testserver"}).status_code == 201


def test_the_login_form_needs_its_csrf_field_and_lands_on_the_roles_page(staff: dict[str, Any], shop: Shop):
    browser = TestClient(shop.client.app)
    form = browser.get("/login?next=/shops/gz01/greeter")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    forged = browser.post("/login", data={"username": "linna", "password": PASSWORD}, follow_redirects=False)
    assert forged.status_code == 403 and "页面已过期" in forged.text
    wrong = browser.post("/login", data={"username": "linna", "password": "nope", "csrf_token": token}, follow_redirects=False)
    assert wrong.status_code == 401 and "用户名或密码错误" in wrong.text
    ok = browser.post("/login", data={"username": "linna", "password": PASSWORD, "csrf_token": token, "next": "/shops/gz01/greeter"},
                      follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/shops/gz01/greeter"
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert browser.get("/shops/gz01/greeter").status_code == 200
    assert browser.get("/shops/gz01/foreman").status_code == 403  # a greeter does not dispatch
    # A login link cannot send people to another site afterwards: they land on their own page.
    token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/login").text).group(1)  # type: ignore[union-attr]
    elsewhere = browser.post("/login", data={"username": "linna", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/x"},
                             follow_redirects=False)
    assert elsewhere.status_code == 303 and elsewhere.headers["location"] == "/shops/gz01/greeter"


def test_too_many_wrong_passwords_make_the_next_attempt_wait(staff: dict[str, Any], shop: Shop):
    client = TestClient(shop.client.app)
    for _ in range(5):
        assert client.post("/api/session", json={"username": "linna", "password": "wrong-guess"}).status_code == 401
    held = client.post("/api/session", json={"username": "linna", "password": PASSWORD})  # even the right one waits now
    assert held.status_code == 429 and 500 <= int(held.headers["Retry-After"]) <= 600
    assert "Too many failed sign-ins" in held.json()["error"]["message"]
    assert client.post("/api/session", json={"username": "chenjing", "password": PASSWORD}).status_code == 200  # others are not held


def test_a_disabled_account_or_new_password_ends_its_sessions(staff: dict[str, Any], shop: Shop):
    greeter = staff["people"][Role.GREETER]
    assert greeter.get("/appointments").status_code == 200
    me = next(u for u in shop.ok("GET", "/users") if u["username"] == "linna")
    me = shop.ok("PATCH", f"/users/{me['id']}", {"version": me["version"], "password": "a-new-password"})
    assert greeter.get("/appointments").status_code == 401
    sign_in(greeter.client, "linna", "a-new-password")
    assert greeter.get("/appointments").status_code == 200
    shop.ok("PATCH", f"/users/{me['id']}", {"version": me["version"], "active": False})
    assert greeter.get("/appointments").status_code == 401
    assert greeter.client.post("/api/session", json={"username": "linna", "password": "a-new-password"}).status_code == 401
    admin_me = next(u for u in shop.ok("GET", "/users") if u["username"] == "admin")
    assert shop.patch(f"/users/{admin_me['id']}", {"version": admin_me["version"], "active": False}).status_code == 403


def test_accounts_name_their_staff_record_and_usernames_are_unique(staff: dict[str, Any], shop: Shop):
    no_record = shop.post("/users", {"username": "tech9", "name": "新技师", "role": "technician", "password": PASSWORD})
    assert no_record.status_code == 422 and no_record.json()["error"]["fields"][0]["field"] == "technician_id"
    elsewhere = shop.post("/users", {"username": "tech9", "name": "新技师", "role": "technician", "password": PASSWORD, "technician_id": 999})
    assert elsewhere.status_code == 422 and "no technician with id 999" in elsewhere.text
    taken = shop.post("/users", {"username": "LinNa", "name": "林娜", "role": "greeter", "password": PASSWORD})
    assert taken.status_code == 409
    short = shop.post("/users", {"username": "new1", "name": "新人", "role": "greeter", "password": "short"})
    assert short.status_code == 422 and short.json()["error"]["fields"][0]["field"] == "password"
    listed = shop.ok("GET", "/users")
    assert all("password" not in str(u) and "hash" not in str(u) for u in listed)
