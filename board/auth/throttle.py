"""Login attempts: after too many failures for one name or from one address, wait. Pure (time is passed in)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

WINDOW_S = 600.0
PER_NAME = 5  # a person mistyping five times in ten minutes waits
PER_ADDRESS = 20  # one address trying many names waits too


@dataclass
class LoginThrottle:
    window_s: float = WINDOW_S
    per_name: int = PER_NAME
    per_address: int = PER_ADDRESS
    _failures: dict[str, deque[float]] = field(default_factory=dict)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        return times

    def wait_s(self, name: str, address: str, now: float) -> float:
        """Seconds before another attempt is allowed (0: go ahead)."""
        waits = [0.0]
        for key, limit in ((f"n:{name.lower()}", self.per_name), (f"a:{address}", self.per_address)):
            times = self._recent(key, now)
            if len(times) >= limit:
                waits.append(times[len(times) - limit] + self.window_s - now)
        return max(waits)

    def failed(self, name: str, address: str, now: float) -> None:
        for key in (f"n:{name.lower()}", f"a:{address}"):
            self._recent(key, now).append(now)
        if len(self._failures) > 10_000:  # forget quiet keys so a scan cannot grow memory without end
            for key in [k for k, v in self._failures.items() if not v or v[-1] <= now - self.window_s]:
                del self._failures[key]

    def succeeded(self, name: str) -> None:
        self._failures.pop(f"n:{name.lower()}", None)
