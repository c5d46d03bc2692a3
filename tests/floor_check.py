"""What the floor must never show, read from the API's answers as the foreman's console reads
them: two cars on one bay at one time (in the data, in the plan, or the plan against the data), a
technician with two jobs in progress, a car moved off a bay it could have stayed in. It counts the
moves a card's kind of bay forced (rule 9: an express card may go up on a lift, not the other way)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from board.dispatch.rules import bay_kinds

END_OF_TIME = datetime.max


@dataclass(frozen=True)
class Floor:
    problems: list[str]
    forced_moves: int  # a car's bay changed for a card its bay could not take
    standing: int  # cars standing in bays now
    cars_planned: int


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=None)


Rows = dict[int, list[tuple[datetime, datetime, int | None, dict[str, Any]]]]  # car -> its planned cards: start, end, bay, job


def plan_rows(plan: dict[str, Any], jobs: list[dict[str, Any]]) -> Rows:
    by_job = {j["id"]: j for j in jobs}
    rows: Rows = {}
    for r in plan["plan"]:
        job = by_job.get(r["job_id"])
        if job is not None:
            rows.setdefault(job["repair_order_id"], []).append((_at(r["start"]), _at(r["end"]), r["bay_id"], job))
    return rows


def standing(jobs: list[dict[str, Any]]) -> dict[int, int]:
    """Car (its order) -> the bay it stands in now."""
    return {j["repair_order_id"]: j["car_bay_id"] for j in jobs if j["car_bay_id"] is not None}


def bay_stays(rows: Rows, standing_in: dict[int, int], now: datetime) -> dict[int, list[tuple[datetime, datetime, int]]]:
    """Where each car is when, per bay: from its first card there (or now, where it stands) to its
    last; a car standing with no card planned there stays until its first card elsewhere (or all day)."""
    stays: dict[int, list[tuple[datetime, datetime, int]]] = {}
    for car in set(rows) | set(standing_in):
        mine = rows.get(car, [])
        spans: dict[int, list[datetime]] = {}
        if car in standing_in:
            elsewhere = [start for start, _end, bay, _job in mine if bay != standing_in[car]]
            there = [end for _start, end, bay, _job in mine if bay == standing_in[car]]
            spans[standing_in[car]] = [now, max(there) if there else min(elsewhere, default=END_OF_TIME)]
        for start, end, bay, _job in mine:
            if bay is not None:
                was = spans.setdefault(bay, [start, end])
                was[0], was[1] = min(was[0], start), max(was[1], end)
        for bay, (start, end) in spans.items():
            stays.setdefault(bay, []).append((start, end, car))
    return stays


def read_floor(plan: dict[str, Any], jobs: list[dict[str, Any]], bays: list[dict[str, Any]]) -> Floor:
    problems: list[str] = []
    kind = {b["id"]: b["kind"]["value"] for b in bays}
    name = {b["id"]: b["name"] for b in bays}
    now = _at(plan["now"])

    # The data: one job in progress a man, one car a bay.
    working = Counter(j["technician_id"] for j in jobs if j["stage"]["value"] == "in_progress")
    problems += [f"technician {t} has {n} jobs in progress" for t, n in working.items() if n > 1]
    stands: dict[int, set[int]] = {}
    for j in jobs:
        if j["car_bay_id"] is not None:
            stands.setdefault(j["car_bay_id"], set()).add(j["repair_order_id"])
    problems += [f"{name[b]} holds the cars of orders {sorted(c)}" for b, c in stands.items() if len(c) > 1]
    standing_in = standing(jobs)
    rows = plan_rows(plan, jobs)
    stays = bay_stays(rows, standing_in, now)
    forced = 0
    for car in set(rows) | set(standing_in):
        mine = sorted(rows.get(car, []), key=lambda row: row[0])
        # Bay changes, from where it stands: forced only when the card's kind cannot go where the car is.
        path = ([(standing_in[car], None)] if car in standing_in else []) + [(bay, job) for _s, _e, bay, job in mine if bay is not None]
        for (was, _), (bay, job) in zip(path, path[1:], strict=False):
            if bay == was:
                continue
            if kind[was] in bay_kinds(job["bay_kind"]):
                problems.append(f"order {car} moved from {name[was]} to {name[bay]} for {job['operation']}, which {name[was]} could take")
            else:
                forced += 1
    for bay, spans_ in stays.items():
        spans_.sort()
        for (s1, e1, c1), (s2, e2, c2) in zip(spans_, spans_[1:], strict=False):
            if s2 < e1 and c1 != c2:
                problems.append(f"{name[bay]}: order {c1} there {s1:%H:%M}–{e1:%H:%M} and order {c2} {s2:%H:%M}–{e2:%H:%M}")
    return Floor(problems, forced, len(standing_in), len(rows))
