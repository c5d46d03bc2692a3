"""A big DMS import must be quick and must not lock the shop out.

    python bench/csv_import.py               # 10,000 rows on SQLite
    python bench/csv_import.py --rows 20000 --postgres URL
    python bench/csv_import.py --json        # one JSON object

One `board serve` process on a fresh database. An advisor imports a CSV of N valid bookings
while a greeter registers a walk-in every 100 ms. Prints how long the import took (target:
10,000 rows in ≤ 2 s on the server), and every answer the greeter got during it (target: no 500,
and no write waits longer than the import itself).
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
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fanout import say  # noqa: E402

from board.db.migrate import upgrade  # noqa: E402
from tests.servers import BoardProcess  # noqa: E402

HEADER = "date,time,plate,model,customer_name,title,phone,service_type,advisor,source,booked_at\n"


def csv_text(rows: int, first_day: date) -> str:
    lines = [HEADER]
    for n in range(rows):
        day = first_day + timedelta(days=n % 30)
        lines.append(f"{day.isoformat()},{8 + n % 9:02d}:{30 * (n % 2):02d},粤A{n:05d},凯美瑞 Camry,客户{n},先生,138{n:08d},maintenance,陈静,online,\n")
    return "".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL to use instead of SQLite (its database is written to)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="board-import-"))
    url = args.postgres or f"sqlite:///{folder / 'board.db'}"
    upgrade(url)
    server = BoardProcess({"BOARD_DATABASE_URL": url, "BOARD_SCHEDULER_INTERVAL_S": "3600"}, str(folder / "server.log"))
    server.start()
    try:
        admin = server.admin()
        admin.post("/api/shops", json={"code": "gz01", "name": "广州店"}).raise_for_status()
        admin.post("/api/shops/gz01/advisors", json={"name": "陈静"}).raise_for_status()
        text = csv_text(args.rows, date.today() + timedelta(days=2)).encode()
        say(f"{args.rows:,} rows, {len(text) / 1e6:.1f} MB; a greeter writes every 100 ms meanwhile")
        answers: Counter[int] = Counter()
        waits: list[float] = []
        stop = threading.Event()

        def greeter() -> None:
            n = 0
            with closing(server.admin()) as c:  # signed in already: closed, not re-opened
                while not stop.is_set():
                    began = time.perf_counter()
                    answer = c.post("/api/shops/gz01/arrivals", json={"walk_in": True, "plate": f"粤B{n:05d}"})
                    waits.append(time.perf_counter() - began)
                    answers[answer.status_code] += 1
                    n += 1
                    time.sleep(0.1)

        thread = threading.Thread(target=greeter, daemon=True)
        thread.start()
        time.sleep(0.5)
        began = time.perf_counter()
        response = admin.post("/api/shops/gz01/appointments/import", content=text, headers={"Content-Type": "text/csv"}, timeout=600)
        took = time.perf_counter() - began
        time.sleep(0.5)
        stop.set()
        thread.join(30)
    finally:
        server.stop()
    imported = response.json().get("imported") if response.status_code == 201 else None
    result = {"rows": args.rows, "status": response.status_code, "imported": imported, "seconds": round(took, 2),
              "greeter_answers": {str(k): v for k, v in sorted(answers.items())}, "greeter_max_wait_s": round(max(waits), 2) if waits else None,
              "database": "postgresql" if args.postgres else "sqlite"}
    if args.json:
        print(json.dumps(result))
        return
    print(f"import of {args.rows:,} rows: {response.status_code}, {imported} imported in {took:.2f} s (target ≤ 2 s for 10,000)")
    print(f"the greeter meanwhile: {result['greeter_answers']}, longest wait {result['greeter_max_wait_s']} s")


if __name__ == "__main__":
    main()
