"""Booking by phone: capacity per slot, a full slot refused with the nearest free times offered."""

from board.clock import FixedClock
from tests.conftest import Shop, add_staff, booking, shop_time


def test_a_full_slot_is_refused_with_the_nearest_free_slots_the_same_day(shop):
    add_staff(shop, advisors=1)  # one advisor receives two cars per half hour
    shop.ok("POST", "/appointments", booking("2026-11-24", "10:00"))
    shop.ok("POST", "/appointments", booking("2026-11-24", "10:00"))
    before = shop.ok("GET", "/appointments?day=2026-11-24")
    response = shop.post("/appointments", booking("2026-11-24", "10:00"))
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "slot_full"
    assert "2026-11-24 10:00" in error["message"] and "已约满" in error["message_zh"]
    offered = [(a["day"], a["slot_start"]) for a in error["alternatives"]]
    assert offered[:3] == [("2026-11-24", "09:30"), ("2026-11-24", "10:30"), ("2026-11-24", "09:00")]
    assert shop.ok("GET", "/appointments?day=2026-11-24") == before  # nothing was booked


def test_a_time_the_workshop_cannot_start_is_not_offered_and_the_next_that_can_is(shop):
    """One body man and one paint booth: a body-and-paint booking at 09:00 holds them most of the day,
    so another is refused at 14:00 (the plan would not start it within two hours) with times that can."""
    add_staff(shop, advisors=2, body_techs=1)
    shop.ok("POST", "/appointments", booking("2026-11-24", "09:00", service="body_paint"))
    response = shop.post("/appointments", booking("2026-11-24", "14:00", service="body_paint"))
    assert response.status_code == 409
    error = response.json()["error"]
    assert "cannot take this body and paint booking (" in error["message"] and "无法接待" in error["message_zh"]  # and why
    offered = error["alternatives"]
    assert offered and all(a["day"] != "2026-11-24" for a in offered)
    first = offered[0]
    assert first["day"] == "2026-11-25" and first["workshop"]["fits"] and first["free"] > 0
    assert first["workshop"]["start"].startswith("2026-11-25T") and first["workshop"]["ready"] > first["workshop"]["finish"]
    # Maintenance is done by other men in other bays and still fits on the 24th.
    assert shop.post("/appointments", booking("2026-11-24", "14:00", service="maintenance")).status_code == 201


def test_a_slot_says_when_the_work_would_start_and_the_car_be_ready(shop):
    add_staff(shop, advisors=1)
    [ten] = [s for s in shop.ok("GET", "/slots?day=2026-11-24&service_type=maintenance") if s["slot_start"] == "10:00"]
    assert ten["free"] == 2 and ten["workshop"]["fits"] and not ten["workshop"]["waits"]
    assert ten["workshop"]["start"] == "2026-11-24T10:00+08:00" and ten["workshop"]["finish"] == "2026-11-24T11:00+08:00"
    # The finish, the check and the wash (30 min), the margin of a shop with no history yet (30 min).
    assert ten["workshop"]["ready"] == "2026-11-24T12:00+08:00"


def test_free_slots_are_listed_for_the_advisor_on_the_phone(shop):
    add_staff(shop, advisors=1)
    slots = shop.ok("GET", "/slots?day=2026-11-24&service_type=quick")
    assert slots[0]["slot_start"] == "08:00" and slots[-1]["slot_start"] == "17:00"
    assert {s["free"] for s in slots} == {2}
    shop.ok("POST", "/appointments", booking("2026-11-24", "11:00", service="quick"))
    eleven = next(s for s in shop.ok("GET", "/slots?day=2026-11-24&service_type=quick") if s["slot_start"] == "11:00")
    assert eleven["free"] == 1


def test_slots_already_past_today_cannot_be_booked(shop):  # the shop clock says 09:00
    add_staff(shop)
    slots = shop.ok("GET", "/slots?day=2026-11-23&service_type=quick")
    assert slots[0]["slot_start"] == "09:00"
    response = shop.post("/appointments", booking("2026-11-23", "08:30"))
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "slot_start"


def test_an_absent_advisor_reduces_todays_capacity_only(shop):
    ids = add_staff(shop, advisors=2)
    adv = shop.ok("GET", "/advisors")[1]
    shop.ok("PATCH", f"/advisors/{ids['advisors'][1]}", {"version": adv["version"], "present": False})
    today = next(s for s in shop.ok("GET", "/slots?day=2026-11-23&service_type=quick") if s["slot_start"] == "10:00")
    tomorrow = next(s for s in shop.ok("GET", "/slots?day=2026-11-24&service_type=quick") if s["slot_start"] == "10:00")
    assert (today["reception_free"], tomorrow["reception_free"]) == (2, 4)


