"""The commands the services take: what a person asks the shop to do, validated (pydantic) into
typed requests. The API validates request bodies into these; the CLI, the demo and the dispatcher
build them directly. Bad input becomes field-named 422s at the edge."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator

from board.auth.passwords import MIN_LENGTH
from board.auth.roles import DISPLAY_BOARDS, Role
from board.domain import plates
from board.domain.stages import Action
from board.domain.vocab import (
    BayKind,
    BookingSource,
    CallOutcome,
    PartsStatus,
    PriorityClass,
    ServiceType,
    Skill,
    StopReason,
    Team,
)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=8)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 \-]{5,19}$")]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Level = Annotated[int, Field(ge=1, le=3)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1, description="The version you read; a stale one gets 409.")]
# A row's id: what a database column can hold (a bigger number names nothing, and says so).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _pad_hour(value: object) -> object:
    """People and DMS exports write 9:00 as often as 09:00."""
    if isinstance(value, str) and len(value.strip()) == 4 and value.strip()[1] == ":":
        return "0" + value.strip()
    return value


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("is a time on the shop's wall clock, without a time zone (like 08:30)")
    return value


def _this_century(value: datetime) -> datetime:
    if not 2000 <= value.year <= 2100:
        raise ValueError("must be between the years 2000 and 2100")
    return value


ClockTime = Annotated[time, BeforeValidator(_pad_hour), AfterValidator(_wall_clock)]
ShopDay = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]
Moment = Annotated[datetime, AfterValidator(_this_century)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PlateField(Strict):
    plate: Annotated[str, StringConstraints(min_length=1, max_length=24)]

    @field_validator("plate")
    @classmethod
    def _plate_readable(cls, value: str) -> str:
        normal = plates.normalise(value)
        if not 2 <= len(normal) <= 12:
            raise ValueError("a plate has 2 to 12 characters once spaces and dots are removed")
        return value.strip()


class ShopIn(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{1,31}$")]
    name: Name
    timezone: str | None = Field(default=None, description="The shop's time zone (default: BOARD_TIMEZONE)")
    opens_at: ClockTime = time(8, 0)
    closes_at: ClockTime = time(18, 0)
    slot_minutes: Annotated[int, Field(ge=10, le=120)] = 30
    receptions_per_advisor_slot: Annotated[int, Field(ge=1, le=10)] = 2
    booking_share: Annotated[float, Field(gt=0, le=1)] = 0.7

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        if value is None:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{value!r} is not a known time zone") from exc
        return value


class AdvisorIn(Strict):
    name: Name
    shift_start: ClockTime = time(8, 0)
    shift_end: ClockTime = time(18, 0)
    present: bool = True


class AdvisorPatch(Strict):
    version: Version
    name: Name | None = None
    shift_start: ClockTime | None = None
    shift_end: ClockTime | None = None
    present: bool | None = None


class SkillIn(Strict):
    skill: Skill
    level: Level


class TechnicianIn(Strict):
    name: Name
    team: Team
    skills: list[SkillIn] = Field(min_length=1)
    shift_start: ClockTime = time(8, 0)
    shift_end: ClockTime = time(17, 30)
    present: bool = True


class TechnicianPatch(Strict):
    version: Version
    name: Name | None = None
    skills: list[SkillIn] | None = None
    shift_start: ClockTime | None = None
    shift_end: ClockTime | None = None
    present: bool | None = None


class BayIn(Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    kind: BayKind


class BookingIn(PlateField):
    day: ShopDay
    slot_start: ClockTime
    model: Name
    vin: Annotated[str, StringConstraints(pattern=r"^[A-HJ-NPR-Z0-9]{17}$")] | None = None
    customer_name: Name
    title: Title = ""
    phone: Phone
    service_type: ServiceType
    advisor_id: Id | None = None
    source: BookingSource = BookingSource.INBOUND_CALL
    note: Note = ""
    menu_code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)] | None = Field(
        default=None, description="The service menu booked (its work is what the workshop's capacity is asked for)")
    customer_waiting: bool = Field(default=False, description="The customer waits in the lounge (else he drops the car off)")


class BookingPatch(Strict):
    version: Version
    day: ShopDay | None = None
    slot_start: ClockTime | None = None
    service_type: ServiceType | None = None
    advisor_id: Id | None = None
    note: Note | None = None
    customer_waiting: bool | None = None


class VersionedAction(Strict):
    version: Version
    reason: Note = ""


class PreparationPatch(Strict):
    version: Version
    parts_status: PartsStatus | None = None
    parts_note: Note | None = None
    technician_id: Id | None = None
    bay_id: Id | None = None
    checked: bool | None = None


class JobIn(Strict):
    """A line of work on a repair order: it goes on the order's card of its skill and kind of bay
    (one card, one technician), or on a card of its own when ``separate``."""

    operation: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    skill: Skill
    level: Level = 1
    est_hours: Annotated[float, Field(gt=0, le=200)]
    bay_kind: BayKind
    parts_status: PartsStatus = PartsStatus.NONE_NEEDED
    priority: PriorityClass | None = Field(default=None, description="Defaults from the repair order")
    shares_car: bool = Field(default=False, description="May be worked beside another job of the car in the same bay (two technicians)")
    menu_code: Annotated[str, StringConstraints(max_length=30)] | None = Field(default=None, description="The service menu it comes from")
    separate: bool = Field(default=False, description="A card of its own, not joined with the order's other work of its skill and kind of bay")
    check: Annotated[str, StringConstraints(pattern=r"^[a-z_]{0,30}$")] | None = Field(
        default=None, description="The checklist it brings (oil_change, brakes, filter, tyres, wipers, battery, inspection); by its name when left out")


# -- service menus (保养套餐) and the reception (接车/制单) -------------------------------------------

PartNo = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Money = Annotated[float, Field(ge=0, le=1_000_000)]


class MenuJob(Strict):
    operation: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    skill: Skill
    level: Level = 1
    est_hours: Annotated[float, Field(gt=0, le=40)]
    bay_kind: BayKind
    check: Annotated[str, StringConstraints(pattern=r"^[a-z_]{0,30}$")] | None = None


class MenuPart(Strict):
    part_no: PartNo
    name: Name
    qty: Annotated[float, Field(gt=0, le=1000)] = 1
    unit_price: Money = 0


class MenuIn(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,29}$")]
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    service_type: ServiceType
    interval_km: Annotated[int, Field(ge=100, le=200_000)] | None = None
    interval_months: Annotated[int, Field(ge=1, le=60)] | None = None
    jobs: list[MenuJob] = Field(min_length=1, max_length=20)
    parts: list[MenuPart] = Field(default_factory=list, max_length=50)


class MenuPatch(Strict):
    version: Version
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)] | None = None
    interval_km: Annotated[int, Field(ge=100, le=200_000)] | None = None
    interval_months: Annotated[int, Field(ge=1, le=60)] | None = None
    jobs: list[MenuJob] | None = Field(default=None, min_length=1, max_length=20)
    parts: list[MenuPart] | None = Field(default=None, max_length=50)
    active: bool | None = None


class ShopPatch(Strict):
    version: Version
    name: Name | None = None
    labour_rate: Annotated[float, Field(gt=0, le=10_000, description="Yuan per labour hour")] | None = None
    opens_at: ClockTime | None = None
    closes_at: ClockTime | None = None


class Mark(Strict):
    where: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    what: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class WalkRound(Strict):
    """What the advisor and the customer see walking round the car."""

    mileage_km: Annotated[int, Field(ge=0, le=2_000_000)] | None = None
    fuel_eighths: Annotated[int, Field(ge=0, le=8, description="0 empty … 8 full")] | None = None
    marks: list[Mark] = Field(default_factory=list, max_length=30)
    valuables: Note = ""
    customer_words: Note = Field(default="", description="The complaint, in the customer's words")


class QuoteIn(Strict):
    """The work to quote a promise for: when would the shop finish it, given the live plan."""

    menus: list[Annotated[str, StringConstraints(max_length=30)]] = Field(default_factory=list, max_length=10)
    jobs: list[JobIn] = Field(default_factory=list, max_length=50)
    customer_waiting: bool = False
    appointment_id: Id | None = None


class ReceptionIn(QuoteIn):
    """The repair order written at reception, from an arrival (or a booking, or a walk-in), with its
    walk-round, estimate, promise and the customer's signature."""

    arrival_id: Id | None = None
    plate: Annotated[str, StringConstraints(min_length=1, max_length=24)] | None = None
    model: Name | None = None
    customer_name: Name | None = None
    title: Title = ""
    phone: Phone | None = None
    advisor_id: Id | None = None
    promised_at: Moment
    walk_round: WalkRound = Field(default_factory=WalkRound)
    note: Note = ""
    signature: Annotated[str, StringConstraints(max_length=60_000, pattern=r"^[MLml0-9., -]*$")] = Field(
        default="", description="The customer's signature as SVG path data (M/L commands), drawn on the tablet")


