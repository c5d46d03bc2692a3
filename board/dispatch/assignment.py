"""Assigning jobs to technicians within their hours at least cost: the generalised assignment
problem (GAP). Pure.

Regret greedy (Martello & Toth): repeatedly place the job that would lose most by not getting
its best technician. Then local search: move a job to another technician, swap two jobs,
while the hours allow and the cost falls; then eject a few jobs and place them again (regret)
while the time budget lasts, keeping the best assignment.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

INFEASIBLE = -1


def _regret_fill(assign: list[int], load: list[float], jobs: Sequence[int], cost: Sequence[Sequence[float]],
                 hours: Sequence[Sequence[float]], cap: Sequence[float], rng: random.Random | None = None) -> bool:
    """Place ``jobs``, most regretted first, each on its least ``cost`` technician with room."""
    left = list(jobs)
    m = len(cap)
    while left:
        best_job, best_agent, best_regret = -1, -1, -1.0
        for j in left:
            first = second = float("inf")
            agent = -1
            for i in range(m):
                if load[i] + hours[i][j] <= cap[i]:
                    c = cost[i][j]
                    if c < first:
                        first, second, agent = c, first, i
                    elif c < second:
                        second = c
            if agent < 0:
                continue
            regret = (second - first) if second < float("inf") else float("inf")
            if rng is not None:
                regret *= rng.uniform(0.8, 1.2)
            if regret > best_regret:
                best_job, best_agent, best_regret = j, agent, regret
        if best_job < 0:
            return False  # some job fits nowhere
        assign[best_job] = best_agent
        load[best_agent] += hours[best_agent][best_job]
        left.remove(best_job)
    return True


def _improve(assign: list[int], load: list[float], cost: Sequence[Sequence[float]], hours: Sequence[Sequence[float]],
             cap: Sequence[float], deadline: float) -> None:
    m, n = len(cap), len(assign)
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for j in range(n):  # shift one job
            a = assign[j]
            for i in range(m):
                if i != a and cost[i][j] < cost[a][j] and load[i] + hours[i][j] <= cap[i]:
                    load[a] -= hours[a][j]
                    load[i] += hours[i][j]
                    assign[j] = a = i
                    improved = True
        for j in range(n):  # swap two jobs
            a = assign[j]
            for k in range(j + 1, n):
                b = assign[k]
                if a == b:
                    continue
                gain = cost[a][j] + cost[b][k] - cost[b][j] - cost[a][k]
                if gain > 1e-9 and load[a] - hours[a][j] + hours[a][k] <= cap[a] and load[b] - hours[b][k] + hours[b][j] <= cap[b]:
                    load[a] += hours[a][k] - hours[a][j]
                    load[b] += hours[b][j] - hours[b][k]
                    assign[j], assign[k] = b, a
                    a = b
                    improved = True
        if not improved and time.perf_counter() < deadline:
            improved = _chain(assign, load, cost, hours, cap)


def _repair(assign: list[int], load: list[float], cost: Sequence[Sequence[float]], hours: Sequence[Sequence[float]], cap: Sequence[float]) -> bool:
    """Every job on the technician where it takes the smallest share of the hours, then jobs moved
    off overloaded technicians at the least cost increase until all fit (or nothing helps)."""
    m, n = len(cap), len(assign)
    for j in range(n):
        assign[j] = min(range(m), key=lambda i: hours[i][j] / cap[i] if cap[i] else float("inf"))
    load[:] = [0.0] * m
    for j in range(n):
        load[assign[j]] += hours[assign[j]][j]
    for _ in range(10 * n):
        over = [i for i in range(m) if load[i] > cap[i]]
        if not over:
            return True
        moves = [(cost[i][j] - cost[a][j], j, i) for a in over for j in range(n) if assign[j] == a
                 for i in range(m) if i != a and load[i] + hours[i][j] <= cap[i]]
        if not moves:
            return False
        _, j, i = min(moves)
        a = assign[j]
        load[a] -= hours[a][j]
        load[i] += hours[i][j]
        assign[j] = i
    return False


def _start(cost: Sequence[Sequence[float]], hours: Sequence[Sequence[float]], cap: Sequence[float]) -> tuple[list[int], list[float]] | None:
    """The cheapest feasible start among regret greedies on several measures (as MTHG does)."""
    m, n = len(cap), len(cost[0])
    measures = [cost, hours, [[hours[i][j] / cap[i] if cap[i] else float("inf") for j in range(n)] for i in range(m)],
                [[cost[i][j] * hours[i][j] for j in range(n)] for i in range(m)]]
    best: tuple[list[int], list[float]] | None = None
    for measure in measures:
        assign, load = [INFEASIBLE] * n, [0.0] * m
        if _regret_fill(assign, load, range(n), measure, hours, cap) and (best is None or total_cost(assign, cost) < total_cost(best[0], cost)):
            best = (assign, load)
    if best is None:
        assign, load = [INFEASIBLE] * n, [0.0] * m
        if _repair(assign, load, cost, hours, cap):
            best = (assign, load)
    return best


def _chain(assign: list[int], load: list[float], cost: Sequence[Sequence[float]], hours: Sequence[Sequence[float]], cap: Sequence[float]) -> bool:
    """One 2-step ejection chain that lowers the cost: job j onto technician i, whose job k moves
    on to technician b to make room. Returns whether one was made."""
    m, n = len(cap), len(assign)
    on: list[list[int]] = [[] for _ in range(m)]
    for j, i in enumerate(assign):
        on[i].append(j)
    for j in range(n):
        a = assign[j]
        for i in range(m):
            if i == a:
                continue
            need = load[i] + hours[i][j] - cap[i]
            if need <= 0:
                continue
            for k in on[i]:
                if hours[i][k] < need:
                    continue
                for b in range(m):
                    if b == i:
                        continue
                    room_b = cap[b] - load[b] + (hours[a][j] if b == a else 0.0)
                    if hours[b][k] > room_b:
                        continue
                    delta = cost[i][j] - cost[a][j] + cost[b][k] - cost[i][k]
                    if delta < -1e-9:
                        load[a] -= hours[a][j]
                        load[i] += hours[i][j] - hours[i][k]
                        load[b] += hours[b][k]
                        assign[j], assign[k] = i, b
                        return True
    return False


def total_cost(assign: Sequence[int], cost: Sequence[Sequence[float]]) -> float:
    return sum(cost[i][j] for j, i in enumerate(assign))


def solve(cost: Sequence[Sequence[float]], hours: Sequence[Sequence[float]], cap: Sequence[float],
          budget_s: float = 0.04, seed: int = 0) -> list[int]:
    """The agent of each job (``INFEASIBLE`` everywhere if the greedy finds no room for some job)."""
    m, n = len(cap), len(cost[0]) if cost else 0
    deadline = time.perf_counter() + budget_s
    start = _start(cost, hours, cap)
    if start is None:
        return [INFEASIBLE] * n
    assign, load = start
    _improve(assign, load, cost, hours, cap, deadline)
    best, best_cost = list(assign), total_cost(assign, cost)
    current, current_cost = list(best), best_cost
    rng = random.Random(seed)
    while time.perf_counter() < deadline:
        trial, trial_load = list(current), [0.0] * m
        # Eject a quarter of the jobs: measured on OR-Library GAP, smaller kicks stall in local optima.
        out = rng.sample(range(n), k=min(n, max(3, n // 4)))
        for j in out:
            trial[j] = INFEASIBLE
        for j in range(n):
            if trial[j] != INFEASIBLE:
                trial_load[trial[j]] += hours[trial[j]][j]
        if not _regret_fill(trial, trial_load, out, cost, hours, cap, rng):
            continue
        _improve(trial, trial_load, cost, hours, cap, deadline)
        c = total_cost(trial, cost)
        # Walk on from a slightly worse assignment now and then, to leave a local optimum.
        if c <= current_cost * 1.005:
            current, current_cost = trial, c
        if c < best_cost:
            best, best_cost = list(trial), c
        elif current_cost > best_cost * 1.02:
            current, current_cost = list(best), best_cost
    return best
