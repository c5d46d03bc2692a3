"""The CP-SAT reference for a generated shop day, and the file that keeps it (bench-only: OR-Tools).

The same rules and the same cost as the planner's search: a technician holding the skill at or
above the job's level, inside his shift; a bay of its kinds (an express card may go up on a
lift); parts first; started jobs where they are; a car in one place at a time, holding the bay it
stands in from its first card there to its last (its cards of one kind in one bay; a started car's
cards in its bay when they may go there); each job may be left for tomorrow, counting as
TOMORROW_MINUTES late in its class's weight; each technician beyond the first on a car costs
CAR_TECH_MINUTES; the cost is weighted minutes late plus those. One freedom the planner does not
take: a car that left a bay for another kind's card does not come back to the same bay.
Warm-started from the best plan we have, run in rounds of ``seconds`` while a round still
improves (up to ``most`` seconds), so the reference is the best known plan, with CP-SAT's bound.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from board.dispatch import rules
from board.dispatch.model import BayIn, JobIn, Plan, TechIn

SCALE = 4  # weights 0.25 … 8 as integers
# The rules the reference models: a reference kept for other rules is never used.
MODEL = "cars hold their bays, handovers cost (2026-12-07)"


def day_key(size: tuple[int, int], pace: str, seed: int) -> str:
    return f"{size[0]}x{size[1]}/{pace}/{seed}"


def fingerprint(jobs: list[JobIn], techs: list[TechIn], bays: list[BayIn]) -> str:
    """Changes when the generator does: a cached reference for another day is never used."""
    return hashlib.sha1(repr((MODEL, jobs, techs, bays)).encode()).hexdigest()[:16]


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text()) if path.exists() else {}


def save(path: Path, table: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")


def handovers(plan: Plan, jobs: list[JobIn]) -> int:
    """Technicians beyond the first on each car (a car nobody works on today has none)."""
    car = {j.id: j.car for j in jobs}
    techs: dict[int, set[int]] = {}
    for s in plan.slots:
        if car.get(s.job_id) is not None:
            techs.setdefault(car[s.job_id], set()).add(s.tech_id)  # type: ignore[arg-type]
    return sum(len(t) - 1 for t in techs.values())


def bay_moves(plan: Plan, jobs: list[JobIn], bays: list[BayIn]) -> int:
    """Times a car changed bays for a card that could have gone in the bay it stood in."""
    by_id = {j.id: j for j in jobs}
    kind = {b.id: b.kind for b in bays}
    rows: dict[int, list[tuple[datetime, int | None, JobIn]]] = {}
    for j in jobs:  # where a started car stands
        if j.car is not None and j.started_bay is not None:
            rows.setdefault(j.car, []).append((datetime.min, j.started_bay, j))
    for s in plan.slots:
        j = by_id[s.job_id]
        if j.car is not None and j.started_tech is None:
            rows.setdefault(j.car, []).append((s.start, s.bay_id, j))
    moves = 0
    for row in rows.values():
        row.sort(key=lambda r: r[0])
        for (_, was, _), (_, bay, job) in zip(row, row[1:], strict=False):
            if was is not None and bay != was and kind[was] in rules.bay_kinds(job.bay_kind):
                moves += 1
    return moves


def cost(plan: Plan, jobs: list[JobIn]) -> float:
    """Weighted minutes late, a job left for tomorrow counting as TOMORROW_MINUTES late, and
    CAR_TECH_MINUTES for each technician beyond the first on a car."""
    weight = {j.id: rules.WEIGHTS[j.priority] for j in jobs}
    return (plan.weighted_lateness + sum(rules.TOMORROW_MINUTES * weight[j] for j, _ in plan.unassignable)
            + rules.CAR_TECH_MINUTES * handovers(plan, jobs))


def reference(jobs: list[JobIn], techs: list[TechIn], bays: list[BayIn], now: datetime, hint: Plan, seconds: float,
              most: float, mandatory: bool = True) -> dict[str, Any] | None:
    """The best plan CP-SAT finds from ``hint``: its cost, CP-SAT's lower bound, seconds spent.
    ``mandatory``: every job is done today (the bench's days hold only work that fits)."""
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        return None
    spent, best, bound, rounds = 0.0, cost(hint, jobs), None, 0
    current = {s.job_id: (s.tech_id, s.bay_id, _minute(s.start, now)) for s in hint.slots}
    while spent < most:
        model, decode, constant = _model(cp_model, jobs, techs, bays, now, current, mandatory)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = min(seconds, most - spent)
        solver.parameters.num_workers = 2
        started = time.perf_counter()
        status = solver.Solve(model)
        spent += time.perf_counter() - started
        rounds += 1
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        found = solver.ObjectiveValue() / SCALE + constant
        bound = solver.BestObjectiveBound() / SCALE + constant
        improved = found < best - 1e-6
        if improved:
            best, current = found, decode(solver)
        if status == cp_model.OPTIMAL or not improved:
            break
    return {"cost": round(best, 2), "bound": round(bound, 2) if bound is not None else None, "seconds": round(spent, 1),
            "rounds": rounds, "hint": round(cost(hint, jobs), 2)}


def _minute(at: datetime, now: datetime) -> int:
    return int((at - now).total_seconds() // 60)


def _model(cp_model: Any, jobs: list[JobIn], techs: list[TechIn], bays: list[BayIn], now: datetime,
           hint: dict[int, tuple[int, int | None, int]], mandatory: bool) -> tuple[Any, Any, float]:
    m = cp_model.CpModel()
    horizon = max(_minute(t.shift_end, now) for t in techs) + 1
    by_tech: dict[int, list[Any]] = {t.id: [] for t in techs}
    by_bay: dict[int, list[Any]] = {b.id: [] for b in bays}
    by_car: dict[int, list[Any]] = {}  # the car's work, one card at a time
    in_bay: dict[tuple[int, int], list[tuple[Any, Any, Any]]] = {}  # (car, bay) -> (bay literal, start, end) of its cards there
    car_techs: dict[int, dict[int, list[Any]]] = {}  # car -> technician -> his literals on its cards (True: started)
    kind_bay: dict[tuple[int, tuple[str, ...]], Any] = {}  # (car, kinds) -> the bay literals its first such card took
    objective, constant = [], 0.0
    tech_start = {t.id: max(_minute(t.shift_start, now), 0) for t in techs}
    standing: dict[int, tuple[int, int]] = {}  # car -> (its bay, until when its started work holds it)
    for j in (j for j in jobs if j.started_tech is not None):  # where they are, one after another, as the planner places them
        weight = int(rules.WEIGHTS[j.priority] * SCALE)
        dur = int(round((j.remaining if j.remaining is not None else j.hours) * 60))
        start = tech_start[j.started_tech]  # type: ignore[index]
        tech_start[j.started_tech] = start + dur  # type: ignore[index]
        by_tech[j.started_tech].append(m.NewIntervalVar(start, dur, start + dur, f"started{j.id}"))  # type: ignore[index]
        if j.car is not None:  # a started (or stopped) job holds its car from now until its planned end
            by_car.setdefault(j.car, []).append(m.NewIntervalVar(0, start + dur, start + dur, f"held{j.id}"))
            car_techs.setdefault(j.car, {}).setdefault(j.started_tech, []).append(True)  # type: ignore[arg-type]
            if j.started_bay is not None:
                standing[j.car] = (j.started_bay, max(start + dur, standing.get(j.car, (0, 0))[1]))
        elif j.started_bay is not None:
            by_bay[j.started_bay].append(m.NewIntervalVar(0, start + dur, start + dur, f"bay{j.id}"))
        if j.promised:
            constant += max(start + dur - _minute(j.promised, now), 0) * weight / SCALE
    kind_of = {b.id: b.kind for b in bays}
    for car, (bay, until) in standing.items():
        in_bay.setdefault((car, bay), []).append((True, 0, until))
    variables: dict[int, tuple[Any, dict[int, Any], dict[int, Any]]] = {}
    for j in (j for j in jobs if j.started_tech is None):
        weight = int(rules.WEIGHTS[j.priority] * SCALE)
        dur = int(round(j.hours * 60))
        qualified = [t for t in techs if t.present and t.skills.get(j.skill, 0) >= j.level]
        kinds = rules.bay_kinds(j.bay_kind)
        if j.car in standing and kind_of[standing[j.car][0]] in kinds:  # its car stands in a bay it may go in: there
            fitting = [b for b in bays if b.id == standing[j.car][0]]
        else:
            fitting = [b for b in bays if b.kind in kinds]
        if not qualified or not fitting:
            constant += rules.TOMORROW_MINUTES * weight / SCALE  # nobody may do it: left for tomorrow in every plan
            continue
        present = m.NewBoolVar(f"p{j.id}")
        if mandatory:
            m.Add(present == 1)
        start = m.NewIntVar(0, horizon, f"s{j.id}")
        end = m.NewIntVar(0, horizon, f"e{j.id}")
        whole = m.NewOptionalIntervalVar(start, dur, end, present, f"w{j.id}")
        if j.earliest:
            m.Add(start >= max(_minute(j.earliest, now), 0))
        tech_lits = {}
        for t in qualified:
            lit = m.NewBoolVar("")
            m.Add(start >= max(_minute(t.shift_start, now), 0)).OnlyEnforceIf(lit)
            m.Add(end <= _minute(t.shift_end, now)).OnlyEnforceIf(lit)
            by_tech[t.id].append(m.NewOptionalIntervalVar(start, dur, end, lit, ""))
            tech_lits[t.id] = lit
            if j.car is not None:
                car_techs.setdefault(j.car, {}).setdefault(t.id, []).append(lit)
        m.Add(sum(tech_lits.values()) == present)
        bay_lits = {}
        same = kind_bay.get((j.car, kinds)) if j.car is not None else None
        for b in fitting:
            lit = m.NewBoolVar("")
            if j.car is None:
                by_bay[b.id].append(m.NewOptionalIntervalVar(start, dur, end, lit, ""))
            else:
                in_bay.setdefault((j.car, b.id), []).append((lit, start, end))
                if same is not None:
                    m.Add(lit == same[b.id]).OnlyEnforceIf([present, same["present"]])  # a car's cards of one kind: one bay
            bay_lits[b.id] = lit
        m.Add(sum(bay_lits.values()) == present)
        if j.car is not None:
            assert not j.shares_car, "the reference does not model two technicians on one car"
            by_car.setdefault(j.car, []).append(whole)
            kind_bay.setdefault((j.car, kinds), {**bay_lits, "present": present})
        if j.promised:
            late = m.NewIntVar(0, horizon, f"l{j.id}")
            m.Add(late >= end - _minute(j.promised, now)).OnlyEnforceIf(present)
            objective.append(weight * late)
        objective.append(int(rules.TOMORROW_MINUTES) * weight * (1 - present))
        was = hint.get(j.id)
        m.AddHint(present, was is not None)
        if was is not None:
            tech_id, bay_id, at = was
            m.AddHint(start, at)
            for t_id, lit in tech_lits.items():
                m.AddHint(lit, t_id == tech_id)
            for b_id, lit in bay_lits.items():
                m.AddHint(lit, b_id == bay_id)
        variables[j.id] = (start, tech_lits, bay_lits)
    # A car holds a bay from its first card there to its last: one stay per car and bay, the
    # stays of one car apart in time, the stays and loose jobs in one bay apart.
    stays: dict[int, list[Any]] = {}
    for (car, bay), cards in in_bay.items():
        if any(lit is True for lit, _, _ in cards):
            there: Any = True
            first = m.NewIntVar(0, 0, "")
        else:
            there = m.NewBoolVar(f"in{car}.{bay}")
            m.AddBoolOr([lit for lit, _, _ in cards]).OnlyEnforceIf(there)
            for lit, _, _ in cards:
                m.AddImplication(lit, there)
            first = m.NewIntVar(0, horizon, "")
        last = m.NewIntVar(0, horizon, "")
        size = m.NewIntVar(0, horizon, "")
        for lit, start, end in cards:
            if lit is True:
                m.Add(last >= end)
            else:
                m.Add(first <= start).OnlyEnforceIf(lit)
                m.Add(last >= end).OnlyEnforceIf(lit)
        stay = (m.NewIntervalVar(first, size, last, "") if there is True else m.NewOptionalIntervalVar(first, size, last, there, ""))
        by_bay[bay].append(stay)
        stays.setdefault(car, []).append(stay)
    # Each technician beyond the first on a car: CAR_TECH_MINUTES.
    for car, by in car_techs.items():
        on = []
        for lits in by.values():
            if any(lit is True for lit in lits):
                on.append(1)
                continue
            worked = m.NewBoolVar("")
            for lit in lits:
                m.AddImplication(lit, worked)
            on.append(worked)
        extra = m.NewIntVar(0, len(on), f"extra{car}")
        m.Add(extra >= sum(on) - 1)
        objective.append(int(rules.CAR_TECH_MINUTES * SCALE) * extra)
    for intervals in [*by_tech.values(), *by_bay.values(), *by_car.values(), *stays.values()]:
        if len(intervals) > 1:
            m.AddNoOverlap(intervals)
    m.Minimize(sum(objective))

    def decode(solver: Any) -> dict[int, tuple[int, int | None, int]]:
        out = {}
        for job_id, (start, tech_lits, bay_lits) in variables.items():
            tech = next((t for t, lit in tech_lits.items() if solver.BooleanValue(lit)), None)
            if tech is not None:
                bay = next((b for b, lit in bay_lits.items() if solver.BooleanValue(lit)), None)
                out[job_id] = (tech, bay, solver.Value(start))
        return out

    return m, decode, constant
