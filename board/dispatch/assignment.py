"""Assigning jobs to technicians within their hours at least cost: the generalised assignment
problem (GAP). Pure.

Strategic oscillation (as in Díaz & Fernández's tabu search for the GAP): the search may
overload a technician, paying ``penalty`` per hour over, and the penalty rises while the
assignment is over capacity and falls while it is within, so the search walks along the edge of
what fits instead of being walled in by it. Moves: give a job to another technician (every one
is priced) or swap two jobs between technicians (a sample beside the job's cheaper
technicians); the best move for one job at a time, jobs in a shuffled order; a pass that
improves nothing ends in a kick (a few jobs moved at random). The best assignment that fits is
kept.

Starts from each job on its cheapest technician by cost plus the hours priced at the penalty
(overloaded, so the first passes pull it back within the hours).

The budget is work, not time: moves priced. The same input, budget and seed give the same
assignment on a quiet or a busy machine; ``BUDGETS`` are calibrated to ``SECONDS`` on a quiet
machine (bench/dispatch.py --chu), a wall-clock cap at ``CAP`` times those only a safety net.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

INFEASIBLE = -1
# Moves priced per named budget, and the seconds each takes on a quiet machine (20 x 200 jobs).
BUDGETS = {"quick": 60_000, "full": 600_000}
SECONDS = {"quick": 0.045, "full": 0.4}
CAP = 3.0
MIN_CAP = 0.5
SWAPS = 4  # jobs tried for a swap on each of a job's cheaper technicians
CHEAPER = 3  # how many of a job's cheapest technicians its swaps look at
KICK = 3  # jobs moved at random when a pass improves nothing
RESTART = 0  # passes without a new best before going back to the best
RISE, FALL = 1.3, 0.85  # the penalty per hour over, after a pass over / within capacity
EPS = 1e-9


def total_cost(assign: Sequence[int], cost: Sequence[Sequence[float]]) -> float:
    return sum(cost[i][j] for j, i in enumerate(assign))


def solve(cost: Sequence[Sequence[float]], hours: Sequence[Sequence[float]], cap: Sequence[float],
          budget: str | int = "full", seed: int = 0) -> list[int]:
    """The technician of each job (``INFEASIBLE`` everywhere if no assignment within the hours was found)."""
    m, n = len(cap), len(cost[0]) if cost else 0
    if n == 0:
        return []
    if m == 0:
        return [INFEASIBLE] * n
    work = BUDGETS[budget] if isinstance(budget, str) else budget
    cap_s = max(work / BUDGETS["full"] * SECONDS["full"] * CAP, MIN_CAP)
    best = _Oscillation(cost, hours, cap, seed).run(work, time.perf_counter() + cap_s)
    return best if best is not None else [INFEASIBLE] * n


class _Oscillation:
    def __init__(self, cost: Sequence[Sequence[float]], hours: Sequence[Sequence[float]], cap: Sequence[float], seed: int) -> None:
        self.m, self.n = len(cap), len(cost[0])
        m, n = self.m, self.n
        # By job: the loops price one job's options at a time.
        self.c = [[float(cost[i][j]) for i in range(m)] for j in range(n)]
        self.w = [[float(hours[i][j]) for i in range(m)] for j in range(n)]
        self.cap = [float(b) for b in cap]
        self.rng = random.Random(seed)
        mean_c = sum(map(sum, self.c)) / (n * m)
        mean_w = sum(map(sum, self.w)) / (n * m) or 1.0
        self.penalty = mean_c / mean_w  # an hour over costs about what an hour of work costs
        self.cheaper = [sorted(range(m), key=self.c[j].__getitem__)[:CHEAPER + 1] for j in range(n)]
        self.assign = [self._cheapest(j) for j in range(n)]
        self.slack = self.cap[:]
        for j, i in enumerate(self.assign):
            self.slack[i] -= self.w[j][i]
        self.on: list[list[int]] = [[] for _ in range(m)]
        for j, i in enumerate(self.assign):
            self.on[i].append(j)
        self.cost = sum(self.c[j][i] for j, i in enumerate(self.assign))
        self.overload = sum(-x for x in self.slack if x < 0)
        self.best: list[int] | None = None
        self.best_cost = float("inf")
        self.work = 0

    def _cheapest(self, j: int) -> int:
        priced = [c + self.penalty * w for c, w in zip(self.c[j], self.w[j], strict=True)]
        return priced.index(min(priced))

    def run(self, budget: int, deadline: float) -> list[int] | None:
        order = list(range(self.n))
        stale = 0
        while self.work < budget:
            self.rng.shuffle(order)
            improved = False
            stale += 1
            for j in order:
                if self._best_move(j):
                    improved = True
                    if self.overload <= EPS and self.cost < self.best_cost - EPS:
                        self.best, self.best_cost = self.assign[:], self.cost
                        stale = 0
            # Strategic oscillation: dearer hours while over capacity, cheaper while within.
            self.penalty *= RISE if self.overload > EPS else FALL
            if RESTART and stale >= RESTART and self.best is not None:
                self._restart(self.best)
                stale = 0
            elif not improved:
                self._kick()
            if time.perf_counter() > deadline:
                break
        return self.best

    def _restart(self, assign: list[int]) -> None:
        """Back to the best assignment, shaken harder than by a kick."""
        for j, i in enumerate(assign):
            if self.assign[j] != i:
                self._shift(j, i)
        for _ in range(KICK * 3):
            self._shift(self.rng.randrange(self.n), self.rng.randrange(self.m))

    def _best_move(self, j: int) -> bool:
        """Make the move that most lowers cost plus penalised overload for job ``j``, if any."""
        c, w, slack, penalty = self.c[j], self.w[j], self.slack, self.penalty
        a = self.assign[j]
        s_a = slack[a]
        out_a = s_a + w[a]  # agent a's slack without j
        # The penalised change from taking j off a: overload there falls.
        freed = (min(out_a, 0.0) - min(s_a, 0.0)) * penalty
        base = c[a]
        best_delta, best_move = -EPS, None
        for i in range(self.m):
            if i == a:
                continue
            s_i = slack[i]
            new = s_i - w[i]
            delta = c[i] - base - freed + ((min(s_i, 0.0) - min(new, 0.0)) * penalty if new < 0 else 0.0)
            if delta < best_delta:
                best_delta, best_move = delta, (i, -1)
        self.work += self.m
        rng = self.rng
        for b in self.cheaper[j]:
            if b == a or not self.on[b]:
                continue
            jobs_b = self.on[b]
            s_b = slack[b]
            for _ in range(SWAPS):
                k = jobs_b[rng.randrange(len(jobs_b))]
                ck, wk = self.c[k], self.w[k]
                new_a = s_a + w[a] - wk[a]
                new_b = s_b + wk[b] - w[b]
                delta = c[b] + ck[a] - base - ck[b] + penalty * (min(s_a, 0.0) + min(s_b, 0.0) - min(new_a, 0.0) - min(new_b, 0.0))
                if delta < best_delta:
                    best_delta, best_move = delta, (b, k)
            self.work += SWAPS
        if best_move is None:
            return False
        i, k = best_move
        if k < 0:
            self._shift(j, i)
        else:
            self._shift(j, i)
            self._shift(k, a)
        return True

    def _shift(self, j: int, i: int) -> None:
        a = self.assign[j]
        slack = self.slack
        self.overload -= max(-slack[a], 0.0) + (max(-slack[i], 0.0) if i != a else 0.0)
        slack[a] += self.w[j][a]
        slack[i] -= self.w[j][i]
        self.overload += max(-slack[a], 0.0) + (max(-slack[i], 0.0) if i != a else 0.0)
        self.cost += self.c[j][i] - self.c[j][a]
        self.on[a].remove(j)
        self.on[i].append(j)
        self.assign[j] = i

    def _kick(self) -> None:
        for _ in range(KICK):
            j = self.rng.randrange(self.n)
            self._shift(j, self.rng.randrange(self.m))
        self.work += KICK
