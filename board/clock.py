"""The one place the board asks what time it is, so tests and the demo can move time."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    # How many seconds of this clock pass in a real second: pages extrapolate between the
    # server's time stamps with it (1 for the wall clock, 0 for a stopped test clock, 30 in a demo).
    rate: float

    def now(self) -> datetime: ...


class SystemClock:
    rate = 1.0

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FixedClock:
    """A clock that stands still until moved (tests and the demo's simulated day)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at
        self._lock = threading.Lock()
        self.rate = 0.0

    def now(self) -> datetime:
        with self._lock:
            return self._at

    def set(self, at: datetime) -> None:
        with self._lock:
            self._at = at

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._at += delta


def wall_clock() -> datetime:
    """Real time, whatever the shop's clock says: sign-in sessions and throttles keep it (the demo's day runs 30× faster)."""
    return datetime.now(timezone.utc)
