"""The anytime planner's second half: the first plan improved by local search over its list
(board/dispatch/schedule.py) for as much work as the caller allows. Pure.

Moves aim at the jobs that cost most (late, left for tomorrow, or taken off their technician):
bring one forward, swap it with one ahead of it, push one ahead of it back, give it to another
technician; now and then a ruin-and-recreate takes the costliest jobs out and puts each back
where it costs least. Late acceptance hill climbing (Burke & Bykov) decides which edits to keep:
an edit no worse than the plan of ``HISTORY`` steps ago is kept, so the search can cross ridges;
the best plan seen is returned, so the result is never worse than the first plan.

The budget is work, not time: placements re-played. The same input and budget give the same
plan on a quiet or a busy machine (a seeded random stream); ``BUDGETS`` are calibrated to the
seconds in ``SECONDS`` on a quiet machine (bench/dispatch.py --calibrate), and a wall-clock cap
at ``CAP`` times those seconds is only a safety net.
"""

from __future__ import annotations

import random
import time

from board.dispatch.schedule import AUTO, Schedule

# Placements re-played per named budget, and the seconds each takes on a quiet machine.
BUDGETS = {"interactive": 300_000, "background": 3_000_000}
SECONDS = {"interactive": 1.0, "background": 10.0}
CAP = 3.0
HISTORY = 40  # late acceptance: compare with the plan this many steps ago
WINDOW = 24  # how far in the list a job moves in one step
RUIN_AFTER = 400  # steps without a new best before a ruin-and-recreate
EPS = 1e-6


def units(budget: str | int) -> tuple[int, float]:
    """Placements and the wall-clock cap (seconds) for a named or numbered budget."""
    if isinstance(budget, str):
        return BUDGETS[budget], SECONDS[budget] * CAP
    return budget, budget / BUDGETS["interactive"] * SECONDS["interactive"] * CAP


def improve(s: Schedule, budget: int, seed: int = 0, cap_s: float | None = None) -> int:
    """Improve ``s`` in place for ``budget`` placements; returns the placements used."""
    return _Search(s, seed).run(budget, cap_s)


class _Search:
    def __init__(self, s: Schedule, seed: int) -> None:
        self.s = s
        self.rng = random.Random(seed)
        self.work = 0
        self.best = (s.cost, s.flow, s.order[:], s.tech[:])

    def run(self, budget: int, cap_s: float | None) -> int:
        s = self.s
        n = len(s.order)
        if n < 2:
            return 0
        deadline = time.perf_counter() + cap_s if cap_s is not None else None
        history = [s.cost] * HISTORY
        step = since_best = 0
        while self.work < budget and s.cost > EPS:
            step += 1
            if deadline is not None and step % 64 == 0 and time.perf_counter() > deadline:
                break
            if since_best >= RUIN_AFTER:
                self._restore_best()
                self._ruin_and_recreate(budget)
                since_best = 0
                history = [s.cost] * HISTORY
                continue
            edit = self._edit(n)
            if edit is None:
                continue
            order, tech, lo, hi = edit
            slot = step % HISTORY
            bound = max(history[slot], s.cost) + EPS
            priced = s.price(order, tech, lo, hi, bound)
            self.work += 1 + (priced[2] if priced else hi - lo)
            if priced is not None:
                cost, flow, _ = priced
                if cost < s.cost - EPS or cost <= bound:
                    s.order, s.tech = order, tech
                    self.work += s.replay_from(lo)
                    if _better(s.cost, s.flow, self.best[0], self.best[1]):
                        self.best = (s.cost, s.flow, s.order[:], s.tech[:])
                        since_best = 0
            since_best += 1
            if s.cost < history[slot]:
                history[slot] = s.cost
        self._restore_best()
        return self.work

    def _restore_best(self) -> None:
        s = self.s
        if s.order != self.best[2] or s.tech != self.best[3]:
            s.order, s.tech = self.best[2][:], self.best[3][:]
            self.work += s.replay_from(0)

    def _target(self) -> int | None:
        """A position whose job costs something, the costlier the likelier."""
        s = self.s
        costly = [(i, s.cost_of[j]) for i, j in enumerate(s.order) if s.cost_of[j] > 0]
        if not costly:
            return None
        return self.rng.choices([i for i, _ in costly], weights=[c for _, c in costly])[0]

    def _edit(self, n: int) -> tuple[list[int], list[int], int, int] | None:
        """An edited list and technicians, and the positions between which they differ."""
        s, rng = self.s, self.rng
        p = self._target()
        if p is None:
            return None
        j = s.order[p]
        order, tech = s.order[:], s.tech[:]
        kind = rng.random()
        if kind < 0.4 and p > 0:  # bring it forward
            q = p - rng.randint(1, min(p, WINDOW))
            order.insert(q, order.pop(p))
            if rng.random() < 0.5:
                tech[j] = AUTO
            return order, tech, q, p
        if kind < 0.55 and p > 0:  # swap it with one ahead of it
            q = p - rng.randint(1, min(p, WINDOW))
            order[p], order[q] = order[q], order[p]
            return order, tech, q, p
        if kind < 0.7 and p > 0:  # push one ahead of it back behind it
            q = p - rng.randint(1, min(p, WINDOW))
            order.insert(p, order.pop(q))
            return order, tech, q, p
        if kind < 0.9:  # another technician
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

    def _ruin_and_recreate(self, budget: int) -> None:
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
        partial = [j for j in s.order if j not in set(out)]
        for k, j in enumerate(out):
            tech[j] = AUTO
            later = out[k + 1:]  # still out: played last for now
            best: tuple[float, float, list[int]] | None = None
            home = sum(1 for x in partial if where[x] < where[j])
            for q in sorted({max(home - rng.randint(0, 2 * WINDOW), 0) for _ in range(5)} | {home}):
                if self.work >= budget:
                    break
                trial = partial[:q] + [j] + partial[q:]
                whole = trial + later
                first = next((i for i, (a, b) in enumerate(zip(whole, s.order, strict=True)) if a != b), n - 1)
                priced = s.price(whole, tech, first, n - 1, best[0] + EPS if best else float("inf"))
                self.work += 1 + (priced[2] if priced else n - first)
                if priced is not None and (best is None or _better(priced[0], priced[1], best[0], best[1])):
                    best = (priced[0], priced[1], trial)
            partial = best[2] if best is not None else partial[:home] + [j] + partial[home:]
        s.order, s.tech = partial, tech
        self.work += s.replay_from(0)


def _better(cost: float, flow: float, best_cost: float, best_flow: float) -> bool:
    return cost < best_cost - EPS or (cost <= best_cost + EPS and flow < best_flow - EPS)
