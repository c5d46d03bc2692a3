"""Commit-to-display latency of the live boards, against a bare websockets broadcast() floor.

    python bench/fanout.py                 # 100 and 1,000 displays on one process, then 2,000 on two behind Redis
    python bench/fanout.py --displays 100 --seconds 5 --modes single
    python bench/fanout.py --json          # one JSON object per measured case

Each case: board server process(es) with a fresh database; N displays in a separate client
process subscribed to the job progress board; a writer changing a job at a steady rate through
the HTTP API. Latency runs from just before the writer sends its request to a display having
the delta. The floor runs the same clients and writer against a bare ``websockets`` server that
broadcast()s an equal payload. Memory per idle display: the servers' RSS growth / N.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from websockets.sync.client import connect as ws_connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from board.db.migrate import upgrade  # noqa: E402
from tests.pg_server import PostgresServer  # noqa: E402
from tests.servers import BoardProcess, RedisServer, free_port, wait_port  # noqa: E402

HERE = Path(__file__).resolve().parent


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


class Clients:
    """The displays, in client processes of their own (one per server)."""

    def __init__(self, targets: list[tuple[str, int]], hello: str) -> None:
        self.procs = [
            subprocess.Popen([sys.executable, str(HERE / "fanout_client.py"), url, str(n), hello],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            for url, n in targets
        ]

    def wait_ready(self) -> None:
        for proc in self.procs:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            if line.strip() != "READY":
                raise RuntimeError(f"display client failed: {line!r}")

    def arrivals(self) -> dict[int, list[float]]:
        merged: dict[int, list[float]] = {}
        for proc in self.procs:
            proc.stdin.write("STOP\n")  # type: ignore[union-attr]
            proc.stdin.flush()  # type: ignore[union-attr]
        for proc in self.procs:
            data = json.loads(proc.stdout.readline())  # type: ignore[union-attr]
            for seq, times in data.items():
                merged.setdefault(int(seq), []).extend(times)
            proc.wait(30)
        return merged


def paced(count: int, rate: float, send: Any) -> list[float]:
    """Call ``send(k)`` ``count`` times at ``rate`` per second; returns each call's start time."""
    starts = []
    begin = time.monotonic()
    for k in range(count):
        delay = begin + k / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        starts.append(time.monotonic())
        send(k)
    return starts


def summarise(starts: list[float], arrivals: dict[int, list[float]], displays: int) -> dict[str, Any]:
    if not arrivals:
        return {"p50_ms": None, "p99_ms": None, "delivered": 0, "expected": len(starts) * displays}
    first = min(arrivals)
    latencies = [(t - starts[seq - first]) * 1000 for seq, times in arrivals.items() if 0 <= seq - first < len(starts) for t in times]
    latencies.sort()
    return {
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 2),
        "delivered": len(latencies),
        "expected": len(starts) * displays,
    }


def board_case(mode: str, displays: int, seconds: float, rate: float, tmp: Path) -> dict[str, Any]:
    with ExitStack() as stack:
        if mode == "single":
            url = f"sqlite:///{tmp / f'bench-{displays}-{time.monotonic_ns()}.db'}"
            upgrade(url)
            env = {"BOARD_DATABASE_URL": url, "BOARD_BROKER_URL": "memory://"}
            count = 1
        else:
            pg = PostgresServer()
            base = pg.start()
            stack.callback(pg.stop)
            redis = RedisServer()
            redis.start()
            stack.callback(redis.stop)
            url = base.rsplit("/", 1)[0] + "/postgres"
            upgrade(url)
            env = {"BOARD_DATABASE_URL": url, "BOARD_BROKER_URL": redis.url}
            count = 2
        servers = [BoardProcess({**env, "BOARD_SECRET_KEY": "bench"}, str(tmp / f"{mode}-{displays}-{n}.log")) for n in range(count)]
        for server in servers:
            server.start()
            stack.callback(server.stop)
        http = servers[0].admin("/api/shops/bench")
        stack.callback(http.close)
        http.post(servers[0].http + "/api/shops", json={"code": "bench", "name": "Bench shop"}).raise_for_status()
        http.post("/advisors", json={"name": "A"}).raise_for_status()
        ro = http.post("/repair-orders", json={
            "plate": "粤A12345", "model": "Camry", "customer_name": "王伟", "phone": "13800138000", "advisor_id": 1,
            "promised_at": "2099-01-01T12:00", "jobs": [{"operation": "保养", "skill": "maintenance", "est_hours": 1.0, "bay_kind": "general_lift"}]})
        ro.raise_for_status()
        job = ro.json()["jobs"][0]
        time.sleep(1.0)
        pids = [s.proc.pid for s in servers]  # type: ignore[union-attr]
        before = rss_kib(pids)
        # Wall displays, as in a shop: the workshop board's kiosk link (one token per screen group).
        hello = json.dumps({"id": 1, "type": "subscribe", "shop": "bench", "boards": ["jpcb_floor"]})
        per = displays // count
        clients = Clients([(s.kiosk("bench"), per) for s in servers], hello)
        clients.wait_ready()
        time.sleep(2.0)
        kib = (rss_kib(pids) - before) / displays
        version = [job["version"]]

        def write(k: int) -> None:
            r = http.patch(f"/jobs/{job['id']}", json={"version": version[0], "est_hours": 1.0 + (k % 50) / 10 + 0.05})
            r.raise_for_status()
            version[0] = r.json()["version"]

        starts = paced(int(seconds * rate), rate, write)
        time.sleep(2.0)
        out = summarise(starts, clients.arrivals(), displays)
        return {**out, "kib_per_display": round(kib, 1)}


