"""Where a booking stands: expected, late after N minutes, arrived, no-show after closing."""

from datetime import date, datetime, time, timedelta

from board.domain.appointment_board import CardState, card_state, column_for_new_booking, no_show_due, rollover_due
from board.domain.vocab import AppointmentStatus, BoardColumn

DAY = date(2026, 11, 24)
LATE = timedelta(minutes=30)


def test_late_only_after_the_grace_minutes():
    booked = AppointmentStatus.BOOKED
    assert card_state(booked, DAY, time(9), datetime(2026, 11, 24, 9, 30), LATE) is CardState.EXPECTED
    assert card_state(booked, DAY, time(9), datetime(2026, 11, 24, 9, 31), LATE) is CardState.LATE


def test_arrived_and_no_show_win_over_the_clock():
    late = datetime(2026, 11, 24, 15, 0)
    assert card_state(AppointmentStatus.ARRIVED, DAY, time(9), late, LATE) is CardState.ARRIVED
    assert card_state(AppointmentStatus.NO_SHOW, DAY, time(9), late, LATE) is CardState.NO_SHOW


def test_same_day_bookings_skip_the_day_before_column():
    assert column_for_new_booking(DAY, DAY) is BoardColumn.TODAY
    assert column_for_new_booking(DAY, DAY - timedelta(days=1)) is BoardColumn.DAY_BEFORE


def test_rollover_and_no_show_times():
    assert not rollover_due(datetime(2026, 11, 24, 7, 29), time(7, 30))
    assert rollover_due(datetime(2026, 11, 24, 7, 30), time(7, 30))
    assert not no_show_due(DAY, datetime(2026, 11, 24, 17, 59), time(18))
    assert no_show_due(DAY, datetime(2026, 11, 24, 18, 0), time(18))
