"""What the booking console's and the parts desk's routes answer, key by key (as board/api/answers.py
does for the rest: the services build these shapes; tests/integration/test_openapi.py checks them)."""

from __future__ import annotations

from typing_extensions import NotRequired, TypedDict  # pydantic needs typing_extensions' TypedDict on 3.11

from board.api.answers import ClockTime, Day, IdName, Instant, Label, SlotOut, WorkshopAnswer

# -- the booking console ------------------------------------------------------------------


class CarCustomer(TypedDict):
    id: int | None
    name: str
    title: str
    phone: NotRequired[str]  # only for those who call customers


class CarBooking(TypedDict):
    id: int
    day: Day
    slot_start: ClockTime
    service_type: Label
    source: Label
    status: Label
    advisor: str | None
    note: str
    version: int


class Car(TypedDict):
    """A car as the advisor finds it: its customer, when it was last here, when its next service is due."""

    vehicle_id: int
    plate: str
    model: str
    vin: str | None
    customer: CarCustomer
    last_visit: Day | None
    last_mileage_km: int | None  # from the walk-round at its last reception that noted it
    next_service: Day | None  # set at its last hand-over, else its last visit plus its menu's interval (6 months by default)
    interval_months: int | None  # null when the hand-over set the date
    next_service_km: int | None
    menu_code: str | None  # the service menu its next service would be
    advisor: IdName | None  # who wrote its last repair order
    upcoming: CarBooking | None  # its next booking still to come


class CarOrder(TypedDict):
    id: int
    number: str
    opened_at: Instant
    advisor: str
    operations: list[str]
    delivered: bool
    final_amount: float | None
    mileage_km: int | None
    next_service_date: Day | None


class DeclinedWork(TypedDict):
    """Extra work the customer said no to: to offer again."""

    finding_id: int
    repair_order: str
    text: str
    operation: str
    price: float
    found_at: Day


class FromOrder(TypedDict):
    id: int
    number: str


class CarHistory(Car):
    bookings: list[CarBooking]  # newest first
    orders: list[CarOrder]  # newest first
    declined: list[DeclinedWork]
    from_order: NotRequired[FromOrder]  # when asked by a repair order (the follow-up call)


class DueCar(Car):
    overdue_days: int


class DueList(TypedDict):
    day: Day
    by: Day
    default_interval_months: int
    cars: list[DueCar]


class DaySlots(TypedDict):
    day: Day
    weekday: int  # 1 Monday … 7 Sunday
    times: int  # the day's times that can take the booking
    slots: list[SlotOut]


class BothWays(TypedDict):
    """One time, asked both ways: the customer waits, or drops the car off."""

    day: Day
    slot_start: ClockTime
    waits: WorkshopAnswer
    drops_off: WorkshopAnswer


class MenuPartOut(TypedDict):
    part_no: str
    name: str
    qty: float
    unit_price: float


class MenuOffer(TypedDict):
    """A service menu as offered when booking: its operations, parts and price."""

    code: str
    name: str
    service_type: Label
    interval_months: int | None
    interval_km: int | None
    operations: list[str]
    hours: float
    parts: list[MenuPartOut]
    parts_price: float
    price: float  # hours × the shop's labour rate + parts


# -- the parts desk -------------------------------------------------------------------------


class PartLineOut(TypedDict):
    id: int
    job_id: int | None
    appointment_id: int | None
    part_no: str
    name: str
    qty: float
    unit_price: float
    status: Label
    expected_at: Instant | None
    overdue: bool  # on order and its expected arrival has passed
    from_booking: bool  # prepared for the booking the job's car came on
    updated_at: Instant
    version: int


class PartsJob(TypedDict):
    job_id: int
    repair_order_id: int
    ro: str
    plate: str
    model: str
    operation: str
    stage: Label
    technician: str | None
    planned_start: Instant | None
    promised_at: Instant
    customer_waiting: bool
    parts_status: Label
    menu_code: str | None
    parts_eta: Instant | None  # when the last part on order should arrive; null while one has no date
    lines: list[PartLineOut]
    menu: MenuOffer | None  # the menu whose parts it would take, while it has no lines
    held_for_parts: bool  # stopped for parts, or parts on order: as the foreman and the workshop TV show it
    stop_note: str
    version: int


class PartsBooking(TypedDict):
    appointment_id: int
    day: Day
    slot_start: ClockTime
    plate: str
    model: str
    customer: str
    service_type: Label
    advisor: str | None
    note: str
    lines: list[PartLineOut]
    menu: MenuOffer | None


class PartsDesk(TypedDict):
    day: Day  # the bookings' day
    now: str
    jobs: list[PartsJob]
    bookings: list[PartsBooking]
    counts: dict[str, int]  # lines needed, picked, ordered, arrived; overdue; held (jobs held for parts)
