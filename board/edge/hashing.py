"""Password checks on a small pool of their own.

argon2 takes ~0.2 s and 64 MiB per check. On the shared worker pool a burst of sign-ins made every
page wait behind them; here at most ``workers`` run and ``queue`` wait, and a try beyond that is
answered at once with 503 and Retry-After instead of queueing without bound.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from board.errors import Unavailable

T = TypeVar("T")


class HashPool:
    def __init__(self, workers: int = 2, queue: int = 8) -> None:
        self.workers = workers
        self.limit = workers + queue
        self.inside = 0  # running or waiting
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="password-hash")

    async def run(self, work: Callable[[], T]) -> T:
        if self.inside >= self.limit:  # only touched on the event loop: no lock needed
            raise Unavailable("Many people are signing in at once; try again in a moment.", "同时登录的人较多,请稍后再试。", 2)
        self.inside += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, work)
        finally:
            self.inside -= 1

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
