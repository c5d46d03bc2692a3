"""Dispatch quality and speed against proven optima and a CP-SAT reference.

    python bench/dispatch.py --gap ../shared/data/gap --wt40 ../shared/data/smwt/wt40.txt --chu --day [--hog] [--json]

--gap DIR    every OR-Library GAP file listed in DIR/optima.csv, solved by board.dispatch.assignment
             (the code that gives tomorrow's bookings their technicians): cost, optimum, gap %, ms
--chu        Chu & Beasley type C and D GAP instances generated from fixed seeds (bench/_chu.py), against
             CP-SAT's optima or best bounds kept in bench/data/chu_cd.csv (--chu-seconds each when computed)
--wt40 FILE  single-technician weighted tardiness, solved by board.dispatch.sequencing: gap %, optimal, ms
--day        generated shop days (bench/_days.py: the work of the day that fits today) planned by
             board.dispatch.planner: the first plan and the plan improved for the interactive budget
             (about 1 s), against a CP-SAT reference on the same rules and cost, warm-started from our
             background plan and run in rounds of --cpsat-seconds while still improving (up to --cpsat-most),
             kept in bench/data/day_references.json; a plan's score is its weighted minutes late plus
             CAR_TECH_MINUTES for each technician beyond the first on a car (its "handovers"), and
             "bay_moves" counts cars moved off a bay they could have stayed in (the rules say none);
             re-plan ms after an overrun and after an absence, and how many unstarted jobs moved; then how often promises from the plan plus the margin would have
             been kept when jobs run longer or shorter than planned (bench/_promises.py)
--recompute  compute the CP-SAT references again (alone on the machine, before anything else runs)
--calibrate  placements per second at 200 x 40: what the planner's named budgets should be
--hog        run everything with a CPU hog beside it (a busy loop in another process, killed afterwards):
             every quality figure is budgeted by work, so it must not change
--json       one JSON line per instance: GAP {"file", "assignment", "cost", "ms"}, wt40 {"instance",
             "sequence", "cost", "ms"}, day {"day", "jobs", "technicians", "score", "ms", "cpsat_score", "ratio",
             "replan_overrun_ms", "replan_absence_ms", "moved_overrun", "moved_absence", "handovers", "bay_moves", ...}; new kinds:
             {"gap_set"}, {"chu"}, {"wt40_summary"}, {"anytime"} per day and {"anytime_summary"}, {"calibration"},
             {"promises"} per day and {"promises_summary"} (how often promises would have been kept),
             each with "load": "quiet" or "hog".
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _chu  # noqa: E402
import _cpsat  # noqa: E402
import _promises  # noqa: E402
from _days import DAYS, NOW, fitting_day, shop_day  # noqa: E402, F401  (shop_day: tests read the days from here)
from _gap import optima  # noqa: E402
from _gap import read as read_gap
from _wt40 import read as read_wt40  # noqa: E402

from board.dispatch import assignment, planner, rules, search, sequencing, speed  # noqa: E402
from board.dispatch.model import JobIn  # noqa: E402

JSON = False


def out(text: str) -> None:
    print(text, file=sys.stderr if JSON else sys.stdout, flush=True)


def emit(obj: dict) -> None:
    if JSON:
        print(json.dumps(obj, ensure_ascii=False), flush=True)


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[max(int(len(values) * 0.95) - 1, 0)]


def gap_budget(jobs: int) -> str:
    """As the bench always ran: the small OR-Library files get the quick budget (about 45 ms)."""
    return "quick" if jobs <= 60 else "full"


def bench_gap(folder: Path, load: str) -> None:
    best = optima(folder)
    sets: dict[str, list[tuple[float, float]]] = {}
    out(f"{'file':28} {'cost':>8} {'optimum':>8} {'gap %':>7} {'ms':>7}")
    for name, optimum in sorted(best.items()):
        cost, hours, cap = read_gap(folder / name)
        assign, ms = timed(assignment.solve, cost, hours, cap, gap_budget(len(cost[0])))
        feasible = assign[0] != assignment.INFEASIBLE
        total = assignment.total_cost(assign, cost) if feasible else float("inf")
        gap = (total - optimum) / optimum * 100
        family = name.split("/")[0] + ("/" + Path(name).name[0] if name.startswith("chu") else "")
        sets.setdefault(family, []).append((gap, ms))
        out(f"{name:28} {total:>8.0f} {optimum:>8} {gap:>7.2f} {ms:>7.1f}")
        emit({"file": name, "assignment": assign, "cost": total, "ms": round(ms, 2)})
    gap_summary(sets, load)


def gap_summary(sets: dict[str, list[tuple[float, float]]], load: str) -> None:
    out(f"\n{'set':16} {'files':>5} {'mean gap %':>10} {'max gap %':>9} {'p95 ms':>7}  ({load})")
    for family, rows in sets.items():
        mean, worst, ms = statistics.mean(g for g, _ in rows), max(g for g, _ in rows), p95([m for _, m in rows])
        out(f"{family:16} {len(rows):>5} {mean:>10.2f} {worst:>9.2f} {ms:>7.1f}")
        emit({"gap_set": family, "files": len(rows), "mean_gap": round(mean, 3), "max_gap": round(worst, 3), "p95_ms": round(ms, 1), "load": load})


def chu_references(recompute: bool, seconds: float) -> dict[str, dict[str, str]]:
    """CP-SAT's optima (or best and bound) of the type C and D instances, from bench/data/chu_cd.csv;
    computed when missing or asked for."""
    table = _chu.load()
    for name in _chu.names():
        if recompute or name not in table:
            found = _chu.optimum(_chu.generate(name), seconds)
            if found is None:
                out("  (no OR-Tools: no optima for types C and D)")
                return
            table[name] = {"file": name, **found}
            _chu.save(table)
            out(f"  CP-SAT {name}: {found['best']} (bound {found['bound']}, {found['status']}, {found['seconds']} s)")
    return table


def bench_chu(table: dict[str, dict[str, str]], load: str) -> None:
    """Chu & Beasley types C and D, generated from fixed seeds; gap to CP-SAT's best (proven
    optimal where the status says so), and to its lower bound."""
    sets: dict[str, list[tuple[float, float]]] = {}
    out(f"{'file':16} {'cost':>8} {'best':>8} {'bound':>8} {'status':>9} {'gap %':>7} {'to bound':>8} {'ms':>7}")
    for name in _chu.names():
        cost, hours, cap = _chu.generate(name)
        assign, ms = timed(assignment.solve, cost, hours, cap, "full")
        total = assignment.total_cost(assign, cost) if assign[0] != assignment.INFEASIBLE else float("inf")
        row = table[name]
        best, bound = float(row["best"]), float(row["bound"])
        gap = (total - best) / best * 100
        sets.setdefault(f"chu/{name[0]}", []).append((gap, ms))
        out(f"{name:16} {total:>8.0f} {best:>8.0f} {bound:>8.0f} {row['status']:>9} {gap:>7.2f} {(total - bound) / bound * 100:>8.2f} {ms:>7.1f}")
        emit({"chu": name, "cost": total, "best": best, "bound": bound, "status": row["status"], "gap": round(gap, 3), "ms": round(ms, 2), "load": load})
    gap_summary(sets, load)


def bench_wt40(path: Path, load: str) -> None:
    rows = []
    for n, (optimum, p, w, d) in enumerate(read_wt40(str(path)), start=1):
        (order, cost), ms = timed(sequencing.sequence, p, w, d)
        rows.append((n, optimum, cost, ms))
        emit({"instance": n, "sequence": order, "cost": cost, "ms": round(ms, 2)})
    gaps = [(c - o) / o * 100 if o else (0.0 if c == 0 else float("inf")) for _, o, c, _ in rows]
    below = [n for n, o, c, _ in rows if c < o]
    out(f"wt40: {len(rows)} instances, mean gap {statistics.mean(gaps):.3f} %, at the stated optimum {sum(c == o for _, o, c, _ in rows)}, "
        f"max {max(m for *_, m in rows):.1f} ms, p95 {p95([m for *_, m in rows]):.1f} ms ({load})")
    emit({"wt40_summary": len(rows), "mean_gap": round(statistics.mean(gaps), 4), "optimal": sum(c == o for _, o, c, _ in rows),
          "p95_ms": round(p95([m for *_, m in rows]), 1), "load": load})
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


REFERENCES = Path(__file__).resolve().parent / "data" / "day_references.json"


def references(seconds: float, most: float, recompute: bool) -> dict[str, dict]:
    """The CP-SAT reference of every day in DAYS, from bench/data/day_references.json; computed
    (warm-started from our background plan) when missing, stale or asked for."""
    table = _cpsat.load(REFERENCES)
    for size, pace, seed in DAYS:
        key = _cpsat.day_key(size, pace, seed)
        jobs, techs, bays = fitting_day(*size, seed, pace)
        print_ = _cpsat.fingerprint(jobs, techs, bays)
        if not recompute and table.get(key, {}).get("fingerprint") == print_:
            continue
        hint = planner.plan(jobs, techs, bays, NOW, budget="background")
        found = _cpsat.reference(jobs, techs, bays, NOW, hint, seconds, most)
        if found is None:
            out("  (no OR-Tools: no CP-SAT reference)")
            return table
        table[key] = {**found, "fingerprint": print_}
        _cpsat.save(REFERENCES, table)
        out(f"  reference {key}: {found['cost']:.0f} (bound {found['bound']}, {found['seconds']:.0f} s, from our {found['hint']:.0f})")
    return table


def timed(run, *args, **kwargs):  # type: ignore[no-untyped-def]
    """What ``run(*args, **kwargs)`` gives, and the milliseconds it took."""
    start = time.perf_counter()
    result = run(*args, **kwargs)
    return result, (time.perf_counter() - start) * 1000


def bench_day(seconds: float, most: float, load: str) -> None:
    table = references(seconds, most, False)
    budget = "interactive"
    out(f"{'day':10} {'score':>9} {'placed':>7} {'ms':>7} {'CP-SAT':>9} {'ratio':>6} {'overrun ms':>10} {'moved':>9} {'absence ms':>10} {'moved':>9}")
    out("  the work of the generated day that fits today; CP-SAT: the cached reference (bench/data/day_references.json)")
    for jobs_n, techs_n in ((80, 20), (200, 40)):
        jobs, techs, bays = fitting_day(jobs_n, techs_n, jobs_n)
        ref = table.get(_cpsat.day_key((jobs_n, techs_n), "tight", jobs_n), {}).get("cost")
        ms = statistics.median(timed(planner.plan, jobs, techs, bays, NOW)[1] for _ in range(5))
        first = planner.plan(jobs, techs, bays, NOW)
        improved, improved_ms = timed(planner.plan, jobs, techs, bays, NOW, budget=budget)
        score, improved_score = _cpsat.cost(first, jobs), _cpsat.cost(improved, jobs)
        # An overrun: the first started job needs an hour more than planned.
        overrun_job = next(j for j in jobs if j.started_tech is not None)
        overrun = [replace(j, remaining=(j.remaining or 0) + 1.0) if j.id == overrun_job.id else j for j in jobs]
        (after_overrun, _), overrun_ms = timed(planner.replan, first, overrun, techs, bays, NOW)
        # An absence: the technician with the most unstarted jobs goes home.
        busiest = max(techs, key=lambda t: sum(1 for s in first.slots if s.tech_id == t.id and not s.fixed))
        absent = [replace(t, present=False) if t.id == busiest.id else t for t in techs]
        forced = sum(1 for s in first.slots if s.tech_id == busiest.id and not s.fixed)
        (after_absence, _), absence_ms = timed(planner.replan, first, jobs, absent, bays, NOW)
        m_over, total = moved(first, after_overrun, jobs)
        m_abs, _ = moved(first, after_absence, jobs)
        # The same re-plans, improved for the interactive budget, from the improved plan.
        (better_overrun, _), _ = timed(planner.replan, improved, overrun, techs, bays, NOW, budget=budget)
        (better_absence, _), _ = timed(planner.replan, improved, jobs, absent, bays, NOW, budget=budget)
        m_over_i, _ = moved(improved, better_overrun, jobs)
        m_abs_i, _ = moved(improved, better_absence, jobs)
        forced_i = sum(1 for s in improved.slots if s.tech_id == busiest.id and not s.fixed)
        ratio = score / ref if ref else None
        label = f"{jobs_n}x{techs_n}"
        nan = float("nan")
        out(f"{label:10} {score:>9.0f} {len(first.slots):>7} {ms:>7.1f} {ref if ref is not None else nan:>9.0f} "
            f"{ratio if ratio is not None else nan:>6.2f} {overrun_ms:>10.1f} {f'{m_over}/{total}':>9} {absence_ms:>10.1f} {f'{m_abs}/{total}':>9}")
        classes = by_class(first, jobs)
        out(f"  {forced} of the absence's moves were the absent technician's own; mean minutes late by class: "
            + ", ".join(f"{c} {v:g}" for c, v in classes.items()))
        out(f"  handovers {_cpsat.handovers(first, jobs)}, bay moves {_cpsat.bay_moves(first, jobs, bays)}; "
            f"improved ({budget}): {improved_score:.0f} in {improved_ms:.0f} ms, "
            f"ratio {improved_score / ref if ref else nan:.3f}, handovers {_cpsat.handovers(improved, jobs)}, "
            f"bay moves {_cpsat.bay_moves(improved, jobs, bays)}; its re-plans move {m_over_i}/{total} after the overrun, "
            f"{m_abs_i}/{total} after the absence ({forced_i} the absent technician's own)")
        emit({"day": label, "jobs": jobs_n, "technicians": techs_n, "score": score, "placed": len(first.slots), "ms": round(ms, 2),
              "cpsat_score": ref, "ratio": ratio, "replan_overrun_ms": round(overrun_ms, 2), "replan_absence_ms": round(absence_ms, 2),
              "moved_overrun": m_over, "moved_absence": m_abs, "moved_absence_forced": forced, "mean_late_by_class": classes,
              "improved_score": improved_score, "improved_ms": round(improved_ms, 1),
              "improved_ratio": improved_score / ref if ref else None,
              "handovers": _cpsat.handovers(first, jobs), "bay_moves": _cpsat.bay_moves(first, jobs, bays),
              "improved_handovers": _cpsat.handovers(improved, jobs), "improved_bay_moves": _cpsat.bay_moves(improved, jobs, bays), "improved_moved_overrun": m_over_i,
              "improved_moved_absence": m_abs_i, "improved_moved_absence_forced": forced_i, "load": load})
    bench_anytime(table, load)


def bench_anytime(table: dict[str, dict], load: str) -> None:
    """Every day in DAYS: the first plan, the plan after the interactive budget, the reference."""
    out(f"\n{'day':18} {'first':>8} {'ms':>6} {'1 s':>8} {'ms':>6} {'CP-SAT':>8} {'bound':>8} {'ratio':>6} {'better':>7}")
    rows = []
    for size, pace, seed in DAYS:
        key = _cpsat.day_key(size, pace, seed)
        jobs, techs, bays = fitting_day(*size, seed, pace)
        first, first_ms = timed(planner.plan, jobs, techs, bays, NOW)
        improved, ms = timed(planner.plan, jobs, techs, bays, NOW, budget="interactive")
        assert not improved.unassignable, "the bench's days fit: the improved plan must place them all"
        ref = table.get(key, {})
        reference = ref.get("cost")
        score, improved_score = _cpsat.cost(first, jobs), _cpsat.cost(improved, jobs)
        ratio = improved_score / reference if reference else None
        better = 1 - improved_score / score if score else 0.0
        rows.append((ratio, better))
        nan = float("nan")
        out(f"{key:18} {score:>8.0f} {first_ms:>6.0f} {improved_score:>8.0f} {ms:>6.0f} "
            f"{reference if reference is not None else nan:>8.0f} {ref.get('bound') or nan:>8.0f} {ratio if ratio is not None else nan:>6.3f} {better:>7.1%}")
        emit({"anytime": key, "jobs": size[0], "technicians": size[1], "pace": pace, "seed": seed, "first": score,
              "first_ms": round(first_ms, 1), "improved": improved_score, "improved_ms": round(ms, 1),
              "handovers": _cpsat.handovers(improved, jobs), "bay_moves": _cpsat.bay_moves(improved, jobs, bays),
              "budget": search.BUDGETS["interactive"], "reference": reference, "bound": ref.get("bound"),
              "reference_seconds": ref.get("seconds"), "ratio": ratio, "better": round(better, 4), "load": load})
    ratios = [r for r, _ in rows if r is not None]
    gains = [b for _, b in rows]
    summary = {"anytime_summary": len(rows), "mean_ratio": round(statistics.mean(ratios), 4) if ratios else None,
               "max_ratio": round(max(ratios), 4) if ratios else None, "mean_better": round(statistics.mean(gains), 4),
               "min_better": round(min(gains), 4), "load": load}
    out(f"interactive budget ({search.BUDGETS['interactive']:,} placements): mean ratio to CP-SAT {summary['mean_ratio']}, "
        f"worst {summary['max_ratio']}; better than the first plan by {summary['mean_better']:.1%} on average, "
        f"{summary['min_better']:.1%} at least ({load})")
    emit(summary)


def bench_promises(load: str) -> None:
    """How often a generated day's promises would have been kept, when each job takes longer or
    shorter than planned: the margin learnt from earlier days (their overruns, as the shop's 30
    days of clocked jobs give it), then each day of DAYS planned for the interactive budget and
    played out. A car's promise: the plan's finish for it plus the margin (QC and the wash come
    after either way)."""
    rng = random.Random(20261124)
    history: list[float] = []
    for seed in range(300, 306):  # earlier days, not among those measured
        jobs, techs, bays = fitting_day(80, 20, seed, "tight" if seed % 2 else "calm")
        plan = planner.plan(jobs, techs, bays, NOW)
        history += _promises.overruns(plan, _promises.played_out(plan, rng))
    margin = speed.promise_margin(history)
    minutes = int(margin.total_seconds() // 60)
    out(f"\npromises: margin {minutes} min, the {speed.PERCENTILE}th percentile of {len(history)} past jobs' overruns "
        f"(spread {_promises.SPREAD} in log time)")
    out(f"{'day':18} {'cars':>5} {'plan+margin':>12} {'plan alone':>11} {'as given':>9}")
    totals = [0, 0, 0, 0]
    for size, pace, seed in DAYS:
        key = _cpsat.day_key(size, pace, seed)
        jobs, techs, bays = fitting_day(*size, seed, pace)
        plan = planner.plan(jobs, techs, bays, NOW, budget="interactive")
        ends = _promises.played_out(plan, rng)
        with_margin, given, cars = _promises.kept(plan, jobs, ends, margin)
        alone, _given, _cars = _promises.kept(plan, jobs, ends, timedelta(0))
        for i, v in enumerate((with_margin, alone, given, cars)):
            totals[i] += v
        out(f"{key:18} {cars:>5} {with_margin / cars:>12.1%} {alone / cars:>11.1%} {given / cars:>9.1%}")
        emit({"promises": key, "cars": cars, "kept_with_margin": with_margin, "kept_plan_alone": alone, "kept_as_given": given,
              "margin_minutes": minutes, "load": load})
    summary = {"promises_summary": totals[3], "kept_with_margin": round(totals[0] / totals[3], 4),
               "kept_plan_alone": round(totals[1] / totals[3], 4), "kept_as_given": round(totals[2] / totals[3], 4),
               "margin_minutes": minutes, "percentile": speed.PERCENTILE, "load": load}
    out(f"promises kept: {summary['kept_with_margin']:.1%} with the margin, {summary['kept_plan_alone']:.1%} at the plan's finish alone, "
        f"{summary['kept_as_given']:.1%} of the days' own promises ({totals[3]} cars, {load})")
    emit(summary)


@contextmanager
def cpu_hog(on: bool):  # type: ignore[no-untyped-def]
    """A busy loop in another process for the duration: quality must not depend on it."""
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if on else None
    try:
        yield "hog" if on else "quiet"
    finally:
        if hog is not None:
            hog.kill()
            hog.wait()


def calibrate() -> None:
    """Placements per second at 200 jobs x 40 technicians: what BUDGETS should be for their SECONDS."""
    jobs, techs, bays = fitting_day(200, 40, 200)
    work = search.BUDGETS["interactive"]
    runs = [timed(planner.plan, jobs, techs, bays, NOW, budget=work)[1] for _ in range(3)]
    first = statistics.median(timed(planner.plan, jobs, techs, bays, NOW)[1] for _ in range(3))
    rate = work / ((statistics.median(runs) - first) / 1000)
    out(f"{rate:,.0f} placements/s (first plan {first:.0f} ms): " + ", ".join(
        f"{name} = {rate * search.SECONDS[name] - first / 1000 * rate:,.0f} for {search.SECONDS[name]:g} s" for name in search.BUDGETS))
    emit({"calibration": round(rate), "first_ms": round(first, 1)})


def main() -> None:
    global JSON
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--gap", type=Path)
    p.add_argument("--wt40", type=Path)
    p.add_argument("--day", action="store_true")
    p.add_argument("--chu", action="store_true")
    p.add_argument("--cpsat-seconds", type=float, default=60.0)
    p.add_argument("--cpsat-most", type=float, default=300.0)
    p.add_argument("--chu-seconds", type=float, default=120.0)
    p.add_argument("--recompute", action="store_true")
    p.add_argument("--calibrate", action="store_true")
    p.add_argument("--hog", action="store_true")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    JSON = args.json
    if not (args.gap or args.wt40 or args.day or args.calibrate or args.chu):
        p.error("say what to run: --gap DIR, --wt40 FILE, --chu, --day and/or --calibrate")
    # References first, alone on the machine (CP-SAT's answer within a time limit depends on it).
    if args.day:
        references(args.cpsat_seconds, args.cpsat_most, args.recompute)
    chu = chu_references(args.recompute, args.chu_seconds) if args.chu else {}
    with cpu_hog(args.hog) as load:
        if args.calibrate:
            calibrate()
        if args.gap:
            bench_gap(args.gap, load)
        if args.chu:
            bench_chu(chu, load)
        if args.wt40:
            bench_wt40(args.wt40, load)
        if args.day:
            bench_day(args.cpsat_seconds, args.cpsat_most, load)
            bench_promises(load)


if __name__ == "__main__":
    main()
