"""The sign-in throttle's counters, in the database so that every process counts the same tries.

A try is counted before its password is checked, by one atomic upsert per counter: thirty guesses
sent at once are counted thirty times, and the sixth already waits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import case, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from board.db.models import LoginAttempt


def over(session: Session, counters: Sequence[tuple[str, int]], now: datetime, window_s: float) -> dict[str, float]:
    """Count one try on every counter; the counters over their limit, each with the seconds until
    its window ends (empty: go ahead)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    fresh = LoginAttempt.window_start <= now - timedelta(seconds=window_s)
    waits: dict[str, float] = {}
    for key, limit in counters:
        stmt = insert(LoginAttempt).values(key=key, window_start=now, count=1).on_conflict_do_update(
            index_elements=[LoginAttempt.key],
            set_={"count": case((fresh, 1), else_=LoginAttempt.count + 1), "window_start": case((fresh, now), else_=LoginAttempt.window_start)},
        ).returning(LoginAttempt.count, LoginAttempt.window_start)
        count, started = session.execute(stmt).one()
        if count > limit:
            waits[key] = max((started - now).total_seconds() + window_s, 0.0)
    return waits


def give_back(session: Session, counters: Sequence[tuple[str, int]]) -> None:
    """A try that did not count against anyone (signed in, or never checked because the server was busy)."""
    for key, _limit in counters:
        session.execute(update(LoginAttempt).where(LoginAttempt.key == key, LoginAttempt.count > 0).values(count=LoginAttempt.count - 1))


def retry_after(wait_s: float) -> int:
    return max(1, math.ceil(wait_s))
