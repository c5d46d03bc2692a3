"""The answers of the service menus and the reception (board/api/routes_order.py)."""

from __future__ import annotations

from typing import Any

from typing_extensions import TypedDict

from board.api.answers import Instant, RepairOrderOut, Words


class MenuOut(TypedDict):
    id: int
    code: str
    name: str
    service_type: str
    interval_km: int | None
    interval_months: int | None
    jobs: list[dict[str, Any]]  # operation, skill, level, est_hours, bay_kind
    parts: list[dict[str, Any]]  # part_no, name, qty, unit_price
    active: bool
    hours: float
    labour: float  # yuan, at the shop's labour rate
    parts_amount: float
    total: float
    version: int


class PromiseMargin(TypedDict):
    minutes: int  # the percentile below of how late past jobs finished after their planned end
    percentile: int
    past_jobs: int
    zh: str
    en: str


class QuoteOut(TypedDict):
    hours: float
    labour_rate: float
    labour: float
    parts: float
    total: float
    priority: str
    finish: Instant | None  # when the dispatcher would finish the last job, by the live plan
    promise: Instant | None  # the finish, the quality check, the wash and a margin, rounded up
    allowance_minutes: int  # QC, wash and the margin
    margin: PromiseMargin
    cannot: list[Words]  # why some of the work could not be planned today
    far: bool  # the promise is past the shift's end, or more than twice the work, the check and the wash away
    why: Words | None  # then why: "所有举升机占用至 15:43; ..."
    options: list[PromiseOption]  # and what else the customer may choose
    jobs: list[dict[str, Any]]


class PromiseOption(TypedDict):
    kind: str  # "express" (an express bay), "another_technician" (the foreman gives it to him), "drop_off" (leave the car), "another_day" (come back at a time the workshop keeps)
    ready: Instant
    zh: str
    en: str


class ReceptionOut(TypedDict):
    repair_order_id: int
    mileage_km: int | None
    fuel_eighths: int | None
    marks: list[dict[str, str]]
    valuables: str
    customer_words: str
    signed: bool
    signed_at: str | None
    created_by: str


class ReceivedOrder(TypedDict):
    order: RepairOrderOut
    reception: ReceptionOut
