"""Handing a car over (交车): the bill the advisor explains and the next service she books in the
customer's mind. Pure.

Rules:
- a job line's labour is its estimated price when the advisor priced it, else its hours × the shop's
  labour rate (yuan per hour) — the hours sold, not the hours clocked;
- parts are the order's part lines, quantity × unit price; an approved extra job whose parts were
  priced but never put on a part line counts that price once;
- the amount is labour + parts, to the fen; the advisor may change it before hand-over (a goodwill
  discount, a package card): what she enters is what the DMS is told;
- the next service: the menu's interval when the order's work came from one, else 6 months and
  5,000 km (a Toyota's maintenance interval), from the day and the mileage of this visit.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

DEFAULT_INTERVAL_MONTHS = 6
DEFAULT_INTERVAL_KM = 5000


@dataclass(frozen=True)
class Labour:
    hours: float
    price: float | None  # as estimated; None: at the shop's rate


@dataclass(frozen=True)
class Part:
    qty: float
    unit_price: float


def labour_price(line: Labour, rate: float) -> float:
    return round(line.price if line.price is not None else line.hours * rate, 2)


def labour_amount(lines: Iterable[Labour], rate: float) -> float:
    return round(sum(labour_price(line, rate) for line in lines), 2)


def part_amount(part: Part) -> float:
    return round(part.qty * part.unit_price, 2)


def parts_amount(parts: Iterable[Part]) -> float:
    return round(sum(part_amount(p) for p in parts), 2)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter: 31 Aug + 6 → 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class NextService:
    day: date
    km: int | None  # None when this visit's mileage is not known


def next_service(handed: date, mileage_km: int | None, interval_months: int | None = None, interval_km: int | None = None) -> NextService:
    months = interval_months or DEFAULT_INTERVAL_MONTHS
    km = interval_km or DEFAULT_INTERVAL_KM
    return NextService(add_months(handed, months), mileage_km + km if mileage_km is not None else None)
