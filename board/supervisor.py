"""Every long-lived task of a server process runs supervised: an error is logged, the loop waits
(backing off, with jitter) and starts again, and its state is there for /api/health to show.

A loop's body calls ``beat()`` each time round; a loop whose last beat is older than three of its
periods is reported unhealthy even if it has not failed (stuck on something that does not time out).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("board.supervisor")

Beat = Callable[[], None]
MAX_BACKOFF_S = 30.0
HEALTHY_RUN_S = 60.0  # a loop that ran this long before failing starts again from the shortest wait


@dataclass
class LoopState:
    name: str
    period_s: float
    state: str = "starting"  # running / restarting / stopped
    last_beat: float = 0.0  # monotonic
    restarts: int = 0
    last_error: str = ""

    def report(self, now: float) -> dict[str, Any]:
        age = now - self.last_beat if self.last_beat else None
        healthy = self.state == "running" and age is not None and age <= max(3 * self.period_s, 5.0)
        return {"state": self.state, "healthy": healthy, "last_beat_s_ago": None if age is None else round(age, 1),
                "restarts": self.restarts, "last_error": self.last_error}


class Supervisor:
    def __init__(self) -> None:
        self.loops: dict[str, LoopState] = {}
        self._tasks: list[asyncio.Task[None]] = []

    def start(self, name: str, period_s: float, body: Callable[[Beat], Awaitable[None]]) -> None:
        state = self.loops[name] = LoopState(name, period_s)
        self._tasks.append(asyncio.create_task(self._run(state, body), name=name))

    async def _run(self, state: LoopState, body: Callable[[Beat], Awaitable[None]]) -> None:
        backoff = 0.5

        def beat() -> None:
            state.last_beat = time.monotonic()
            state.state = "running"

        while True:
            began = time.monotonic()
            beat()
            try:
                await body(beat)
                state.state = "stopped"
                return
            except asyncio.CancelledError:
                state.state = "stopped"
                raise
            except Exception as exc:  # the loop must outlive whatever went wrong in one round
                state.restarts += 1
                state.last_error = f"{type(exc).__name__}: {exc}"[:300]
                state.state = "restarting"
                if time.monotonic() - began >= HEALTHY_RUN_S:
                    backoff = 0.5
                wait = backoff * random.uniform(0.5, 1.5)
                log.error("background loop failed; restarting", exc_info=exc,
                          extra={"loop": state.name, "restarts": state.restarts, "retry_in_s": round(wait, 1)})
                await asyncio.sleep(wait)
                backoff = min(backoff * 2, MAX_BACKOFF_S)

    def health(self) -> dict[str, dict[str, Any]]:
        now = time.monotonic()
        return {name: state.report(now) for name, state in self.loops.items()}

    def healthy(self) -> bool:
        return all(report["healthy"] for report in self.health().values())

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
