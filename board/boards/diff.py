"""Board states and the deltas between them. Pure.

A board's state is a flat mapping from a card key to the card (JSON values). A delta lists
the cards set (new or changed) and the keys deleted; applying it is idempotent, so a delta
seen twice, or one already contained in a snapshot, does no harm.
"""

from __future__ import annotations

from typing import Any

State = dict[str, Any]
Changes = dict[str, Any]  # {"set": {key: card}, "del": [key]}


def diff(before: State, after: State) -> Changes:
    changed = {k: v for k, v in after.items() if before.get(k, _MISSING) != v}
    gone = sorted(k for k in before if k not in after)
    out: Changes = {}
    if changed:
        out["set"] = changed
    if gone:
        out["del"] = gone
    return out


def apply(state: State, changes: Changes) -> State:
    new = dict(state)
    new.update(changes.get("set", {}))
    for key in changes.get("del", []):
        new.pop(key, None)
    return new


_MISSING = object()
