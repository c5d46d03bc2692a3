"""Where a car goes when a technician clocks on its card: one car, one bay (board/dispatch/rules.py,
rules 7 and 8). Pure: the edge hands in what stands where and acts on the answer.

Rules:
- a car standing in a bay is worked there, when the card may go in a bay of that kind;
- a car standing in a bay of another kind moves, unless somebody is working on it there;
- a car standing nowhere (the car park, the waiting area) goes up in the bay the plan gave the
  card when that bay is free, else in the first free bay the card may go in (its own kind first);
- a bay with a car standing in it is never given to another car;
- two technicians work one car at once only in one bay, and only when both cards allow it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from board.dispatch import rules
from board.dispatch.model import BayIn, Reason


@dataclass(frozen=True)
class Worked:
    """A card of the car in progress now (another technician on it)."""

    job_id: int
    technician: str
    shares_car: bool


@dataclass(frozen=True)
class Refused:
    reason: Reason


def bay_for_clock_on(car: int, kind: str, shares_car: bool, planned_bay: int | None, bays: Sequence[BayIn],
                     worked: Sequence[Worked] = ()) -> BayIn | Refused:
    """The bay a card of ``car`` (asking for a bay of ``kind``) is worked in if its technician
    clocks on now, or why he cannot. ``bays`` carry the car standing in each (``BayIn.car``);
    ``worked``: the car's other cards in progress."""
    kinds = rules.bay_kinds(kind)
    here = next((b for b in bays if b.car == car), None)
    if worked and not (shares_car and all(w.shares_car for w in worked)):
        names = "、".join(w.technician for w in worked)
        en = " and ".join(w.technician for w in worked)
        where_zh, where_en = (f"在{here.name}", f" in {here.name}") if here else ("", "")
        return Refused(Reason(f"车辆{where_zh}正由{names}维修", f"the car is being worked on{where_en} by {en}"))
    if here is not None:
        if here.kind in kinds:
            return here
        if worked:
            return Refused(Reason(f"车辆在{here.name}维修中,该作业需{_kinds_zh(kinds)}", f"the car is being worked on in {here.name}; "
                                  f"this card needs {_kinds_en(kinds)}"))
    free = [b for b in bays if b.kind in kinds and b.car is None]
    planned = next((b for b in free if b.id == planned_bay), None)
    if planned is not None:
        return planned
    if free:
        return min(free, key=lambda b: (kinds.index(b.kind), b.id))
    taken = [b for b in bays if b.kind in kinds]
    if not taken:
        return Refused(Reason(f"本店没有{_kinds_zh(kinds)}", f"this shop has no {_kinds_en(kinds)}"))
    return Refused(Reason(f"所有{_kinds_zh(kinds)}都有车({'、'.join(b.name for b in taken)})",
                          f"every one of the {_kinds_en(kinds)} has a car in it ({', '.join(b.name for b in taken)})"))


def _kinds_zh(kinds: tuple[str, ...]) -> str:
    return "和".join(rules.BAYS_WORDS.get(k, (k, k))[0] for k in kinds)


def _kinds_en(kinds: tuple[str, ...]) -> str:
    return " and ".join(rules.BAYS_WORDS.get(k, (k, k))[1] for k in kinds)
