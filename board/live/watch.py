"""Keeping an eye on the displays of this process: a heartbeat to each (it carries the heads, and the
server's time), a display that has not acknowledged for too long cut off, and the displays whose
sign-in ended or whose kiosk token was revoked closed.

Heartbeats never wait on the database: a slow database must not make every wall display reconnect
at once. The credential check runs beside them, with a time limit.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from board.clock import Clock
from board.live import protocol
from board.live.connection import Connection
from board.supervisor import Beat, Supervisor

log = logging.getLogger("board.live.watch")

Ended = Callable[[set[int], set[int]], tuple[set[int], set[int]]]


class Watch:
    def __init__(self, connections: set[Connection], clock: Clock, ended: Ended, heartbeat_s: float = 15.0,
                 lag_cutoff_s: float = 30.0) -> None:
        self.connections = connections  # the hub's own set: the displays connected now
        self.clock = clock
        self.ended = ended  # which sign-in sessions and kiosk tokens no longer stand (a database read)
        self.heartbeat_s = heartbeat_s
        # A display silent this long is cut off; never less than a few heartbeats.
        self.lag_cutoff_s = max(lag_cutoff_s, 2.5 * heartbeat_s)

    def start(self, supervisor: Supervisor) -> None:
        supervisor.start("live.heartbeat", self.heartbeat_s, self._heartbeat_loop)
        supervisor.start("live.credentials", self.heartbeat_s, self._credentials_loop)

    async def _heartbeat_loop(self, beat: Beat) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_s)
            self.heartbeat()
            self.cut_off_silent()
            beat()

    async def _credentials_loop(self, beat: Beat) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_s)
            try:
                await asyncio.wait_for(self.check_credentials(), timeout=max(self.heartbeat_s, 5.0))
            except TimeoutError:
                log.warning("credential check timed out (the database is slow); trying again next beat")
                continue
            beat()

    def heartbeat(self) -> None:
        now = self.clock.now().isoformat(timespec="seconds")
        for conn in list(self.connections):
            conn.offer(protocol.heartbeat({b: ch.head() for b, ch in conn.channels.items()}, now))

    def cut_off_silent(self) -> None:
        """A display that has acknowledged nothing for ``lag_cutoff_s`` has stopped reading: cut it off."""
        limit = time.monotonic() - self.lag_cutoff_s
        for conn in list(self.connections):
            if conn.heard_at < limit and not conn.closed:
                log.warning("display stopped acknowledging; disconnecting it", extra={"client": conn.client})
                conn.cut_off(1013, "not reading")

    async def check_credentials(self) -> None:
        """Close the displays whose kiosk token was revoked, or whose sign-in session has ended (signed out,
        disabled, password changed) since they connected: one query each for all of this process's displays."""
        conns = list(self.connections)
        if not conns:
            return
        token_ids = {c.principal.token_id for c in conns if c.principal.token_id is not None}
        session_ids = {c.principal.session_id for c in conns if c.principal.session_id is not None}
        signed_out, revoked = await asyncio.to_thread(self.ended, session_ids, token_ids)
        for conn in conns:
            p = conn.principal
            if p.token_id in revoked or p.session_id in signed_out:
                log.info("display no longer authorised; closing it", extra={"client": conn.client, "who": p.name})
                conn.refuse()