def test_moving_a_booking_checks_the_new_slot_and_keeps_the_old_one_on_refusal(shop):
    add_staff(shop, advisors=1)
    shop.ok("POST", "/appointments", booking("2026-11-24", "10:00"))
    shop.ok("POST", "/appointments", booking("2026-11-24", "10:00"))
    mine = shop.ok("POST", "/appointments", booking("2026-11-24", "11:00"))
    response = shop.patch(f"/appointments/{mine['id']}", {"version": mine["version"], "slot_start": "10:00"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "slot_full"
    assert shop.ok("GET", f"/appointments/{mine['id']}")["slot_start"] == "11:00"
    moved = shop.ok("PATCH", f"/appointments/{mine['id']}", {"version": mine["version"], "slot_start": "11:30"})
    assert moved["slot_start"] == "11:30" and moved["version"] == mine["version"] + 1


def test_one_car_cannot_be_booked_twice_the_same_day(shop):
    add_staff(shop)
    shop.ok("POST", "/appointments", booking("2026-11-24", "10:00", plate="粤A12345"))
    response = shop.post("/appointments", booking("2026-11-24", "15:00", plate="粤a·12345"))
    assert response.status_code == 409
    assert "already booked" in response.json()["error"]["message"]


def test_a_cancelled_booking_frees_its_place(shop):
    add_staff(shop, advisors=1)
    a = shop.ok("POST", "/appointments", booking("2026-11-24", "10:00"))
    shop.ok("POST", "/appointments", booking("2026-11-24", "10:00"))
    assert shop.post("/appointments", booking("2026-11-24", "10:00")).status_code == 409
    shop.ok("POST", f"/appointments/{a['id']}/cancel", {"version": a["version"], "reason": "客户改期"})
    assert shop.post("/appointments", booking("2026-11-24", "10:00")).status_code == 201
    again = shop.post(f"/appointments/{a['id']}/cancel", {"version": a["version"] + 1})
    assert again.status_code == 409


def test_late_and_no_show_follow_the_shop_clock(start_app):
    clock = FixedClock(shop_time("2026-11-24 08:00"))
    with start_app(clock, scheduler_interval_s=0.05) as shop:
        add_staff(shop)
        nine = shop.ok("POST", "/appointments", booking("2026-11-24", "09:00"))
        ten = shop.ok("POST", "/appointments", booking("2026-11-24", "10:00"))
        clock.set(shop_time("2026-11-24 09:30"))
        board = shop.ok("GET", "/appointment-board")
        assert board["counts"]["late"] == 0
        # One rule, one place: each card says when it turns late; the live boards carry the same
        # moment and the screens only compare it with the clock (displays/static/js/clocks.js).
        card = next(c for col in board["columns"] for c in col["cards"] if c["id"] == nine["id"])
        assert card["late_at"] == "2026-11-24T09:30:00+08:00"
        with shop.client.app.state.uow.shop("gz01", "test", write=False) as ctx:
            from board.boards.specs import appointment_board

            assert appointment_board(ctx)[f"a{nine['id']}"]["late_at"] == card["late_at"]
        clock.set(shop_time("2026-11-24 09:31"))
        board = shop.ok("GET", "/appointment-board")
        assert board["counts"] == {"expected": 1, "late": 1, "arrived": 0, "no_show": 0}
        shop.ok("POST", f"/appointments/{ten['id']}/arrive", {"version": ten["version"]})
        clock.set(shop_time("2026-11-24 18:00"))  # closing time: still not here
        from tests.conftest import wait_for

        board = wait_for(lambda: (b := shop.ok("GET", "/appointment-board")) and b["counts"]["no_show"] and b)
        assert board["counts"] == {"expected": 0, "late": 0, "arrived": 1, "no_show": 1}
        assert shop.ok("GET", f"/appointments/{nine['id']}")["status"]["value"] == "no_show"


def test_no_shows_of_a_day_missed_while_down_are_marked_at_startup(start_app):
    clock = FixedClock(shop_time("2026-11-24 08:00"))
    with start_app(clock) as shop:
        add_staff(shop)
        appt = shop.ok("POST", "/appointments", booking("2026-11-24", "09:00"))
    with start_app(FixedClock(shop_time("2026-11-25 08:00"))) as shop:
        assert shop.ok("GET", f"/appointments/{appt['id']}")["status"]["value"] == "no_show"


def test_a_car_booked_for_tomorrow_cannot_arrive_today(shop):
    add_staff(shop)
    appt = shop.ok("POST", "/appointments", booking("2026-11-24", "09:00"))
    response = shop.post(f"/appointments/{appt['id']}/arrive", {"version": appt["version"]})
    assert response.status_code == 409 and "not today" in response.json()["error"]["message"]


def test_bookings_take_the_shops_share_of_the_technicians_hours_and_leave_the_rest_for_walk_ins(shop):
    assert shop.client.post("/api/shops", json={"code": "gz02", "name": "小店", "booking_share": 0.1}).status_code == 201
    small = Shop(shop.client, "gz02")
    add_staff(small, advisors=2, mech_techs=1, body_techs=0)  # one technician, 08:00–17:30: a tenth of it is 57 minutes
    small.ok("POST", "/appointments", booking("2026-11-24", "09:00", service="quick"))
    refused = small.post("/appointments", booking("2026-11-24", "14:00", service="quick"))
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert "10%" in error["message"] and "walk-ins" in error["message"] and "直接入厂" in error["message_zh"]
    assert error["alternatives"][0]["day"] == "2026-11-25"
    # The slot list says the same before anyone tries.
    two = next(s for s in small.ok("GET", "/slots?day=2026-11-24&service_type=quick") if s["slot_start"] == "14:00")
    assert not two["workshop"]["fits"] and "walk-ins" in two["workshop"]["why"]["en"]
