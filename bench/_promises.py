"""How often promises would have been kept: a generated day's plan played out with each job taking
longer or shorter than planned (a seeded log-normal spread, as clocked jobs do), each technician
doing his row in order, no job starting before its planned start. Pure."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from board.dispatch.model import JobIn, Plan

SPREAD = 0.3  # sigma of log(actual / planned): about a third of jobs run 30 % over or under


def played_out(plan: Plan, rng: random.Random) -> dict[int, datetime]:
    """When each planned job would really end: its row's jobs in order, each as long as planned
    times a random factor, none before its planned start."""
    rows: dict[int, list] = defaultdict(list)
    for slot in plan.slots:
        rows[slot.tech_id].append(slot)
    ends: dict[int, datetime] = {}
    for slots in rows.values():
        free: datetime | None = None
        for slot in sorted(slots, key=lambda s: s.start):
            start = slot.start if free is None else max(free, slot.start)
            factor = math.exp(rng.gauss(0.0, SPREAD))
            free = start + (slot.end - slot.start) * factor
            ends[slot.job_id] = free
    return ends


def overruns(plan: Plan, ends: dict[int, datetime]) -> list[float]:
    """Minutes each job ended after its planned end (negative: early), as the shop's history keeps them."""
    return [(ends[s.job_id] - s.end).total_seconds() / 60 for s in plan.slots]


def cars(plan: Plan, jobs: Sequence[JobIn]) -> dict[int, list[int]]:
    """Each car's planned jobs (a job without a car is a car of its own)."""
    planned = {s.job_id for s in plan.slots}
    out: dict[int, list[int]] = defaultdict(list)
    for j in jobs:
        if j.id in planned:
            out[j.car if j.car is not None else -j.id].append(j.id)
    return out


def kept(plan: Plan, jobs: Sequence[JobIn], ends: dict[int, datetime], margin: timedelta) -> tuple[int, int, int]:
    """Cars done by the plan's finish plus ``margin``; cars done by their given promise; cars."""
    by_id = {j.id: j for j in jobs}
    ok_margin = ok_given = 0
    groups = cars(plan, jobs)
    for ids in groups.values():
        planned = max(s.end for s in plan.slots if s.job_id in ids)
        actual = max(ends[i] for i in ids)
        ok_margin += actual <= planned + margin
        promised = [by_id[i].promised for i in ids if by_id[i].promised is not None]
        ok_given += not promised or actual <= min(promised)  # type: ignore[type-var]
    return ok_margin, ok_given, len(groups)
