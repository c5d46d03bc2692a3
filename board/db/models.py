"""The shop's records. Every row belongs to one shop; editable rows carry a ``version``."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from board.auth.roles import Role
from board.db.types import UTCDateTime, text_enum
from board.domain.vocab import (
    AppointmentStatus,
    BayKind,
    BoardColumn,
    BookingSource,
    CallOutcome,
    FindingStatus,
    PartLineStatus,
    PartsStatus,
    PriorityClass,
    ServiceType,
    Skill,
    Stage,
    StopReason,
    Team,
)
from board.reports.standards import DEFAULTS as STANDARD_DEFAULTS


class Base(DeclarativeBase):
    """Editable rows declare ``version`` as their mapper's version_id_col: SQLAlchemy bumps it
    and refuses a write over a newer row (optimistic locking)."""

    type_annotation_map = {datetime: UTCDateTime()}


class Shop(Base):
    __tablename__ = "shops"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    opens_at: Mapped[time] = mapped_column(Time, default=time(8, 0))
    closes_at: Mapped[time] = mapped_column(Time, default=time(18, 0))
    slot_minutes: Mapped[int] = mapped_column(Integer, default=30)
    # Cars one advisor can receive in one slot (a reception takes ~15 minutes).
    receptions_per_advisor_slot: Mapped[int] = mapped_column(Integer, default=2)
    # Share of technicians' hours offered to bookings; the rest is kept for walk-ins and rework.
    booking_share: Mapped[float] = mapped_column(Float, default=0.7)
    # Yuan per labour hour: an estimate is hours × this + parts.
    labour_rate: Mapped[float] = mapped_column(Float, default=180.0, server_default="180")
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(8), default="")
    phone: Mapped[str] = mapped_column(String(24), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Vehicle(Base):
    __tablename__ = "vehicles"
    __table_args__ = (UniqueConstraint("shop_id", "plate"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    plate_typed: Mapped[str] = mapped_column(String(24))
    plate: Mapped[str] = mapped_column(String(24))  # normalised
    model: Mapped[str] = mapped_column(String(60))
    vin: Mapped[str | None] = mapped_column(String(17), nullable=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Advisor(Base):
    __tablename__ = "advisors"
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    shift_start: Mapped[time] = mapped_column(Time, default=time(8, 0))
    shift_end: Mapped[time] = mapped_column(Time, default=time(18, 0))
    present: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Technician(Base):
    __tablename__ = "technicians"
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    team: Mapped[Team] = mapped_column(text_enum(Team))
    shift_start: Mapped[time] = mapped_column(Time, default=time(8, 0))
    shift_end: Mapped[time] = mapped_column(Time, default=time(17, 30))
    present: Mapped[bool] = mapped_column(Boolean, default=True)
    skills: Mapped[list["TechnicianSkill"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="TechnicianSkill.skill"
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class TechnicianSkill(Base):
    __tablename__ = "technician_skills"
    __table_args__ = (UniqueConstraint("technician_id", "skill"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("technicians.id", ondelete="CASCADE"), index=True)
    skill: Mapped[Skill] = mapped_column(text_enum(Skill))
    level: Mapped[int] = mapped_column(Integer)


class Bay(Base):
    __tablename__ = "bays"
    __table_args__ = (UniqueConstraint("shop_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[BayKind] = mapped_column(text_enum(BayKind))
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_shop_day", "shop_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    advisor_id: Mapped[int | None] = mapped_column(ForeignKey("advisors.id"), nullable=True)
    day: Mapped[date] = mapped_column(Date)
    slot_start: Mapped[time] = mapped_column(Time)
    service_type: Mapped[ServiceType] = mapped_column(text_enum(ServiceType))
    source: Mapped[BookingSource] = mapped_column(text_enum(BookingSource))
    status: Mapped[AppointmentStatus] = mapped_column(text_enum(AppointmentStatus), default=AppointmentStatus.BOOKED)
    column: Mapped[BoardColumn] = mapped_column("board_column", text_enum(BoardColumn))
    note: Mapped[str] = mapped_column(Text, default="")
    # The service menu booked (保养套餐): the work it brings, for the workshop's capacity and the order.
    menu_code: Mapped[str | None] = mapped_column(String(30), nullable=True)
    # The customer will wait in the lounge (else he drops the car off): the wait the booking was offered for.
    customer_waiting: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    booked_at: Mapped[datetime]
    rolled_over_at: Mapped[datetime | None] = mapped_column(nullable=True)
    arrived_at: Mapped[datetime | None] = mapped_column(nullable=True)
    vehicle: Mapped[Vehicle] = relationship(lazy="joined")
    customer: Mapped[Customer] = relationship(lazy="joined")
    advisor: Mapped[Advisor | None] = relationship(lazy="joined")
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Preparation(Base):
    """The day-before preparation of one booking, checked off by its advisor."""

    __tablename__ = "preparations"
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), unique=True)
    parts_status: Mapped[PartsStatus] = mapped_column(text_enum(PartsStatus), default=PartsStatus.NONE_NEEDED)
    parts_note: Mapped[str] = mapped_column(Text, default="")
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("technicians.id"), nullable=True)
    bay_id: Mapped[int | None] = mapped_column(ForeignKey("bays.id"), nullable=True)
    checked_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
    checked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class RepairOrder(Base):
    """A car's visit: its repair order, its job cards, and where the car stands in the workshop."""

    __tablename__ = "repair_orders"
    # Never two cars on one bay: a bay holds one order's car at most (NULLs, cars on no bay, are many).
    __table_args__ = (UniqueConstraint("shop_id", "number"), Index("ux_repair_orders_bay_id", "bay_id", unique=True))
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    number: Mapped[str] = mapped_column(String(32))
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"), nullable=True, unique=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    advisor_id: Mapped[int] = mapped_column(ForeignKey("advisors.id"))
    opened_at: Mapped[datetime]
    promised_at: Mapped[datetime]
    customer_waiting: Mapped[bool] = mapped_column(Boolean, default=False)
    rework_of_id: Mapped[int | None] = mapped_column(ForeignKey("repair_orders.id"), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    # The estimate the customer signed (yuan): labour at the shop's rate of that day, and parts.
    estimate_labour: Mapped[float | None] = mapped_column(Float, nullable=True)
    estimate_parts: Mapped[float | None] = mapped_column(Float, nullable=True)
    signed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # Handed over: what was paid (to the DMS), the next service, by whom; closes the order for the KPIs.
    final_amount: Mapped[float | None] = mapped_column(Float, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    delivered_by: Mapped[str] = mapped_column(String(60), default="", server_default="")
    next_service_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    next_service_km: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The bay the car stands in now: from its first card's start until it leaves for quality check
    # (or the foreman sends it to the waiting area, 待修区); None: not in a bay.
    bay_id: Mapped[int | None] = mapped_column(ForeignKey("bays.id"), nullable=True)
    jobs: Mapped[list["Job"]] = relationship(back_populates="repair_order", lazy="selectin", order_by="Job.id")
    vehicle: Mapped[Vehicle] = relationship(lazy="joined")
    customer: Mapped[Customer] = relationship(lazy="joined")
    advisor: Mapped[Advisor] = relationship(lazy="joined")
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


IN_PROGRESS = text("stage = 'in_progress'")


class Job(Base):
    """A job card (派工单) of a repair order: work of one skill and one kind of bay for one technician,
    its operations as lines (``JobLine``); the unit the foreman dispatches."""

    __tablename__ = "jobs"
    # Nobody works two cards at once: one card in progress per technician, whatever road started it.
    __table_args__ = (Index("ix_jobs_shop_stage", "shop_id", "stage"),
                      Index("ux_jobs_one_in_progress", "technician_id", unique=True, sqlite_where=IN_PROGRESS, postgresql_where=IN_PROGRESS))
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    repair_order_id: Mapped[int] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    operation: Mapped[str] = mapped_column(String(120))
    skill: Mapped[Skill] = mapped_column(text_enum(Skill))
    level: Mapped[int] = mapped_column(Integer, default=1)
    est_hours: Mapped[float] = mapped_column(Float)
    bay_kind: Mapped[BayKind] = mapped_column(text_enum(BayKind))
    priority: Mapped[PriorityClass] = mapped_column(text_enum(PriorityClass))
    stage: Mapped[Stage] = mapped_column(text_enum(Stage), default=Stage.WAITING_DISPATCH)
    stop_reason: Mapped[StopReason | None] = mapped_column(text_enum(StopReason), nullable=True)
    stop_note: Mapped[str] = mapped_column(Text, default="")
    qc_failures: Mapped[int] = mapped_column(Integer, default=0)
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("technicians.id"), nullable=True, index=True)
    bay_id: Mapped[int | None] = mapped_column(ForeignKey("bays.id"), nullable=True)
    planned_start: Mapped[datetime | None] = mapped_column(nullable=True)
    planned_end: Mapped[datetime | None] = mapped_column(nullable=True)
    actual_start: Mapped[datetime | None] = mapped_column(nullable=True)
    actual_end: Mapped[datetime | None] = mapped_column(nullable=True)
    parts_status: Mapped[PartsStatus] = mapped_column(text_enum(PartsStatus), default=PartsStatus.NONE_NEEDED)
    # Put there by the foreman against the suggestion: re-planning leaves it where it is.
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Two technicians may work this car at once in one bay (both jobs must say so); otherwise a car's
    # jobs follow one another: a car is in one place at a time.
    shares_car: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    stopped_at: Mapped[datetime | None] = mapped_column(nullable=True)  # since when it is stopped (parts, approval, other)
    menu_code: Mapped[str | None] = mapped_column(String(30), nullable=True)  # from a service menu (保养套餐)
    labour_price: Mapped[float | None] = mapped_column(Float, nullable=True)  # yuan, as estimated
    self_checked_at: Mapped[datetime | None] = mapped_column(nullable=True)  # the technician's own check (自检) before QC
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id", use_alter=True, name="fk_jobs_finding_id"), nullable=True)  # extra work it came from
    repair_order: Mapped[RepairOrder] = relationship(back_populates="jobs")
    lines: Mapped[list["JobLine"]] = relationship(back_populates="job", lazy="selectin", order_by="JobLine.position",
                                                  cascade="all, delete-orphan")
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class JobLine(Base):
    """One operation on a job card (作业项目), with its standard hours and the checklist it brings;
    the technician ticks it done."""

    __tablename__ = "job_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    operation: Mapped[str] = mapped_column(String(120))
    est_hours: Mapped[float] = mapped_column(Float)
    # Which checklist it brings (board/domain/checklists.py); "" for the card's kind of work.
    check: Mapped[str] = mapped_column(String(30), default="", server_default="")
    done_at: Mapped[datetime | None] = mapped_column(nullable=True)
    done_by: Mapped[str] = mapped_column(String(60), default="", server_default="")
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id"), nullable=True)  # extra work it came from
    job: Mapped[Job] = relationship(back_populates="lines")


class DayRun(Base):
    """Once-a-day work done for a shop (roll-over, no-show sweep): makes it idempotent."""

    __tablename__ = "day_runs"
    __table_args__ = (UniqueConstraint("shop_id", "day", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(24))
    run_at: Mapped[datetime]
    trigger: Mapped[str] = mapped_column(String(24))  # schedule / manual / catch_up


class Event(Base):
    """Append-only log of every change: who, when, what, before and after.

    Its increasing id is also what later readers (live boards, KPIs) resume from.
    """

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_shop_id", "shop_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")


class LiveBoard(Base):
    """The last published state of one board of a shop: what a fresh snapshot is made of.

    ``epoch`` changes whenever the board's history restarts (a new shop day); ``seq`` counts the
    deltas within an epoch. Both only move forward, under the shop's write lock.
    """

    __tablename__ = "live_boards"
    __table_args__ = (UniqueConstraint("shop_id", "board"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    board: Mapped[str] = mapped_column(String(24))
    day: Mapped[date] = mapped_column(Date)
    epoch: Mapped[int] = mapped_column(BigInteger)
    seq: Mapped[int] = mapped_column(Integer)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)


class LiveOutbox(Base):
    """Deltas committed with the change that caused them, relayed to the broker in order."""

    __tablename__ = "live_outbox"
    __table_args__ = (UniqueConstraint("shop_id", "board", "epoch", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    board: Mapped[str] = mapped_column(String(24))
    epoch: Mapped[int] = mapped_column(BigInteger)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))  # delta / reset
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime]


class Arrival(Base):
    """A car at the door: booked (with its appointment) or a walk-in. ``arrived_at`` starts the
    advisor's 5-minute reception clock, ``received_at`` stops it."""

    __tablename__ = "arrivals"
    __table_args__ = (Index("ix_arrivals_shop_arrived", "shop_id", "arrived_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"), nullable=True, index=True)
    plate: Mapped[str] = mapped_column(String(24))
    plate_typed: Mapped[str] = mapped_column(String(24))
    model: Mapped[str] = mapped_column(String(60), default="")
    source: Mapped[str] = mapped_column(String(12))  # greeter / camera / order
    arrived_at: Mapped[datetime]
    received_at: Mapped[datetime | None] = mapped_column(nullable=True)
    received_by: Mapped[int | None] = mapped_column(ForeignKey("advisors.id"), nullable=True)
    undone_at: Mapped[datetime | None] = mapped_column(nullable=True)
    undo_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Camera(Base):
    """A gate camera; it proves itself with a token of which only the hash is kept."""

    __tablename__ = "cameras"
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    min_confidence: Mapped[float] = mapped_column(Float, default=0.9)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CameraRead(Base):
    __tablename__ = "camera_reads"
    __table_args__ = (UniqueConstraint("camera_id", "idempotency_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id"))
    idempotency_key: Mapped[str] = mapped_column(String(80))
    plate: Mapped[str] = mapped_column(String(40))
    confidence: Mapped[float] = mapped_column(Float)
    read_at: Mapped[datetime]
    received_at: Mapped[datetime]
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    arrival_id: Mapped[int | None] = mapped_column(ForeignKey("arrivals.id"), nullable=True)


class FollowUp(Base):
    """The call to a customer within three days of the car being handed over; a complaint stays
    open until it is closed with its resolution."""

    __tablename__ = "follow_ups"
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    repair_order_id: Mapped[int] = mapped_column(ForeignKey("repair_orders.id"), unique=True)
    called_at: Mapped[datetime]
    called_by: Mapped[str] = mapped_column(String(60))
    outcome: Mapped[CallOutcome] = mapped_column(text_enum(CallOutcome))
    note: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    resolution: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class KpiTargets(Base):
    """The shop's standards the daily summary is held against (board/reports/standards.py: which way
    each is better, the defaults); rates as fractions (0.95 is 95 %), efficiency 1.0 is 100 %."""

    __tablename__ = "kpi_targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), unique=True)
    appointment_rate: Mapped[float] = mapped_column(Float, default=STANDARD_DEFAULTS["appointment_rate"])
    no_show_rate: Mapped[float] = mapped_column(Float, default=STANDARD_DEFAULTS["no_show_rate"])
    within_5_min: Mapped[float] = mapped_column(Float, default=STANDARD_DEFAULTS["within_5_min"])
    on_time_delivery: Mapped[float] = mapped_column(Float, default=STANDARD_DEFAULTS["on_time_delivery"])
    first_time_right: Mapped[float] = mapped_column(Float, default=STANDARD_DEFAULTS["first_time_right"])
    rework_rate: Mapped[float] = mapped_column(Float, default=STANDARD_DEFAULTS["rework_rate"])
    utilisation: Mapped[float] = mapped_column(Float, default=STANDARD_DEFAULTS["utilisation"])
    efficiency: Mapped[float] = mapped_column(Float, default=STANDARD_DEFAULTS["efficiency"])
    complaint_rate: Mapped[float] = mapped_column(Float, default=STANDARD_DEFAULTS["complaint_rate"])
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class User(Base):
    """A person who signs in. ``shop_id`` None only for an admin of every shop in the group;
    a technician or advisor account names the staff record it acts as."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    role: Mapped[Role] = mapped_column(text_enum(Role))
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id"), nullable=True, index=True)
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("technicians.id"), nullable=True)
    advisor_id: Mapped[int | None] = mapped_column(ForeignKey("advisors.id"), nullable=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class LoginSession(Base):
    """A signed-in browser or program: the cookie holds a random token, the server only its hash.
    Signing out deletes the row; so do a new password, a new role and a disabled account."""

    __tablename__ = "login_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    seen_at: Mapped[datetime]  # last use: the session ends when unused for BOARD_SESSION_HOURS
    address: Mapped[str] = mapped_column(String(64), default="")


class LoginAttempt(Base):
    """Sign-in tries counted per key (a name at an address, an address, a name) in a fixed window,
    where every process sees them: counted before the password is checked, atomically."""

    __tablename__ = "login_attempts"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime]
    count: Mapped[int] = mapped_column(Integer, default=0)


class DisplayToken(Base):
    """A wall display's kiosk token: one shop, one board, read-only, no time-out; only its hash is kept.
    ``masked``: the screen can be seen by customers, so plates are masked (the workshop TV only; the
    reception and welcome boards are public and always masked)."""

    __tablename__ = "display_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    board: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(60))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    masked: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(60))
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)


# -- the service process on screens: menus, the walk-round, parts, extra work, quality checks --------


class ServiceMenu(Base):
    """A service menu (保养套餐): fixed operations with their standard hours and the parts they take,
    kept per shop and edited by an admin; a repair order's jobs and parts can come from one."""

    __tablename__ = "service_menus"
    __table_args__ = (UniqueConstraint("shop_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(80))
    service_type: Mapped[ServiceType] = mapped_column(text_enum(ServiceType))
    # Due again after this many km or months (for "cars due for maintenance").
    interval_km: Mapped[int | None] = mapped_column(Integer, nullable=True)
    interval_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # [{"operation", "skill", "level", "est_hours", "bay_kind"}]
    jobs: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # [{"part_no", "name", "qty", "unit_price"}]
    parts: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Reception(Base):
    """The walk-round at reception (接车): what the advisor and the customer saw and agreed, signed."""

    __tablename__ = "receptions"
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    repair_order_id: Mapped[int] = mapped_column(ForeignKey("repair_orders.id"), unique=True)
    mileage_km: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fuel_eighths: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 0 empty … 8 full
    marks: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # bodywork seen: [{"where", "what"}]
    valuables: Mapped[str] = mapped_column(Text, default="")
    customer_words: Mapped[str] = mapped_column(Text, default="")  # the complaint, in the customer's words
    signature: Mapped[str] = mapped_column(Text, default="")  # SVG path data of the customer's signature
    signed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(60))


class PartLine(Base):
    """A part a job or a booking needs, as the parts desk follows it: needed → picked, or ordered
    (with an expected arrival) → arrived."""

    __tablename__ = "part_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), nullable=True, index=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"), nullable=True, index=True)
    part_no: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    qty: Mapped[float] = mapped_column(Float, default=1.0)
    unit_price: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[PartLineStatus] = mapped_column(text_enum(PartLineStatus), default=PartLineStatus.NEEDED)
    expected_at: Mapped[datetime | None] = mapped_column(nullable=True)
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Photo(Base):
    """A photo taken in the shop (a finding): re-encoded, location data gone, size-capped; kept in the
    database so every process serves it."""

    __tablename__ = "photos"
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    media_type: Mapped[str] = mapped_column(String(40))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]


