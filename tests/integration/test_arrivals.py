"""The greeter's flow, the reception clock and the gate camera, through the HTTP API."""

from datetime import timedelta

import pytest

from board.clock import FixedClock
from tests.conftest import add_staff, booking, column, shop_time


@pytest.fixture
def morning(start_app):
    """A shop at 09:00 with three bookings today (two near-twins) and one tomorrow."""
    clock = FixedClock(shop_time("2026-11-24 09:00"))
    with start_app(clock) as shop:
        shop.clock = clock
        ids = add_staff(shop)
        shop.advisor = ids["advisors"][0]
        shop.camry = shop.ok("POST", "/appointments", booking("2026-11-24", "09:30", plate="粤A12345", advisor_id=shop.advisor))
        shop.levin = shop.ok("POST", "/appointments", booking("2026-11-24", "10:00", plate="湘A12345", model="雷凌 Levin"))
        shop.bz = shop.ok("POST", "/appointments", booking("2026-11-24", "11:00", plate="粤B88888", model="bZ4X"))
        shop.later = shop.ok("POST", "/appointments", booking("2026-11-25", "10:00", plate="粤C55555"))
        yield shop


def test_greeter_types_a_plate_confirms_and_the_advisor_receives_within_the_clock(morning):
    shop = morning
    result = shop.ok("POST", "/arrivals/match", {"plate": "粤B 8888B"})
    assert (result["decision"], result["rule"], result["accepted"]) == ("accept", "confusable", shop.bz["id"])
    assert result["candidates"][0]["plate"] == "粤B·8***8" and "预约客户" in result["message_zh"]
    shop.clock.set(shop_time("2026-11-24 09:02"))
    arrival = shop.ok("POST", "/arrivals", {"appointment_id": result["accepted"]})
    assert arrival["arrived_at"] == "2026-11-24T09:02:00+08:00" and arrival["received_at"] is None
    assert shop.ok("GET", f"/appointments/{shop.bz['id']}")["status"]["value"] == "arrived"
    board = shop.ok("GET", "/appointment-board")
    assert board["counts"]["arrived"] == 1
    shop.clock.advance(timedelta(minutes=3, seconds=20))
    received = shop.ok("POST", f"/arrivals/{arrival['id']}/received", {"version": arrival["version"], "advisor_id": shop.advisor})
    assert received["reception_seconds"] == 200 and received["received_by"] == shop.advisor
    again = shop.post(f"/arrivals/{arrival['id']}/received", {"version": received["version"]})
    assert again.status_code == 409
    events = [e["action"] for e in shop.ok("GET", "/events?entity=arrival")]
    assert events == ["arrived", "received"]


def test_two_bookings_fit_so_the_greeter_is_asked_and_the_model_settles_it(morning):
    shop = morning
    asked = shop.ok("POST", "/arrivals/match", {"plate": "A12345"})
    assert asked["decision"] == "ask" and asked["accepted"] is None
    assert {c["appointment_id"] for c in asked["candidates"]} == {shop.camry["id"], shop.levin["id"]}
    settled = shop.ok("POST", "/arrivals/match", {"plate": "A12345", "model": "Levin"})
    assert (settled["decision"], settled["rule"], settled["accepted"]) == ("accept", "model", shop.levin["id"])


def test_a_car_booked_for_tomorrow_is_told_so_and_nothing_is_accepted(morning):
    result = morning.ok("POST", "/arrivals/match", {"plate": "粤C55555"})
    assert result["decision"] == "other_day" and result["accepted"] is None
    assert "2026-11-25 10:00" in result["message"]


def test_a_car_already_received_is_recognised(morning):
    shop = morning
    shop.ok("POST", "/arrivals", {"appointment_id": shop.camry["id"]})
    result = shop.ok("POST", "/arrivals/match", {"plate": "粤A12345"})
    assert result["decision"] == "already_arrived"


def test_walk_in_and_unknown_plates(morning):
    shop = morning
    result = shop.ok("POST", "/arrivals/match", {"plate": "粤E99999", "model": "卡罗拉"})
    assert result["decision"] == "walk_in"
    walk_in = shop.ok("POST", "/arrivals", {"walk_in": True, "plate": "粤E99999", "model": "卡罗拉"})
    assert walk_in["walk_in"] and walk_in["appointment_id"] is None
    board = shop.ok("GET", "/appointment-board")
    assert board["counts"]["arrived"] == 0  # a walk-in is no booking
    bad = shop.post("/arrivals", {"walk_in": True})
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "plate"
    both = shop.post("/arrivals", {"walk_in": True, "plate": "x", "appointment_id": shop.camry["id"]})
    assert both.status_code == 422


def test_a_wrong_confirmation_is_undone_with_a_reason_and_logged(morning):
    shop = morning
    arrival = shop.ok("POST", "/arrivals", {"appointment_id": shop.camry["id"]})
    no_reason = shop.post(f"/arrivals/{arrival['id']}/undo", {"version": arrival["version"]})
    assert no_reason.status_code == 422 and no_reason.json()["error"]["fields"][0]["field"] == "reason"
    undone = shop.ok("POST", f"/arrivals/{arrival['id']}/undo", {"version": arrival["version"], "reason": "认错车了"})
    assert undone["undone_at"] is not None and undone["undo_reason"] == "认错车了"
    assert shop.ok("GET", f"/appointments/{shop.camry['id']}")["status"]["value"] == "booked"
    assert column(shop.ok("GET", "/appointment-board"), "today")  # back on the board, waiting
    logged = [e for e in shop.ok("GET", "/events") if e["action"] in ("undone", "arrival_undone")]
    assert {e["reason"] for e in logged} == {"认错车了"}
    # The right car can now be confirmed again.
    assert shop.post("/arrivals", {"appointment_id": shop.camry["id"]}).status_code == 201


