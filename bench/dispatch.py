"""Dispatch quality and speed against proven optima and a CP-SAT reference.

    python bench/dispatch.py --gap ../shared/data/gap --wt40 ../shared/data/smwt/wt40.txt --day [--json]

--gap DIR    every OR-Library GAP file listed in DIR/optima.csv, solved by board.dispatch.assignment
             (the code that gives tomorrow's bookings their technicians): cost, optimum, gap %, ms
--wt40 FILE  single-technician weighted tardiness, solved by board.dispatch.sequencing: gap %, optimal, ms
--day        generated shop days (80 jobs / 20 technicians, 200 / 40) planned by board.dispatch.planner:
             score (weighted minutes late) and ms; OR-Tools CP-SAT given --cpsat-seconds warm-started
             from our plan, and the ratio; re-plan ms after an overrun and after an absence, and how
             many unstarted jobs moved.
--json       one JSON line per instance: GAP {"file", "assignment", "cost", "ms"}, wt40 {"instance",
             "sequence", "cost", "ms"}, day {"day", "jobs", "technicians", "score", "ms", "cpsat_score", "ratio",
             "replan_overrun_ms", "replan_absence_ms", "moved_overrun", "moved_absence"}.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _gap import optima  # noqa: E402
from _gap import read as read_gap
from _wt40 import read as read_wt40  # noqa: E402

from board.dispatch import assignment, planner, rules, sequencing  # noqa: E402
from board.dispatch.model import BayIn, JobIn, TechIn  # noqa: E402

JSON = False


def out(text: str) -> None:
    print(text, file=sys.stderr if JSON else sys.stdout, flush=True)


def emit(obj: dict) -> None:
    if JSON:
        print(json.dumps(obj, ensure_ascii=False), flush=True)


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[max(int(len(values) * 0.95) - 1, 0)]


def bench_gap(folder: Path) -> None:
    best = optima(folder)
    sets: dict[str, list[tuple[float, float]]] = {}
    out(f"{'file':28} {'cost':>8} {'optimum':>8} {'gap %':>7} {'ms':>7}")
    for name, optimum in sorted(best.items()):
        cost, hours, cap = read_gap(folder / name)
        budget = 0.045 if len(cost[0]) <= 60 else 0.4
        start = time.perf_counter()
        assign = assignment.solve(cost, hours, cap, budget_s=budget)
        ms = (time.perf_counter() - start) * 1000
        feasible = assign[0] != assignment.INFEASIBLE
        total = assignment.total_cost(assign, cost) if feasible else float("inf")
        gap = (total - optimum) / optimum * 100
        family = name.split("/")[0] + ("/" + Path(name).name[0] if name.startswith("chu") else "")
        sets.setdefault(family, []).append((gap, ms))
        out(f"{name:28} {total:>8.0f} {optimum:>8} {gap:>7.2f} {ms:>7.1f}")
        emit({"file": name, "assignment": assign, "cost": total, "ms": round(ms, 2)})
    out(f"\n{'set':16} {'files':>5} {'mean gap %':>10} {'max gap %':>9} {'p95 ms':>7}")
    for family, rows in sets.items():
        out(f"{family:16} {len(rows):>5} {statistics.mean(g for g, _ in rows):>10.2f} {max(g for g, _ in rows):>9.2f} {p95([m for _, m in rows]):>7.1f}")


def bench_wt40(path: Path) -> None:
    rows = []
    for n, (optimum, p, w, d) in enumerate(read_wt40(str(path)), start=1):
        start = time.perf_counter()
        order, cost = sequencing.sequence(p, w, d, budget_s=0.04)
        ms = (time.perf_counter() - start) * 1000
        rows.append((n, optimum, cost, ms))
        emit({"instance": n, "sequence": order, "cost": cost, "ms": round(ms, 2)})
    gaps = [(c - o) / o * 100 if o else (0.0 if c == 0 else float("inf")) for _, o, c, _ in rows]
    below = [n for n, o, c, _ in rows if c < o]
    out(f"wt40: {len(rows)} instances, mean gap {statistics.mean(gaps):.3f} %, at the stated optimum {sum(c == o for _, o, c, _ in rows)}, "
        f"max {max(m for *_, m in rows):.1f} ms, p95 {p95([m for *_, m in rows]):.1f} ms")
    if below:
        out(f"  below the stated optimum (that optimum cannot be right): instances {below}")
        stated = {n: o for n, o, _, _ in rows}
        found = {n: c for n, _, c, _ in rows}
        pairs = [(a, b) for a in below for b in stated if b != a and found[a] == stated[b] and found[b] == stated[a]]
        if pairs:
            fixed = dict(stated)
            for a, b in pairs:
                fixed[a], fixed[b] = stated[b], stated[a]
            corrected = [(found[n] - fixed[n]) / fixed[n] * 100 if fixed[n] else 0.0 for n in found]
            out(f"  stated optima look swapped between instances {pairs} (each result equals the other's optimum);")
            out(f"  with them swapped back: mean gap {statistics.mean(corrected):.3f} %, optimal {sum(found[n] == fixed[n] for n in found)}")


# -- generated shop days ----------------------------------------------------------------------

NOW = datetime(2026, 11, 24, 10, 0)
SKILLS = ["maintenance", "mechanical", "electrical", "alignment", "body", "paint"]
BAY_FOR = {"maintenance": "general_lift", "mechanical": "general_lift", "electrical": "general_lift", "alignment": "alignment",
           "body": "body", "paint": "paint_booth"}


# A tight day: 8 general lifts per 20 technicians (the bottleneck) and promises from 30 min to 8 h
# away; a calm one: 12 lifts and promises 1.5 to 9 h away. The same random draws either way.
PACES = {"tight": (8, 30, 480), "calm": (12, 90, 540)}


def shop_day(jobs_n: int, techs_n: int, seed: int, pace: str = "tight") -> tuple[list[JobIn], list[TechIn], list[BayIn]]:
    lifts, soonest, latest = PACES[pace]
    rng = random.Random(seed)
    techs = []
    for i in range(techs_n):
        body = i % 4 == 3
        pool = ["body", "paint"] if body else ["maintenance", "mechanical", "electrical", "alignment"]
        skills = {s: rng.randint(1, 3) for s in rng.sample(pool, k=rng.randint(1, len(pool)))}
        skills.setdefault("maintenance" if not body else "body", rng.randint(1, 3))
        start = NOW.replace(hour=rng.choice([8, 8, 9]))
        techs.append(TechIn(i + 1, f"T{i + 1}", skills, start, start + timedelta(hours=9.5)))
    scale = max(techs_n // 20, 1)
    bays, n = [], 1
    for kind, count in (("general_lift", lifts), ("quick_service", 3), ("alignment", 1), ("body", 2), ("paint_booth", 2)):
        for _ in range(count * scale):
            bays.append(BayIn(n, f"{kind}-{n}", kind))
            n += 1
    jobs = []
    for j in range(jobs_n):
        skill = rng.choices(SKILLS, weights=[6, 3, 3, 1, 2, 2])[0]
        hours = rng.choice([0.5, 1.0, 1.0, 1.5, 2.0, 3.0]) if skill not in ("body", "paint") else rng.choice([2.0, 3.0, 4.0])
        bay = "quick_service" if skill == "maintenance" and hours <= 0.5 else BAY_FOR[skill]
        holders = [t for t in techs if t.skills.get(skill, 0) >= 1]
        started = rng.random() < 0.15 and holders
        tech = rng.choice(holders) if started else None
        jobs.append(JobIn(j + 1, f"J{j + 1}", rng.choices(rules.CLASSES, weights=[1, 3, 6, 4, 1])[0], skill, rng.choices([1, 2, 3], weights=[5, 3, 1])[0],
                          hours, bay, NOW + timedelta(minutes=rng.randint(soonest, latest)),
                          earliest=NOW + timedelta(minutes=rng.randint(30, 120)) if rng.random() < 0.05 else None,
                          started_tech=tech.id if tech else None, remaining=hours / 2 if tech else None))
    # A started job keeps its level within what its technician holds.
    jobs = [replace(j, level=min(j.level, next(t for t in techs if t.id == j.started_tech).skills[j.skill])) if j.started_tech else j for j in jobs]
    return with_cars(jobs, seed), techs, bays


def fitting_day(jobs_n: int, techs_n: int, seed: int, pace: str = "tight") -> tuple[list[JobIn], list[TechIn], list[BayIn]]:
    """A generated day's work that fits today: the jobs the first plan places, again until it
    places them all. What it leaves for tomorrow is left out for every planner alike, so the
    plans compare on weighted lateness alone."""
    jobs, techs, bays = shop_day(jobs_n, techs_n, seed, pace)
    while True:
        first = planner.plan(jobs, techs, bays, NOW)
        if not first.unassignable:
            return jobs, techs, bays
        placed = {s.job_id for s in first.slots}
        jobs = [j for j in jobs if j.id in placed]


def with_cars(jobs: list[JobIn], seed: int) -> list[JobIn]:
    """Jobs gathered into repair orders, one car each: 1 job (60 %), 2 (30 %) or 3 (10 %). A car has
    at most one started job (the shop never has it in two places); no job shares its car (the
    CP-SAT reference does not model it; the property tests do). Drawn apart, so the days are
    otherwise the same as before the car rule."""
    rng = random.Random(seed * 7919 + 1)
    out: list[JobIn] = []
    car, left, started = 0, 0, False
    for j in jobs:
        if left == 0 or (started and j.started_tech is not None):
            car, left, started = car + 1, rng.choices([1, 2, 3], weights=[6, 3, 1])[0], False
        out.append(replace(j, car=car))
        left -= 1
        started = started or j.started_tech is not None
    return out


def cpsat(jobs: list[JobIn], techs: list[TechIn], bays: list[BayIn], ours: planner.model.Plan, seconds: float) -> float | None:
    """The same objective under the same constraints, solved by CP-SAT warm-started from our plan,
    over the jobs our plan placed (a job ours leaves for tomorrow is left out of both)."""
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        return None
    m = cp_model.CpModel()
    minute = lambda at: int((at - NOW).total_seconds() // 60)  # noqa: E731
    horizon = max(minute(t.shift_end) for t in techs) + 1
    by_tech = {t.id: [] for t in techs}
    by_bay = {b.id: [] for b in bays}
    objective = []
    placed = {s.job_id: s for s in ours.slots}
    whole: dict[int, tuple[object, object, object]] = {}  # job -> (start, end, interval): the car rule
    for j in jobs:
        if j.id not in placed:
            continue  # ours could not place it: neither may CP-SAT count it
        dur = int(round((j.remaining if j.remaining is not None else j.hours) * 60))
        start = m.NewIntVar(0, horizon, f"s{j.id}")
        end = m.NewIntVar(0, horizon, f"e{j.id}")
        whole[j.id] = (start, end, m.NewIntervalVar(start, dur, end, f"w{j.id}"))
        if j.started_tech is not None:  # in progress: it goes on now, where it is, as in ours
            m.Add(start == minute(placed[j.id].start))
            tech_ids = [j.started_tech]
        else:
            tech_ids = [t.id for t in techs if t.present and t.skills.get(j.skill, 0) >= j.level]
            if j.earliest:
                m.Add(start >= minute(j.earliest))
        lits = []
        for t_id in tech_ids:
            t = next(x for x in techs if x.id == t_id)
            lit = m.NewBoolVar(f"x{j.id}_{t_id}")
            m.Add(start >= max(minute(t.shift_start), 0)).OnlyEnforceIf(lit)
            if j.started_tech is None:
                m.Add(end <= minute(t.shift_end)).OnlyEnforceIf(lit)
            by_tech[t_id].append(m.NewOptionalIntervalVar(start, dur, end, lit, f"i{j.id}_{t_id}"))
            lits.append(lit)
            m.AddHint(lit, placed[j.id].tech_id == t_id)
        m.AddExactlyOne(lits)
        kinds = [b for b in bays if b.kind == j.bay_kind] if j.started_tech is None else []
        if kinds:
            blits = []
            for b in kinds:
                lit = m.NewBoolVar(f"y{j.id}_{b.id}")
                by_bay[b.id].append(m.NewOptionalIntervalVar(start, dur, end, lit, f"b{j.id}_{b.id}"))
                blits.append(lit)
                m.AddHint(lit, placed[j.id].bay_id == b.id)
            m.AddExactlyOne(blits)
        m.AddHint(start, minute(placed[j.id].start))
        if j.promised:
            late = m.NewIntVar(0, horizon, f"l{j.id}")
            m.Add(late >= end - minute(j.promised))
            objective.append(int(rules.WEIGHTS[j.priority] * 4) * late)
    # A car is in one place at a time (the generated days have no jobs that may share a car).
    by_car: dict[int, list[object]] = {}
    for j in jobs:
        if j.car is not None and j.id in whole:
            assert not j.shares_car, "the reference does not model two technicians on one car"
            by_car.setdefault(j.car, []).append(whole[j.id][2])
    for intervals in by_car.values():
        if len(intervals) > 1:
            m.AddNoOverlap(intervals)
    for intervals in list(by_tech.values()) + list(by_bay.values()):
        if len(intervals) > 1:
            m.AddNoOverlap(intervals)
    m.Minimize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    status = solver.Solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return solver.ObjectiveValue() / 4


def moved(before: planner.model.Plan, after: planner.model.Plan, jobs: list[JobIn]) -> tuple[int, int]:
    unstarted = [j.id for j in jobs if j.started_tech is None]
    was = {s.job_id: s.tech_id for s in before.slots}
    now = {s.job_id: s.tech_id for s in after.slots}
    return sum(1 for j in unstarted if j in was and was[j] != now.get(j)), len(unstarted)


def by_class(p: planner.model.Plan, jobs: list[JobIn]) -> dict[str, float]:
    """Mean minutes late per class, over the unstarted jobs planned: booked must beat walk-ins."""
    priority = {j.id: j.priority for j in jobs if j.started_tech is None}
    out: dict[str, float] = {}
    for c in rules.CLASSES:
        late = [s.late_minutes for s in p.slots if priority.get(s.job_id) == c]
        out[c] = round(statistics.mean(late), 1) if late else 0.0
    return out


def bench_day(seconds: float) -> None:
    out(f"{'day':10} {'score':>9} {'placed':>7} {'ms':>7} {'CP-SAT':>9} {'ratio':>6} {'overrun ms':>10} {'moved':>9} {'absence ms':>10} {'moved':>9}")
    out(f"  CP-SAT: {seconds:g} s, warm-started from ours, same constraints, over the jobs ours placed")
    for jobs_n, techs_n in ((80, 20), (200, 40)):
        jobs, techs, bays = shop_day(jobs_n, techs_n, seed=jobs_n)
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            first = planner.plan(jobs, techs, bays, NOW)
            runs.append((time.perf_counter() - start) * 1000)
        ms = statistics.median(runs)
        reference = cpsat(jobs, techs, bays, first, seconds)
        # An overrun: the first started job needs an hour more than planned.
        overrun_job = next(j for j in jobs if j.started_tech is not None)
        overrun = [replace(j, remaining=(j.remaining or 0) + 1.0) if j.id == overrun_job.id else j for j in jobs]
        start = time.perf_counter()
        after_overrun, _ = planner.replan(first, overrun, techs, bays, NOW)
        overrun_ms = (time.perf_counter() - start) * 1000
        # An absence: the technician with the most unstarted jobs goes home.
        busiest = max(techs, key=lambda t: sum(1 for s in first.slots if s.tech_id == t.id and not s.fixed))
        absent = [replace(t, present=False) if t.id == busiest.id else t for t in techs]
        forced = sum(1 for s in first.slots if s.tech_id == busiest.id and not s.fixed)
        start = time.perf_counter()
        after_absence, _ = planner.replan(first, jobs, absent, bays, NOW)
        absence_ms = (time.perf_counter() - start) * 1000
        m_over, total = moved(first, after_overrun, jobs)
        m_abs, _ = moved(first, after_absence, jobs)
        ratio = (first.weighted_lateness / reference) if reference else None
        label = f"{jobs_n}x{techs_n}"
        nan = float("nan")
        out(f"{label:10} {first.weighted_lateness:>9.0f} {len(first.slots):>7} {ms:>7.1f} {reference if reference is not None else nan:>9.0f} "
            f"{ratio if ratio is not None else nan:>6.2f} {overrun_ms:>10.1f} {f'{m_over}/{total}':>9} {absence_ms:>10.1f} {f'{m_abs}/{total}':>9}")
        classes = by_class(first, jobs)
        out(f"  {forced} of the absence's moves were the absent technician's own; mean minutes late by class: "
            + ", ".join(f"{c} {v:g}" for c, v in classes.items()))
        emit({"day": label, "jobs": jobs_n, "technicians": techs_n, "score": first.weighted_lateness, "placed": len(first.slots), "ms": round(ms, 2),
              "cpsat_score": reference, "ratio": ratio, "replan_overrun_ms": round(overrun_ms, 2), "replan_absence_ms": round(absence_ms, 2),
              "moved_overrun": m_over, "moved_absence": m_abs, "moved_absence_forced": forced, "mean_late_by_class": classes})


def main() -> None:
    global JSON
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--gap", type=Path)
    p.add_argument("--wt40", type=Path)
    p.add_argument("--day", action="store_true")
    p.add_argument("--cpsat-seconds", type=float, default=60.0)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    JSON = args.json
    if not (args.gap or args.wt40 or args.day):
        p.error("say what to run: --gap DIR, --wt40 FILE and/or --day")
    if args.gap:
        bench_gap(args.gap)
    if args.wt40:
        bench_wt40(args.wt40)
    if args.day:
        bench_day(args.cpsat_seconds)


if __name__ == "__main__":
    main()
