"""What the quality, wash, hand-over and DMS routes answer, key by key (see board/api/answers.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from typing_extensions import TypedDict

from board.api.answers import Day, DeclinedOut, IdName, Instant, JobOut, Label


class ChecklistItem(TypedDict):
    key: str
    zh: str
    en: str


class Checklists(TypedDict):
    self: Annotated[dict[str, list[ChecklistItem]], Field(description="The technician's self-check (自检), by skill")]
    final: Annotated[dict[str, list[ChecklistItem]], Field(description="The inspector's check (终检), by skill")]
    operations: Annotated[dict[str, list[ChecklistItem]], Field(description="Each kind of operation's checks: a card's list is its operations'")]
    every_car: Annotated[list[ChecklistItem], Field(description="What the inspector checks on every car, after the card's own")]


class TickedItem(TypedDict):
    item: str
    ok: bool


class CheckOut(TypedDict):
    id: int
    job_id: int
    kind: Annotated[str, Field(description="self (the technician's) or final (the inspector's)")]
    checked_by: str
    at: Instant
    items: list[TickedItem]
    passed: bool
    reason: str


class Checked(TypedDict):
    check: CheckOut
    job: JobOut


class OrderHead(TypedDict):
    repair_order_id: int
    number: str
    plate: str
    model: str
    customer: str
    advisor: IdName
    opened_at: Instant
    promised_at: Instant
    customer_waiting: bool
    rework: bool


class JobStage(TypedDict):
    id: int
    operation: str
    stage: Label


class SelfCheckSeen(TypedDict):
    by: str
    at: Instant


class Failure(TypedDict):
    reason: str
    by: str
    at: Instant


class QcJob(TypedDict):
    id: int
    operation: str
    skill: Label
    est_hours: float
    technician: str | None
    finished_at: Instant | None
    qc_failures: int
    version: int
    self_check: Annotated[SelfCheckSeen | None, Field(description="None: sent to the check without the technician's own")]
    earlier_failures: list[Failure]
    operations: list[str]  # the card's operations, as the inspector checks them
    checklist: list[ChecklistItem]


class QcCar(OrderHead):
    since: Instant | None
    jobs: list[QcJob]
    other_jobs: list[JobStage]


class SentBack(TypedDict):
    id: int
    repair_order_id: int
    number: str
    plate: str
    model: str
    operation: str
    stage: Label
    qc_failures: int
    technician: str | None
    reason: str
    by: str
    at: Instant


class QcQueue(TypedDict):
    cars: list[QcCar]
    returned: list[SentBack]


class WashJob(TypedDict):
    id: int
    operation: str
    version: int


class WashCar(OrderHead):
    since: Instant
    washable: Annotated[bool, Field(description="False while another of its jobs is still in the workshop")]
    jobs: list[WashJob]
    waiting_for: list[JobStage]


class Washed(TypedDict):
    repair_order_id: int
    jobs: list[JobOut]


class ReadyCar(OrderHead):
    version: int
    ready_since: Instant | None
    jobs: int
    labour_hours: float
    labour_amount: float
    mine: bool


class BillLine(TypedDict):
    job_id: int
    operation: str  # the card's name (its menu's)
    operations: list[str]  # what was done on it, line by line
    skill: Label
    hours: float
    labour_price: float
    priced: Annotated[bool, Field(description="True: priced by the advisor; else hours × the shop's labour rate")]
    technician: str | None
    stage: Label
    qc_failures: int


class PartOut(TypedDict):
    job_id: int | None
    part_no: str
    name: str
    qty: float
    unit_price: float
    amount: float
    finding_id: Annotated[int | None, Field(description="Extra work approved with a parts price but no part lines")]


class Estimate(TypedDict):
    labour: float | None
    parts: float | None
    signed_at: Instant | None


class NextService(TypedDict):
    date: Day | None
    km: int | None


class Closed(TypedDict):
    closed_at: Instant
    final_amount: float | None
    delivered_by: str
    next_service_date: Day | None
    next_service_km: int | None


class Bill(OrderHead):
    version: int
    labour_rate: float
    lines: list[BillLine]
    parts: list[PartOut]
    declined: list[DeclinedOut]
    labour_hours: float
    labour_amount: float
    parts_amount: float
    computed_amount: float
    estimate: Estimate | None
    mileage_km: int | None
    suggested_next_service: NextService
    ready: bool
    closed: Closed | None


class DmsCustomer(TypedDict):
    name: str
    title: str
    phone: str


class DmsLine(TypedDict):
    job_id: int
    operation: str
    hours: float
    labour_price: float
    technician: str | None


class ClosedOrder(TypedDict):
    repair_order_id: int
    number: str
    plate: str
    vin: str | None
    model: str
    customer: DmsCustomer
    advisor: str
    opened_at: Instant
    promised_at: Instant
    closed_at: Instant
    delivered_by: str
    closed_on_screen: Annotated[bool, Field(description="False: its last job was delivered through the API; the total is the one computed")]
    lines: list[DmsLine]
    parts: list[PartOut]
    declined: list[DeclinedOut]
    labour_rate: float
    labour_hours: float
    labour_amount: float
    parts_amount: float
    computed_amount: float
    final_amount: float | None
    total: float
    next_service: NextService