class RepairOrderIn(Strict):
    appointment_id: Id | None = None
    plate: Annotated[str, StringConstraints(min_length=1, max_length=24)] | None = None
    model: Name | None = None
    customer_name: Name | None = None
    title: Title = ""
    phone: Phone | None = None
    advisor_id: Id | None = None
    promised_at: Moment
    customer_waiting: bool = False
    rework_of_id: Id | None = None
    note: Note = ""
    jobs: list[JobIn] = Field(default_factory=list, max_length=50)


class JobPatch(Strict):
    version: Version
    operation: Annotated[str, StringConstraints(min_length=1, max_length=120)] | None = None
    skill: Skill | None = None
    level: Level | None = None
    est_hours: Annotated[float, Field(gt=0, le=200)] | None = None
    bay_kind: BayKind | None = None
    parts_status: PartsStatus | None = None
    priority: PriorityClass | None = None
    shares_car: bool | None = None


class TransitionIn(Strict):
    action: Action
    version: Version
    technician_id: Id | None = None
    bay_id: Id | None = None
    reason: StopReason | None = None
    note: Note = ""


class MatchIn(Strict):
    plate: Annotated[str, StringConstraints(max_length=300)]
    model: Annotated[str, StringConstraints(max_length=60)] | None = None


class ArrivalIn(Strict):
    appointment_id: Id | None = Field(default=None, description="The booking the greeter confirmed")
    walk_in: bool = Field(default=False, description="No booking: a walk-in with plate and model")
    plate: Annotated[str, StringConstraints(min_length=1, max_length=24)] | None = None
    model: Annotated[str, StringConstraints(max_length=60)] = ""


