"""The holes an outside probe found, each closed and proven through the HTTP API, on SQLite and
PostgreSQL: sessions that end when signed out, who may manage whose account, sign-in storms, bodies
that are too big, too deep or carry NUL, staff names that are markup or formulas, phone numbers for
those who call customers only, and the headers every answer carries."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from board.app import create_app
from board.clock import FixedClock
from board.settings import Settings
from tests.conftest import PASSWORD, Shop, add_staff, admin_headers, person, shop_time, sign_in
from tests.servers import serve_in_thread

JOB = {"operation": "定期保养", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}


def saved_cookie(client: TestClient) -> dict[str, str]:
    return {"Cookie": f"board_session={client.cookies['board_session']}", "X-CSRF-Token": client.headers["X-CSRF-Token"]}


def test_signing_out_ends_the_session_on_the_server_at_once(shop: Shop):
    add_staff(shop)
    greeter = person(shop, "linna", "greeter", "林娜")
    saved = saved_cookie(greeter.client)
    assert greeter.client.delete("/api/session").status_code == 204
    replay = TestClient(shop.client.app)
    assert replay.get("/api/session", headers=saved).status_code == 401
    assert replay.post("/api/shops/gz01/arrivals", json={"walk_in": True, "plate": "粤A12345"}, headers=saved).status_code == 401

    # The form's sign-out too.
    greeter2 = person(shop, "linna2", "greeter", "林娜")
    saved = saved_cookie(greeter2.client)
    page = greeter2.client.get("/shops/gz01/greeter").text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert greeter2.client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    assert replay.get("/api/session", headers=saved).status_code == 401


def test_one_documented_shape_for_who_is_signed_in(shop: Shop):
    ids = add_staff(shop)
    advisor = person(shop, "chenjing", "advisor", "陈静", advisor_id=ids["advisors"][0])
    again = TestClient(shop.client.app)
    posted = sign_in(again, "chenjing", PASSWORD)
    got = again.get("/api/session").json()
    assert posted == got and set(got) == {"user_id", "username", "name", "role", "shop", "shop_id", "technician_id", "advisor_id", "csrf_token"}
    assert (got["username"], got["name"], got["shop"], got["advisor_id"]) == ("chenjing", "陈静", "gz01", ids["advisors"][0])
    assert advisor.client.get("/api/session").json()["csrf_token"] != got["csrf_token"]  # each sign-in its own secret
    doc = shop.client.get("/api/openapi.json").json()
    session = doc["paths"]["/api/session"]
    assert set(session) == {"post", "get", "delete"}
    assert session["post"]["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/SessionOut"}
    assert "429" in session["post"]["responses"] and "Retry-After" in session["post"]["responses"]["429"]["headers"]
    assert set(doc["components"]["schemas"]["SessionOut"]["properties"]) == set(got)
    move = doc["paths"]["/api/shops/{shop}/jobs/{job_id}/transitions"]["post"]["responses"]
    assert {"401", "403", "404", "409", "422", "503"} <= set(move)


def test_who_may_manage_whose_account(shop: Shop):
    """The table in board/auth/roles.py through the API: a shop admin runs his shop's staff and nothing above."""
    ids = add_staff(shop)
    assert shop.client.post("/api/shops", json={"code": "sz02", "name": "深圳店"}).status_code == 201
    other = Shop(shop.client, "sz02")
    other_advisor = other.ok("POST", "/advisors", {"name": "深圳顾问"})["id"]
    other_staff = other.ok("POST", "/users", {"username": "szgreeter", "name": "深圳迎宾", "role": "greeter", "password": PASSWORD})
    boss = shop.ok("POST", "/users", {"username": "boss2", "name": "集团二", "role": "admin", "password": PASSWORD})
    assert boss["shop_id"] is None  # no shop named: an admin of the whole group
    shop_admin = person(shop, "gzadmin", "admin", "广州店管理员", shop="gz01")
    assert shop_admin.client.get("/api/session").json()["shop"] == "gz01"
    greeter = shop_admin.ok("POST", "/users", {"username": "newgreeter", "name": "新迎宾", "role": "greeter", "password": PASSWORD})

    def patch(client: Shop, user: dict[str, Any], code: str = "gz01", **change: Any) -> int:
        version = shop.client.get(f"/api/shops/{code}/users").json()
        current = next(u for u in version if u["id"] == user["id"])["version"]
        return int(client.client.patch(f"/api/shops/{code}/users/{user['id']}", json={"version": current, **change}).status_code)

    # His own shop's staff: everything.
    assert patch(shop_admin, greeter, name="新迎宾二") == 200
    assert patch(shop_admin, greeter, password="another-password") == 200
    assert patch(shop_admin, greeter, active=False) == 200
    # Nothing above him, nothing elsewhere.
    assert patch(shop_admin, boss, password="taken-over-1") == 403
    assert patch(shop_admin, greeter, role="admin") == 403  # making an admin is creating one
    assert shop_admin.post("/users", {"username": "x2", "name": "x", "role": "admin", "password": PASSWORD, "shop": "gz01"}).status_code == 403
    assert shop_admin.post("/users", {"username": "x3", "name": "x", "role": "admin", "password": PASSWORD}).status_code == 403
    assert patch(shop_admin, other_staff, code="sz02", name="x") == 403  # another shop: not even seen
    assert shop_admin.client.post("/api/shops", json={"code": "gz99", "name": "x"}).status_code == 403
    # The group admin may do all of it.
    assert patch(shop, other_staff, code="sz02", password="reset-by-group") == 200
    peer = person(shop, "gzadmin2", "admin", "广州店管理员二", shop="gz01")
    assert patch(peer, {"id": shop_admin.client.get("/api/session").json()["user_id"]}, password="not-his-to-set") == 403  # shop admins do not manage one another
    assert other_advisor and ids


