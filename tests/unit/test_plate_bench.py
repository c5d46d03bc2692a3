"""The plate cases file passes the benchmark: no wrong accept, every expectation met."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_every_plate_case_meets_its_expectation_and_json_lines_keep_their_format():
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "plates.py"), str(ROOT / "tests" / "data" / "plate_cases.json"),
                          "--json", "--bookings", "1000"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    cases = json.loads((ROOT / "tests" / "data" / "plate_cases.json").read_text())["readings"]
    assert len(lines) == len(cases)
    assert all(set(line) == {"plate", "model", "accepted", "candidates", "rule"} for line in lines)
    assert "WRONG" in run.stderr and "lookup p99" in run.stderr
    # Every rule of the matcher is exercised by the cases file.
    assert {line["rule"] for line in lines} >= {"exact", "confusable", "province", "no_province", "model", "one_edit", "suffix",
                                                 "other_day", "nothing_close", "unreadable"}
