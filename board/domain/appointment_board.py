"""Where a booking stands on the appointment board. Pure: the caller gives the shop-local time.

Rules:
- *booked the day before*: a booking for the day that the morning roll-over has not moved yet;
- *arriving today*: a booking the roll-over moved, or one made on the day itself;
- within arriving today: expected → late (not arrived ``late_after`` minutes after its slot)
  → no-show (still not arrived when the day is closed); arrived whenever the car comes in.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum

from board.domain.vocab import AppointmentStatus, BoardColumn


class CardState(StrEnum):
    EXPECTED = "expected"
    LATE = "late"
    ARRIVED = "arrived"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


CARD_LABELS = {
    CardState.EXPECTED: ("待到店", "Expected"),
    CardState.LATE: ("迟到", "Late"),
    CardState.ARRIVED: ("已到店", "Arrived"),
    CardState.NO_SHOW: ("未到店", "No-show"),
    CardState.CANCELLED: ("已取消", "Cancelled"),
}


def late_at(day: date, slot_start: time, late_after: timedelta) -> datetime:
    """When a booked car not here yet is shown late (shop-local): on the card, so the screens never work it out again."""
    return datetime.combine(day, slot_start) + late_after


def card_state(status: AppointmentStatus, day: date, slot_start: time, now_local: datetime, late_after: timedelta) -> CardState:
    if status is AppointmentStatus.ARRIVED:
        return CardState.ARRIVED
    if status is AppointmentStatus.NO_SHOW:
        return CardState.NO_SHOW
    if status is AppointmentStatus.CANCELLED:
        return CardState.CANCELLED
    if now_local > late_at(day, slot_start, late_after):
        return CardState.LATE
    return CardState.EXPECTED


def column_for_new_booking(day: date, today: date) -> BoardColumn:
    """A booking made on its own day skips the day-before column."""
    return BoardColumn.TODAY if day <= today else BoardColumn.DAY_BEFORE


def rollover_due(now_local: datetime, rollover_at: time) -> bool:
    return now_local.time() >= rollover_at


def no_show_due(day: date, now_local: datetime, closes_at: time) -> bool:
    """A day's bookings become no-shows once the shop has closed that day."""
    return now_local >= datetime.combine(day, closes_at)
