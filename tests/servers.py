"""Real servers for the live tests, on loopback ports, stopped afterwards."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn

from board.serving import uvicorn_config


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port}")


@contextmanager
def serve_in_thread(app: Any, port: int | None = None) -> Iterator[str]:
    """Run an app under uvicorn in this process (so tests can move its clock); yields host:port."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn_config(app, "127.0.0.1", port, app.state.settings))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)


class RedisServer:
    """A redis-server without persistence: a restart comes back empty, the hard case."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="board-redis-")
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        exe = shutil.which("redis-server")
        if exe is None:
            raise RuntimeError("redis-server not found: run the README's test command, it installs it")
        self.proc = subprocess.Popen(
            [exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", self.dir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_port(self.port)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


ADMIN_PASSWORD = "admin-password-1"  # of the group admin every test database has (BOARD_ADMIN_PASSWORD on a fresh one)


class BoardProcess:
    """``board serve`` in its own process, as a second host would run it."""

    def __init__(self, env: dict[str, str], log_path: str) -> None:
        self.port = free_port()
        self.env = {**os.environ, "BOARD_ADMIN_PASSWORD": ADMIN_PASSWORD, **env, "BOARD_PORT": str(self.port)}
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/live"

    def admin(self, path: str = "") -> httpx.Client:
        """An HTTP client signed in as the group admin (the CSRF secret in its headers), based at ``path``."""
        client = httpx.Client(base_url=self.http + path, timeout=30)
        response = client.post(self.http + "/api/session", json={"username": "admin", "password": ADMIN_PASSWORD})
        response.raise_for_status()
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        return client

    def kiosk(self, shop: str, board: str = "workshop") -> str:
        """The websocket address of a wall display of ``board``, with a kiosk token issued for it."""
        client = self.admin()
        try:
            response = client.post(f"/api/shops/{shop}/tokens", json={"board": board, "name": "bench screen"})
            response.raise_for_status()
            return f"{self.ws}?token={response.json()['token']}"
        finally:
            client.close()

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen([sys.executable, "-m", "board.cli", "serve"], env=self.env, stdout=log, stderr=log)
        wait_port(self.port, timeout=60)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
