"""A deadline on every database call, kept by one background thread.

libpq has no read timeout: when PostgreSQL hangs (frozen, a dead network path) a worker thread
waiting for an answer waits forever, and the server-side ``statement_timeout`` cannot fire
because the server is the one not running. So a connection in use carries a deadline, moved on
by each statement; past it, the watchdog shuts the connection's socket down, the blocked call
fails at once, SQLAlchemy drops the connection and the request answers 503. (JDBC's
``socketTimeout`` and pgbouncer's ``query_timeout`` do the same.)
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

log = logging.getLogger("board.db.watchdog")


class Watchdog:
    def __init__(self, poll_s: float = 0.2) -> None:
        self.poll_s = poll_s
        self._deadlines: dict[int, tuple[float, int, int]] = {}  # connection key -> (deadline, socket fd, its inode)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.fired = 0

    def arm(self, key: int, fileno: int, seconds: float) -> None:
        try:
            inode = os.fstat(fileno).st_ino  # the socket itself: an fd number is reused once it is closed
        except OSError:
            return
        with self._lock:
            self._deadlines[key] = (time.monotonic() + seconds, fileno, inode)
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="db-watchdog", daemon=True)
                self._thread.start()

    def disarm(self, key: int) -> None:
        with self._lock:
            self._deadlines.pop(key, None)

    def _watch(self) -> None:
        while True:
            time.sleep(self.poll_s)
            now = time.monotonic()
            with self._lock:  # held while cutting: a connection is disarmed before it is closed, so the fd is still its own
                for key, (deadline, fd, inode) in list(self._deadlines.items()):
                    if deadline <= now:
                        del self._deadlines[key]
                        self._cut(fd, inode)

    def _cut(self, fd: int, inode: int) -> None:
        try:
            if os.fstat(fd).st_ino != inode:
                return  # that connection is gone and its number belongs to another socket now
            dup = os.dup(fd)
        except OSError:
            return  # already closed: nothing is waiting on it
        try:
            with socket.socket(fileno=dup) as sock:
                sock.shutdown(socket.SHUT_RDWR)
            self.fired += 1
            log.warning("database did not answer in time; connection cut", extra={"fd": fd})
        except OSError:
            pass
