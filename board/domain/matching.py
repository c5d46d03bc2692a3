"""Matching a plate reading (a greeter's typing, a gate camera's read) to today's bookings. Pure.

Rules, strongest first:
- exact after normalising → accept;
- one OCR-confusable character (0/D/Q, 8/B, 1/7/T, 2/Z, 5/S, 6/G, 4/A), a look-alike province
  character (鄂/粤, 京/琼, 辽/宁 ...) or a missing province → accept only when exactly one
  booking fits and no other comes close; the car model, when given, settles between them;
  otherwise ask with every close candidate;
- one missing, extra, swapped or plainly wrong character, or only the last 4-5 characters
  typed → offer candidates, never accept;
- a plate booked for another day → say so, accept nothing;
- nothing close → a walk-in.
A reading that is not a mainland plate (a paper plate, a foreign plate) is accepted only when
exact. A wrong automatic acceptance is the one outcome that must never happen: when in doubt, ask.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time
from enum import StrEnum

from board.domain.masking import masked_plate
from board.domain.plates import PROVINCES, parse


class Rule(StrEnum):
    EXACT = "exact"
    CONFUSABLE = "confusable"
    PROVINCE = "province"
    NO_PROVINCE = "no_province"
    MODEL = "model"
    ONE_EDIT = "one_edit"
    SUFFIX = "suffix"
    OTHER_DAY = "other_day"
    NOTHING_CLOSE = "nothing_close"
    UNREADABLE = "unreadable"


class Decision(StrEnum):
    ACCEPT = "accept"
    ASK = "ask"
    OFFER = "offer"
    OTHER_DAY = "other_day"
    WALK_IN = "walk_in"
    NONE = "none"


CONFUSABLE_GROUPS = ("0DQ", "8B", "17T", "2Z", "5S", "6G", "4A")
_CONFUSABLE = {c: set(group) - {c} for group in CONFUSABLE_GROUPS for c in group}
_LOOKALIKE_PAIRS = ("鄂粤", "奥粤", "京琼", "辽宁", "边辽", "苏办", "沪泸", "晋普", "蒙豪", "川州", "贵责", "云去", "甘廿", "湘相", "闽阀")
_LOOKALIKE: dict[str, set[str]] = {}
for _pair in _LOOKALIKE_PAIRS:
    _LOOKALIKE.setdefault(_pair[0], set()).add(_pair[1])
    _LOOKALIKE.setdefault(_pair[1], set()).add(_pair[0])

STRONG = (Rule.EXACT, Rule.CONFUSABLE, Rule.PROVINCE, Rule.NO_PROVINCE)
RANK = {rule: n for n, rule in enumerate([Rule.EXACT, Rule.CONFUSABLE, Rule.PROVINCE, Rule.NO_PROVINCE, Rule.ONE_EDIT, Rule.SUFFIX])}


@dataclass(frozen=True)
class Booking:
    id: int
    plate: str  # normal form
    model: str
    day: date
    slot_start: time
    advisor: str | None = None


@dataclass(frozen=True)
class Candidate:
    booking: Booking
    rule: Rule
    model_fits: bool

    def as_dict(self) -> dict[str, object]:
        b = self.booking
        return {
            "appointment_id": b.id, "plate": masked_plate(b.plate), "model": b.model, "day": b.day.isoformat(),
            "slot_start": b.slot_start.strftime("%H:%M"), "advisor": b.advisor, "rule": self.rule.value,
        }


@dataclass(frozen=True)
class Match:
    decision: Decision
    rule: Rule
    accepted: Booking | None = None
    candidates: list[Candidate] = field(default_factory=list)

    def sentence(self) -> tuple[str, str]:
        """What the greeter's screen says, in English and Chinese."""
        c = self.candidates[0].booking if self.candidates else None
        if self.decision is Decision.ACCEPT and self.accepted:
            a = self.accepted
            return (f"Booked: {masked_plate(a.plate)} {a.model} at {a.slot_start:%H:%M}.",
                    f"预约客户:{masked_plate(a.plate)} {a.model} {a.slot_start:%H:%M}。")
        if self.decision is Decision.ASK:
            return (f"{len(self.candidates)} bookings fit; check the plate and model and pick one.",
                    f"有 {len(self.candidates)} 个预约相符,请核对车牌和车型后选择。")
        if self.decision is Decision.OFFER:
            return ("Not sure: is it one of these?", "无法确定,是以下车辆吗?")
        if self.decision is Decision.OTHER_DAY and c:
            return (f"Booked for {c.day.isoformat()} {c.slot_start:%H:%M}, not today.",
                    f"该车预约在 {c.day.isoformat()} {c.slot_start:%H:%M},不是今天。")
        if self.decision is Decision.WALK_IN:
            return ("No booking close to this plate: a walk-in.", "没有相符的预约:直接入厂客户。")
        return ("Please type the plate.", "请输入车牌号。")


