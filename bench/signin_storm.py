"""A storm of sign-ins must not slow anyone's pages.

    python bench/signin_storm.py            # 60 parallel sign-ins, repeated for 20 s
    python bench/signin_storm.py --json     # one JSON object

One `board serve` process (SQLite, a fresh database). First the idle baseline: a signed-in
person's page reads (the advisor's page and the appointment board's JSON), one after another,
for a few seconds. Then the same reads while 60 clients (in a process of their own) sign in at once, again and again, with
unknown names and wrong passwords from one address (the throttle answers most of them, the
hashing pool the rest). Prints p50/p95 of the page reads idle and during the storm, their ratio
(target: p95 during the storm ≤ 2 × idle), what the sign-ins were answered, and the server's
memory before and after.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fanout import rss_kib, say  # noqa: E402

from board.db.migrate import upgrade  # noqa: E402
from tests.servers import BoardProcess  # noqa: E402


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def reads(client: httpx.Client, until: float, base: str) -> list[float]:
    took = []
    while time.monotonic() < until:
        for path in ("/shops/gz01/advisor", "/api/shops/gz01/appointment-board"):
            began = time.perf_counter()
            client.get(base + path).raise_for_status()
            took.append((time.perf_counter() - began) * 1000)
    return took


def storm(base: str, clients: int, seconds: float, counted: Any) -> None:
    """``clients`` threads signing in with unknown names and wrong passwords, again and again, for
    ``seconds``; puts how they were answered on ``counted``."""
    answers: Counter[int] = Counter()
    until = time.monotonic() + seconds

    def one(n: int) -> None:
        with httpx.Client(timeout=60) as c:
            k = 0
            while time.monotonic() < until:
                answer = c.post(f"{base}/api/session", json={"username": f"stranger{n}-{k}", "password": "wrong-password"})
                answers[answer.status_code] += 1
                k += 1

    threads = [threading.Thread(target=one, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    counted.put(dict(answers))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--storm", type=int, default=60, help="parallel sign-ins")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="board-storm-"))
    url = f"sqlite:///{folder / 'board.db'}"
    upgrade(url)
    server = BoardProcess({"BOARD_DATABASE_URL": url, "BOARD_SCHEDULER_INTERVAL_S": "3600"}, str(folder / "server.log"))
    server.start()
    try:
        admin = server.admin()
        admin.post("/api/shops", json={"code": "gz01", "name": "广州店"}).raise_for_status()
        admin.post("/api/shops/gz01/advisors", json={"name": "陈静"}).raise_for_status()
        base = server.http
        memory_before = rss_kib([server.proc.pid]) / 1024 if server.proc else 0.0
        say(f"idle: page reads for {args.seconds / 2:g} s ...")
        idle = reads(admin, time.monotonic() + args.seconds / 2, base)

        # The storm in a process of its own: its threads must not hold the reader's interpreter lock.
        spawn = multiprocessing.get_context("spawn")
        counted = spawn.Queue()
        stormer = spawn.Process(target=storm, args=(base, args.storm, args.seconds + 1.0, counted), daemon=True)
        stormer.start()
        time.sleep(1.0)  # every sign-in client under way
        say(f"storm: {args.storm} parallel sign-ins, page reads for {args.seconds:g} s ...")
        during = reads(admin, time.monotonic() + args.seconds, base)
        answers: Counter[int] = Counter(counted.get(timeout=120))
        stormer.join(60)
        memory_after = rss_kib([server.proc.pid]) / 1024 if server.proc else 0.0
    finally:
        server.stop()

    result = {
        "idle_p50_ms": round(statistics.median(idle), 1), "idle_p95_ms": round(p(idle, 0.95), 1),
        "storm_p50_ms": round(statistics.median(during), 1), "storm_p95_ms": round(p(during, 0.95), 1),
        "p95_ratio": round(p(during, 0.95) / p(idle, 0.95), 2), "reads_idle": len(idle), "reads_storm": len(during),
        "sign_ins": dict(sorted((str(k), v) for k, v in answers.items())), "memory_mib_before": round(memory_before, 1),
        "memory_mib_after": round(memory_after, 1),
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"page reads idle:   p50 {result['idle_p50_ms']} ms, p95 {result['idle_p95_ms']} ms ({len(idle)} reads)")
    print(f"during the storm:  p50 {result['storm_p50_ms']} ms, p95 {result['storm_p95_ms']} ms ({len(during)} reads)")
    print(f"p95 ratio {result['p95_ratio']} (target ≤ 2)")
    print(f"sign-ins answered: {result['sign_ins']}")
    print(f"server memory: {result['memory_mib_before']} → {result['memory_mib_after']} MiB")


if __name__ == "__main__":
    main()
