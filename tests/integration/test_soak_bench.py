"""The soak bench as its readers use it: a short run prints one JSON object, and loses nothing."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_a_short_soak_loses_no_delta_and_reports_memory():
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "soak.py"), "--minutes", "0.1", "--displays", "20", "--json"],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["writes"] == 120 and result["write_errors"] == 0
    assert result["deltas_lost"] == 0
    assert 0 < result["memory_start_mib"] <= result["memory_max_mib"] and result["p99_ms"] > 0
