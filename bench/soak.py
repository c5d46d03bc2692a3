"""Soak: many displays and a steady stream of writes for a long while; nothing may be lost, memory
must not creep.

    python bench/soak.py                       # 500 displays, 20 writes/s, 10 minutes
    python bench/soak.py --minutes 1 --displays 200
    python bench/soak.py --json                # one JSON object at the end
    python bench/soak.py --minutes 1 --stalled 1   # plus a display that stops reading

One board server process (SQLite, in-memory broker) with a fresh database; the displays in a
client process subscribed to the job progress board; a writer changing 20 jobs in turn through
the HTTP API. Prints the server's memory at the start and every 30 s, then deltas lost (every
write must reach every display), p50/p99 commit-to-display latency, and memory at the end.
With ``--stalled K``, K more displays subscribe and then stop reading (their socket fills up):
the others must not feel it, and the server must cut them off (it gives a stuck send 10 s).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fanout import Clients, rss_kib, say, summarise  # noqa: E402

from board.db.migrate import upgrade  # noqa: E402
from tests.servers import BoardProcess  # noqa: E402

JOBS = 20


def stalled_display(ws_url: str, hello: str) -> socket.socket:
    """A display that subscribes and then never reads again (a hung browser on a bad link): a raw
    socket with a small receive buffer, the websocket handshake and one masked frame by hand."""
    host, port = ws_url.split("//")[1].split("/")[0].split(":")
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((host, int(port)))
    key = base64.b64encode(os.urandom(16)).decode()
    path = "/" + ws_url.split("//")[1].split("/", 1)[1]
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
    payload, mask = hello.encode(), os.urandom(4)
    assert len(payload) < 126
    sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
    return sock


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--displays", type=int, default=500)
    p.add_argument("--rate", type=float, default=20.0, help="writes per second")
    p.add_argument("--minutes", type=float, default=10.0)
    p.add_argument("--stalled", type=int, default=0, help="displays that subscribe and then stop reading")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="board-soak-"))
    url = f"sqlite:///{tmp / 'soak.db'}"
    upgrade(url)
    server = BoardProcess({"BOARD_DATABASE_URL": url, "BOARD_BROKER_URL": "memory://", "BOARD_SECRET_KEY": "soak"}, str(tmp / "server.log"))
    server.start()
    try:
        http = server.admin("/api/shops/soak")
        http.post(server.http + "/api/shops", json={"code": "soak", "name": "Soak shop"}).raise_for_status()
        http.post("/advisors", json={"name": "A"}).raise_for_status()
        jobs = []
        for n in range(JOBS):
            ro = http.post("/repair-orders", json={
                "plate": f"粤A{n:05d}", "model": "Camry", "customer_name": "王伟", "phone": "13800138000", "advisor_id": 1,
                "promised_at": "2099-01-01T12:00", "jobs": [{"operation": "保养", "skill": "maintenance", "est_hours": 1.0, "bay_kind": "general_lift"}]})
            ro.raise_for_status()
            jobs.append(ro.json()["jobs"][0])
        pid = server.proc.pid  # type: ignore[union-attr]
        time.sleep(1.0)
        # Wall displays, as in a shop: the workshop board's kiosk link.
        hello = json.dumps({"id": 1, "type": "subscribe", "shop": "soak", "boards": ["jpcb_floor"]})
        kiosk = server.kiosk("soak")
        clients = Clients([(kiosk, args.displays)], hello)
        clients.wait_ready()
        time.sleep(2.0)
        # A stalled display: the client library stops reading once one frame waits unread.
        stalled = [stalled_display(kiosk, hello) for _ in range(args.stalled)]
        cut_after: list[float | None] = [None] * len(stalled)
        start_kib = rss_kib([pid])
        say(f"{args.displays} displays connected; server memory {start_kib / 1024:.1f} MiB; writing {args.rate:g}/s for {args.minutes:g} min")
        versions = {j["id"]: j["version"] for j in jobs}
        total = int(args.minutes * 60 * args.rate)
        starts: list[float] = []
        errors = 0
        begin = time.monotonic()
        next_report = begin + 30
        samples = [start_kib]
        for k in range(total):
            delay = begin + k / args.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            job = jobs[k % JOBS]["id"]
            starts.append(time.monotonic())
            r = http.patch(f"/jobs/{job}", json={"version": versions[job], "est_hours": 1.0 + (k % 40) / 10 + 0.05})
            if r.status_code == 200:
                versions[job] = r.json()["version"]
            else:
                errors += 1
            if k % int(args.rate) == 0:
                cut = (tmp / "server.log").read_text(errors="replace").count("disconnecting it")  # the server says so in its log
                for i in range(min(cut, len(stalled))):
                    if cut_after[i] is None:
                        cut_after[i] = time.monotonic() - begin
            if time.monotonic() >= next_report:
                samples.append(rss_kib([pid]))
                say(f"  {time.monotonic() - begin:5.0f} s: {k + 1}/{total} writes, server memory {samples[-1] / 1024:.1f} MiB")
                next_report += 30
        time.sleep(3.0)
        end_kib = rss_kib([pid])
        out = summarise(starts, clients.arrivals(), args.displays)
        result = {
            "displays": args.displays, "writes": total, "write_errors": errors, "minutes": args.minutes, "rate": args.rate,
            "memory_start_mib": round(start_kib / 1024, 1), "memory_end_mib": round(end_kib / 1024, 1),
            "memory_max_mib": round(max(samples + [end_kib]) / 1024, 1),
            "deltas_lost": out["expected"] - out["delivered"], "p50_ms": out["p50_ms"], "p99_ms": out["p99_ms"],
            "stalled": args.stalled, "stalled_cut_off_after_s": [round(c, 1) if c is not None else None for c in cut_after],
        }
        if args.json:
            print(json.dumps(result))
        else:
            print(f"displays {result['displays']}, writes {total} ({errors} refused), {args.minutes:g} min at {args.rate:g}/s")
            print(f"memory: start {result['memory_start_mib']} MiB, end {result['memory_end_mib']} MiB, max {result['memory_max_mib']} MiB")
            print(f"deltas lost: {result['deltas_lost']} of {out['expected']}")
            print(f"latency: p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms")
            if stalled:
                print(f"stalled displays cut off after (s): {result['stalled_cut_off_after_s']}")
        for ws in stalled:
            ws.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