def test_thirty_guesses_at_once_are_counted_before_any_password_is_checked(database_url: str):
    settings = Settings(database_url=database_url, scheduler_interval_s=3600)
    with serve_in_thread(create_app(settings, FixedClock(shop_time("2026-11-23 09:00")))) as host:
        base = f"http://{host}"
        headers = admin_headers()
        httpx.post(f"{base}/api/shops", json={"code": "gz01", "name": "广州店"}, headers=headers).raise_for_status()
        httpx.post(f"{base}/api/shops/gz01/users", json={"username": "tech6", "name": "技师六", "role": "greeter", "password": PASSWORD},
                   headers=headers).raise_for_status()
        codes: list[int] = []
        start = threading.Barrier(30)

        def guess(n: int) -> None:
            start.wait(30)
            answer = httpx.post(f"{base}/api/session", json={"username": "tech6", "password": f"guess-{n}"}, timeout=60)
            codes.append(answer.status_code)

        threads = [threading.Thread(target=guess, args=(n,)) for n in range(30)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(90)
        assert sorted(set(codes)) == [401, 429] and codes.count(401) == 5, codes
        # The right password waits too, from this address ...
        assert httpx.post(f"{base}/api/session", json={"username": "tech6", "password": PASSWORD}).status_code == 429


def test_every_process_counts_the_same_tries(database_url: str):
    """Two server processes on one database: five tries in all, not five each."""
    settings = Settings(database_url=database_url, scheduler_interval_s=3600)
    clock = FixedClock(shop_time("2026-11-23 09:00"))
    with TestClient(create_app(settings, clock)) as one, TestClient(create_app(settings, clock)) as two:
        one.cookies.set("board_session", admin_headers()["Cookie"].split("=", 1)[1])
        one.headers["X-CSRF-Token"] = admin_headers()["X-CSRF-Token"]
        one.post("/api/shops", json={"code": "gz01", "name": "广州店"}).raise_for_status()
        one.post("/api/shops/gz01/users", json={"username": "linna", "name": "林娜", "role": "greeter", "password": PASSWORD}).raise_for_status()
        answers = [(one if n % 2 else two).post("/api/session", json={"username": "linna", "password": "wrong-one"}).status_code for n in range(6)]
        assert answers == [401] * 5 + [429]
        waited = two.post("/api/session", json={"username": "linna", "password": PASSWORD})
        assert waited.status_code == 429 and int(waited.headers["Retry-After"]) > 0


def test_a_forwarded_address_counts_only_from_a_trusted_proxy(database_url: str):
    """Behind the shop's proxy each person's own address is counted; a stranger cannot pick his."""
    for trusted, expect in (((), [401] * 5 + [429]), (("127.0.0.1",), [401] * 6)):
        settings = Settings(database_url=database_url, scheduler_interval_s=3600, trusted_proxies=trusted)
        with serve_in_thread(create_app(settings, FixedClock(shop_time("2026-11-23 09:00")))) as host:
            base = f"http://{host}"
            code = f"gz{len(trusted)}{len(expect)}"
            httpx.post(f"{base}/api/shops", json={"code": code, "name": "店"}, headers=admin_headers()).raise_for_status()
            httpx.post(f"{base}/api/shops/{code}/users", json={"username": f"u{code}", "name": "x", "role": "greeter", "password": PASSWORD},
                       headers=admin_headers()).raise_for_status()
            answers = [httpx.post(f"{base}/api/session", json={"username": f"u{code}", "password": "wrong-one"},
                                  headers={"X-Forwarded-For": f"10.0.0.{n}"}).status_code for n in range(6)]
            assert answers == expect


def test_a_storm_of_sign_ins_is_answered_503_when_the_hashing_pool_is_full(database_url: str):
    settings = Settings(database_url=database_url, scheduler_interval_s=3600, login_hash_workers=1, login_hash_queue=0)
    with serve_in_thread(create_app(settings, FixedClock(shop_time("2026-11-23 09:00")))) as host:
        answers: list[httpx.Response] = []
        start = threading.Barrier(12)

        def try_one(n: int) -> None:
            start.wait(30)
            answers.append(httpx.post(f"http://{host}/api/session", json={"username": f"nobody{n}", "password": "x-password"}, timeout=60))

        threads = [threading.Thread(target=try_one, args=(n,)) for n in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(90)
        codes = [a.status_code for a in answers]
        assert set(codes) <= {401, 503} and 503 in codes and 401 in codes, codes
        busy = next(a for a in answers if a.status_code == 503)
        assert busy.headers["Retry-After"] == "2" and busy.json()["error"]["code"] == "unavailable"


@pytest.mark.parametrize(("path", "body"), [
    ("/api/session", {"username": "admin\x00", "password": "x"}),
    ("/api/shops/gz01/advisors", {"name": "陈\x00静"}),
    ("/api/shops/gz01/appointments?day=2026-11-23%00", None),
])
def test_a_nul_character_is_a_422_naming_the_field(shop: Shop, path: str, body: Any):
    answer = shop.client.post(path, json=body) if body is not None else shop.client.get(path)
    assert answer.status_code == 422, answer.text
    assert "NUL" in answer.text or "day" in answer.text


def test_json_nested_past_reason_is_a_422(shop: Shop):
    deep = "[" * 100_000 + "]" * 100_000
    answer = shop.client.post("/api/shops/gz01/advisors", content=deep, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422 and "nested" in answer.json()["error"]["message"]


def test_a_body_over_the_limit_is_refused_before_it_is_read(shop: Shop):
    big = b"x" * 1_100_000
    answer = TestClient(shop.client.app).post("/api/camera/reads", content=big, headers={"Content-Type": "application/json"})
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "too_large"
    # A camera without its token learns nothing more, and its body is never parsed.
    small = TestClient(shop.client.app).post("/api/camera/reads", content=b"{" * 1000)
    assert small.status_code == 401


def test_staff_names_are_text_everywhere_and_only_admins_rename_staff(shop: Shop):
    ids = add_staff(shop)
    advisor = person(shop, "chenjing", "advisor", "陈静", advisor_id=ids["advisors"][0])
    foreman = person(shop, "wanggang", "foreman", "王刚")
    other = shop.ok("GET", "/advisors")[1]
    assert advisor.patch(f"/advisors/{other['id']}", {"version": other["version"], "name": "<!--<script>"}).status_code == 403
    assert advisor.patch(f"/advisors/{other['id']}", {"version": other["version"], "present": False}).status_code == 200
    tech = shop.ok("GET", "/technicians")[0]
    assert foreman.patch(f"/technicians/{tech['id']}", {"version": tech["version"], "name": "=cmd"}).status_code == 403
    renamed = shop.ok("PATCH", f"/advisors/{other['id']}", {"version": other["version"] + 1, "name": "<!--<script>"})
    page = advisor.client.get("/shops/gz01/advisor").text
    boot = page.split('<script type="application/json" id="boot">')[1].split("</script>")[0]
    assert "<" not in boot and renamed["name"] == "<!--<script>"


def test_csv_exports_never_carry_a_formula(shop: Shop):
    ids = add_staff(shop)
    advisor = shop.ok("GET", "/advisors")[0]
    shop.ok("PATCH", f"/advisors/{advisor['id']}", {"version": advisor["version"], "name": '=HYPERLINK("http://x","y")'})
    text = shop.client.get("/api/shops/gz01/reports/day.csv?day=2026-11-23").text
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    assert ids


def test_technicians_and_greeters_do_not_get_customers_phones(shop: Shop):
    ids = add_staff(shop)
    body = {"plate": "粤B·7K2M9", "model": "雷凌", "customer_name": "陈芳", "phone": "13700137000", "advisor_id": ids["advisors"][0],
            "promised_at": "2026-11-23T17:00", "jobs": [JOB]}
    order = shop.ok("POST", "/repair-orders", body)
    tech = person(shop, "zhaoqiang", "technician", "赵强", technician_id=ids["techs"][0])
    greeter = person(shop, "linna", "greeter", "林娜")
    advisor = person(shop, "chenjing", "advisor", "陈静", advisor_id=ids["advisors"][0])
    for who in (tech, greeter):
        assert "13700137000" not in who.get(f"/repair-orders/{order['id']}").text
        assert "13700137000" not in who.get("/repair-orders").text
    assert advisor.ok("GET", f"/repair-orders/{order['id']}")["customer"]["phone"] == "13700137000"


def test_every_answer_carries_the_security_headers(shop: Shop):
    for answer in (shop.client.get("/shops/gz01/foreman"), shop.client.get("/api/shops/gz01"), shop.client.get("/login"),
                   shop.client.get("/shops/<img src=x onerror=alert(1)>/summary"), shop.client.get("/static/js/page.js")):
        csp = answer.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "object-src 'none'" in csp and "base-uri 'none'" in csp and "frame-ancestors 'none'" in csp
        assert answer.headers["x-content-type-options"] == "nosniff" and answer.headers["referrer-policy"] == "no-referrer"


def test_paths_in_error_pages_are_text_not_markup(shop: Shop):
    for path in ("/shops/<img src=x onerror=alert(1)>/summary", "/shops/<img src=x onerror=alert(1)>/reception",
                 "/shops/gz01/<svg onload=alert(1)>"):
        page = shop.client.get(path)
        assert page.status_code == 404 and "<img" not in page.text and "<script>alert" not in page.text
        assert "&lt;" in page.text


def test_a_host_not_ours_is_refused(database_url: str):
    settings = Settings(database_url=database_url, scheduler_interval_s=3600, allowed_hosts=("board.dealer.cn",))
    with TestClient(create_app(settings, FixedClock(shop_time("2026-11-23 09:00"))), base_url="http://evil.example") as client:
        assert client.get("/login").status_code == 400
    with TestClient(create_app(settings, FixedClock(shop_time("2026-11-23 09:00"))), base_url="http://board.dealer.cn") as client:
        assert client.get("/login").status_code == 200


def test_cookies_are_https_only_behind_an_https_proxy(database_url: str):
    settings = Settings(database_url=database_url, scheduler_interval_s=3600, trusted_proxies=("127.0.0.1",))
    with serve_in_thread(create_app(settings, FixedClock(shop_time("2026-11-23 09:00")))) as host:
        plain = httpx.post(f"http://{host}/api/session", json={"username": "admin", "password": "admin-password-1"})
        proxied = httpx.post(f"http://{host}/api/session", json={"username": "admin", "password": "admin-password-1"},
                             headers={"X-Forwarded-Proto": "https"})
        assert plain.status_code == proxied.status_code == 200
        assert "secure" not in plain.headers["set-cookie"].lower()
        assert "secure" in proxied.headers["set-cookie"].lower() and "httponly" in proxied.headers["set-cookie"].lower()


def test_a_request_head_dribbled_in_slowly_is_cut_off(database_url: str):
    """Slow-loris: a client sending its headers a line at a time, for ever, is closed after the head timeout."""
    import socket
    import time

    settings = Settings(database_url=database_url, scheduler_interval_s=3600, header_timeout_s=1)
    with serve_in_thread(create_app(settings, FixedClock(shop_time("2026-11-23 09:00")))) as host:
        address, port = host.split(":")
        with socket.create_connection((address, int(port))) as sock:
            sock.settimeout(0.3)
            sock.sendall(b"GET /login HTTP/1.1\r\nHost: x\r\n")
            began, closed = time.monotonic(), False
            while not closed and time.monotonic() - began < 15:
                try:
                    sock.sendall(b"X-Slow: 1\r\n")
                    closed = sock.recv(1024) == b""
                except TimeoutError:
                    continue
                except OSError:
                    closed = True
            assert closed and time.monotonic() - began < 1 + 5  # the timeout, and a busy machine's slack
        # A whole request in time is served as ever.
        assert httpx.get(f"http://{host}/login").status_code == 200
