"""The plan as a live board under load: a shop of 40 technicians, 20 bays and 120 open jobs, with
5 changes a second, on one server process (SQLite). How much CPU the server burns, and how soon
after each change the kept plan (the one every screen shows) is made from it.

    python bench/live_plan.py                  # 60 s at 5 changes/s, default plan work, then the baseline
    python bench/live_plan.py --seconds 20 --rate 5
    python bench/live_plan.py --json           # one JSON object at the end

Each run starts a fresh server twice: with the shop's default plan work (BOARD_PLAN_WORK) and, as
the baseline, with 0 (the first plan only, no search). CPU is the server process's user + system
time over the run's wall time (1.0 = one core busy). Latency: from a change's commit to the first
moment the kept plan's ``based_on`` covers it (polled every 20 ms from the database file).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from board.db.migrate import upgrade  # noqa: E402
from tests.servers import BoardProcess  # noqa: E402

TECHS, BAYS, JOBS = 40, 20, 120
SKILLS = ["maintenance", "mechanical", "electrical", "alignment", "body", "paint"]
BAY_KINDS = ["general_lift"] * 12 + ["quick_service"] * 4 + ["alignment", "body", "body", "paint_booth"]
KIND_OF = {"maintenance": "general_lift", "mechanical": "general_lift", "electrical": "general_lift", "alignment": "alignment",
           "body": "body", "paint": "paint_booth"}


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def seed(http: Any) -> list[dict[str, Any]]:
    http.post("/advisors", json={"name": "陈静"}).raise_for_status()
    for n in range(TECHS):
        skills = [{"skill": SKILLS[(n + k) % 4 if n < 32 else 4 + (n + k) % 2], "level": 1 + (n + k) % 3} for k in range(2)]
        body = {"name": f"技师{n:02d}", "team": "mech_elec" if n < 32 else "body_paint", "skills": skills,
                "shift_start": "08:00", "shift_end": "18:00"}
        http.post("/technicians", json=body).raise_for_status()
    for n, kind in enumerate(BAY_KINDS):
        http.post("/bays", json={"name": f"工位{n:02d}", "kind": kind}).raise_for_status()
    jobs = []
    for n in range(JOBS):
        skill = SKILLS[n % 4] if n % 10 else SKILLS[4 + n % 2]
        body = {"plate": f"粤A{n:05d}", "model": "凯美瑞", "customer_name": "王伟", "phone": "13800138000", "advisor_id": 1,
                "promised_at": "2099-01-01T12:00", "customer_waiting": n % 7 == 0,
                "jobs": [{"operation": "保养", "skill": skill, "level": 1 + n % 2, "est_hours": 0.5 + (n % 6) / 2, "bay_kind": KIND_OF[skill]}]}
        r = http.post("/repair-orders", json=body)
        r.raise_for_status()
        jobs.append(r.json()["jobs"][0])
    return jobs


def run(work: int, seconds: float, rate: float, tmp: Path) -> dict[str, Any]:
    db_file = tmp / f"plan-{work}.db"
    url = f"sqlite:///{db_file}"
    upgrade(url)
    server = BoardProcess({"BOARD_DATABASE_URL": url, "BOARD_BROKER_URL": "memory://", "BOARD_PLAN_WORK": str(work)},
                          str(tmp / f"server-{work}.log"))
    server.start()
    try:
        http = server.admin("/api/shops/bench")
        http.post(server.http + "/api/shops", json={"code": "bench", "name": "Bench shop"}).raise_for_status()
        jobs = seed(http)
        reader = sqlite3.connect(db_file, timeout=10)

        def latest_event() -> int:
            return int(reader.execute("select coalesce(max(id), 0) from events").fetchone()[0])

        def based_on() -> int:
            row = reader.execute("select based_on from shop_plans").fetchone()
            reader.commit()  # a fresh snapshot next time
            return int(row[0]) if row else 0

        deadline = time.monotonic() + 60
        while based_on() < latest_event() and time.monotonic() < deadline:  # the seeding planned
            time.sleep(0.05)
        pid = server.proc.pid  # type: ignore[union-attr]
        versions = {j["id"]: j["version"] for j in jobs}
        pending: list[tuple[int, float]] = []  # (event id of a change, when it committed)
        latencies: list[float] = []
        errors, total = 0, int(seconds * rate)
        cpu0, began = cpu_seconds(pid), time.monotonic()
        k = 0
        while k < total or (pending and time.monotonic() < began + seconds + 15):
            now = time.monotonic()
            if k < total and now >= began + k / rate:
                job = jobs[(k * 7) % JOBS]["id"]
                r = http.patch(f"/jobs/{job}", json={"version": versions[job], "est_hours": 0.5 + (k % 8) / 4})
                if r.status_code == 200:
                    versions[job] = r.json()["version"]
                    pending.append((latest_event(), time.monotonic()))
                else:
                    errors += 1
                k += 1
            seen = based_on()
            done_now = time.monotonic()
            latencies += [done_now - at for event, at in pending if event <= seen]
            pending = [(event, at) for event, at in pending if event > seen]
            time.sleep(0.02)
        wall = time.monotonic() - began
        cpu = cpu_seconds(pid) - cpu0
        latencies.sort()
        return {
            "plan_work": work, "changes": total, "refused": errors, "seconds": round(wall, 1),
            "cpu_cores": round(cpu / wall, 2), "never_planned": len(pending),
            "latency_p50_s": round(statistics.median(latencies), 2) if latencies else None,
            "latency_p95_s": round(latencies[int(len(latencies) * 0.95) - 1], 2) if latencies else None,
            "latency_max_s": round(latencies[-1], 2) if latencies else None,
        }
    finally:
        server.stop()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--rate", type=float, default=5.0, help="changes per second")
    p.add_argument("--work", type=int, default=100_000, help="the plan work measured (the shop's default: 100000)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="board-live-plan-"))
    results = []
    for work in (args.work, 0):
        say(f"{TECHS} technicians, {JOBS} open jobs, {args.rate:g} changes/s for {args.seconds:g} s, plan work {work} ...")
        results.append(run(work, args.seconds, args.rate, tmp))
    out = {"technicians": TECHS, "jobs": JOBS, "rate": args.rate, "runs": results}
    if args.json:
        print(json.dumps(out))
        return
    for r in results:
        label = "baseline, first plan only" if r["plan_work"] == 0 else f"plan work {r['plan_work']}"
        print(f"{label}: {r['changes']} changes ({r['refused']} refused) in {r['seconds']} s; server CPU {r['cpu_cores']} cores; "
              f"change → kept plan p50 {r['latency_p50_s']} s, p95 {r['latency_p95_s']} s, max {r['latency_max_s']} s; "
              f"{r['never_planned']} never planned")


if __name__ == "__main__":
    main()