def test_garbage_readings_are_answered_calmly(morning):
    for garbage in ("", "x" * 300, "<b>粤A12345</b>", "'; DROP TABLE vehicles;--", "🚗"):
        response = morning.post("/arrivals/match", {"plate": garbage})
        assert response.status_code == 200 and response.json()["accepted"] is None, garbage
    assert morning.post("/arrivals/match", {"plate": "x" * 301}).status_code == 422


def read(shop, camera, plate, key, confidence=0.97, token=None):
    body = {"camera_id": camera["id"], "plate": plate, "confidence": confidence, "time": "2026-11-24T08:59:30+08:00", "idempotency_key": key}
    return shop.client.post("/api/camera/reads", json=body, headers={"authorization": f"Bearer {token or camera['token']}"})


def test_the_gate_camera_needs_its_own_token(morning):
    shop = morning
    camera = shop.ok("POST", "/cameras", {"name": "入口摄像头"})
    other = shop.ok("POST", "/cameras", {"name": "出口摄像头"})
    assert len(camera["token"]) >= 40
    missing = shop.client.post("/api/camera/reads", json={"camera_id": camera["id"], "plate": "粤A12345", "confidence": 1,
                                                          "time": "2026-11-24T09:01:00+08:00", "idempotency_key": "k"})
    assert missing.status_code == 401
    assert read(shop, camera, "粤A12345", "k1", token="forged").status_code == 401
    wrong = read(shop, camera, "粤A12345", "k1", token=other["token"])
    assert wrong.status_code == 403
    assert shop.ok("GET", "/arrivals") == []


def test_a_sure_camera_read_confirms_once_and_repeats_change_nothing(morning):
    shop = morning
    camera = shop.ok("POST", "/cameras", {"name": "入口摄像头", "min_confidence": 0.9})
    first = read(shop, camera, "粤A·12345", "gate-0001")
    assert first.status_code == 201
    answer = first.json()
    assert answer["confirmed"] and answer["accepted"] == shop.camry["id"] and not answer["repeat"]
    arrivals = shop.ok("GET", "/arrivals")
    assert len(arrivals) == 1 and arrivals[0]["source"] == "camera" and arrivals[0]["arrived_at"] == "2026-11-24T08:59:30+08:00"
    events = len(shop.ok("GET", "/events?limit=1000"))
    repeat = read(shop, camera, "粤A·12345", "gate-0001")
    assert repeat.status_code == 200 and repeat.json()["repeat"]
    assert repeat.json()["arrival_id"] == answer["arrival_id"]
    assert len(shop.ok("GET", "/arrivals")) == 1 and len(shop.ok("GET", "/events?limit=1000")) == events


def test_an_unsure_camera_read_only_suggests_to_the_greeter(morning):
    shop = morning
    camera = shop.ok("POST", "/cameras", {"name": "入口摄像头", "min_confidence": 0.9})
    low = read(shop, camera, "粤B88888", "gate-0002", confidence=0.6).json()
    assert low["accepted"] == shop.bz["id"] and not low["confirmed"] and low["low_confidence"]
    ambiguous = read(shop, camera, "A12345", "gate-0003", confidence=0.99).json()
    assert ambiguous["decision"] == "ask" and not ambiguous["confirmed"]
    assert shop.ok("GET", "/arrivals") == []
    suggestions = shop.ok("GET", "/camera/suggestions")
    assert [s["read_id"] for s in suggestions] and {s["decision"] for s in suggestions} == {"accept", "ask"}


def test_the_welcome_list_is_the_appointment_board_masked(morning):
    shop = morning
    welcome = shop.ok("GET", "/welcome")
    cards = {k: v for k, v in welcome.items() if k.startswith("a")}
    assert {c["plate"] for c in cards.values()} == {"粤A·1***5", "湘A·1***5", "粤B·8***8"}
    assert {c["greeting"] for c in cards.values()} == {"王先生"}
    assert "13800138000" not in str(welcome) and "王伟" not in str(welcome)


def test_camera_reads_are_purged_after_the_kept_hours(morning):
    from sqlalchemy import func, select

    from board.db.models import CameraRead
    from board.scheduler import run_all_due

    shop = morning
    camera = shop.ok("POST", "/cameras", {"name": "入口摄像头", "min_confidence": 0.9})
    read(shop, camera, "粤B88888", "gate-0101", confidence=0.6)
    uow = shop.client.app.state.uow

    def kept() -> int:
        with uow.db.transaction() as session:
            return session.scalar(select(func.count()).select_from(CameraRead))

    shop.clock.advance(timedelta(hours=23))
    run_all_due(uow, "test")
    assert kept() == 1  # within the 24 hours
    shop.clock.advance(timedelta(hours=2))
    read(shop, camera, "粤A12345", "gate-0102", confidence=0.6)  # a fresh one
    run_all_due(uow, "test")
    assert kept() == 1, "the day-old read is gone, the fresh one stays"
