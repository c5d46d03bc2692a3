"""Job cards (派工单): what goes on one card. Pure.

Rules:
- a service menu is one card for one technician, its operations as lines (一车一技师);
- lines of one order that need the same skill and the same kind of bay, at the same priority and
  both alone on the car (or both sharing it), go on one card, unless the advisor wrote the line
  as a card of its own (``separate``);
- a line joins a card only while the card is still to be worked (not yet at quality check), and
  only when the card's technician, if it has one, holds the line's skill at its level;
- a card's hours are its lines' hours; its level the highest of theirs; its name the menu's, or its
  first operation and how many more.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from board.domain.vocab import BayKind, PriorityClass, Skill, Stage

OPEN = (Stage.WAITING_DISPATCH, Stage.DISPATCHED, Stage.IN_PROGRESS, Stage.STOPPED)
NAME_LENGTH = 120


@dataclass(frozen=True)
class Kind:
    """What a card's lines share."""

    skill: Skill
    bay_kind: BayKind
    priority: PriorityClass
    shares_car: bool


def joins(card: Kind, stage: Stage, line: Kind, level: int, separate: bool, technician_skills: Mapping[Skill, int] | None) -> bool:
    """May a line of this kind and level go on this card?"""
    if separate or card != line or stage not in OPEN:
        return False
    return technician_skills is None or technician_skills.get(line.skill, 0) >= level


def name(operations: Sequence[str], menu_name: str | None) -> str:
    """The card's name: its menu's, else its first operation and how many it has ("更换刹车片 等2项")."""
    if menu_name:
        return menu_name[:NAME_LENGTH]
    if len(operations) == 1:
        return operations[0][:NAME_LENGTH]
    more = f" 等{len(operations)}项"
    return operations[0][:NAME_LENGTH - len(more)] + more
