"""A throw-away PostgreSQL server on a loopback port, run as an unprivileged user when root."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise RuntimeError(f"{name} not found: install PostgreSQL 15 (see README)")


class PostgresServer:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="board-pg-"))
        self.port = _free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if self.as_root:
            nobody = pwd.getpwnam("nobody")
            subprocess.run(
                cmd, check=True, capture_output=True, user=nobody.pw_uid, group=nobody.pw_gid,
                cwd=str(self.dir), env={**os.environ, "HOME": str(self.dir)},
            )
        else:
            subprocess.run(cmd, check=True, capture_output=True)

    def start(self) -> str:
        if self.as_root:
            os.chmod(self.dir, 0o755)
            shutil.chown(self.dir, "nobody", "nogroup")
        data = self.dir / "data"
        self._run(_bin("initdb"), "-D", str(data), "-U", "board", "--auth=trust", "-E", "UTF8", "--locale=C")
        self._run(
            _bin("pg_ctl"), "-D", str(data), "-l", str(self.dir / "log"), "-w", "-t", "60", "start",
            "-o", f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c max_connections=200",
        )
        url = f"postgresql://board@127.0.0.1:{self.port}/postgres"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return url
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("PostgreSQL did not start")

    def stop(self) -> None:
        try:
            self._run(_bin("pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    # -- faults ------------------------------------------------------------------------------

    def pids(self) -> list[int]:
        """The postmaster and every process it started (backends, writer, checkpointer...)."""
        master = int((self.dir / "data" / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                children.append(int(stat.parent.name))
        return [master, *children]

    def _signal(self, sig: signal.Signals) -> None:
        for pid in self.pids():
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass  # a backend that ended between listing and signalling

    def freeze(self) -> None:
        """SIGSTOP the whole server: connections stay open, nothing answers (a hung database)."""
        self._signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self._signal(signal.SIGCONT)

    def restart(self) -> None:
        self._run(_bin("pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w", "-t", "60", "-m", "immediate", "restart",
                  "-o", f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c max_connections=200")
