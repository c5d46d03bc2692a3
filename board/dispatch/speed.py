"""Each technician's real speed, and the margin a promise needs, from the clocked history. Pure.

Speed: per technician and skill, hours clocked over standard hours on the jobs he finished in the
last ``WINDOW``, shrunk toward the standard (1.0) by a prior worth ``PRIOR_JOBS`` average jobs:

    factor = (clocked + k * s) / (standard + k * s)

with s the average standard hours of a job in the history and k = PRIOR_JOBS. This is the
posterior mean of a rate with a conjugate prior centred on 1.0 (empirical Bayes in spirit: the
prior's scale is the shop's own average job), so one average job moves a man's factor a
sixth of the way to its own ratio, and twenty jobs speak mostly for themselves. A single job's clocked hours are
first held within ``CLAMP`` of its standard: a clock left running over lunch, or a job clocked
for seconds, is a mistake to ignore, not a speed (issue 13 point 5 saw 8536x).

Promise margin: the ``PERCENTILE``-th percentile of past overruns (finished minus planned,
minutes; early finishes count as 0), so a promise made at the planned end plus the margin
would have been kept that often. Too little history gives ``DEFAULT_MARGIN``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(days=30)
PRIOR_JOBS = 5.0  # the prior weighs as much as this many average jobs
CLAMP = (0.25, 4.0)  # one job's clocked hours are held within these multiples of its standard hours
PERCENTILE = 80  # a promise with the margin would have been kept 4 times in 5
MIN_OVERRUNS = 10  # fewer past jobs than this: DEFAULT_MARGIN
DEFAULT_MARGIN = timedelta(minutes=30)


@dataclass(frozen=True)
class Clocked:
    """One finished job: who did it, its skill, its standard hours and the hours he clocked."""

    tech_id: int
    skill: str
    standard_hours: float
    clocked_hours: float
    finished: datetime


def speed_factors(history: Iterable[Clocked], now: datetime, window: timedelta = WINDOW,
                  prior_jobs: float = PRIOR_JOBS) -> dict[int, dict[str, float]]:
    """``{tech_id: {skill: factor}}`` for TechIn.speed: 0.8 = he needs 80 % of the standard time.
    Only technicians and skills with history in the window appear (the rest are 1.0)."""
    recent = [c for c in history if now - window <= c.finished <= now and c.standard_hours > 0]
    if not recent:
        return {}
    average = sum(c.standard_hours for c in recent) / len(recent)
    sums: dict[tuple[int, str], list[float]] = {}
    for c in recent:
        low, high = CLAMP[0] * c.standard_hours, CLAMP[1] * c.standard_hours
        clocked = min(max(c.clocked_hours, low), high)
        total = sums.setdefault((c.tech_id, c.skill), [0.0, 0.0])
        total[0] += clocked
        total[1] += c.standard_hours
    prior = prior_jobs * average
    out: dict[int, dict[str, float]] = {}
    for (tech, skill), (clocked, standard) in sums.items():
        out.setdefault(tech, {})[skill] = round((clocked + prior) / (standard + prior), 3)
    return out


def promise_margin(overruns: Sequence[float], percentile: float = PERCENTILE) -> timedelta:
    """How much later than the planned end to promise: the ``percentile``-th percentile (nearest
    rank) of past overruns in minutes, early finishes counted as on time."""
    if len(overruns) < MIN_OVERRUNS:
        return DEFAULT_MARGIN
    ranked = sorted(max(o, 0.0) for o in overruns)
    rank = max(math.ceil(percentile / 100 * len(ranked)) - 1, 0)
    return timedelta(minutes=math.ceil(ranked[rank]))


def speed_words(tech_name: str, speeds: Mapping[str, float], skill_words: Mapping[str, tuple[str, str]]) -> list[tuple[str, str]]:
    """What the foreman's console shows, zh and en: "赵强 保养 0.8×" / "赵强 maintenance 0.8×"."""
    return [(f"{tech_name} {skill_words.get(s, (s, s))[0]} {f:.1f}×", f"{tech_name} {skill_words.get(s, (s, s))[1]} {f:.1f}×")
            for s, f in sorted(speeds.items())]