class ReceivedIn(Strict):
    version: Version
    advisor_id: Id | None = None


class UndoIn(Strict):
    version: Version
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class CameraIn(Strict):
    name: Name
    min_confidence: Annotated[float, Field(ge=0, le=1)] = 0.9


class CameraReadIn(Strict):
    camera_id: Id
    plate: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    confidence: Annotated[float, Field(ge=0, le=1)]
    time: Moment
    idempotency_key: Annotated[str, StringConstraints(min_length=1, max_length=80)]


# The name of the plan a foreman's screen showed, sent back with his click (see plan_store.stamp).
PlanStamp = Annotated[str | None, StringConstraints(max_length=40), Field(
    description="The plan_stamp of the GET /dispatch/plan your screen showed: if the plan has changed since, 409 (look again)")]


class AssignIn(Strict):
    job_id: Id
    version: Version
    technician_id: Id
    technician_version: int | None = Field(default=None, description="The technician's version you planned with; stale → 409")
    bay_id: Id | None = None
    reason: Note = Field(default="", description="Required when this is not the suggested technician")
    plan_stamp: PlanStamp = None


class AcceptIn(Strict):
    versions: dict[str, Version] = Field(description="The version of every job in the plan you accept, by job id")
    plan_stamp: PlanStamp = None


class ClockOnIn(Strict):
    version: Version


class ClockOffIn(Strict):
    version: Version
    reason: StopReason = StopReason.OTHER
    note: Note = ""


class WaitingAreaIn(Strict):
    """The foreman sends a stopped car from its bay to the waiting area (待修区), freeing the bay."""

    version: Version = Field(description="The repair order's version you read")
    reason: Note = ""


class AlertAnswerIn(Strict):
    """The advisor's answer to a promise the plan will miss: she called the customer, or gave him a new promise."""

    version: Version
    answer: Literal["called", "new_promise"]
    promised_at: Moment | None = Field(default=None, description="The new promise (with answer new_promise); the shop's wall clock if no zone")
    note: Note = ""


class LineDoneIn(Strict):
    version: Version = Field(description="The card's version you read")
    done: bool = True


class FollowUpIn(Strict):
    repair_order_id: Id
    outcome: CallOutcome
    note: Note = ""
    version: Version | None = Field(default=None, description="Calling again after 'unreachable': the version of that call")


class ComplaintClose(Strict):
    version: Version
    resolution: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


# -- the shop's standards -------------------------------------------------------------------

Rate = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False, description="A share: 0.95 is 95 %")]


class TargetsPatch(Strict):
    """The shop's KPI targets; leave out what stays. Which way each is better is fixed (GET says)."""

    version: Version
    appointment_rate: Rate | None = None
    no_show_rate: Rate | None = None
    within_5_min: Rate | None = None
    on_time_delivery: Rate | None = None
    first_time_right: Rate | None = None
    rework_rate: Rate | None = None
    utilisation: Rate | None = None
    efficiency: Annotated[float, Field(gt=0, le=3, allow_inf_nan=False, description="Estimated hours per clocked hour: 1.0 is 100 %")] | None = None
    complaint_rate: Rate | None = None


# -- people and tokens ----------------------------------------------------------------------

Username = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40, pattern=r"^[A-Za-z0-9_.\-]+$")]
Password = Annotated[str, StringConstraints(min_length=MIN_LENGTH, max_length=200)]


class UserIn(Strict):
    username: Username
    name: Name
    role: Role
    password: Password
    shop: Annotated[str | None, Field(description="The shop's code; leave out only for an admin of every shop.")] = None
    technician_id: Id | None = None
    advisor_id: Id | None = None


class UserPatch(Strict):
    version: Version
    name: Name | None = None
    role: Role | None = None
    active: bool | None = None
    password: Password | None = None


class DisplayTokenIn(Strict):
    board: Annotated[str, Field(description="reception, welcome or workshop")]
    name: Name
    masked: Annotated[bool, Field(description="plates masked: a workshop TV customers can see (reception and welcome always are)")] = False

    @field_validator("board")
    @classmethod
    def _known_board(cls, value: str) -> str:
        if value not in DISPLAY_BOARDS:
            raise ValueError(f"must be one of {', '.join(DISPLAY_BOARDS)}")
        return value
