"""How long a sign-in lasts. Pure (times are passed in).

A session ends when unused for ``idle`` (each use moves it on: the expiry slides) and in any case
``max_age`` after signing in; signing out, a new password, a new role or a disabled account end it at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# Each use moves ``seen_at`` on, but at most once a minute: a page polling every second is not a write a second.
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class Lifetime:
    idle: timedelta
    max_age: timedelta

    def expired(self, created: datetime, seen: datetime, now: datetime) -> bool:
        return now - seen >= self.idle or now - created >= self.max_age

    def needs_touch(self, seen: datetime, now: datetime) -> bool:
        return now - seen >= TOUCH_EVERY
