"""What the API answers, key by key: the 2xx bodies of /api/openapi.json.

The serializers of board/api/serialize.py are annotated with these, so mypy holds them to what
the document says. The shapes built below the API layer (services, boards, dispatch) may not
import this module (the layer contract); tests/integration/test_openapi.py checks real answers
against their documented schemas instead. A key only some callers get is ``NotRequired``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field
from typing_extensions import NotRequired, TypedDict  # pydantic needs typing_extensions' TypedDict on 3.11

Day = Annotated[str, Field(description="A shop day: YYYY-MM-DD")]
ClockTime = Annotated[str, Field(description="A shop-local time of day: HH:MM")]
Instant = Annotated[str, Field(description="ISO 8601, in the shop's zone with its UTC offset")]


class Label(TypedDict):
    """A coded value with its words in Chinese and English."""

    value: str
    zh: str
    en: str


class Words(TypedDict):
    zh: str
    en: str


class IdName(TypedDict):
    id: int
    name: str


# -- shops and staff ----------------------------------------------------------------------


class ShopOut(TypedDict):
    id: int
    code: str
    name: str
    timezone: str
    opens_at: ClockTime
    closes_at: ClockTime
    slot_minutes: int
    receptions_per_advisor_slot: int
    booking_share: float
    labour_rate: float  # yuan per labour hour
    version: int


class AdvisorOut(TypedDict):
    id: int
    name: str
    shift_start: ClockTime
    shift_end: ClockTime
    present: bool
    version: int


class SkillOut(TypedDict):
    skill: str
    zh: str
    en: str
    level: int


class TechnicianOut(TypedDict):
    id: int
    name: str
    team: Label
    skills: list[SkillOut]
    shift_start: ClockTime
    shift_end: ClockTime
    present: bool
    version: int


class BayOut(TypedDict):
    id: int
    name: str
    kind: Label
    version: int


class UserOut(TypedDict):
    id: int
    username: str
    name: str
    role: str
    shop_id: int | None
    technician_id: int | None
    advisor_id: int | None
    active: bool
    version: int


# -- bookings, the appointment board, arrivals ---------------------------------------------


class CustomerOut(TypedDict):
    name: str
    title: str
    phone: NotRequired[str]  # only for those who call customers (board.auth.roles.PHONE_READERS)


class AppointmentOut(TypedDict):
    id: int
    day: Day
    slot_start: ClockTime
    plate: str
    plate_normalised: str
    model: str
    customer: CustomerOut
    advisor: IdName | None
    service_type: Label
    source: Label
    status: Label
    column: str
    note: str
    booked_at: Instant
    rolled_over_at: Instant | None
    arrived_at: Instant | None
    version: int
    state: NotRequired[Label]  # where the card stands now; not inside a preparation


class WorkshopAnswer(TypedDict):
    """What the workshop's plan says of a car arriving then (board/dispatch/capacity.py)."""

    fits: bool  # its work starts within the stated wait: 30 min if the customer waits, 2 h if he drops it off
    waits: bool
    start: Instant | None  # when its work would start (None: not today)
    finish: Instant | None
    ready: Instant | None  # the finish, the quality check and the wash, and the shop's margin: what to tell the customer
    why: Words | None  # why it does not start at once ("所有举升机占用至 15:43")


class SlotOut(TypedDict):
    day: Day
    slot_start: ClockTime
    free: int  # bookings it can take now: the advisors' room, where the workshop fits the car in time; else 0
    reception_free: int
    workshop: WorkshopAnswer | None  # None: the workshop was not asked (no advisor free)


class ImportOut(TypedDict):
    imported: int
    ids: list[int]


class RolloverOut(TypedDict):
    day: Day
    moved: list[int]
    moved_count: int
    trigger: str
    already_done: bool
    first_run_at: Instant


class BookingCard(TypedDict):
    id: int
    day: Day
    slot_start: ClockTime
    late_at: Instant
    column: str
    status: str
    plate: str
    model: str
    customer: str
    service_type: str
    source: str
    advisor: str | None
    arrived_at: Instant | None
    note: str
    version: int


class DayCard(BookingCard):
    state: Label


class DayColumn(TypedDict):
    key: str
    title_zh: str
    title_en: str
    cards: list[DayCard]


class DayBoard(TypedDict):
    day: Day
    now: Annotated[str, Field(description="Shop-local now, ISO 8601 to the minute")]
    columns: list[DayColumn]
    counts: dict[str, int]


class BoardMeta(TypedDict):
    day: Day
    shop: str
    timezone: str


