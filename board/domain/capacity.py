"""Booking capacity per time slot. Pure: the caller hands in the day's advisors and bookings, and what
the workshop's plan says of a car arriving at each time (board/dispatch/capacity.py).

A slot can take another booking when both hold:
- reception: advisors on shift in that slot × receptions per advisor per slot, less the bookings
  already in the slot (an advisor receives one car at a time, whatever the work);
- workshop: the plan — bays by kind, skills on shift, what is booked and already in the shop —
  starts the car's work within the stated wait of its arrival (``Workshop.fits``).
A full slot is refused with the nearest free ones: the same day first, then the next days,
nearest the wanted time first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

# The last arrival slot starts this long before closing, so a car can still be received and worked on.
LAST_SLOT_BEFORE_CLOSE = timedelta(hours=1)


@dataclass(frozen=True)
class SlotRules:
    opens_at: time
    closes_at: time
    slot_minutes: int
    receptions_per_advisor_slot: int


@dataclass(frozen=True)
class Shift:
    start: time
    end: time

    def covers(self, at: time, minutes: int) -> bool:
        end = (datetime.combine(date.min, at) + timedelta(minutes=minutes)).time()
        return self.start <= at and (end <= self.end or end == time(0))


@dataclass(frozen=True)
class Booking:
    slot_start: time


@dataclass(frozen=True)
class Workshop:
    """What the plan says of a car arriving at a slot: when its work starts and ends, whether that is
    within the stated wait, and why not sooner (zh, en)."""

    fits: bool
    waits: bool
    start: datetime | None = None
    finish: datetime | None = None
    ready: datetime | None = None  # the finish, the quality check and the wash, and the shop's margin
    why: tuple[str, str] | None = None

    def as_dict(self) -> dict[str, Any]:
        def hm(at: datetime | None) -> str | None:
            return at.isoformat(timespec="minutes") if at else None
        return {"fits": self.fits, "waits": self.waits, "start": hm(self.start), "finish": hm(self.finish), "ready": hm(self.ready),
                "why": {"zh": self.why[0], "en": self.why[1]} if self.why else None}


@dataclass(frozen=True)
class SlotView:
    day: date
    start: time
    capacity: int  # further bookings this slot can take now
    reception_free: int
    workshop: Workshop | None  # None: not asked (no reception left, or past)

    def as_dict(self) -> dict[str, object]:
        return {
            "day": self.day.isoformat(),
            "slot_start": self.start.strftime("%H:%M"),
            "free": self.capacity,
            "reception_free": self.reception_free,
            "workshop": self.workshop.as_dict() if self.workshop else None,
        }


def slot_starts(rules: SlotRules) -> list[time]:
    first = datetime.combine(date.min, rules.opens_at)
    last = datetime.combine(date.min, rules.closes_at) - LAST_SLOT_BEFORE_CLOSE
    step = timedelta(minutes=rules.slot_minutes)
    starts = []
    at = first
    while at <= last:
        starts.append(at.time())
        at += step
    return starts


def is_slot_start(rules: SlotRules, at: time) -> bool:
    return at in slot_starts(rules)


def reception_free(day: date, rules: SlotRules, advisors: Iterable[Shift], bookings: Iterable[Booking],
                   not_before: datetime | None = None) -> dict[time, int]:
    """Each bookable slot of ``day`` with how many more cars its advisors can receive.
    ``not_before`` (shop-local, naive) hides slots already past when booking for today."""
    advisors = list(advisors)
    per_slot: dict[time, int] = {}
    for b in bookings:
        per_slot[b.slot_start] = per_slot.get(b.slot_start, 0) + 1
    out = {}
    for start in slot_starts(rules):
        if not_before is not None and datetime.combine(day, start) < not_before:
            continue
        on_shift = sum(1 for a in advisors if a.covers(start, rules.slot_minutes))
        out[start] = max(on_shift * rules.receptions_per_advisor_slot - per_slot.get(start, 0), 0)
    return out


def day_slots(day: date, reception: Mapping[time, int], workshop: Mapping[time, Workshop]) -> list[SlotView]:
    """Every bookable slot with what it can still take: the advisors' room, where the workshop's plan
    starts the car within the stated wait (a slot the workshop was not asked about takes nothing)."""
    views = []
    for start, free in reception.items():
        shop = workshop.get(start)
        views.append(SlotView(day, start, free if shop is not None and shop.fits else 0, free, shop))
    return views


def by_nearness(day: date, wanted: time, starts: Iterable[time]) -> list[time]:
    """A day's slots in the order they are offered instead of a full one: nearest the wanted time first."""
    at = datetime.combine(day, wanted)
    return sorted(starts, key=lambda s: (abs(datetime.combine(day, s) - at), s))
