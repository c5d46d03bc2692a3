"""What a foreman would call a bad plan: a waiting customer's job planned later than it could start
in a gap where a technician qualified for it and a bay of its kind both stand idle (and its car is
free). A bay a car stands in, or is held for between its cards, is not idle; a man is not asked to
take over a car another man has (rule 8). Read from the API's answers, as the foreman's console
reads them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from board.dispatch.rules import bay_kinds
from tests.floor_check import bay_stays, plan_rows, standing

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
    of_car: dict[int, list[tuple[int, datetime, datetime]]] = {}
    for r in rows:
        of_tech.setdefault(r["technician_id"], []).append((r["start"], r["end"]))
        of_car.setdefault(by_job[r["job_id"]]["repair_order_id"], []).append((r["job_id"], r["start"], r["end"]))
    zone = now.tzinfo
    of_bay = {bay: [(a.replace(tzinfo=zone), b.replace(tzinfo=zone), car) for a, b, car in stays]
              for bay, stays in bay_stays(plan_rows(plan, jobs), standing(jobs), now.replace(tzinfo=None)).items()}
    found = []
    for r in rows:
        job = by_job[r["job_id"]]
        if r["priority"] != "waiting" or r["fixed"] or r["start"] <= now + SLACK:
            continue
        car = [(a, b) for other, a, b in of_car[job["repair_order_id"]] if other != job["id"]]
        car_men = {row["technician_id"] for row in rows if row["job_id"] != job["id"] and by_job[row["job_id"]]["repair_order_id"] == job["repair_order_id"]}
        for t in techs:
            if not t["present"] or t["id"] == r["technician_id"] or (car_men and t["id"] not in car_men):
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
                free_bay = next((b for b in bays if b["kind"]["value"] in bay_kinds(job["bay_kind"])
                                 and not _busy([(a, z) for a, z, c in of_bay.get(b["id"], []) if c != job["repair_order_id"]], start, end)), None)
                if free_bay is not None:
                    found.append(f"{r['label']} planned {r['start']:%H:%M} with {r['technician']}, "
                                 f"but {t['name']} and {free_bay['name']} are idle from {start:%H:%M}")
                    break
    return found
