"""The anytime planner's second half: the first plan improved by local search over its list
(board/dispatch/schedule.py) for as much work as the caller allows. Pure.

Edits aim at the jobs that cost more than they must (late, left for tomorrow, or taken off their
technician): bring one forward to about when it should start, swap it with a rival for the same
kind of bay or technician ahead of it, push such a rival back behind it, give it (or its car's other card) to
the man on its car's other card and play the two one after the other (a car changing hands costs),
give it to another technician, or move anything a little. Simulated annealing decides which edits to keep: an edit
may lose up to a random amount drawn *before* it is priced (from a temperature that falls over
the budget), so pricing still stops as soon as the edit is out of bounds. After ``RUIN_AFTER`` edits without a new best, a ruin-and-recreate restarts from the best:
the costliest jobs and some beside them are taken out and each put back where it costs least.
The best plan seen is returned, so the result is never worse than the first plan.

The budget is work, not time: placements played. The same input and budget give the same plan
on a quiet or a busy machine (a seeded random stream); ``BUDGETS`` are calibrated to the seconds
in ``SECONDS`` on a quiet machine (bench/dispatch.py --calibrate), and a wall-clock cap at
``CAP`` times those seconds is only a safety net.
"""

from __future__ import annotations

import math
import random
import time

from board.dispatch.schedule import AUTO, Schedule

# Placements played per named budget, and the seconds each takes on a quiet machine (110,000 a second
# at 200 jobs x 40 technicians, bench/dispatch.py --calibrate: a car holding its bay costs each placement more).
BUDGETS = {"interactive": 300_000, "background": 3_000_000}
SECONDS = {"interactive": 2.7, "background": 27.0}
CAP = 3.0
MIN_CAP = 2.0  # seconds: a small budget on a busy machine is still the same plan
WINDOW = 24  # how far in the list a job moves in one step
POLISH_SHARE = 20  # one twentieth of the budget: the last pass, one man per car
RUIN_AFTER = 1500  # edits without a new best before a ruin-and-recreate
EPS = 1e-6
TEMPERATURE = 200.0  # annealing: about how many weighted minutes an edit may lose at the start ...
COOL = 0.01  # ... falling to this share of it by the end of the budget
# How often each edit is tried (cumulative): forward, swap, push back, the car's man, technician, anything.
P_FORWARD, P_SWAP, P_PUSH, P_CAR, P_TECH = 0.35, 0.55, 0.7, 0.8, 0.92

Edit = tuple[list[int], list[int], int, int]  # order, technicians, first and last position changed


def units(budget: str | int) -> tuple[int, float]:
    """Placements and the wall-clock cap (seconds) for a named or numbered budget."""
    work = BUDGETS[budget] if isinstance(budget, str) else budget
    return work, max(work / BUDGETS["interactive"] * SECONDS["interactive"] * CAP, MIN_CAP)


def improve(s: Schedule, budget: int, seed: int = 0, cap_s: float | None = None) -> None:
    """Improve ``s`` in place for ``budget`` placements (``s.played`` counts them)."""
    _Search(s, seed).run(s.played + budget, cap_s)


