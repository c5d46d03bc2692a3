"""Booking capacity per time slot. Pure: the caller hands in the day's staff and bookings.

A slot can take another booking of a service type when both hold:
- reception: advisors on shift in that slot × receptions per advisor per slot, less the
  bookings already in the slot (an advisor receives one car at a time, whatever the work);
- workshop: the team's technician hours that day × the share offered to bookings, less the
  hours already booked for that team, covers the service's usual hours; and a technician of
  that team is on shift when the car arrives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from board.domain.vocab import ServiceType, Team


@dataclass(frozen=True)
class ServiceProfile:
    hours: float
    team: Team


SERVICE_PROFILES: dict[ServiceType, ServiceProfile] = {
    ServiceType.QUICK: ServiceProfile(0.5, Team.MECH_ELEC),
    ServiceType.MAINTENANCE: ServiceProfile(1.0, Team.MECH_ELEC),
    ServiceType.REPAIR: ServiceProfile(2.0, Team.MECH_ELEC),
    ServiceType.BODY_PAINT: ServiceProfile(6.0, Team.BODY_PAINT),
}

# The last arrival slot starts this long before closing, so a car can still be received and worked on.
LAST_SLOT_BEFORE_CLOSE = timedelta(hours=1)


@dataclass(frozen=True)
class SlotRules:
    opens_at: time
    closes_at: time
    slot_minutes: int
    receptions_per_advisor_slot: int
    booking_share: float


@dataclass(frozen=True)
class Shift:
    start: time
    end: time

    def covers(self, at: time, minutes: int) -> bool:
        end = (datetime.combine(date.min, at) + timedelta(minutes=minutes)).time()
        return self.start <= at and (end <= self.end or end == time(0))

    @property
    def hours(self) -> float:
        delta = datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)
        return max(delta.total_seconds() / 3600, 0.0)


@dataclass(frozen=True)
class TechnicianShift:
    team: Team
    shift: Shift


@dataclass(frozen=True)
class Booking:
    slot_start: time
    service_type: ServiceType


@dataclass(frozen=True)
class SlotView:
    day: date
    start: time
    capacity: int  # further bookings of the asked service type this slot can take
    reception_free: int
    workshop_hours_free: float

    def as_dict(self) -> dict[str, object]:
        return {
            "day": self.day.isoformat(),
            "slot_start": self.start.strftime("%H:%M"),
            "free": self.capacity,
            "reception_free": self.reception_free,
            "workshop_hours_free": round(self.workshop_hours_free, 2),
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


def day_slots(
    day: date,
    service_type: ServiceType,
    rules: SlotRules,
    advisors: Iterable[Shift],
    technicians: Iterable[TechnicianShift],
    bookings: Iterable[Booking],
    not_before: datetime | None = None,
) -> list[SlotView]:
    """Every bookable slot of ``day`` with how many more ``service_type`` bookings it can take.

    ``not_before`` (shop-local, naive) hides slots already past when booking for today.
    """
    advisors = list(advisors)
    technicians = list(technicians)
    bookings = list(bookings)
    profile = SERVICE_PROFILES[service_type]
    team_shifts = [t.shift for t in technicians if t.team is profile.team]
    team_budget = sum(s.hours for s in team_shifts) * rules.booking_share
    team_booked = sum(
        SERVICE_PROFILES[b.service_type].hours for b in bookings if SERVICE_PROFILES[b.service_type].team is profile.team
    )
    hours_free = max(team_budget - team_booked, 0.0)
    per_slot: dict[time, int] = {}
    for b in bookings:
        per_slot[b.slot_start] = per_slot.get(b.slot_start, 0) + 1

    views = []
    for start in slot_starts(rules):
        if not_before is not None and datetime.combine(day, start) < not_before:
            continue
        on_shift = sum(1 for a in advisors if a.covers(start, rules.slot_minutes))
        reception_free = max(on_shift * rules.receptions_per_advisor_slot - per_slot.get(start, 0), 0)
        team_present = any(s.covers(start, rules.slot_minutes) for s in team_shifts)
        by_hours = int((hours_free + 1e-9) // profile.hours) if team_present else 0
        views.append(SlotView(day, start, min(reception_free, by_hours), reception_free, hours_free))
    return views


def nearest_free(
    wanted_day: date,
    wanted_time: time,
    slots_by_day: Mapping[date, list[SlotView]],
    limit: int = 5,
) -> list[SlotView]:
    """Free slots to offer instead: the same day first, then the next days; within a day the
    times nearest the one the customer wanted come first."""
    offers: list[SlotView] = []
    for day in sorted(d for d in slots_by_day if d >= wanted_day):
        wanted = datetime.combine(day, wanted_time)
        free = [s for s in slots_by_day[day] if s.capacity > 0]
        free.sort(key=lambda s: (abs(datetime.combine(day, s.start) - wanted), s.start))
        offers.extend(free)
        if len(offers) >= limit:
            break
    return offers[:limit]
