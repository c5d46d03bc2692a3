"""Promises against the live plan: when a car will be ready, and when its advisor must hear that it
will miss its promise. Pure.

Rules:
- a car is ready when its last card in the workshop is done (the plan's end, never before now),
  then the quality check and the wash it still needs (``rules.QC_ALLOWANCE``, ``WASH_ALLOWANCE``);
  while a card of it has no place in the plan (parts with no date), nobody knows when;
- the advisor hears first: once the plan has a car ready past its promise, an alert is raised
  for its advisor, with the new time and a message ready to send the customer; it is raised again
  only when the car slips ``AGAIN_AFTER`` more (or after she answered, when it slips past the new
  promise).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from board.dispatch import rules

IN_WORKSHOP = ("waiting_dispatch", "dispatched", "in_progress", "stopped")
DONE = ("ready", "delivered")
AGAIN_AFTER = timedelta(minutes=15)


def expected_ready(now: datetime, cards: Sequence[tuple[str, datetime | None]]) -> datetime | None:
    """When the car will be ready: ``cards`` as (stage, planned end or None when the plan has no place
    for it). None when it is ready already, or when nobody knows."""
    todo = [(stage, end) for stage, end in cards if stage not in DONE]
    if not todo:
        return None
    ends = [now]
    for stage, end in todo:
        if stage in IN_WORKSHOP:
            if end is None:
                return None
            ends.append(end)
    ready = max(ends)
    if any(stage != "wash" for stage, _end in todo):
        ready += rules.QC_ALLOWANCE
    return ready + rules.WASH_ALLOWANCE


def late_by(promised: datetime, expected: datetime) -> int:
    """Whole minutes the car will be late (0: on time)."""
    return max(int((expected - promised).total_seconds() // 60), 0)


def alert_due(promised: datetime, expected: datetime | None, last_alert: datetime | None) -> bool:
    """Must the advisor hear now? ``last_alert``: the time the last alert not outdated by a new
    promise said (None: none)."""
    if expected is None or late_by(promised, expected) < 1:
        return False
    return last_alert is None or expected - last_alert >= AGAIN_AFTER


def message(greeting: str, plate: str, model: str, promised: datetime, expected: datetime, advisor: str, shop: str) -> str:
    """The text the advisor sends the customer (WeChat or SMS): the new time, said plainly, with an apology."""
    minutes = late_by(promised, expected)
    return (f"{greeting}您好!您的爱车 {plate}({model})预计 {expected:%H:%M} 可取车,比原定的 {promised:%H:%M} 晚约 {minutes} 分钟,"
            f"非常抱歉。如需调整取车时间,请回复或致电服务顾问{advisor}。—— {shop}")
