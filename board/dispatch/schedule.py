"""A plan as a list: jobs in the order they are placed, each with its technician, played forward
on the shop floor (board/dispatch/dispatching.py's ``Shop``: a job starts when its technician, a
bay of its kind, its car and its parts are all free, and ends inside the technician's shift).
Pure.

The local search (board/dispatch/search.py) edits the list; this module prices an edit by
re-playing only from the first position it touches (from a copy of the floor kept every
``EVERY`` positions), and stops as soon as the cost passes a bound (the edit is refused anyway)
or the floor is back exactly where it was (the rest would cost what it cost before).

The cost is lexicographic, folded into one number: jobs left for tomorrow first (``DROPPED``
each), then weighted minutes late plus ``stay`` for each job taken off the technician who holds
it. Weighted completion time breaks ties: among equally late plans, the work done sooner.
"""

from __future__ import annotations

from collections.abc import Sequence

from board.dispatch.dispatching import Placement, Shop, Work, car_wait

DROPPED = 1e7  # a job left for tomorrow weighs more than any lateness a day can have
EVERY = 8  # positions between two copies of the floor
AUTO = -1  # a technician chosen on the way: the one who can start it first


class Schedule:
    """The list, its technicians, and what playing it forward gives: times, bays, costs."""

    def __init__(self, works: Sequence[Work], base: Shop, order: list[int], tech: list[int], current: Sequence[int], stay: float,
                 choices: Sequence[Sequence[int]]) -> None:
        """``order``: work indexes; ``tech``: each work's technician or ``AUTO``; ``current``: the
        technician each work is held by (-1: none), ``stay`` the cost of moving it off him;
        ``choices``: who may do each work, the least over-qualified first (``AUTO`` picks in
        this order among equally early ones)."""
        self.works, self.base, self.current, self.stay, self.choices = works, base, current, stay, choices
        self.order, self.tech = order, tech
        n = len(order)
        self.start = [0.0] * len(works)
        self.end = [0.0] * len(works)
        self.bay = [-1] * len(works)
        self.used = [AUTO] * len(works)  # the technician each work got, AUTO: left for tomorrow
        self.cost_of = [0.0] * len(works)  # what each work adds to the cost
        self.prefix = [0.0] * (n + 1)  # cost before each position
        self.flow_prefix = [0.0] * (n + 1)
        self.floors: list[Shop] = []
        self.replay_from(0)

    @property
    def cost(self) -> float:
        return self.prefix[-1]

    @property
    def flow(self) -> float:
        return self.flow_prefix[-1]

    def replay_from(self, position: int) -> int:
        """Play the list forward from ``position`` (after an accepted edit), keeping everything;
        returns the placements played."""
        first = position // EVERY
        del self.floors[first + 1:]
        floor = self.base.copy() if first == 0 else self.floors[first].copy()
        if first == 0:
            self.floors[:] = [floor.copy()]
        at = first * EVERY
        cost, flow = self.prefix[at], self.flow_prefix[at]
        for i in range(at, len(self.order)):
            if i % EVERY == 0 and i > at:
                self.floors.append(floor.copy())
            j = self.order[i]
            tech, bay, _, start = self._where(floor, j, self.tech[j])
            end = start + self.works[j].minutes
            if tech != AUTO:
                floor.occupy(self.works[j], tech, bay, start, end)
            self.used[j], self.bay[j], self.start[j], self.end[j] = tech, bay, start, end
            added, time = self._cost(j, tech, end)
            self.cost_of[j] = added
            cost += added
            flow += time
            self.prefix[i + 1], self.flow_prefix[i + 1] = cost, flow
        return len(self.order) - at

    def price(self, order: list[int], tech: list[int], position: int, changed_to: int, bound: float) -> tuple[float, float, int] | None:
        """(cost, flow, placements played) of an edited list that equals this one before
        ``position`` and after ``changed_to``; None as soon as the cost passes ``bound``."""
        first = position // EVERY
        floor = self.floors[first].copy()
        at = first * EVERY
        cost, flow = self.prefix[at], self.flow_prefix[at]
        played = 0
        n = len(order)
        for i in range(at, n):
            if i > changed_to and i % EVERY == 0 and _same(floor, self.floors[i // EVERY]):
                return cost + self.prefix[n] - self.prefix[i], flow + self.flow_prefix[n] - self.flow_prefix[i], played
            j = order[i]
            t, bay, _, start = self._where(floor, j, tech[j])
            end = start + self.works[j].minutes
            if t != AUTO:
                floor.occupy(self.works[j], t, bay, start, end)
            added, time = self._cost(j, t, end)
            cost += added
            flow += time
            played += 1
            if cost > bound:
                return None
        return cost, flow, played

    def _cost(self, j: int, tech: int, end: float) -> tuple[float, float]:
        w = self.works[j]
        if tech == AUTO:
            return DROPPED, 0.0
        added = w.weight * (end - w.due) if end > w.due else 0.0
        held = self.current[j]
        if held >= 0 and held != tech:
            added += self.stay
        return added, w.weight * end

    def placements(self) -> tuple[list[Placement], list[int]]:
        """The plan as the dispatcher gives it: placements in list order (with what the planner
        explains them by) and the jobs left for tomorrow (``Work.index``)."""
        floor = self.base.copy()
        placed, dropped = [], []
        for j in self.order:
            w = self.works[j]
            tech, bay, ready, start = self._where(floor, j, self.used[j])
            if tech == AUTO:
                dropped.append(w.index)
                continue
            waited = car_wait(w, floor, bay, start)
            placed.append(Placement(w.index, tech, bay, start, start + w.minutes, ready, tuple(floor.tech_free), *waited))
            floor.occupy(w, tech, bay, start, start + w.minutes)
        return placed, dropped

    def _where(self, floor: Shop, j: int, wanted: int) -> tuple[int, int, float, float]:
        """Technician, bay, ready time (all but the technician) and start of work ``j`` played
        next on ``floor``; technician ``AUTO`` when it fits nowhere today."""
        w = self.works[j]
        bay_free = floor.bay_free
        bay = min(w.bays, key=bay_free.__getitem__)  # the first of the earliest free: as the dispatcher picks
        ready = bay_free[bay] if bay_free[bay] > w.release else w.release
        if w.car >= 0:
            at = floor.car_ready(w, ready)
            if at < floor.car_free[w.car]:
                bay = floor.car_bay[w.car]  # beside the car's own job
            ready = at
        tech_free, tech_end, minutes = floor.tech_free, floor.tech_end, w.minutes
        if wanted != AUTO:
            start = tech_free[wanted] if tech_free[wanted] > ready else ready
            if start + minutes <= tech_end[wanted]:
                return wanted, bay, ready, start
        tech, best = AUTO, 0.0
        for t in self.choices[j]:
            start = tech_free[t] if tech_free[t] > ready else ready
            if (tech == AUTO or start < best) and start + minutes <= tech_end[t]:
                tech, best = t, start
        return tech, bay, ready, best


def _same(a: Shop, b: Shop) -> bool:
    return (a.tech_free == b.tech_free and a.bay_free == b.bay_free and a.car_free == b.car_free and a.car_bay == b.car_bay
            and a.bay_car == b.bay_car and a.bay_since == b.bay_since and a.bay_shared == b.bay_shared)
