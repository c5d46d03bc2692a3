"""One technician's queue: order jobs to minimise total weighted tardiness. Pure.

Start from the best of the classic dispatch rules (EDD, WSPT, ATC with several look-ahead
values), then improve by moving and swapping jobs (first improvement), with random restarts
from perturbed orders while the budget lasts (iterated local search).

The budget is work, not time: jobs re-timed while pricing moves. The same input and budget give
the same order on a quiet or a busy machine; ``BUDGET`` is calibrated to about 40 ms for 40 jobs
on a quiet machine, a wall-clock cap of ``CAP_S`` only a safety net.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Sequence

BUDGET = 150_000
CAP_S = 0.5


def tardiness(order: Sequence[int], p: Sequence[float], w: Sequence[float], d: Sequence[float], start: float = 0.0) -> float:
    t, total = start, 0.0
    for j in order:
        t += p[j]
        if t > d[j]:
            total += w[j] * (t - d[j])
    return total


def atc(p: Sequence[float], w: Sequence[float], d: Sequence[float], k: float, start: float = 0.0) -> list[int]:
    """Apparent tardiness cost: at each step the job with the highest w/p · exp(-slack / (k·p̄))."""
    left = set(range(len(p)))
    mean_p = (sum(p) / len(p)) if p else 1.0
    t, order = start, []
    while left:
        best = max(left, key=lambda j: (w[j] / p[j]) * math.exp(-max(d[j] - p[j] - t, 0.0) / (k * mean_p)) if p[j] > 0 else math.inf)
        order.append(best)
        left.remove(best)
        t += p[best]
    return order


class _Budget:
    """Jobs re-timed so far, against the budget; the wall clock only as a safety net."""

    def __init__(self, work: int) -> None:
        self.left = work
        self.deadline = time.perf_counter() + CAP_S

    def spend(self, work: int) -> None:
        self.left -= work

    def over(self) -> bool:
        return self.left <= 0 or time.perf_counter() > self.deadline


def _segment(jobs: Sequence[int], t: float, p: Sequence[float], w: Sequence[float], d: Sequence[float]) -> float:
    cost = 0.0
    for j in jobs:
        t += p[j]
        if t > d[j]:
            cost += w[j] * (t - d[j])
    return cost


def _prefixes(order: Sequence[int], p: Sequence[float], w: Sequence[float], d: Sequence[float], start: float) -> tuple[list[float], list[float]]:
    """Completion time before each position, and the tardiness paid before each position."""
    before = [start] * (len(order) + 1)
    paid = [0.0] * (len(order) + 1)
    for i, j in enumerate(order):
        before[i + 1] = before[i] + p[j]
        paid[i + 1] = paid[i] + (w[j] * (before[i + 1] - d[j]) if before[i + 1] > d[j] else 0.0)
    return before, paid


def _local_search(order: list[int], p: Sequence[float], w: Sequence[float], d: Sequence[float], start: float, budget: _Budget) -> tuple[list[int], float]:
    """Move and swap jobs until neither helps. A move changes only the completion times between
    its two positions, so only that segment is re-evaluated against the prefix and suffix."""
    n = len(order)
    before, paid = _prefixes(order, p, w, d, start)
    improved = True
    while improved and paid[n] > 0 and not budget.over():
        improved = False
        for i in range(n):
            job = order[i]
            for k in range(n):
                if k == i:
                    continue
                lo, hi = (k, i) if k < i else (i, k)
                seg = order[lo:hi + 1]
                moved = [job] + seg[:-1] if k < i else seg[1:] + [job]
                budget.spend(len(moved))
                if paid[lo] + _segment(moved, before[lo], p, w, d) + (paid[n] - paid[hi + 1]) < paid[n] - 1e-9:
                    order[lo:hi + 1] = moved
                    before, paid = _prefixes(order, p, w, d, start)
                    improved = True
                    break
        for i in range(n - 1):
            for k in range(i + 1, n):
                seg = order[i:k + 1]
                swapped = [seg[-1]] + seg[1:-1] + [seg[0]]
                budget.spend(len(swapped))
                if paid[i] + _segment(swapped, before[i], p, w, d) + (paid[n] - paid[k + 1]) < paid[n] - 1e-9:
                    order[i:k + 1] = swapped
                    before, paid = _prefixes(order, p, w, d, start)
                    improved = True
    return order, paid[n]


def sequence(p: Sequence[float], w: Sequence[float], d: Sequence[float], start: float = 0.0, budget: int = BUDGET,
             seed: int = 0) -> tuple[list[int], float]:
    """The best order found within ``budget`` jobs re-timed, and its total weighted tardiness."""
    n = len(p)
    if n == 0:
        return [], 0.0
    work = _Budget(budget)
    starts = [sorted(range(n), key=lambda j: (d[j], -w[j])), sorted(range(n), key=lambda j: p[j] / w[j] if w[j] else math.inf)]
    starts += [atc(p, w, d, k, start) for k in (0.5, 1.0, 2.0, 4.0)]
    order = min(starts, key=lambda o: tardiness(o, p, w, d, start))
    order, best = _local_search(list(order), p, w, d, start, work)
    rng = random.Random(seed)
    current, current_cost = order, best
    while best > 0 and not work.over():
        trial = list(current)
        for _ in range(3):  # a kick: move a few jobs to random places
            job = trial.pop(rng.randrange(n))
            trial.insert(rng.randrange(n), job)
        trial, cost = _local_search(trial, p, w, d, start, work)
        # Accept a slightly worse order now and then, to leave a local optimum.
        if cost <= current_cost * 1.002:
            current, current_cost = trial, cost
        if cost < best:
            order, best = list(trial), cost
        elif current_cost > best * 1.02:
            current, current_cost = list(order), best
    return order, best