class WelcomeCard(TypedDict):
    greeting: str
    plate: str
    model: str
    slot_start: ClockTime | None
    advisor: str | None
    arrived_at: Instant | None
    stage: str | None  # where the car is: received, in_repair, quality_check, wash, ready
    ready_at: Instant | None  # from the live plan; never made up
    ready_pending: str | None  # no time to say: "parts" (held for parts) or "pending" (时间待定)
    parts_eta: Instant | None  # when the parts it waits for should arrive


class WelcomeBoard(TypedDict, extra_items=WelcomeCard):  # type: ignore[call-arg]  # mypy does not read PEP 728 yet
    """``_meta``, then one card per booking keyed ``a<id>``."""

    _meta: BoardMeta


class PreparationOut(TypedDict):
    appointment: AppointmentOut
    parts_status: Label
    parts_note: str
    technician_id: int | None
    bay_id: int | None
    checked: bool
    checked_by: str | None
    checked_at: Instant | None
    version: int


class ArrivalOut(TypedDict):
    id: int
    appointment_id: int | None
    walk_in: bool
    plate: str
    model: str
    source: str
    arrived_at: Instant
    received_at: Instant | None
    received_by: int | None
    reception_seconds: int | None
    undone_at: Instant | None
    undo_reason: str
    version: int


class CandidateOut(TypedDict):
    appointment_id: int
    plate: Annotated[str, Field(description="Masked")]
    model: str
    day: Day
    slot_start: ClockTime
    advisor: str | None
    rule: str


class PlateMatch(TypedDict):
    decision: Annotated[str, Field(description="accept, ask, offer, other_day, walk_in, none or already_arrived")]
    rule: str
    accepted: int | None
    candidates: list[CandidateOut]
    message: str
    message_zh: str


class CameraVerdict(PlateMatch):
    confirmed: bool
    suggestion: NotRequired[bool]  # only when the greeter is left to decide
    arrival_id: int | None
    low_confidence: bool


class CameraReadOut(CameraVerdict):
    repeat: bool


class CameraSuggestion(CameraVerdict):
    read_id: int
    camera_id: int
    confidence: float
    read_at: Instant


# -- tokens and cameras -------------------------------------------------------------------


class DisplayTokenOut(TypedDict):
    id: int
    kind: Literal["display"]
    board: str
    name: str
    masked: Annotated[bool, Field(description="plates masked (reception and welcome always; a workshop TV customers can see)")]
    created_by: str
    created_at: str
    revoked_at: str | None


class IssuedDisplayToken(DisplayTokenOut):
    token: Annotated[str, Field(description="Shown this once")]
    url: str


class CameraListed(TypedDict):
    id: int
    kind: Literal["camera"]
    name: str
    min_confidence: float
    active: bool


class TokensOut(TypedDict):
    displays: list[DisplayTokenOut]
    cameras: list[CameraListed]


class RevokedCamera(TypedDict):
    id: int
    name: str
    active: bool


class NewCamera(TypedDict):
    id: int
    name: str
    min_confidence: float
    token: Annotated[str, Field(description="Shown this once")]


# -- repair orders, jobs, dispatch --------------------------------------------------------


class CheckItem(TypedDict):
    key: str
    zh: str
    en: str


class JobLineOut(TypedDict):
    """One operation on a job card."""

    id: int
    operation: str
    est_hours: float
    check: str  # the checklist it brings ("" for the card's kind of work)
    done: bool
    done_at: Instant | None
    done_by: str
    finding_id: int | None  # the extra work it came from


class JobOut(TypedDict):
    id: int
    repair_order_id: int
    operation: str
    skill: str
    level: int
    est_hours: float
    bay_kind: str
    priority: Label
    stage: Label
    allowed_actions: list[str]
    stop_reason: Label | None
    stop_note: str
    qc_failures: int
    technician_id: int | None
    bay_id: int | None
    planned_start: Instant | None
    planned_end: Instant | None
    actual_start: Instant | None
    actual_end: Instant | None
    parts_status: Label
    pinned: bool
    shares_car: bool
    lines: list[JobLineOut]  # the card's operations
    car_bay_id: int | None  # the bay its car stands in now (None: in no bay)
    self_check: list[CheckItem]  # the card's self-check (自检): its operations' checks
    version: int


class CardPartOut(TypedDict):
    id: int
    part_no: str
    name: str
    qty: float
    status: Annotated[str, Field(description="needed, picked, ordered or arrived")]
    expected_at: Instant | None


class EarlierVisitOut(TypedDict):
    ro: str
    opened_at: Instant | None
    operations: list[str]
    mileage_km: int | None


