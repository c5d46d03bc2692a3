"""Dynamic dispatching: the shop day played forward, one decision at a time. Pure.

At each step the dispatcher finds the earliest moment any waiting job could start (a qualified
technician and a bay of its kind both free, its parts in), and among the jobs that could start
then picks the most urgent by the rules (board/dispatch/rules.py: apparent tardiness cost,
computed at that moment, not at the start of the day). A job that would soon no longer fit in
any shift today goes first, so urgency never pushes work out of the day.

This is a non-delay schedule generation with a dynamic priority (Vepsalainen & Morton's ATC,
as used for parallel machines). Measured on generated shop days it gives a third less weighted
lateness than sorting the jobs once by class and slack and placing them in that order.

Times are minutes from ``now`` (floats), resources are list indexes: the loop is the hot path.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

INFINITY = math.inf
EPS = 1e-6


@dataclass(eq=False)  # compared by identity: the loop removes the one it placed
class Work:
    """One job as the dispatcher sees it."""

    index: int
    minutes: float
    due: float  # INFINITY without a promise
    release: float  # parts in, or now
    weight: float
    rank: int  # class: 0 rework … 4 internal (ties only)
    bays: list[int]  # bays of its kind
    techs: list[int]  # who may do it (qualified and present, or the pinned one)
    keep: int | None = None  # a stable re-plan: this technician while the job still fits there


@dataclass
class Shop:
    tech_free: list[float]
    tech_end: list[float]  # shift ends
    bay_free: list[float]


@dataclass(frozen=True)
class Placement:
    index: int
    tech: int
    bay: int
    start: float
    end: float
    ready: float  # when a bay and the job were ready: the technician options are timed from here
    tech_free: tuple[float, ...]  # every technician's next free minute at the moment of the choice


ChooseTech = Callable[[Work, float, list[int], list[float]], int]


def dispatch(works: Sequence[Work], shop: Shop, k: float, choose_tech: ChooseTech) -> tuple[list[Placement], list[int]]:
    """Place every job it can; returns the placements in decision order and the jobs that fit
    nowhere today. ``k``: the ATC look-ahead in average jobs. ``choose_tech(work, ready, fits,
    tech_free)`` picks among the technicians who can fit it (the rules' tie-breaks)."""
    tech_free, tech_end, bay_free = shop.tech_free[:], shop.tech_end, shop.bay_free[:]
    average = sum(w.minutes for w in works) / len(works) if works else 60.0
    horizon = k * average
    last_start = {w.index: max((tech_end[t] for t in w.techs), default=-INFINITY) - w.minutes for w in works}
    # A stable re-plan keeps room for the jobs each technician keeps: others fit around them.
    reserved = [0.0] * len(tech_end)
    for w in works:
        if w.keep is not None:
            reserved[w.keep] += w.minutes
    left = list(works)
    placed: list[Placement] = []
    dropped: list[int] = []
    while left:
        moment, still = INFINITY, []
        # Jobs of one kind, skill and length share their answer: ask once per decision.
        bay_ready: dict[int, float] = {}
        starts: dict[tuple[int, int | None, float, float], float] = {}
        for w in left:
            ready = bay_ready.get(id(w.bays))
            if ready is None:
                ready = bay_ready[id(w.bays)] = min(bay_free[b] for b in w.bays)
            if w.release > ready:
                ready = w.release
            key = (id(w.techs), w.keep, ready, w.minutes)
            start = starts.get(key)
            if start is None:
                start = starts[key] = _earliest_start(w, ready, tech_free, tech_end, reserved)
            if start == INFINITY:
                dropped.append(w.index)  # resources only ever get later: it will never fit today
                if w.keep is not None:
                    reserved[w.keep] -= w.minutes  # no room to keep for it any more
                continue
            still.append((start, w))
            if start < moment:
                moment = start
        if not still:
            break
        left = [w for _, w in still]
        chosen, best = None, None
        for start, w in still:
            if start <= moment + EPS:
                urgency = _urgency(w, moment, horizon, last_start[w.index] - moment < average)
                if best is None or urgency > best:
                    chosen, best = w, urgency
        assert chosen is not None
        ready = _bay_ready(chosen, bay_free)
        fits = [t for t in _candidates(chosen, tech_free, tech_end, reserved, ready) if _fits(chosen, t, max(ready, tech_free[t]), tech_end, reserved)]
        tech = choose_tech(chosen, ready, fits, tech_free)
        bay = min(chosen.bays, key=lambda b: (bay_free[b], b))
        start = max(ready, tech_free[tech])
        end = start + chosen.minutes
        placed.append(Placement(chosen.index, tech, bay, start, end, ready, tuple(tech_free)))
        tech_free[tech] = end
        bay_free[bay] = end
        if chosen.keep is not None:
            reserved[chosen.keep] -= chosen.minutes
        left = [w for w in left if w is not chosen]
    return placed, dropped


def weighted_lateness(works: Sequence[Work], placed: Sequence[Placement]) -> float:
    by_index = {w.index: w for w in works}
    return sum(max(p.end - by_index[p.index].due, 0.0) * by_index[p.index].weight for p in placed)


def _candidates(w: Work, tech_free: list[float], tech_end: list[float], reserved: list[float], ready: float) -> list[int]:
    """The kept technician while the job fits there, else everyone who may do it."""
    if w.keep is not None and _fits(w, w.keep, max(ready, tech_free[w.keep]), tech_end, reserved):
        return [w.keep]
    return w.techs


def _fits(w: Work, tech: int, start: float, tech_end: list[float], reserved: list[float]) -> bool:
    """Inside the shift, leaving room for the jobs this technician keeps (this one among them)."""
    room = reserved[tech] - (w.minutes if w.keep == tech else 0.0)
    return start + w.minutes + room <= tech_end[tech]


def _bay_ready(w: Work, bay_free: list[float]) -> float:
    bay = min(bay_free[b] for b in w.bays)
    return bay if bay > w.release else w.release


def _earliest_start(w: Work, ready: float, tech_free: list[float], tech_end: list[float], reserved: list[float]) -> float:
    best = INFINITY
    for t in _candidates(w, tech_free, tech_end, reserved, ready):
        start = tech_free[t] if tech_free[t] > ready else ready
        if start < best and _fits(w, t, start, tech_end, reserved):
            best = start
    return best


def _urgency(w: Work, moment: float, horizon: float, squeezed: bool) -> tuple[bool, float, int, int]:
    """Apparent tardiness cost at ``moment``, in logs so that far-off promises still compare:
    weight per minute of work, discounted by slack over the look-ahead. A job whose last chance
    to fit in a shift is within an average job comes first."""
    if w.due == INFINITY:
        return squeezed, -INFINITY, -w.rank, -w.index
    slack = w.due - w.minutes - moment
    return squeezed, math.log(w.weight / max(w.minutes, 1.0)) - max(slack, 0.0) / horizon, -w.rank, -w.index
