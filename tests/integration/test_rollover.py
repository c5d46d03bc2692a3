"""The morning roll-over: automatic at 07:30 shop time, on demand, idempotent, caught up after downtime."""

from datetime import timedelta

from board.clock import FixedClock
from tests.conftest import add_staff, booking, column, shop_time, wait_for


def book_yesterday_for_today(start_app, n=3):
    """Bookings for 24 Nov made on 23 Nov, as the advisors on the phone would."""
    clock = FixedClock(shop_time("2026-11-23 15:00"))
    with start_app(clock) as shop:
        add_staff(shop)
        ids = [shop.ok("POST", "/appointments", booking("2026-11-24", f"{9 + i}:00"))["id"] for i in range(n)]
        board = shop.ok("GET", "/appointment-board?day=2026-11-24")
        assert column(board, "day_before") == ids
    return ids


def test_before_rollover_todays_bookings_wait_in_the_day_before_column(start_app):
    ids = book_yesterday_for_today(start_app)
    with start_app(FixedClock(shop_time("2026-11-24 07:10"))) as shop:
        board = shop.ok("GET", "/appointment-board")
        assert board["day"] == "2026-11-24"
        assert column(board, "day_before") == ids and column(board, "today") == []


def test_rollover_runs_by_itself_at_the_configured_time(start_app):
    ids = book_yesterday_for_today(start_app)
    clock = FixedClock(shop_time("2026-11-24 07:29"))
    with start_app(clock, scheduler_interval_s=0.05) as shop:
        assert column(shop.ok("GET", "/appointment-board"), "today") == []
        clock.set(shop_time("2026-11-24 07:30"))
        board = wait_for(lambda: (b := shop.ok("GET", "/appointment-board")) and column(b, "today") and b)
        assert column(board, "today") == ids and column(board, "day_before") == []
        events = shop.ok("GET", "/events?entity=appointment")
        rolled = [e for e in events if e["action"] == "rolled_over"]
        assert sorted(e["entity_id"] for e in rolled) == ids
        assert {e["reason"] for e in rolled} == {"schedule"} and {e["actor"] for e in rolled} == {"system"}


def test_configured_rollover_time_is_respected(start_app):
    ids = book_yesterday_for_today(start_app)
    clock = FixedClock(shop_time("2026-11-24 07:40"))
    with start_app(clock, scheduler_interval_s=0.05, rollover_time=__import__("datetime").time(8, 0)) as shop:
        assert column(shop.ok("GET", "/appointment-board"), "today") == []
        clock.set(shop_time("2026-11-24 08:00"))
        assert wait_for(lambda: column(shop.ok("GET", "/appointment-board"), "today")) == ids


def test_duty_advisor_rolls_over_on_demand_and_again_changes_nothing(start_app):
    ids = book_yesterday_for_today(start_app)
    clock = FixedClock(shop_time("2026-11-24 06:50"))
    with start_app(clock, scheduler_interval_s=0.05) as shop:
        first = shop.ok("POST", "/rollover")
        assert first["moved"] == ids and first["trigger"] == "manual" and not first["already_done"]
        second = shop.ok("POST", "/rollover")
        assert second["moved"] == [] and second["already_done"]
        assert second["first_run_at"] == first["first_run_at"]
        before = len(shop.ok("GET", "/events?entity=appointment"))
        clock.set(shop_time("2026-11-24 07:31"))  # the scheduled time passes: nothing more to do
        wait_for(lambda: False, timeout=0.5)
        assert len(shop.ok("GET", "/events?entity=appointment")) == before
        assert column(shop.ok("GET", "/appointment-board"), "today") == ids


def test_rollover_is_caught_up_at_startup_after_downtime(start_app):
    ids = book_yesterday_for_today(start_app)
    # The server was down over 07:30 and comes back at 09:10: the board is right at once.
    with start_app(FixedClock(shop_time("2026-11-24 09:10"))) as shop:
        board = shop.ok("GET", "/appointment-board")
        assert column(board, "today") == ids and column(board, "day_before") == []
        reasons = {e["reason"] for e in shop.ok("GET", "/events?entity=appointment") if e["action"] == "rolled_over"}
        assert reasons == {"catch_up"}


def test_rollover_uses_the_shops_day_not_utc(start_app):
    ids = book_yesterday_for_today(start_app)
    # 23:29 UTC on the 23rd is 07:29 on the 24th in Guangzhou: not yet.
    clock = FixedClock(shop_time("2026-11-24 07:29"))
    assert clock.now().utcoffset() == timedelta(hours=8)
    with start_app(clock, scheduler_interval_s=0.05) as shop:
        assert shop.ok("GET", "/appointment-board")["day"] == "2026-11-24"
        clock.set(shop_time("2026-11-24 07:30").astimezone(__import__("datetime").timezone.utc))  # 23:30 UTC on the 23rd
        assert wait_for(lambda: column(shop.ok("GET", "/appointment-board"), "today")) == ids


def test_rollover_moves_only_todays_cards(start_app):
    clock = FixedClock(shop_time("2026-11-23 15:00"))
    with start_app(clock) as shop:
        add_staff(shop)
        today = shop.ok("POST", "/appointments", booking("2026-11-24", "09:00"))["id"]
        later = shop.ok("POST", "/appointments", booking("2026-11-25", "09:00"))["id"]
    with start_app(FixedClock(shop_time("2026-11-24 08:00"))) as shop:
        board = shop.ok("GET", "/appointment-board")
        assert column(board, "today") == [today]
        assert column(board, "day_before") == [later]  # tomorrow's card, prepared today


def test_a_booking_made_today_for_today_goes_straight_to_arriving_today(start_app):
    with start_app(FixedClock(shop_time("2026-11-24 07:00"))) as shop:
        add_staff(shop)
        appt = shop.ok("POST", "/appointments", booking("2026-11-24", "15:00"))
        assert appt["column"] == "today"
        assert column(shop.ok("GET", "/appointment-board"), "today") == [appt["id"]]


def test_after_rollover_a_late_entry_of_yesterdays_booking_joins_today(start_app):
    with start_app(FixedClock(shop_time("2026-11-24 08:00"))) as shop:
        add_staff(shop)
        shop.ok("POST", "/rollover")
        csv = "date,time,plate,model,customer_name,phone,service_type,booked_at\n2026-11-24,15:00,粤A11111,Camry,李雷,13900000000,maintenance,2026-11-23 16:00\n"
        response = shop.client.post(shop.url("/appointments/import"), content=csv.encode(), headers={"content-type": "text/csv"})
        assert response.status_code == 201, response.text
        assert column(shop.ok("GET", "/appointment-board"), "today") == response.json()["ids"]
