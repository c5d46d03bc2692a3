"""What a foreman would call a bad plan: a waiting customer's job planned later than it could start
in a gap where a technician qualified for it and a bay of its kind both stand idle (and its car is
free). Read from the API's answers, as the foreman's console reads them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

SLACK = timedelta(minutes=1)


def _busy(intervals: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> bool:
    return any(a < end and start < b for a, b in intervals)


def idle_while_waiting(plan: dict[str, Any], jobs: list[dict[str, Any]], techs: list[dict[str, Any]],
                       bays: list[dict[str, Any]]) -> list[str]:
    """Each waiting customer's job that could have started sooner, said as the foreman would."""
    now = datetime.fromisoformat(plan["now"])
    by_job = {j["id"]: j for j in jobs}
    pace = {(s["technician_id"], s["skill"]): s["factor"] for s in plan.get("speeds", [])}
    rows = [{**r, "start": datetime.fromisoformat(r["start"]), "end": datetime.fromisoformat(r["end"])} for r in plan["plan"]]
    of_tech: dict[int, list[tuple[datetime, datetime]]] = {}
    of_bay: dict[int, list[tuple[datetime, datetime]]] = {}
    of_car: dict[int, list[tuple[int, datetime, datetime]]] = {}
    for r in rows:
        of_tech.setdefault(r["technician_id"], []).append((r["start"], r["end"]))
        if r["bay_id"]:
            of_bay.setdefault(r["bay_id"], []).append((r["start"], r["end"]))
        of_car.setdefault(by_job[r["job_id"]]["repair_order_id"], []).append((r["job_id"], r["start"], r["end"]))
    found = []
    for r in rows:
        job = by_job[r["job_id"]]
        if r["priority"] != "waiting" or r["fixed"] or r["start"] <= now + SLACK:
            continue
        car = [(a, b) for other, a, b in of_car[job["repair_order_id"]] if other != job["id"]]
        for t in techs:
            if not t["present"] or t["id"] == r["technician_id"]:
                continue
            if {s["skill"]: s["level"] for s in t["skills"]}.get(job["skill"], 0) < job["level"]:
                continue
            minutes = job["est_hours"] * 60 * pace.get((t["id"], job["skill"]), 1.0)
            shift_end = datetime.combine(now.date(), datetime.strptime(t["shift_end"], "%H:%M").time(), tzinfo=now.tzinfo)
            mine = of_tech.get(t["id"], [])
            for start in sorted({now, *(b for _a, b in mine)}):
                end = start + timedelta(minutes=minutes)
                if start >= r["start"] - SLACK or end > shift_end:
                    continue
                if _busy(mine, start, end) or _busy(car, start, end):
                    continue
                free_bay = next((b for b in bays if b["kind"]["value"] == job["bay_kind"] and not _busy(of_bay.get(b["id"], []), start, end)), None)
                if free_bay is not None:
                    found.append(f"{r['label']} planned {r['start']:%H:%M} with {r['technician']}, "
                                 f"but {t['name']} and {free_bay['name']} are idle from {start:%H:%M}")
                    break
    return found
