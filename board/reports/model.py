"""What the reports read: the event log and a few records, as plain frozen data (no database)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Fact:
    """One entry of the event log."""

    at: datetime  # aware
    entity: str
    entity_id: int
    action: str
    after: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Booking:
    id: int
    day: date
    status: str  # booked / arrived / no_show / cancelled
    advisor_id: int | None


@dataclass(frozen=True)
class Arrival:
    id: int
    appointment_id: int | None  # None: a walk-in
    arrived_at: datetime
    received_at: datetime | None
    received_by: int | None  # the advisor who received the customer
    undone: bool = False


@dataclass(frozen=True)
class Order:
    id: int
    opened_at: datetime
    promised_at: datetime
    advisor_id: int
    rework: bool  # a comeback: opened for work that came back
    # Labour + parts, in yuan. The hook for the day's sales: repair orders carry no amount yet, so the
    # loader leaves it None and the summary says so; fill it here when they do.
    amount: float | None = None


@dataclass(frozen=True)
class JobLine:
    id: int
    order_id: int
    est_hours: float


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    shift_hours: float = 0.0  # technicians: the length of the shift
    shift_from: timedelta = timedelta(0)  # technicians: when the shift starts, after the day's midnight


@dataclass(frozen=True)
class Day:
    """One shop day: [start, end) as aware datetimes, and the time of asking (a day not over yet
    counts clocks still running up to now)."""

    day: date
    start: datetime
    end: datetime
    now: datetime


@dataclass(frozen=True)
class Ledger:
    facts: tuple[Fact, ...]
    bookings: tuple[Booking, ...] = ()
    arrivals: tuple[Arrival, ...] = ()
    orders: tuple[Order, ...] = ()
    jobs: tuple[JobLine, ...] = ()
    advisors: tuple[Person, ...] = ()
    technicians: tuple[Person, ...] = ()
    present: frozenset[int] = field(default_factory=frozenset)  # technicians on shift today (today only)