class Finding(Base):
    """Extra work (追加维修) a technician found on a car: priced by the advisor, approved or declined by
    the customer (from his phone, through a personal link, or by phone to the advisor)."""

    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    repair_order_id: Mapped[int] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), nullable=True)  # the job during which it was found
    found_by: Mapped[int | None] = mapped_column(ForeignKey("technicians.id"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photos.id"), nullable=True)
    # The work it asks for, as the advisor prices it.
    operation: Mapped[str] = mapped_column(String(120), default="")
    skill: Mapped[Skill | None] = mapped_column(text_enum(Skill), nullable=True)
    level: Mapped[int] = mapped_column(Integer, default=1)
    est_hours: Mapped[float] = mapped_column(Float, default=0.0)
    bay_kind: Mapped[BayKind | None] = mapped_column(text_enum(BayKind), nullable=True)
    labour_price: Mapped[float] = mapped_column(Float, default=0.0)
    parts_price: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[FindingStatus] = mapped_column(text_enum(FindingStatus), default=FindingStatus.REPORTED)
    # The customer's personal link: only its hash is kept; it expires and works once.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    token_expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(nullable=True)
    decided_via: Mapped[str] = mapped_column(String(20), default="")  # "link" or "phone"
    decided_by: Mapped[str] = mapped_column(String(60), default="")
    added_job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), nullable=True)
    created_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class QcCheck(Base):
    """A check of a job: the technician's own (自检) before it goes to QC, or the inspector's (终检)
    against the checklist of its kind; a failed one says why it goes back."""

    __tablename__ = "qc_checks"
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "self" or "final"
    checked_by: Mapped[str] = mapped_column(String(60))
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{"item", "ok"}]
    passed: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime]



