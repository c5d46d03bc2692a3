"""Booking capacity per slot: reception and workshop hours; the nearest free slots offered."""

from datetime import date, datetime, time

from board.domain.capacity import Booking, Shift, SlotRules, TechnicianShift, day_slots, nearest_free, slot_starts
from board.domain.vocab import ServiceType, Team

RULES = SlotRules(time(8), time(18), 30, receptions_per_advisor_slot=2, booking_share=0.5)
DAY = date(2026, 11, 24)
ADVISOR = Shift(time(8), time(18))
MECH = TechnicianShift(Team.MECH_ELEC, Shift(time(8), time(18)))  # 10 h → 5 h for bookings
BODY = TechnicianShift(Team.BODY_PAINT, Shift(time(8), time(18)))


def slot(views, at):
    return next(v for v in views if v.start == at)


def test_slots_run_from_opening_to_an_hour_before_closing():
    starts = slot_starts(RULES)
    assert starts[0] == time(8) and starts[-1] == time(17) and len(starts) == 19


def test_reception_limits_bookings_per_slot():
    views = day_slots(DAY, ServiceType.QUICK, RULES, [ADVISOR], [MECH], [Booking(time(10), ServiceType.QUICK)])
    assert slot(views, time(10)).capacity == 1
    assert slot(views, time(10, 30)).capacity == 2


def test_workshop_hours_limit_the_day_per_team():
    booked = [Booking(time(9), ServiceType.REPAIR), Booking(time(11), ServiceType.REPAIR)]  # 4 of 5 h
    views = day_slots(DAY, ServiceType.REPAIR, RULES, [ADVISOR], [MECH], booked)
    assert all(v.capacity == 0 for v in views)
    quick = day_slots(DAY, ServiceType.QUICK, RULES, [ADVISOR], [MECH], booked)
    assert slot(quick, time(15)).capacity == 2  # one free hour takes two quick services


def test_teams_do_not_share_hours():
    booked = [Booking(time(9), ServiceType.REPAIR)] * 2
    views = day_slots(DAY, ServiceType.BODY_PAINT, RULES, [ADVISOR], [MECH, BODY, BODY], booked)
    assert slot(views, time(13)).capacity == 1  # 10 h of body-paint hours: one 6 h job


def test_no_technician_of_the_team_on_shift_means_no_booking():
    late_shift = TechnicianShift(Team.MECH_ELEC, Shift(time(13), time(18)))
    views = day_slots(DAY, ServiceType.MAINTENANCE, RULES, [ADVISOR], [late_shift], [])
    assert slot(views, time(9)).capacity == 0
    assert slot(views, time(13)).capacity == 2


def test_slots_already_past_today_are_hidden():
    views = day_slots(DAY, ServiceType.QUICK, RULES, [ADVISOR], [MECH], [], not_before=datetime(2026, 11, 24, 12, 10))
    assert views[0].start == time(12, 30)


def test_alternatives_nearest_on_the_same_day_then_the_next_days():
    full_day = day_slots(DAY, ServiceType.QUICK, RULES, [], [MECH], [])  # no advisor: nothing free
    one_free = day_slots(DAY, ServiceType.QUICK, RULES, [ADVISOR], [MECH], [])
    next_day = date(2026, 11, 25)
    offers = nearest_free(DAY, time(10), {DAY: one_free, next_day: one_free})
    assert [(o.day, o.start) for o in offers] == [(DAY, time(10)), (DAY, time(9, 30)), (DAY, time(10, 30)), (DAY, time(9)), (DAY, time(11))]
    next_free = day_slots(next_day, ServiceType.QUICK, RULES, [ADVISOR], [MECH], [])
    offers = nearest_free(DAY, time(10), {DAY: full_day, next_day: next_free}, limit=3)
    assert [(o.day, o.start) for o in offers] == [(next_day, time(10)), (next_day, time(9, 30)), (next_day, time(10, 30))]