class _Search:
    def __init__(self, s: Schedule, seed: int) -> None:
        self.s = s
        self.rng = random.Random(seed)
        self.best = (s.cost, s.flow, s.order[:], s.tech[:])
        cars: dict[int, list[int]] = {}
        for j, w in enumerate(s.works):
            if w.car >= 0:
                cars.setdefault(w.car, []).append(j)
        self.mates = [[k for k in cars[w.car] if k != j] if w.car >= 0 else [] for j, w in enumerate(s.works)]

    def run(self, until: int, cap_s: float | None) -> None:
        s, rng = self.s, self.rng
        n = len(s.order)
        if n < 2:
            return
        deadline = time.perf_counter() + cap_s if cap_s is not None else None
        polish = (until - s.played) // POLISH_SHARE  # kept for giving each car one man at the end
        until -= polish
        begin, length = s.played, max(until - s.played, 1)
        step = since_best = 0
        while s.played < until and s.cost > EPS:
            step += 1
            if deadline is not None and step % 64 == 0 and time.perf_counter() > deadline:
                break
            if since_best >= RUIN_AFTER:
                self._restore_best()
                self._ruin_and_recreate(until)
                since_best = 0
                continue
            since_best += 1
            edit = self._edit(n)
            if edit is None:
                s.played += 1  # an edit that could not be made still counts, or a stuck search would never end
                continue
            order, tech, lo, hi = edit
            heat = TEMPERATURE * COOL ** ((s.played - begin) / length)
            trial = s.price(order, tech, lo, hi, s.cost - heat * math.log(1.0 - rng.random()) + EPS)
            if trial is not None:
                s.accept(trial)
                if _better(s.cost, s.flow, self.best[0], self.best[1]):
                    self.best = (s.cost, s.flow, s.order[:], s.tech[:])
                    since_best = 0
        self._restore_best()
        self._one_man_per_car(until + polish)

    def _one_man_per_car(self, until: int) -> None:
        """Each card of a car worked by several men, tried on each of the others, just before or
        after his card of it: kept when the plan costs less. The random edits find these seldom
        (one card, one man, one place among many), and a change of hands costs an hour late."""
        s = self.s
        improved = True
        while improved and s.played < until:
            improved = False
            for j, mates in enumerate(self.mates):
                men = {s.used[k] for k in mates} - {AUTO, s.used[j]}
                for k in mates:
                    man = s.used[k]
                    if man not in men or man not in s.choices_of[j] or s.played >= until:
                        continue
                    for after in (True, False):
                        order, tech = s.order[:], s.tech[:]
                        lo, hi = _move_beside(order, j, k, after)
                        tech[j] = man
                        trial = s.price(order, tech, lo, hi, s.cost - EPS)
                        if trial is not None and trial.cost < s.cost - EPS:
                            s.accept(trial)
                            improved = True
                            break
                    if s.used[j] == man:
                        break
        if _better(s.cost, s.flow, self.best[0], self.best[1]):
            self.best = (s.cost, s.flow, s.order[:], s.tech[:])

    def _restore_best(self) -> None:
        s = self.s
        if s.order != self.best[2] or s.tech != self.best[3]:
            s.order, s.tech = self.best[2][:], self.best[3][:]
            s.replay_from(0)

    def _target(self) -> int | None:
        """A position whose job costs more than it must, the more the likelier."""
        s = self.s
        cost_of, least = s.cost_of, s.least
        more = [cost_of[j] - least[j] for j in s.order]
        if max(more) <= EPS:
            return None
        return self.rng.choices(range(len(more)), weights=[m if m > EPS else 0.0 for m in more])[0]

    def _edit(self, n: int) -> Edit | None:
        s, rng = self.s, self.rng
        p = self._target()
        if p is None:
            return None
        j = s.order[p]
        order, tech = s.order[:], s.tech[:]
        kind = rng.random()
        if kind < P_FORWARD and p > 0:  # bring it forward, to about when it should start
            q = self._when_due(p, j)
            order.insert(q, order.pop(p))
            if rng.random() < 0.5:
                tech[j] = AUTO
            return order, tech, q, p
        if kind < P_SWAP and p > 0:  # swap it with a job ahead of it that holds the same kind of bay or technician
            rival = self._rival(p, j)
            if rival is None:
                return None
            order[p], order[rival] = order[rival], order[p]
            if rng.random() < 0.5:
                tech[j] = AUTO
            return order, tech, rival, p
        if kind < P_PUSH and p > 0:  # push one ahead of it back behind it
            rival = self._rival(p, j)
            if rival is None:
                return None
            order.insert(p, order.pop(rival))
            return order, tech, rival, p
        if kind < P_CAR:  # one card of the car takes the other's man, the two played one after the other
            return self._same_man(order, tech, p, j)
        if kind < P_TECH:  # another technician
            options = [t for t in s.choices[j] if t != s.used[j]]
            if not options:
                return None
            tech[j] = rng.choice(options + [AUTO])
            return order, tech, p, p
        q = rng.randrange(n)  # anything, anywhere near
        r = min(max(q + rng.randint(-WINDOW, WINDOW), 0), n - 1)
        if q == r:
            return None
        order.insert(r, order.pop(q))
        return order, tech, min(q, r), max(q, r)

    def _same_man(self, order: list[int], tech: list[int], p: int, j: int) -> Edit | None:
        s, rng = self.s, self.rng
        if not self.mates[j]:
            return None
        k = rng.choice(self.mates[j])
        taker, giver = (j, k) if rng.random() < 0.5 else (k, j)
        man = s.used[giver]
        if man == AUTO or man == s.used[taker] or man not in s.choices_of[taker]:
            return None
        tech[taker] = man
        was = order.index(k)
        lo, hi = _move_beside(order, j, k, after=was < p)
        return order, tech, min(lo, was), max(hi, was)

    def _when_due(self, p: int, j: int) -> int:
        """A position ahead of ``p`` among the jobs that start about when ``j`` should."""
        s = self.s
        w = s.works[j]
        should = max(w.due - w.minutes, w.release) - self.rng.uniform(0, 60)
        q = p - 1
        while q > 0 and s.start[s.order[q - 1]] > should:
            q -= 1
        return self.rng.randint(q, p - 1)

    def _rival(self, p: int, j: int) -> int | None:
        """A job ahead of ``j`` (within ``WINDOW`` rivals) wanting the same kind of bay or the same technician."""
        s = self.s
        bays, tech = s.works[j].bays, s.used[j]
        rivals: list[int] = []
        q = p - 1
        while q >= 0 and len(rivals) < WINDOW:
            k = s.order[q]
            if s.works[k].bays is bays or (s.used[k] == tech and tech != AUTO):
                rivals.append(q)
            q -= 1
        return self.rng.choice(rivals) if rivals else None

    def _ruin_and_recreate(self, until: int) -> None:
        """Take out the costliest jobs and a few beside them; put each back, costliest first,
        at the place (among a few tried ahead of where it was) where the plan costs least."""
        s, rng = self.s, self.rng
        n = len(s.order)
        where = {j: i for i, j in enumerate(s.order)}
        ranked = sorted(range(n), key=lambda i: -s.cost_of[s.order[i]])[:4]
        out = [s.order[i] for i in ranked if s.cost_of[s.order[i]] > 0]
        out += [s.order[min(max(i + rng.randint(-3, 3), 0), n - 1)] for i in ranked]
        out = sorted(set(out), key=lambda j: (-s.cost_of[j], where[j]))
        tech = s.tech[:]
        taken = set(out)
        partial = [j for j in s.order if j not in taken]
        for k, j in enumerate(out):
            tech[j] = AUTO
            later = out[k + 1:]  # still out: played last for now
            best: tuple[float, float, list[int]] | None = None
            home = sum(1 for x in partial if where[x] < where[j])
            for q in sorted({max(home - rng.randint(0, 2 * WINDOW), 0) for _ in range(5)} | {home}):
                if s.played >= until:
                    break
                trial = partial[:q] + [j] + partial[q:]
                whole = trial + later
                first = next((i for i, (a, b) in enumerate(zip(whole, s.order, strict=True)) if a != b), n - 1)
                priced = s.price(whole, tech, first, n - 1, best[0] + EPS if best else float("inf"))
                if priced is not None and (best is None or _better(priced.cost, priced.flow, best[0], best[1])):
                    best = (priced.cost, priced.flow, trial)
            partial = best[2] if best is not None else partial[:home] + [j] + partial[home:]
        s.order, s.tech = partial, tech
        s.replay_from(0)


def _move_beside(order: list[int], j: int, k: int, after: bool) -> tuple[int, int]:
    """Move ``j`` in ``order`` to just after (or before) ``k``, the two played one after the other;
    returns the first and last positions changed."""
    p = order.index(j)
    order.pop(p)
    q = order.index(k) + after
    order.insert(q, j)
    return min(p, q), max(p, q)


def _better(cost: float, flow: float, best_cost: float, best_flow: float) -> bool:
    return cost < best_cost - EPS or (cost <= best_cost + EPS and flow < best_flow - EPS)