class ShopPlan(Base):
    """The dispatcher's current plan of a shop, made once per change (and as the clock moves) by
    the planning loop, for every screen to show the same one: the workshop TV, the foreman's
    console, the lounge's ready times, the advisors' promises."""

    __tablename__ = "shop_plans"
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), primary_key=True)
    made_at: Mapped[datetime]
    based_on: Mapped[int] = mapped_column(BigInteger, default=0)  # the last event of the shop it saw
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)


class PromiseAlert(Base):
    """The live plan moved a car past its promise: the advisor hears first (预计超时,请联系客户), and
    answers (called the customer, or gave a new promise); both in the event log."""

    __tablename__ = "promise_alerts"
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    repair_order_id: Mapped[int] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    advisor_id: Mapped[int | None] = mapped_column(ForeignKey("advisors.id"), nullable=True)
    raised_at: Mapped[datetime]
    promised_at: Mapped[datetime]  # the promise it was raised against
    expected_at: Mapped[datetime]  # when the plan now has the car ready
    late_minutes: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text, default="")  # the text ready to send the customer
    answered_at: Mapped[datetime | None] = mapped_column(nullable=True)
    answered_by: Mapped[str] = mapped_column(String(60), default="", server_default="")
    answer: Mapped[str] = mapped_column(String(20), default="", server_default="")  # "called" or "new_promise"
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}
