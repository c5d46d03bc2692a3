"""The ``board`` command as a new user meets it: db upgrade, serve, and the one-command demo."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

BOARD = [sys.executable, "-m", "board.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SIGNED_IN: dict[str, str] = {}  # the session cookie of the server under test, once signed in


def get(url: str) -> object:
    request = urllib.request.Request(url, headers=SIGNED_IN)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def sign_in(base: str, username: str, password: str) -> None:
    body = json.dumps({"username": username, "password": password}).encode()
    request = urllib.request.Request(f"{base}/api/session", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        cookie = response.headers["Set-Cookie"].split(";", 1)[0]
        SIGNED_IN.update({"Cookie": cookie, "X-CSRF-Token": json.loads(response.read())["csrf_token"]})


@contextmanager
def running(args: list[str], env: dict[str, str], ready: str, cwd: Path, timeout: float = 90) -> Iterator[list[str]]:
    """Start a board process, wait (bounded) for a line of its output, stop it afterwards."""
    proc = subprocess.Popen(BOARD + args, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            if not line and proc.poll() is not None:
                raise AssertionError("board exited early:\n" + "".join(lines))
            lines.append(line)
            if ready in line:
                break
        else:
            raise AssertionError("board did not get ready:\n" + "".join(lines))
        yield lines
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def env_with(**values: str) -> dict[str, str]:
    return {**os.environ, **values}


def test_db_upgrade_then_serve(tmp_path):
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    env = env_with(BOARD_DATABASE_URL=url, BOARD_ADMIN_PASSWORD="first-admin-pw")
    refused = subprocess.run(BOARD + ["serve"], env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "board db upgrade" in refused.stderr
    done = subprocess.run(BOARD + ["db", "upgrade"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Done." in done.stdout
    port = free_port()
    with running(["serve", "--port", str(port)], env, "Uvicorn running", tmp_path):
        base = f"http://127.0.0.1:{port}"
        with pytest.raises(urllib.error.HTTPError) as refused_get:  # nobody signed in: nothing to see
            urllib.request.urlopen(f"{base}/api/shops", timeout=10)
        assert refused_get.value.code == 401
        sign_in(base, "admin", "first-admin-pw")  # the first admin, made from BOARD_ADMIN_PASSWORD
        assert get(f"{base}/api/shops") == []


def test_every_command_on_a_database_not_set_up_says_what_to_run(tmp_path):
    for args in (["report", "--day", "2026-11-23"], ["users", "list"], ["serve"]):
        result = subprocess.run(BOARD + args, env=env_with(BOARD_DATABASE_URL=f"sqlite:///{tmp_path / 'none.db'}"), cwd=tmp_path,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert "board db upgrade" in result.stderr and "board-demo/board.db" in result.stderr
    assert not (tmp_path / "none.db").exists()  # asking left no empty database behind
    empty = tmp_path / "empty.db"
    empty.touch()
    result = subprocess.run(BOARD + ["report", "--day", "2026-11-23"], env=env_with(BOARD_DATABASE_URL=f"sqlite:///{empty}"),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "is empty. Run: board db upgrade" in result.stderr


def test_a_database_upgraded_by_a_newer_board_is_not_called_older(tmp_path):
    import sqlite3

    url = f"sqlite:///{tmp_path / 'shop.db'}"
    env = env_with(BOARD_DATABASE_URL=url)
    assert subprocess.run(BOARD + ["db", "upgrade"], env=env, capture_output=True, text=True, timeout=60).returncode == 0
    with sqlite3.connect(tmp_path / "shop.db") as db:  # as a later release's migration would leave it
        db.execute("UPDATE alembic_version SET version_num = 'f00dfeedf00d'")
    result = subprocess.run(BOARD + ["serve"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "newer version of board (schema f00dfeedf00d)" in result.stderr
    assert "older" not in result.stderr and "Traceback" not in result.stderr


def test_a_bad_setting_is_explained_in_one_sentence(tmp_path):
    result = subprocess.run(BOARD + ["serve"], env=env_with(BOARD_ROLLOVER_TIME="half past seven"), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == "board: BOARD_ROLLOVER_TIME must be a time like 07:30, not 'half past seven'"


def test_demo_starts_a_lively_shop_with_one_command(tmp_path):
    port = free_port()
    with running(["demo", "--port", str(port), "--dir", str(tmp_path / "demo"), "--speed", "120"], env_with(), "Press Ctrl+C", tmp_path) as lines:
        output = "".join(lines)
        base = f"http://127.0.0.1:{port}"
        assert "every demo password is demo1234" in output and "?kiosk=1&token=d_" in output
        # A newcomer reads the demo's own lines: no migration chatter, no simulator bookkeeping ...
        assert "alembic" not in output.lower() and "demo move refused" not in output and "level=info" not in output
        # ... and how to point the other commands at its database.
        assert f"BOARD_DATABASE_URL=sqlite:///{(tmp_path / 'demo').resolve()}/board.db" in output
        sign_in(base, "admin", "demo1234")
        assert f"{base}/api/shops/gz-demo/appointment-board" in output
        shop = f"{base}/api/shops/gz-demo"
        assert len(get(f"{shop}/technicians")) == 12 and len(get(f"{shop}/bays")) == 14  # type: ignore[arg-type]
        board = get(f"{shop}/appointment-board")
        cards = sum(len(c["cards"]) for c in board["columns"])  # type: ignore[index]
        assert cards >= 35
        plates = [c["plate"] for col in board["columns"] for c in col["cards"]]  # type: ignore[index]
        assert all(p.startswith("粤") for p in plates)
        stages = {j["stage"]["value"] for j in get(f"{shop}/jobs")}  # type: ignore[union-attr]
        plan = get(f"{shop}/dispatch/plan")
        assert plan["plan"] and all(row["reasons"] for row in plan["plan"])  # type: ignore[index]
        assert stages == {"waiting_dispatch", "dispatched", "in_progress", "stopped", "quality_check", "wash", "ready", "delivered"}
        newest = 0
        while page := get(f"{shop}/events?limit=1000&after={newest}"):
            newest = page[-1]["id"]  # type: ignore[index]
        # The simulator moves the day on: more events appear without anyone touching it.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not get(f"{shop}/events?after={newest}"):
            time.sleep(0.5)
        assert get(f"{shop}/events?after={newest}")
        with urllib.request.urlopen(urllib.request.Request(f"{base}/", headers=SIGNED_IN), timeout=10) as page:
            html = page.read().decode()
        assert "预约看板" in html and "/api/shops/gz-demo/appointment-board" in html


def test_report_prints_the_days_summary_and_writes_the_csv(tmp_path):
    from datetime import datetime, timezone

    from starlette.testclient import TestClient

    from board.app import create_app
    from board.clock import FixedClock
    from board.settings import Settings
    from tests.conftest import add_admin
    from tests.conftest import sign_in as sign_in_client

    url = f"sqlite:///{tmp_path / 'shop.db'}"
    assert subprocess.run(BOARD + ["db", "upgrade"], env=env_with(BOARD_DATABASE_URL=url), capture_output=True, timeout=60).returncode == 0
    clock = FixedClock(datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc))  # 09:00 in Guangzhou
    add_admin(url)
    with TestClient(create_app(Settings(database_url=url, scheduler_interval_s=3600), clock)) as client:
        sign_in_client(client)
        assert client.post("/api/shops", json={"code": "gz01", "name": "广州店"}).status_code == 201
        for plate in ("粤A·11111", "粤A·22222"):
            assert client.post("/api/shops/gz01/arrivals", json={"walk_in": True, "plate": plate}).status_code == 201
    done = subprocess.run(BOARD + ["report", "--day", "2026-11-23"], env=env_with(BOARD_DATABASE_URL=url), cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "当日总结 Daily summary · 广州店 · 2026-11-23" in done.stdout
    assert "预约率 Appointment rate" in done.stdout and "0/2" in done.stdout  # two walk-ins, no booking
    written = (tmp_path / "board-gz01-2026-11-23.csv").read_text(encoding="utf-8-sig").splitlines()
    assert "2026-11-23,shop,,,walk_ins,2" in written
    bad = subprocess.run(BOARD + ["report", "--day", "23/11/2026"], env=env_with(BOARD_DATABASE_URL=url), capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.strip() == "board: --day must be a date like 2026-11-23, not '23/11/2026'"


def test_users_and_tokens_from_the_shell(tmp_path):
    """An admin on the server: add people, issue a kiosk link, revoke it, reset a disabled person's password."""
    from starlette.testclient import TestClient

    from board.app import create_app
    from board.settings import Settings
    from tests.conftest import sign_in as sign_in_client

    url = f"sqlite:///{tmp_path / 'shop.db'}"
    env = env_with(BOARD_DATABASE_URL=url)

    def board(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(BOARD + list(args), env=env, input=stdin, capture_output=True, text=True, timeout=60)

    assert board("db", "upgrade").returncode == 0
    added = board("users", "add", "boss", "--role", "admin", "--password-stdin", stdin="boss-password\n")
    assert added.returncode == 0 and added.stdout.strip() == "Added boss (admin, every shop)."
    assert board("users", "add", "x", "--role", "greeter", "--shop", "gz01", "--password-stdin", stdin="long-enough\n").stderr.strip() \
        == "board: there is no shop 'gz01'"
    assert board("users", "add", "y", "--role", "admin", "--password-stdin", stdin="short\n").returncode == 2
    app = create_app(Settings(database_url=url, scheduler_interval_s=3600))
    with TestClient(app) as client:
        sign_in_client(client, "boss", "boss-password")
        assert client.post("/api/shops", json={"code": "gz01", "name": "广州店"}).status_code == 201
        greeter = board("users", "add", "linna", "--role", "greeter", "--shop", "gz01", "--name", "林娜", "--password-stdin", stdin="greeter-pass\n")
        assert greeter.returncode == 0
        issued = board("tokens", "add", "--shop", "gz01", "--board", "welcome", "--name", "Lobby TV")
        link = next(line.split(": ", 1)[1] for line in issued.stdout.splitlines() if line.startswith("Open on the screen"))
        assert TestClient(app).get(link).status_code == 200  # no sign-in: the link alone
        token_id = client.get("/api/shops/gz01/tokens").json()["displays"][0]["id"]
        listed = board("tokens", "list", "--shop", "gz01")
        assert f"display {token_id:>4}  welcome" in listed.stdout and "valid" in listed.stdout
        assert board("tokens", "revoke", str(token_id), "--shop", "gz01").returncode == 0
        assert TestClient(app).get(link).status_code == 403
        assert board("tokens", "revoke", str(token_id), "--shop", "gz01").stderr.strip() == "board: This display token was already revoked."
        assert board("users", "disable", "linna").returncode == 0
        reset = board("users", "password", "linna", "--password-stdin", stdin="another-pass\n")
        assert reset.stdout.strip().endswith("The account is still disabled.")
        assert TestClient(app).post("/api/session", json={"username": "linna", "password": "another-pass"}).status_code == 401
        assert "linna" in board("users", "list").stdout and "disabled" in board("users", "list").stdout
