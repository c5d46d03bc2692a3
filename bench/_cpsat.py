"""The CP-SAT reference for a generated shop day, and the file that keeps it (bench-only: OR-Tools).

The same rules and the same cost as the planner's search: a technician holding the skill at or
above the job's level, inside his shift; a bay of its kind; parts first; started jobs where
they are; a car in one place at a time; each job may be left for tomorrow, counting as
TOMORROW_MINUTES late in its class's weight; the cost is weighted minutes late plus those.
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


def day_key(size: tuple[int, int], pace: str, seed: int) -> str:
    return f"{size[0]}x{size[1]}/{pace}/{seed}"


def fingerprint(jobs: list[JobIn], techs: list[TechIn], bays: list[BayIn]) -> str:
    """Changes when the generator does: a cached reference for another day is never used."""
    return hashlib.sha1(repr((jobs, techs, bays)).encode()).hexdigest()[:16]


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text()) if path.exists() else {}


def save(path: Path, table: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")


def cost(plan: Plan, jobs: list[JobIn]) -> float:
    """Weighted minutes late, a job left for tomorrow counting as TOMORROW_MINUTES late."""
    weight = {j.id: rules.WEIGHTS[j.priority] for j in jobs}
    return plan.weighted_lateness + sum(rules.TOMORROW_MINUTES * weight[j] for j, _ in plan.unassignable)


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
    by_car: dict[int, list[Any]] = {}
    objective, constant = [], 0.0
    tech_start: dict[int, int] = {}
    for t in techs:  # started jobs first, one after another from the shift start or now, as the planner places them
        tech_start[t.id] = max(_minute(t.shift_start, now), 0)
    variables: dict[int, tuple[Any, dict[int, Any], dict[int, Any]]] = {}
    for j in jobs:
        weight = int(rules.WEIGHTS[j.priority] * SCALE)
        if j.started_tech is not None:
            dur = int(round((j.remaining if j.remaining is not None else j.hours) * 60))
            start = tech_start[j.started_tech]
            tech_start[j.started_tech] = start + dur
            by_tech[j.started_tech].append(m.NewIntervalVar(start, dur, start + dur, f"started{j.id}"))
            if j.car is not None:  # a started (or stopped) job holds its car from now until its planned end
                by_car.setdefault(j.car, []).append(m.NewIntervalVar(0, start + dur, start + dur, f"held{j.id}"))
            if j.promised:
                constant += max(start + dur - _minute(j.promised, now), 0) * weight / SCALE
            continue
        dur = int(round(j.hours * 60))
        qualified = [t for t in techs if t.present and t.skills.get(j.skill, 0) >= j.level]
        kinds = [b for b in bays if b.kind == j.bay_kind]
        if not qualified or not kinds:
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
        m.Add(sum(tech_lits.values()) == present)
        bay_lits = {}
        for b in kinds:
            lit = m.NewBoolVar("")
            by_bay[b.id].append(m.NewOptionalIntervalVar(start, dur, end, lit, ""))
            bay_lits[b.id] = lit
        m.Add(sum(bay_lits.values()) == present)
        if j.car is not None:
            assert not j.shares_car, "the reference does not model two technicians on one car"
            by_car.setdefault(j.car, []).append(whole)
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
    for intervals in [*by_tech.values(), *by_bay.values(), *by_car.values()]:
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
