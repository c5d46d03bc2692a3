"""The dealer's standards: each KPI's target, which way is better, how a figure reads against it,
and the follow-up call's window. Pure.

Rules:
- a KPI with a minimum (appointment rate ≥ 60 % ...) is *good* at or above it, *needs attention*
  up to ATTENTION_BELOW (10 points) under it, *bad* further down: on-time delivery 12.5 % against
  95 % is bad, 90 % needs attention;
- a KPI with a maximum (no-show ≤ 10 % ...) is *good* at or under it, *needs attention* up to half
  as much again over it (ATTENTION_ABOVE: no-show 10–15 %, rework 2–3 %, complaints 1–1.5 %), *bad*
  further up;
- a figure with nothing to count (None) has no verdict;
- the follow-up call is due from the day after the car was handed over until the third day (the
  standard is a call *within* three days); later it is overdue, and after STILL_DUE_DAYS more it
  leaves the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Direction(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class Verdict(StrEnum):
    GOOD = "good"
    ATTENTION = "attention"
    BAD = "bad"


@dataclass(frozen=True)
class Standard:
    key: str
    direction: Direction
    default: float  # a Toyota-type 4S dealer's standard, until the shop sets its own


STANDARDS: tuple[Standard, ...] = (
    Standard("appointment_rate", Direction.AT_LEAST, 0.60),
    Standard("no_show_rate", Direction.AT_MOST, 0.10),
    Standard("within_5_min", Direction.AT_LEAST, 0.90),
    Standard("on_time_delivery", Direction.AT_LEAST, 0.95),
    Standard("first_time_right", Direction.AT_LEAST, 0.95),
    Standard("rework_rate", Direction.AT_MOST, 0.02),
    Standard("utilisation", Direction.AT_LEAST, 0.80),
    Standard("efficiency", Direction.AT_LEAST, 1.00),
    Standard("complaint_rate", Direction.AT_MOST, 0.01),
)
BY_KEY = {s.key: s for s in STANDARDS}
DEFAULTS: dict[str, float] = {s.key: s.default for s in STANDARDS}

ATTENTION_BELOW = 0.10  # points under a minimum that still only need attention
ATTENTION_ABOVE = 0.5  # share of a maximum over it that still only needs attention

FOLLOW_UP_FROM_DAYS = 1  # the day after the handover
FOLLOW_UP_WITHIN_DAYS = 3  # ... until the third day
STILL_DUE_DAYS = 7  # an unreachable or forgotten customer stays on the list this many days more


def verdict(key: str, value: float | None, target: float) -> Verdict | None:
    standard = BY_KEY[key]
    if value is None:
        return None
    if standard.direction is Direction.AT_LEAST:
        if value >= target:
            return Verdict.GOOD
        return Verdict.ATTENTION if value >= target - ATTENTION_BELOW - 1e-9 else Verdict.BAD
    if value <= target:
        return Verdict.GOOD
    return Verdict.ATTENTION if value <= target * (1 + ATTENTION_ABOVE) + 1e-9 else Verdict.BAD


def verdicts(figures: dict[str, float | None], targets: dict[str, float]) -> dict[str, Verdict | None]:
    """The verdict of every KPI that has a standard, from the figures that carry it."""
    return {key: verdict(key, figures[key], targets[key]) for key in targets if key in figures}


class FollowUp(StrEnum):
    NOT_YET = "not_yet"  # handed over today: called from tomorrow
    DUE = "due"
    OVERDUE = "overdue"
    GONE = "gone"  # too long ago to stay on the list


def follow_up(handed_over: date, today: date) -> FollowUp:
    """Where a car handed over on one shop day stands on another day's call list."""
    days = (today - handed_over).days
    if days < FOLLOW_UP_FROM_DAYS:
        return FollowUp.NOT_YET
    if days <= FOLLOW_UP_WITHIN_DAYS:
        return FollowUp.DUE
    return FollowUp.OVERDUE if days <= FOLLOW_UP_WITHIN_DAYS + STILL_DUE_DAYS else FollowUp.GONE


def call_by(handed_over: date) -> date:
    """The last day of the standard's window: the third day after the handover."""
    return handed_over + timedelta(days=FOLLOW_UP_WITHIN_DAYS)


def follow_up_window(today: date) -> tuple[date, date]:
    """The shop days (first, last, inclusive) whose handovers are on today's list, due or overdue."""
    return (today - timedelta(days=FOLLOW_UP_WITHIN_DAYS + STILL_DUE_DAYS), today - timedelta(days=FOLLOW_UP_FROM_DAYS))