def _one_deletion(longer: str, shorter: str) -> bool:
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))


def classify(reading: str, booked: str) -> Rule | None:
    """How a reading (normal form) relates to a booked plate (normal form), if at all."""
    if reading == booked:
        return Rule.EXACT
    if len(reading) == len(booked):
        diffs = [i for i in range(len(reading)) if reading[i] != booked[i]]
        if len(diffs) == 1:
            i = diffs[0]
            if i == 0 and booked[0] in PROVINCES and reading[0] in _LOOKALIKE.get(booked[0], ()):
                return Rule.PROVINCE
            if i > 0 and reading[i] in _CONFUSABLE.get(booked[i], ()):
                return Rule.CONFUSABLE
            return Rule.ONE_EDIT
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and reading[diffs[0]] == booked[diffs[1]] and reading[diffs[1]] == booked[diffs[0]]:
            return Rule.ONE_EDIT  # two characters swapped
        return None
    if len(reading) == len(booked) - 1 and reading == booked[1:] and booked[0] in PROVINCES:
        return Rule.NO_PROVINCE
    if 4 <= len(reading) <= 5 and len(reading) < len(booked) - 1 and booked.endswith(reading):
        return Rule.SUFFIX
    if len(reading) == len(booked) - 1 and _one_deletion(booked, reading):
        return Rule.ONE_EDIT
    if len(reading) == len(booked) + 1 and _one_deletion(reading, booked):
        return Rule.ONE_EDIT
    return None


class BookingIndex:
    """Bookings keyed by plate, by every plate with one character deleted, and by their last
    4 and 5 characters: every booking a reading can relate to shares a key with it."""

    def __init__(self, bookings: Iterable[Booking]) -> None:
        self._keys: dict[str, list[Booking]] = {}
        self._tails: dict[str, list[Booking]] = {}
        for b in bookings:
            for key in {b.plate, *(b.plate[:i] + b.plate[i + 1:] for i in range(len(b.plate)))}:
                self._keys.setdefault(key, []).append(b)
            for n in (4, 5):
                if len(b.plate) > n:
                    self._tails.setdefault(b.plate[-n:], []).append(b)

    def near(self, reading: str) -> list[Booking]:
        found: dict[int, Booking] = {}
        for key in {reading, *(reading[:i] + reading[i + 1:] for i in range(len(reading)))}:
            for b in self._keys.get(key, ()):
                found[b.id] = b
        for b in self._tails.get(reading, ()):
            found[b.id] = b
        return list(found.values())


def model_fits(typed: str | None, booked: str) -> bool:
    if not typed:
        return False
    have = booked.lower()
    return any(token in have for token in typed.lower().split() if len(token) >= 2)


def _related(reading: str, model: str | None, index: BookingIndex, fuzzy_ok: bool) -> list[Candidate]:
    out = []
    for b in index.near(reading):
        rule = classify(reading, b.plate)
        if rule is None:
            continue
        if rule in (Rule.CONFUSABLE, Rule.PROVINCE, Rule.NO_PROVINCE) and (not fuzzy_ok or not parse(b.plate).mainland):
            rule = Rule.ONE_EDIT  # not a plate we can reason about: offer, never accept
        out.append(Candidate(b, rule, model_fits(model, b.model)))
    out.sort(key=lambda c: (RANK[c.rule], not c.model_fits, c.booking.slot_start, c.booking.id))
    return out


def match(reading: str, model: str | None, today: BookingIndex, other_days: BookingIndex) -> Match:
    parsed = parse(reading)
    text = parsed.text
    if not 2 <= len(text) <= 12:
        return Match(Decision.NONE, Rule.UNREADABLE)
    fuzzy_ok = parsed.mainland or parsed.kind == "no_province"
    close = _related(text, model, today, fuzzy_ok)
    exact = [c for c in close if c.rule is Rule.EXACT]
    if len(exact) == 1:
        return Match(Decision.ACCEPT, Rule.EXACT, exact[0].booking, close)
    strong = [c for c in close if c.rule in STRONG]
    if len(strong) == 1 and len(close) == 1:
        return Match(Decision.ACCEPT, strong[0].rule, strong[0].booking, close)
    if strong:
        fitting = [c for c in close if c.model_fits]
        if len(fitting) == 1 and fitting[0].rule in STRONG:
            return Match(Decision.ACCEPT, Rule.MODEL, fitting[0].booking, close)
        return Match(Decision.ASK, strong[0].rule, None, close)
    elsewhere = [c for c in _related(text, model, other_days, fuzzy_ok) if c.rule in STRONG]
    if elsewhere:
        return Match(Decision.OTHER_DAY, Rule.OTHER_DAY, None, elsewhere + close)
    if close:
        return Match(Decision.OFFER, close[0].rule, None, close)
    return Match(Decision.WALK_IN, Rule.NOTHING_CLOSE)