def floor_case(displays: int, seconds: float, rate: float, payload_size: int) -> dict[str, Any]:
    port = free_port()
    server = subprocess.Popen([sys.executable, str(HERE / "broadcast_floor.py"), str(port)], stdout=subprocess.PIPE, text=True)
    try:
        wait_port(port)
        clients = Clients([(f"ws://127.0.0.1:{port}", displays)], "display")
        clients.wait_ready()
        time.sleep(1.0)
        pad = "x" * max(payload_size - 60, 0)
        with ws_connect(f"ws://127.0.0.1:{port}", compression=None) as publisher:
            publisher.send("publisher")
            starts = paced(int(seconds * rate), rate, lambda k: publisher.send(json.dumps({"type": "bcast", "seq": k + 1, "pad": pad}, separators=(",", ":"))))
            time.sleep(2.0)
        return summarise(starts, clients.arrivals(), displays)
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--displays", type=int, nargs="*", default=[100, 1000], help="display counts for the single-process mode")
    p.add_argument("--redis-displays", type=int, default=2000)
    p.add_argument("--modes", nargs="*", default=["single", "redis"], choices=["single", "redis"])
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--rate", type=float, default=10.0, help="job changes per second")
    p.add_argument("--json", action="store_true", help="one JSON object per measured case on stdout")
    args = p.parse_args()
    cases = [("single", n) for n in args.displays] if "single" in args.modes else []
    cases += [("redis", args.redis_displays)] if "redis" in args.modes else []
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode, n in cases:
            say(f"{mode}: {n} displays, {args.rate:g} changes/s for {args.seconds:g} s ...")
            ours = board_case(mode, n, args.seconds, args.rate, Path(tmp))
            say(f"  floor: bare websockets broadcast() to {n} displays ...")
            floor = floor_case(n, args.seconds, args.rate, payload_size=700)
            ratio = round(ours["p99_ms"] / floor["p99_ms"], 2) if ours["p99_ms"] and floor["p99_ms"] else None
            results.append({"mode": mode, "displays": n, "p50_ms": ours["p50_ms"], "p99_ms": ours["p99_ms"],
                            "floor_p50_ms": floor["p50_ms"], "floor_p99_ms": floor["p99_ms"], "ratio_p99": ratio,
                            "delivered": ours["delivered"], "expected": ours["expected"], "kib_per_display": ours["kib_per_display"]})
    if args.json:
        for r in results:
            print(json.dumps(r))
        return
    print(f"{'mode':8} {'displays':>8} {'p50 ms':>8} {'p99 ms':>8} {'floor p50':>10} {'floor p99':>10} {'p99 ratio':>10} {'delivered':>18} {'KiB/display':>12}")
    for r in results:
        print(f"{r['mode']:8} {r['displays']:>8} {r['p50_ms']:>8} {r['p99_ms']:>8} {r['floor_p50_ms']:>10} {r['floor_p99_ms']:>10} "
              f"{r['ratio_p99']:>10} {str(r['delivered']) + '/' + str(r['expected']):>18} {r['kib_per_display']:>12}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
