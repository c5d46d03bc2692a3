"""Generated shop days for the dispatch bench: a shop of technicians, bays and jobs (several jobs
to a car, some started), tight or calm; and the part of a day that fits today."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

from board.dispatch import planner, rules
from board.dispatch.model import BayIn, JobIn, TechIn

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
    return in_bays(with_cars(jobs, seed), bays), techs, bays


def in_bays(jobs: list[JobIn], bays: list[BayIn]) -> list[JobIn]:
    """A started job's car stands in a bay of its kind, the first one no other started car has
    (none left: somewhere we are not told). Its car holds that bay while it has work to come."""
    taken: set[int] = set()
    out = []
    for j in jobs:
        if j.started_tech is not None:
            kinds = rules.bay_kinds(j.bay_kind)
            bay = next((b for k in kinds for b in bays if b.kind == k and b.id not in taken), None)
            if bay is not None:
                taken.add(bay.id)
                j = replace(j, started_bay=bay.id)
        out.append(j)
    return out


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


# The days the anytime planner is measured on: both sizes, tight and calm, three seeds each.
DAYS = [((n, t), pace, seed) for n, t in ((80, 20), (200, 40)) for pace in ("tight", "calm") for seed in (n, n + 1, n + 2)]
