"""Plate matching: right and wrong accepts per category, and lookup time against 10,000 bookings.

    python bench/plates.py tests/data/plate_cases.json [--json] [--bookings 10000]

The cases file: {"appointments": [{"id", "plate", "model", "day": "today"|"tomorrow"|"yesterday"}],
"readings": [{"plate", "model"?, "source", "cat", "expect": {"kind", "id"?, "ids"?}}]}. Every
reading goes through the matcher the API uses (board.domain.matching). Exits non-zero on any
wrong accept or missed expectation. --json: one line per reading
{"plate", "model", "accepted", "candidates", "rule"}.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time as timer
from collections import Counter, defaultdict
from datetime import date, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from board.domain.matching import Booking, BookingIndex, Decision, Match, match  # noqa: E402
from board.domain.plates import PROVINCES, normalise  # noqa: E402

TODAY = date(2026, 11, 24)
DAYS = {"today": TODAY, "tomorrow": TODAY + timedelta(days=1), "yesterday": TODAY - timedelta(days=1)}
SERIAL = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def bookings(cases: dict) -> tuple[list[Booking], list[Booking]]:
    today, other = [], []
    for n, a in enumerate(cases["appointments"]):
        b = Booking(a["id"], normalise(a["plate"]), a["model"], DAYS[a["day"]], time(8 + n % 9, 30 * (n % 2)))
        (today if a["day"] == "today" else other).append(b)
    return today, other


def judge(m: Match, expect: dict) -> tuple[bool, bool]:
    """(met the expectation, a wrong accept)."""
    accepted = m.accepted.id if m.accepted else None
    offered = {c.booking.id for c in m.candidates}
    kind = expect["kind"]
    wrong = accepted is not None and (kind not in ("auto", "auto_or_offer") or accepted != expect.get("id"))
    met = {
        "auto": accepted == expect.get("id"),
        "auto_or_offer": accepted == expect.get("id") or (accepted is None and expect.get("id") in offered),
        "offer": accepted is None and expect.get("id") in offered,
        "ask": accepted is None and set(expect.get("ids", [])) <= offered,
        "none": accepted is None,
    }[kind]
    return met, wrong


def filler(count: int, rng: random.Random) -> list[Booking]:
    """Realistic random bookings to measure lookups against."""
    return [
        Booking(100_000 + n, rng.choice(PROVINCES) + rng.choice("ABCDEFGHJKLMN") + "".join(rng.choice(SERIAL) for _ in range(5)),
                "Camry", TODAY, time(9))
        for n in range(count)
    ]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cases")
    p.add_argument("--json", action="store_true")
    p.add_argument("--bookings", type=int, default=10_000, help="bookings to time lookups against")
    args = p.parse_args()
    cases = json.loads(Path(args.cases).read_text())
    today, other = bookings(cases)
    index, other_index = BookingIndex(today), BookingIndex(other)
    per_cat: dict[str, Counter[str]] = defaultdict(Counter)
    failures = []
    for reading in cases["readings"]:
        m = match(reading["plate"], reading.get("model"), index, other_index)
        met, wrong = judge(m, reading["expect"])
        c = per_cat[reading["cat"]]
        c["readings"] += 1
        c["right_accepts"] += int(m.accepted is not None and not wrong)
        c["wrong_accepts"] += int(wrong)
        c["asked"] += int(m.decision is Decision.ASK)
        c["offered"] += int(m.decision in (Decision.OFFER, Decision.OTHER_DAY))
        c["none"] += int(m.accepted is None and not m.candidates)
        c["missed"] += int(not met)
        if not met or wrong:
            failures.append((reading, m))
        if args.json:
            print(json.dumps({"plate": reading["plate"], "model": reading.get("model"), "accepted": m.accepted.id if m.accepted else None,
                              "candidates": [x.booking.id for x in m.candidates], "rule": m.rule.value}, ensure_ascii=False))
    big = BookingIndex(today + filler(args.bookings, random.Random(1)))
    times = []
    for _ in range(20):
        for reading in cases["readings"]:
            start = timer.perf_counter()
            match(reading["plate"], reading.get("model"), big, other_index)
            times.append(timer.perf_counter() - start)
    times.sort()
    p99_us = times[int(len(times) * 0.99) - 1] * 1e6
    out = sys.stderr if args.json else sys.stdout
    print(f"{'category':12} {'readings':>8} {'right':>6} {'WRONG':>6} {'asked':>6} {'offered':>8} {'none':>5} {'missed':>7}", file=out)
    for cat, c in sorted(per_cat.items()):
        print(f"{cat:12} {c['readings']:>8} {c['right_accepts']:>6} {c['wrong_accepts']:>6} {c['asked']:>6} {c['offered']:>8} {c['none']:>5} {c['missed']:>7}", file=out)
    print(f"lookup p99 against {args.bookings:,} bookings: {p99_us:.0f} µs ({len(times)} lookups)", file=out)
    for reading, m in failures:
        print(f"FAILED {reading['cat']}: {reading['plate'][:40]!r} expected {reading['expect']}, got {m.decision.value}/{m.rule.value} "
              f"accepted={m.accepted.id if m.accepted else None} candidates={[x.booking.id for x in m.candidates]}", file=out)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
