"""Booking capacity per slot, as rules: the advisors' room, where the workshop's plan fits the car in
time (board/dispatch/capacity.py says when), and the nearest other times first."""

from datetime import date, datetime, time

from board.domain.capacity import Booking, Shift, SlotRules, Workshop, by_nearness, day_slots, reception_free, slot_starts

RULES = SlotRules(time(8), time(18), 30, receptions_per_advisor_slot=2)
DAY = date(2026, 11, 24)
ADVISOR = Shift(time(8), time(18))


def test_slots_run_from_opening_to_an_hour_before_closing():
    starts = slot_starts(RULES)
    assert starts[0] == time(8) and starts[-1] == time(17) and len(starts) == 19


def test_reception_limits_bookings_per_slot_by_the_advisors_on_shift():
    room = reception_free(DAY, RULES, [ADVISOR], [Booking(time(10))])
    assert room[time(10)] == 1 and room[time(10, 30)] == 2
    late = Shift(time(13), time(18))
    assert reception_free(DAY, RULES, [late], [])[time(9)] == 0


def test_slots_already_past_today_are_hidden():
    room = reception_free(DAY, RULES, [ADVISOR], [], not_before=datetime(2026, 11, 24, 12, 10))
    assert min(room) == time(12, 30)


def test_a_slot_takes_a_booking_only_where_the_workshop_fits_the_car_in_time():
    room = reception_free(DAY, RULES, [ADVISOR], [])
    fits = Workshop(True, True, datetime(2026, 11, 24, 10), datetime(2026, 11, 24, 11))
    late = Workshop(False, True, datetime(2026, 11, 24, 15, 43), None, why=("所有举升机占用至 15:43", "all lifts taken until 15:43"))
    views = {v.start: v for v in day_slots(DAY, room, {time(10): fits, time(11): late})}
    assert views[time(10)].capacity == 2 and views[time(11)].capacity == 0 and views[time(11)].reception_free == 2
    assert views[time(12)].capacity == 0 and views[time(12)].workshop is None  # the workshop not asked: nothing offered
    assert views[time(11)].as_dict()["workshop"]["why"] == {"zh": "所有举升机占用至 15:43", "en": "all lifts taken until 15:43"}


def test_other_times_are_offered_nearest_the_wanted_one_first():
    starts = [time(9), time(9, 30), time(10), time(10, 30), time(11)]
    assert by_nearness(DAY, time(10), starts) == [time(10), time(9, 30), time(10, 30), time(9), time(11)]
