"""A hung PostgreSQL: how long saves wait, what they are answered, how soon the shop works again.

    python bench/db_freeze.py             # freeze 20 s, writers at 5 saves/s
    python bench/db_freeze.py --json

Two `board serve` processes on one PostgreSQL 15 server (started here, on loopback, as an
unprivileged user when run as root); a greeter on each registering walk-ins, 5 saves a second in
all. The database is frozen with SIGSTOP for --freeze seconds, then continued. Prints, for saves
sent while it was frozen: how they were answered and the longest wait; then how long after the
thaw the first save succeeded (target ≤ 2 s) and whether any save failed afterwards (a backlog
resuming at once must not deadlock).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fanout import say  # noqa: E402

from board.db.migrate import upgrade  # noqa: E402
from tests.conftest import add_admin  # noqa: E402
from tests.pg_server import PostgresServer  # noqa: E402
from tests.servers import BoardProcess  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--freeze", type=float, default=20.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    pg = PostgresServer()
    url = pg.start()
    folder = Path(tempfile.mkdtemp(prefix="board-freeze-"))
    servers: list[BoardProcess] = []
    try:
        upgrade(url)
        add_admin(url)
        env = {"BOARD_DATABASE_URL": url, "BOARD_SCHEDULER_INTERVAL_S": "5", "BOARD_HEARTBEAT_S": "3"}
        servers = [BoardProcess(env, str(folder / f"server{n}.log")) for n in range(2)]
        for s in servers:
            s.start()
        admin = servers[0].admin()
        admin.post("/api/shops", json={"code": "gz01", "name": "广州店"}).raise_for_status()
        saves: list[tuple[float, float, int]] = []  # sent, waited, status
        lock = threading.Lock()
        stop = threading.Event()

        def greeter(server: BoardProcess, n0: int) -> None:
            with closing(server.admin()) as c:  # signed in already: closed, not re-opened
                c.timeout = 120
                n = n0
                while not stop.is_set():
                    sent = time.monotonic()
                    status = c.post("/api/shops/gz01/arrivals", json={"walk_in": True, "plate": f"粤B{n:05d}"}).status_code
                    with lock:
                        saves.append((sent, time.monotonic() - sent, status))
                    n += 2
                    time.sleep(max(0.0, 0.4 - (time.monotonic() - sent)))  # 2.5 a second each, 5 in all

        threads = [threading.Thread(target=greeter, args=(s, k), daemon=True) for k, s in enumerate(servers)]
        for t in threads:
            t.start()
        time.sleep(3)
        say(f"freezing PostgreSQL for {args.freeze:g} s")
        pg.freeze()
        frozen = time.monotonic()
        time.sleep(args.freeze)
        pg.thaw()
        thawed = time.monotonic()
        say("continued; writing on for 15 s")
        time.sleep(15)
        stop.set()
        for t in threads:
            t.join(150)
    finally:
        for s in servers:
            s.stop()
        pg.stop()

    during = [s for s in saves if frozen <= s[0] < thawed]
    after = [s for s in saves if s[0] >= thawed]
    first_ok = next((s[0] + s[1] for s in sorted(after) if s[2] == 201), None)
    result = {
        "freeze_s": args.freeze, "saves": len(saves), "during_answers": dict(Counter(str(s[2]) for s in during)),
        "during_max_wait_s": round(max((s[1] for s in during), default=0.0), 2),
        "first_success_after_thaw_s": None if first_ok is None else round(first_ok - thawed, 2),
        "after_answers": dict(Counter(str(s[2]) for s in after)),
        "after_failures": sum(1 for s in after if s[2] != 201 and s[0] > (first_ok or thawed)),
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"saves sent while frozen ({args.freeze:g} s): {result['during_answers']}, longest wait {result['during_max_wait_s']} s")
    print(f"first save that succeeded after the thaw: {result['first_success_after_thaw_s']} s after it (target ≤ 2 s)")
    print(f"saves after the thaw: {result['after_answers']}; failures once saving worked again: {result['after_failures']}")


if __name__ == "__main__":
    main()
