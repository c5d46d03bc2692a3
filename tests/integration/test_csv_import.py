"""Importing the DMS's booking export: all rows or none, each bad row reported by line."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import add_staff

HEADER = "date,time,plate,model,customer_name,title,phone,service_type,advisor,source,booked_at\n"


def post_csv(shop, text):
    return shop.client.post(shop.url("/appointments/import"), content=text.encode("utf-8"), headers={"content-type": "text/csv"})


def test_a_good_file_is_imported_with_chinese_labels_and_advisors_by_name(shop):
    add_staff(shop)
    text = HEADER + (
        "2026-11-24,9:00,粤A·12345,凯美瑞 Camry,王伟,先生,13800138000,定期保养,顾问1,主动预约,2026-11-20 10:00\n"
        "2026-11-24,10:30,粤B88888,汉兰达,李娜,女士,13900139000,repair,顾问2,online,\n"
    )
    response = post_csv(shop, text)
    assert response.status_code == 201, response.text
    assert response.json()["imported"] == 2
    rows = shop.ok("GET", "/appointments?day=2026-11-24")
    assert [(r["slot_start"], r["plate_normalised"], r["service_type"]["value"], r["advisor"]["name"], r["source"]["value"]) for r in rows] == [
        ("09:00", "粤A12345", "maintenance", "顾问1", "outbound_reminder"),
        ("10:30", "粤B88888", "repair", "顾问2", "online"),
    ]
    assert rows[0]["booked_at"] == "2026-11-20T10:00:00+08:00"
    assert all(r["column"] == "day_before" for r in rows)


def test_a_file_with_bad_rows_imports_nothing_and_names_every_line(shop):
    add_staff(shop)
    text = HEADER + (
        "2026-11-24,09:00,粤A12345,Camry,王伟,先生,13800138000,maintenance,顾问1,,\n"  # line 2: fine
        "2026-11-24,09:00,粤A54321,Camry,王伟,先生,not-a-phone,maintenance,,,\n"  # line 3: phone
        "2026-13-01,09:00,粤A55555,Camry,王伟,先生,13800138000,maintenance,,,\n"  # line 4: date
        "2026-11-24,09:00,粤A12345,Camry,王伟,先生,13800138000,保养套餐,小明,,\n"  # line 5: duplicate, type, advisor
        "2026-11-20,09:00,粤A66666,Camry,王伟,先生,13800138000,quick,,,\n"  # line 6: past
    )
    response = post_csv(shop, text)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "csv_rejected" and "Nothing was imported" in error["message"]
    found = {(r["line"], r["field"]) for r in error["rows"]}
    assert found == {(3, "phone"), (4, "date"), (5, "service_type"), (5, "advisor"), (6, "date")}
    reasons = {(r["line"], r["field"]): r["reason"] for r in error["rows"]}
    assert "小明" in reasons[(5, "advisor")] and "in the past" in reasons[(6, "date")]
    assert shop.ok("GET", "/appointments?day=2026-11-24") == []


def test_a_plate_twice_in_one_file_is_reported_with_both_lines(shop):
    text = HEADER + (
        "2026-11-24,09:00,粤A12345,Camry,王伟,先生,13800138000,quick,,,\n"
        "2026-11-24,11:00,粤a 12345,Camry,王伟,先生,13800138000,quick,,,\n"
    )
    error = post_csv(shop, text).json()["error"]
    assert error["rows"] == [{"line": 3, "field": "plate", "reason": "booked twice for 2026-11-24 in this file (also line 2)"}]


def test_a_file_without_the_needed_columns_is_refused(shop):
    response = post_csv(shop, "day,plate\n2026-11-24,粤A12345\n")
    assert response.status_code == 422
    row = response.json()["error"]["rows"][0]
    assert row["line"] == 1 and "date" in row["reason"] and "service_type" in row["reason"]


def test_a_file_that_is_not_utf8_is_refused(shop):
    response = shop.client.post(shop.url("/appointments/import"), content="日期".encode("gbk") + b"\xff\xfe", headers={"content-type": "text/csv"})
    assert response.status_code == 422 and "UTF-8" in response.json()["error"]["fields"][0]["reason"]


def test_a_stray_line_break_or_quote_is_refused_in_words(shop):
    response = post_csv(shop, HEADER + '2026-11-24,09:00,"粤A12345\r,凯美瑞\n')
    assert response.status_code == 422
    assert response.json()["error"]["rows"][0]["field"] in ("file", "plate", "model", "date")


ROW_PARTS = ["2026-11-24", "09:00", "9:00", "粤A12345", "凯美瑞", "王伟", "先生", "13800138000", "quick", "保养", "陈静", '"', "\r", "\n", ",", "", "x" * 70]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.lists(st.lists(st.sampled_from(ROW_PARTS) | st.text(max_size=12), max_size=12).map(",".join), max_size=6).map("\n".join))
def test_any_file_is_imported_whole_or_refused_whole(shop, body):
    before = len(shop.ok("GET", "/appointments?day=2026-11-24"))
    response = post_csv(shop, HEADER + body)
    assert response.status_code in (201, 422), response.text
    after = len(shop.ok("GET", "/appointments?day=2026-11-24"))
    if response.status_code == 422:
        assert after == before, "a refused file left bookings behind"
        assert all(r["line"] >= 1 and r["reason"] for r in response.json()["error"]["rows"])


def test_a_big_import_never_makes_another_save_fail_with_500(database_url: str):
    """An advisor imports 3,000 bookings while the greeter registers walk-ins: the import's short write
    makes the greeter wait, never fail (a busy database would be a 503 with Retry-After, not a 500)."""
    import threading
    from datetime import date, timedelta

    import httpx

    from board.app import create_app
    from board.clock import FixedClock
    from board.settings import Settings
    from tests.conftest import admin_headers, shop_time
    from tests.servers import serve_in_thread

    settings = Settings(database_url=database_url, scheduler_interval_s=3600)
    with serve_in_thread(create_app(settings, FixedClock(shop_time("2026-11-23 09:00")))) as host:
        http = httpx.Client(base_url=f"http://{host}/api", headers=admin_headers(), timeout=120)
        http.post("/shops", json={"code": "gz01", "name": "广州店"}).raise_for_status()
        rows = "".join(f"{date(2026, 11, 25) + timedelta(days=n % 20)},09:00,粤A{n:05d},Camry,客户{n},先生,138{n:08d},maintenance,,,\n"
                       for n in range(3000))
        codes: list[int] = []
        stop = threading.Event()

        def greeter() -> None:
            n = 0
            with httpx.Client(base_url=f"http://{host}/api", headers=admin_headers(), timeout=120) as c:
                while not stop.is_set():
                    codes.append(c.post("/shops/gz01/arrivals", json={"walk_in": True, "plate": f"粤B{n:05d}"}).status_code)
                    n += 1

        thread = threading.Thread(target=greeter)
        thread.start()
        answer = http.post("/shops/gz01/appointments/import", content=HEADER + rows, headers={"Content-Type": "text/csv"})
        stop.set()
        thread.join(60)
        assert answer.status_code == 201 and answer.json()["imported"] == 3000
        assert codes and set(codes) <= {201, 503}, codes


def test_a_file_over_the_row_limit_is_refused_whole(database_url: str):
    from starlette.testclient import TestClient

    from board.app import create_app
    from board.clock import FixedClock
    from board.settings import Settings
    from tests.conftest import admin_headers, shop_time

    settings = Settings(database_url=database_url, scheduler_interval_s=3600, max_import_rows=10)
    with TestClient(create_app(settings, FixedClock(shop_time("2026-11-23 09:00"))), headers=admin_headers()) as client:
        client.post("/api/shops", json={"code": "gz01", "name": "广州店"}).raise_for_status()
        rows = "".join(f"2026-11-25,09:00,粤A{n:05d},Camry,客户{n},先生,138{n:08d},maintenance,,,\n" for n in range(11))
        answer = client.post("/api/shops/gz01/appointments/import", content=HEADER + rows, headers={"Content-Type": "text/csv"})
        assert answer.status_code == 413 and "10 rows" in answer.json()["error"]["message"]
        assert client.get("/api/shops/gz01/appointments?day=2026-11-25").json() == []
