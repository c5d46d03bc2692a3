"""What the dispatcher is given and what it gives back: plain frozen data, no database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class JobIn:
    id: int
    label: str  # what the foreman reads: "RO20261124-003 定期保养"
    priority: str  # rework / waiting / appointment / walk_in / internal
    skill: str
    level: int
    hours: float
    bay_kind: str
    promised: datetime | None = None
    earliest: datetime | None = None  # e.g. when its parts arrive
    pinned_tech: int | None = None  # the foreman's choice: planned there, whatever the rules say
    started_tech: int | None = None  # in progress or stopped: stays where it is
    started_bay: int | None = None
    remaining: float | None = None  # hours left on a started job
    current_tech: int | None = None  # dispatched earlier: kept there if nothing is lost by it
    car: int | None = None  # the car (e.g. its repair order): a car is in one place at a time; None: not said
    shares_car: bool = False  # may be worked beside another of its car's jobs in the same bay (two technicians
    # on one car); both jobs must allow it


# Ids below zero are not jobs: a booking's reserved cards (board/dispatch/capacity.py), and below
# those, work quoted at reception and not written down yet.
QUOTED = -(10**12)
CARDS_PER_BOOKING = 8


def reservation_id(appointment_id: int, card: int) -> int:
    return -(appointment_id * CARDS_PER_BOOKING + card + 1)


def reservation_of(job_id: int) -> int | None:
    """The booking a reserved card's id stands for; None for a job (or quoted work)."""
    return (-job_id - 1) // CARDS_PER_BOOKING if QUOTED < job_id < 0 else None


def quoted_id(n: int) -> int:
    return QUOTED - n


@dataclass(frozen=True)
class TechIn:
    id: int
    name: str
    skills: Mapping[str, int]
    shift_start: datetime
    shift_end: datetime
    present: bool = True
    speed: Mapping[str, float] = field(default_factory=dict)  # per skill: his hours per standard hour (0.8: faster); absent: 1.0


@dataclass(frozen=True)
class BayIn:
    id: int
    name: str
    kind: str
    busy_until: datetime | None = None
    car: int | None = None  # the car standing in it now: it holds the bay while it has work to come here
    car_stays: bool = False  # ... and work that is not in today's plan (parts with no date): held all day


@dataclass(frozen=True)
class Reason:
    zh: str
    en: str


@dataclass(frozen=True)
class Slot:
    job_id: int
    tech_id: int
    bay_id: int | None
    start: datetime
    end: datetime
    late_minutes: float
    reasons: tuple[Reason, ...]
    fixed: bool = False  # started or pinned: not the dispatcher's to move
    cause: Reason | None = None  # what it waits for, when it does not start at once ("所有举升机占用至 15:43")


@dataclass(frozen=True)
class Plan:
    slots: tuple[Slot, ...]
    unassignable: tuple[tuple[int, Reason], ...]
    weighted_lateness: float
    late: tuple[int, ...] = field(default=())
    look_ahead: float | None = None  # the dispatcher's ATC look-ahead that made it: re-plans reuse it

    def slot(self, job_id: int) -> Slot | None:
        return next((s for s in self.slots if s.job_id == job_id), None)


@dataclass(frozen=True)
class Change:
    job_id: int
    from_tech: int | None
    to_tech: int | None
    reason: Reason
