"""A plan as a list: jobs in the order they are placed, each with its technician, played forward
on the shop floor (board/dispatch/dispatching.py's ``Shop``: a job starts when its technician, a
bay of its kind, its car and its parts are all free, and ends inside the technician's shift).
Pure.

The local search (board/dispatch/search.py) edits the list; this module prices an edit by
re-playing only from the first position it touches (from a copy of the floor kept every
``EVERY`` positions), and stops as soon as the cost passes a bound (the edit is refused anyway)
or the floor is back exactly where it was (the rest would cost what it cost before).

The cost is weighted minutes late, a job left for tomorrow counting as ``unplaced`` minutes late
(rules.TOMORROW_MINUTES: more than any lateness, so the least important work is what waits), plus
``stay`` for each job taken off the technician who holds it. Weighted completion time breaks
ties: among equally late plans, the work done sooner.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from board.dispatch.dispatching import Placement, Shop, Work, car_wait

EVERY = 8  # positions between two copies of the floor
AUTO = -1  # a technician chosen on the way: the one who can start it first
INFINITY = math.inf
PRUNE_AFTER = 2


@dataclass
class Trial:
    """An edited list played forward from ``at`` to ``stop`` (from there on the old play holds)."""

    order: list[int]
    tech: list[int]
    at: int
    stop: int = 0
    placed: list[tuple[int, int, float, int, float, int]] = field(default_factory=list)  # work, technician, start, bay, cost added, its car's technicians
    prefix: list[float] = field(default_factory=list)  # cost after each position played
    flow_prefix: list[float] = field(default_factory=list)
    floors: list[Shop] = field(default_factory=list)  # at the checkpoints after ``at``
    cost: float = 0.0
    flow: float = 0.0


class Schedule:
    """The list, its technicians, and what playing it forward gives: technicians, starts, costs."""

    def __init__(self, works: Sequence[Work], base: Shop, order: list[int], tech: list[int], current: Sequence[int], stay: float,
                 unplaced: float, choices: Sequence[Sequence[int]], change: float = 0.0) -> None:
        """``order``: work indexes; ``tech``: each work's technician or ``AUTO``; ``current``: the
        technician each work is held by (-1: none), ``stay`` the cost of moving it off him;
        ``unplaced``: minutes late a job left for tomorrow counts as; ``choices``: who may do
        each work, the least over-qualified first (``AUTO`` picks in this order among equally
        early ones, one who has worked its car first); ``change``: the cost of each technician
        beyond the first on one car."""
        self.works, self.base, self.current, self.stay, self.choices = works, base, current, stay, choices
        self.unplaced, self.change = unplaced, change
        self.order, self.tech = order, tech
        n = len(order)
        self.start = [0.0] * len(works)  # INFINITY: left for tomorrow
        self.bay_of = [-1] * len(works)
        self.kind_of = [id(w.bays) for w in works]  # works of a kind of bay share one list of its bays
        # The lists each bay is in (an express bay's jobs may go up on a lift: the lists overlap).
        lists = {id(w.bays): w.bays for w in works}
        self.lists_of_bay: list[list[int]] = [[] for _ in base.bay_free]
        for key, bays in lists.items():
            for b in bays:
                self.lists_of_bay[b].append(key)
        self.choices_of = [frozenset(c) for c in choices]
        self.used = [AUTO] * len(works)  # the technician each work got, AUTO: left for tomorrow
        self.cost_of = [0.0] * len(works)  # what each work adds to the cost
        self.techs_after = [0] * len(works)  # who has worked its car once it is placed (a bit each)
        self.prefix = [0.0] * (n + 1)  # cost before each position
        self.flow_prefix = [0.0] * (n + 1)
        self.dropped = [unplaced * w.weight for w in works]  # what each work costs left for tomorrow
        self.last_end = [max(base.tech_end[t] for t in w.techs) for w in works]  # no start this late fits (standard speed)
        self.least = [self._least(w) for w in works]  # what each work costs however the list is played
        self.floors = [base.copy() for _ in range(0, max(n, 1), EVERY)]
        self.played = 0  # placements played so far: the work the search is budgeted by
        self.replay_from(0)

    def _least(self, w: Work) -> float:
        """A floor under the work's cost: it starts no sooner than its parts, its first free
        technician and bay and its car (held by a started job) allow."""
        base = self.base
        bay_ready = base.ready(w)[0] if w.car >= 0 else max(min(base.bay_free[b] for b in w.bays), w.release)
        start = max(bay_ready, min(base.tech_free[t] for t in w.techs))
        if all(start + w.on(t) > base.tech_end[t] for t in w.techs):
            return self.unplaced * w.weight
        return w.weight * max(start + min(w.on(t) for t in w.techs) - w.due, 0.0)

    @property
    def cost(self) -> float:
        return self.prefix[-1]

    @property
    def flow(self) -> float:
        return self.flow_prefix[-1]

    def replay_from(self, position: int) -> None:
        """Play the list forward again from ``position`` (after it was changed in place)."""
        trial = self.price(self.order, self.tech, position, len(self.order), INFINITY)
        assert trial is not None
        self.accept(trial)

    def price(self, order: list[int], tech: list[int], position: int, changed_to: int, bound: float) -> Trial | None:
        """Play an edited list that equals this one before ``position`` and after
        ``changed_to``: its exact cost, or None when that passes ``bound`` (or, a few jobs past
        the edit, what it has cost so far plus what the rest cost before does: a guess that
        saves most of the work on edits that are refused anyway).

        Past the edit, a job whose technicians, kind of bay and car are all as they were in the
        old play is placed as it was without being worked out again; once nothing differs from
        the old play, the rest is as it was and the play stops."""
        first = position // EVERY
        floor = self.floors[first].copy()
        at = first * EVERY
        trial = Trial(order, tech, at)
        cost, flow = self.prefix[at], self.flow_prefix[at]
        placed, prefix, flow_prefix, floors = trial.placed, trial.prefix, trial.flow_prefix, trial.floors
        works, current, stay, change, dropped = self.works, self.current, self.stay, self.change, self.dropped
        used, start_of, bay_of, cost_of, kind_of, choice_sets = self.used, self.start, self.bay_of, self.cost_of, self.kind_of, self.choices_of
        techs_after, lists_of_bay, choices = self.techs_after, self.lists_of_bay, self.choices
        # What differs from the old play at this point of the list.
        dirty_tech: set[int] = set()
        dirty_bay: set[int] = set()
        dirty_car: set[int] = set()
        dirty_kind: dict[int, int] = {}  # a list of bays (its id) -> how many of its bays differ

        def mark(bay: int) -> None:
            if bay >= 0 and bay not in dirty_bay:
                dirty_bay.add(bay)
                for key in lists_of_bay[bay]:
                    dirty_kind[key] = dirty_kind.get(key, 0) + 1

        # The hot path: the choice of technician and the costs, inlined on local names (placements() plays the same with ``_where``).
        tech_free, tech_end, bay_free, car_techs = floor.tech_free, floor.tech_end, floor.bay_free, floor.car_techs
        n = len(order)
        for i in range(at, n):
            if i % EVERY == 0 and i > at:
                floors.append(floor.copy())
            past = i > changed_to
            if past:
                if not (dirty_tech or dirty_bay or dirty_car):  # back where it was: the rest is as it was
                    self.played += i - at
                    trial.stop = i
                    trial.cost = cost + self.prefix[n] - self.prefix[i]
                    trial.flow = flow + self.flow_prefix[n] - self.flow_prefix[i]
                    return trial if trial.cost <= bound else None
                if i > changed_to + PRUNE_AFTER and cost + self.prefix[n] - self.prefix[i] > bound:
                    self.played += i - at
                    return None
            j = order[i]
            w = works[j]
            was = used[j]
            car = w.car
            if i < position or (past and (was not in dirty_tech if tech[j] == was != AUTO else dirty_tech.isdisjoint(choice_sets[j]))
                                and not dirty_kind.get(kind_of[j]) and (car < 0 or car not in dirty_car)):
                # As in the old play: the same technician, bay and start.
                t, start, bay, added = was, start_of[j], bay_of[j], cost_of[j]
                if t != AUTO:
                    end = start + (w.minutes if w.scaled is None else w.scaled.get(t, w.minutes))
                    floor.occupy(w, t, bay, start, end)
                    flow += w.weight * end
                else:
                    floor.skip(w)
            else:
                if car >= 0:
                    ready, bay = floor.ready(w)
                else:
                    bay = min(w.bays, key=bay_free.__getitem__)
                    ready = bay_free[bay]
                    if w.release > ready:
                        ready = w.release
                minutes, scaled = w.minutes, w.scaled
                t, start = tech[j], 0.0
                if t != AUTO:
                    start = tech_free[t] if tech_free[t] > ready else ready
                    if scaled is not None:
                        minutes = scaled.get(t, w.minutes)
                    if start + minutes > tech_end[t]:
                        t = AUTO
                on_car = car_techs[car] if car >= 0 else 0
                if t == AUTO and scaled is None and not on_car and ready + minutes <= self.last_end[j]:
                    for c in choices[j]:  # nobody on its car yet: the one who can start first (``_soonest``, inlined)
                        at_c = tech_free[c] if tech_free[c] > ready else ready
                        if (t == AUTO or at_c < start) and at_c + minutes <= tech_end[c]:
                            t, start = c, at_c
                elif t == AUTO and (ready + minutes <= self.last_end[j] or scaled is not None):
                    t, start, minutes = self._soonest(j, w, ready, tech_free, tech_end, on_car)
                if t == AUTO:
                    added, start, bay = dropped[j], INFINITY, -1
                    mark(floor.skip(w))
                else:
                    end = start + minutes
                    added = w.weight * (end - w.due) if end > w.due else 0.0
                    if current[j] >= 0 and current[j] != t:
                        added += stay
                    if on_car and not (on_car >> t) & 1:  # another man on a car someone has worked (rule 8)
                        added += change
                    mark(floor.occupy(w, t, bay, start, end))
                    flow += w.weight * end
                if past and t == was and start == start_of[j] and bay == bay_of[j] and not w.shares \
                        and (car < 0 or car_techs[car] == techs_after[j]):
                    # Placed as before: what it occupies is as it was again.
                    if t != AUTO:
                        dirty_tech.discard(t)
                        if bay in dirty_bay:
                            dirty_bay.remove(bay)
                            for key in lists_of_bay[bay]:
                                dirty_kind[key] -= 1
                        dirty_car.discard(car)
                else:
                    for x in (t, was):
                        if x != AUTO:
                            dirty_tech.add(x)
                    mark(bay)
                    mark(bay_of[j])
                    if car >= 0:
                        dirty_car.add(car)
            cost += added
            if cost > bound:
                self.played += i + 1 - at
                return None
            placed.append((j, t, start, bay, added, car_techs[car] if car >= 0 else 0))
            prefix.append(cost)
            flow_prefix.append(flow)
        trial.stop, trial.cost, trial.flow = n, cost, flow
        self.played += n - at
        return trial

    def accept(self, trial: Trial) -> None:
        self.order, self.tech = trial.order, trial.tech
        for j, t, start, bay, added, techs in trial.placed:
            self.used[j], self.start[j], self.bay_of[j], self.cost_of[j], self.techs_after[j] = t, start, bay, added, techs
        at, stop, n = trial.at, trial.stop, len(trial.order)
        if stop < n:  # the old play holds from ``stop`` on, shifted by what changed before it
            shift, flow_shift = trial.prefix[-1] - self.prefix[stop], trial.flow_prefix[-1] - self.flow_prefix[stop]
            self.prefix[stop + 1:] = [c + shift for c in self.prefix[stop + 1:]]
            self.flow_prefix[stop + 1:] = [f + flow_shift for f in self.flow_prefix[stop + 1:]]
        self.prefix[at + 1:stop + 1] = trial.prefix
        self.flow_prefix[at + 1:stop + 1] = trial.flow_prefix
        first = at // EVERY + 1
        self.floors[first:first + len(trial.floors)] = trial.floors

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
                floor.skip(w)
                continue
            waited = car_wait(w, floor, bay, start)
            end = start + w.on(tech)
            placed.append(Placement(w.index, tech, bay, start, end, ready, tuple(floor.tech_free), *waited))
            floor.occupy(w, tech, bay, start, end)
        return placed, dropped

    def _where(self, floor: Shop, j: int, wanted: int) -> tuple[int, int, float, float]:
        """Technician, bay, ready time (all but the technician) and start of work ``j`` played
        next on ``floor``; technician ``AUTO`` when it fits nowhere today."""
        w = self.works[j]
        if w.car >= 0:
            ready, bay = floor.ready(w)
        else:
            bay = min(w.bays, key=floor.bay_free.__getitem__)  # the first of the earliest free: as the dispatcher picks
            ready = max(floor.bay_free[bay], w.release)
        tech_free, tech_end = floor.tech_free, floor.tech_end
        if wanted != AUTO:
            start = tech_free[wanted] if tech_free[wanted] > ready else ready
            if start + w.on(wanted) <= tech_end[wanted]:
                return wanted, bay, ready, start
        if ready + w.minutes > self.last_end[j] and w.scaled is None:
            return AUTO, bay, ready, INFINITY
        tech, start, _ = self._soonest(j, w, ready, tech_free, tech_end, floor.car_techs[w.car] if w.car >= 0 else 0)
        return tech, bay, ready, start

    def _soonest(self, j: int, w: Work, ready: float, tech_free: list[float], tech_end: list[float], on_car: int) -> tuple[int, float, float]:
        """The technician for whom work ``j`` costs least — his minutes late, and the change of hands
        when others have worked its car (``on_car``: a bit each; rule 8) — among equals the one who
        finishes first, then one who has worked its car, then the least over-qualified; his start
        and his minutes; ``AUTO`` when it fits nobody's shift."""
        tech, start, minutes, best, mine, least = AUTO, 0.0, w.minutes, INFINITY, False, INFINITY
        change = self.change if on_car else 0.0
        due, weight = w.due, w.weight
        for t in self.choices[j]:
            at = tech_free[t] if tech_free[t] > ready else ready
            took = w.on(t)
            done = at + took
            if done > tech_end[t]:
                continue
            his = bool((on_car >> t) & 1)
            cost = (weight * (done - due) if done > due else 0.0) + (0.0 if his else change)
            if cost < least or (cost == least and (done < best or (done == best and his and not mine))):
                tech, start, minutes, best, mine, least = t, at, took, done, his, cost
        return tech, start, minutes