class CardDeclinedOut(TypedDict):
    finding_id: int
    text: str
    operation: str
    decided_at: Instant | None


class JobCardOut(TypedDict):
    """The technician's card: the work and what he should know about the car before he starts."""

    job_id: int
    ro: str
    plate: str
    model: str
    vin: str | None
    new_energy: Annotated[bool, Field(description="A new-energy car (green plate): high voltage, a qualified man only")]
    customer_words: Annotated[str, Field(description="The complaint in the customer's words, from the walk-round")]
    advisor_note: str
    mileage_km: int | None
    fuel_eighths: int | None
    marks: list[dict[str, Any]]
    valuables: str
    operations: list[dict[str, Any]]
    parts: list[CardPartOut]
    last_visits: list[EarlierVisitOut]
    declined: list[CardDeclinedOut]


class RepairOrderOut(TypedDict):
    id: int
    number: str
    appointment_id: int | None
    plate: str
    model: str
    customer: CustomerOut
    advisor: IdName
    opened_at: Instant
    promised_at: Instant
    customer_waiting: bool
    rework_of_id: int | None
    note: str
    bay_id: int | None  # the bay the car stands in now
    jobs: list[JobOut]
    version: int


class PromiseAlertOut(TypedDict):
    """A promise the live plan will miss, as the advisor sees it, and her answer."""

    id: int
    repair_order_id: int
    number: str
    advisor_id: int | None
    plate: str
    model: str
    customer: str
    customer_waiting: bool
    promised_at: Instant
    expected_at: Instant
    late_minutes: int
    message: str  # ready to send the customer
    raised_at: Instant
    answered_at: Instant | None
    answer: str  # "called", "new_promise", or "" while open
    answered_by: str
    version: int


class PlannedJob(TypedDict):
    job_id: int
    label: str
    priority: str
    technician_id: int
    technician: str | None
    bay_id: int | None
    bay: str | None
    start: Instant
    end: Instant
    late_minutes: int
    fixed: bool
    current_technician_id: int | None
    reasons: list[Words]
    cause: Annotated[Words | None, Field(description="What holds the job up when it does not start now: its parts, its car, the bays, every qualified man busy")]


class PlanMove(TypedDict):
    job_id: int
    label: str
    from_technician: str | None
    to_technician: str | None
    reason: Words


class Unassignable(TypedDict):
    job_id: int
    label: str
    reason: Words


class TechSpeed(TypedDict):
    technician_id: int
    skill: str
    factor: float  # his hours per standard hour, from the last 30 days clocked (0.8: faster)
    zh: str  # "赵强 保养 0.8×"
    en: str


class DispatchPlan(TypedDict):
    plan: list[PlannedJob]
    moves: list[PlanMove]
    unassignable: list[Unassignable]
    late: list[int]
    weighted_lateness: float
    now: Instant
    speeds: list[TechSpeed]
    plan_stamp: str  # what these suggestions are called: send it back with assign and accept


class AcceptedPlan(TypedDict):
    assigned: list[JobOut]


class EventOut(TypedDict):
    id: int
    at: Instant
    actor: str
    entity: str
    entity_id: int
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str


# -- follow-up calls (the reports are board.reports.kpis.Summary) -------------------------


class FollowUpCall(TypedDict):
    id: int
    repair_order_id: int
    called_at: Instant
    called_by: str
    outcome: Label
    note: str
    resolved_at: Instant | None
    resolution: str
    version: int


class CalledOrder(TypedDict):
    repair_order_id: int
    number: str
    plate: str
    model: str
    customer: str
    phone: str
    advisor: str


class DeclinedOut(TypedDict):
    """Extra work the customer said no to: on the bill, on the follow-up call, at the next booking."""

    finding_id: int
    text: str
    operation: str
    labour_price: float
    parts_price: float
    amount: float
    decided_at: Instant | None


class DueCall(CalledOrder):
    delivered_at: Instant
    overdue: bool
    call: FollowUpCall | None
    declined: list[DeclinedOut]  # to offer again on the call


class OpenComplaint(CalledOrder, FollowUpCall):
    pass


class FollowUps(TypedDict):
    day: Day
    due: list[DueCall]
    open_complaints: list[OpenComplaint]
    reached_30_days: int
    complaints_30_days: int
    complaint_rate: float | None
    standard: float


class Target(TypedDict):
    target: float
    direction: str  # "at_least" or "at_most": which way is better
    default: float


class Targets(TypedDict):
    version: int
    targets: dict[str, Target]

