"""Dynamic dispatching: the shop day played forward, one decision at a time. Pure.

At each step the dispatcher finds the earliest moment any waiting job could start (a qualified
technician and a bay of its kind both free, its parts in), and among the jobs that could start
then picks the most urgent by the rules (board/dispatch/rules.py: apparent tardiness cost,
computed at that moment, not at the start of the day). A job that would soon no longer fit in
any shift today goes first, so urgency never pushes work out of the day.

This is a non-delay schedule generation with a dynamic priority (Vepsalainen & Morton's ATC,
as used for parallel machines). Measured on generated shop days it gives a third less weighted
lateness than sorting the jobs once by class and slack and placing them in that order.

A car is in one place at a time: a job of a car starts once the car's other jobs are done,
unless it may share the car and joins the car's job in the bay the car is in (two technicians on
one car in one bay). A car holds the bay it stands in until its last job is placed (rule 8: one
car, one bay); its jobs go there, by the technician who has it where he may.

Times are minutes from ``now`` (floats), resources are list indexes: the loop is the hot path.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

INFINITY = math.inf
EPS = 1e-6


@dataclass(eq=False)  # compared by identity: the loop removes the one it placed
class Work:
    """One job (a job card) as the dispatcher sees it."""

    index: int
    minutes: float
    due: float  # INFINITY without a promise
    release: float  # parts in, or now
    weight: float
    rank: int  # class: 0 rework … 4 internal (ties only)
    bays: list[int]  # bays it may go in: those of its own kind first (an express job may go up on a lift too)
    techs: list[int]  # who may do it (qualified and present, or the pinned one)
    keep: int | None = None  # a stable re-plan: this technician while the job still fits there
    car: int = -1  # the car's index, -1: none given (no car rule)
    shares: bool = False  # may run beside another of its car's jobs in the same bay
    scaled: dict[int, float] | None = None  # minutes for technicians faster or slower than the standard
    bay_set: frozenset[int] = frozenset()  # ``bays`` as a set (filled in from it)

    def __post_init__(self) -> None:
        if not self.bay_set:
            self.bay_set = frozenset(self.bays)

    def on(self, tech: int) -> float:
        """Minutes this job takes the technician ``tech``."""
        return self.minutes if self.scaled is None else self.scaled.get(tech, self.minutes)


HOLD = INFINITY  # a bay's free time while a car stands in it with work still to come: nobody else's


@dataclass
class Shop:
    """Where each technician, bay and car stands: the state the day is played forward on.

    One car, one bay (rules 7 and 8): a car placed in a bay holds it (``HOLD``) until its last card
    is placed, idle or not; it leaves it only for a card that needs a bay of another kind (the bay
    is free again from when the car's work in it ends). ``car_left`` counts each car's cards still
    to place (one more, never placed, for a car that stays in its bay for work not planned today)."""

    tech_free: list[float]
    tech_end: list[float]  # shift ends
    bay_free: list[float]
    car_free: list[float] = field(default_factory=list)  # each car's jobs so far are done by then
    car_bay: list[int] = field(default_factory=list)  # the bay of the car's last stay, -1: none or unknown
    bay_car: list[int] = field(default_factory=list)  # the car of the bay's last stay, -1: none
    bay_since: list[float] = field(default_factory=list)  # when the bay's current job began
    bay_shared: list[bool] = field(default_factory=list)  # that job may share the car
    car_left: list[int] = field(default_factory=list)  # cards of each car still to place
    car_techs: list[int] = field(default_factory=list)  # technicians who worked each car so far (a bit each)

    def __post_init__(self) -> None:
        bays, cars = len(self.bay_free), len(self.car_free)
        self.bay_car = self.bay_car or [-1] * bays
        self.bay_since = self.bay_since or [0.0] * bays
        self.bay_shared = self.bay_shared or [False] * bays
        self.car_bay = self.car_bay or [-1] * cars
        self.car_left = self.car_left or [0] * cars
        self.car_techs = self.car_techs or [0] * cars

    def copy(self) -> Shop:
        return Shop(self.tech_free[:], self.tech_end, self.bay_free[:], self.car_free[:], self.car_bay[:], self.bay_car[:],
                    self.bay_since[:], self.bay_shared[:], self.car_left[:], self.car_techs[:])

    def held_bay(self, car: int) -> int:
        """The bay ``car`` stands in and holds, -1: none."""
        bay = self.car_bay[car]
        return bay if bay >= 0 and self.bay_car[bay] == car and self.bay_free[bay] == HOLD else -1

    def ready(self, w: Work) -> tuple[float, int]:
        """When and in which bay the job could start, technicians aside: in the bay its car stands
        in when the job may go there (as soon as the car's work before it is done, or beside it
        when both may share the car), else in the first of its bays to come free, once the car is."""
        car = w.car
        if car >= 0:
            held = self.held_bay(car)
            if held >= 0 and held in w.bay_set:
                at = self.car_free[car]
                if w.release > at:
                    at = w.release
                if w.shares and self.bay_shared[held] and at > w.release:
                    beside = max(self.bay_since[held], w.release)
                    if beside < at:
                        at = beside
                return at, held
        bay = min(w.bays, key=self.bay_free.__getitem__)  # the first of the earliest free (the bays are in order)
        at = self.bay_free[bay]
        if w.release > at:
            at = w.release
        if car >= 0 and self.car_free[car] > at:
            at = self.car_free[car]
        return at, bay

    def occupy(self, w: Work, tech: int, bay: int, start: float, end: float) -> int:
        """Place the job; returns the bay its car left for it (-1: none)."""
        self.tech_free[tech] = end
        car = w.car
        if car < 0:
            self.bay_free[bay] = end
            self.bay_car[bay] = -1
            return -1
        self.car_left[car] -= 1
        self.car_techs[car] |= 1 << tech
        held = self.held_bay(car)
        left = -1
        if held == bay and start < self.car_free[car]:  # beside the car's own job in its bay (two technicians)
            self.car_free[car] = max(self.car_free[car], end)
        else:
            if held >= 0 and held != bay:  # the car leaves the bay it held for one of another kind
                self.bay_free[held] = self.car_free[car]
                left = held
            self.car_free[car] = end
            self.car_bay[car], self.bay_car[bay], self.bay_since[bay], self.bay_shared[bay] = bay, car, start, w.shares
        self.bay_free[bay] = HOLD if self.car_left[car] > 0 else self.car_free[car]
        return left

    def skip(self, w: Work) -> int:
        """The job is left for tomorrow: one card fewer for its car to hold a bay for; returns the
        bay the car leaves with it (-1: none). A car nobody works on today stays where it stands."""
        car = w.car
        if car < 0:
            return -1
        held = self.held_bay(car)
        self.car_left[car] -= 1
        if held >= 0 and self.car_left[car] == 0 and self.car_techs[car]:
            self.bay_free[held] = self.car_free[car]
            return held
        return -1

    def tech_change(self, w: Work, tech: int) -> bool:
        """Would ``tech`` be another technician on a car someone else has worked (rule 8)?"""
        if w.car < 0:
            return False
        techs = self.car_techs[w.car]
        return techs != 0 and not (techs >> tech) & 1


@dataclass(frozen=True)
class Placement:
    index: int
    tech: int
    bay: int
    start: float
    end: float
    ready: float  # when a bay and the job were ready: the technician options are timed from here
    tech_free: tuple[float, ...]  # every technician's next free minute at the moment of the choice
    car_bay: int | None = None  # the job waited for its car: the bay the car was in (-1: unknown) ...
    car_until: float | None = None  # ... until then


ChooseTech = Callable[[Work, float, list[int], list[float], list[Work], int], int]


def dispatch(works: Sequence[Work], shop: Shop, k: float, choose_tech: ChooseTech) -> tuple[list[Placement], list[int], list[int]]:
    """Place every job it can; returns the placements in decision order, the jobs that fit
    nowhere today, and every job in the order it was played (placed or left: a job left for
    tomorrow frees its car's bay from then on, so a list must play it at the same point). ``k``: the ATC look-ahead in average jobs. ``choose_tech(work, ready, fits,
    tech_free, left, car_techs)`` picks among the technicians who can fit it (the rules' tie-breaks;
    ``left``: the jobs not placed yet, this one among them; ``car_techs``: who worked its car so far,
    a bit each)."""
    floor = shop.copy()
    tech_free, tech_end, bay_free, car_free = floor.tech_free, floor.tech_end, floor.bay_free, floor.car_free
    average = sum(w.minutes for w in works) / len(works) if works else 60.0
    horizon = k * average
    last_start = {w.index: max((tech_end[t] for t in w.techs), default=-INFINITY) - w.minutes for w in works}
    # A stable re-plan keeps room for the jobs each technician keeps: others fit around them.
    reserved = [0.0] * len(tech_end)
    for w in works:
        if w.keep is not None:
            reserved[w.keep] += w.on(w.keep)
    left = list(works)
    placed: list[Placement] = []
    dropped: list[int] = []
    played: list[int] = []
    def drop(w: Work) -> None:
        dropped.append(w.index)
        played.append(w.index)
        floor.skip(w)
        if w.keep is not None:
            reserved[w.keep] -= w.on(w.keep)  # no room to keep for it any more

    while left:
        moment, still, blocked, before = INFINITY, [], [], len(dropped)
        # Jobs of one kind, skill and length share their answer: ask once per decision.
        bay_ready: dict[int, float] = {}
        starts: dict[tuple[int, int | None, float, float, int], float] = {}
        for w in left:
            cached = bay_ready.get(id(w.bays))
            if cached is None:
                cached = bay_ready[id(w.bays)] = min(bay_free[b] for b in w.bays)
            ready = cached if cached > w.release else w.release
            car = w.car
            if car >= 0:  # where its car stands decides: in the bay it holds, or the first free one once the car is
                held = floor.held_bay(car)
                if held >= 0 and held in w.bay_set:
                    ready = floor.ready(w)[0]
                elif car_free[car] > ready:
                    ready = car_free[car]
            if ready == HOLD:  # every bay it may go in holds a car with work to come: it waits for one to leave
                blocked.append(w)
                continue
            key = (id(w.techs), w.keep, ready, w.minutes, id(w.scaled))
            start = starts.get(key)
            if start is None:
                start = starts[key] = _earliest_start(w, ready, tech_free, tech_end, reserved)
            if start == INFINITY:
                drop(w)  # resources only ever get later: it will never fit today
                continue
            still.append((start, w))
            if start < moment:
                moment = start
        if not still:
            if blocked and len(dropped) == before:  # cars waiting for each other's bays: the first is left for tomorrow
                drop(blocked.pop(0))
            left = blocked
            continue
        left = [w for _, w in still] + blocked
        chosen, best = None, None
        for start, w in still:
            if start <= moment + EPS:
                urgency = _urgency(w, moment, horizon, last_start[w.index] - moment < average)
                if best is None or urgency > best:
                    chosen, best = w, urgency
        assert chosen is not None
        ready, bay = floor.ready(chosen)
        fits = [t for t in _candidates(chosen, tech_free, tech_end, reserved, ready) if _fits(chosen, t, max(ready, tech_free[t]), tech_end, reserved)]
        tech = choose_tech(chosen, ready, fits, tech_free, left, floor.car_techs[chosen.car] if chosen.car >= 0 else 0)
        start = max(ready, tech_free[tech])
        end = start + chosen.on(tech)
        waited = car_wait(chosen, floor, bay, start)
        placed.append(Placement(chosen.index, tech, bay, start, end, ready, tuple(tech_free), *waited))
        played.append(chosen.index)
        floor.occupy(chosen, tech, bay, start, end)
        if chosen.keep is not None:
            reserved[chosen.keep] -= chosen.on(chosen.keep)
        left = [w for w in left if w is not chosen]
    return placed, dropped, played


def car_wait(w: Work, floor: Shop, bay: int, start: float) -> tuple[int | None, float | None]:
    """Where the car was and until when, if that is what the job waited for (played before
    ``occupy``): its own work before it in the bay it holds, or elsewhere while a bay was free."""
    car = w.car
    if car < 0 or start != floor.car_free[car] or start <= w.release:
        return None, None
    if bay != floor.held_bay(car) and start <= floor.bay_free[bay]:
        return None, None
    return floor.car_bay[car], start


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
    room = reserved[tech] - (w.on(tech) if w.keep == tech else 0.0)
    return start + w.on(tech) + room <= tech_end[tech]


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
