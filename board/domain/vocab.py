"""The shop's words: every enumerated value the board stores, with its zh-CN and English label."""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A stored value with the words staff read on screen."""

    @property
    def zh(self) -> str:
        return LABELS[type(self), self.value][0]

    @property
    def en(self) -> str:
        return LABELS[type(self), self.value][1]


class Team(Labelled):
    MECH_ELEC = "mech_elec"
    BODY_PAINT = "body_paint"


class Skill(Labelled):
    MAINTENANCE = "maintenance"
    MECHANICAL = "mechanical"
    ELECTRICAL = "electrical"
    ALIGNMENT = "alignment"
    BODY = "body"
    PAINT = "paint"


class BayKind(Labelled):
    GENERAL_LIFT = "general_lift"
    QUICK_SERVICE = "quick_service"
    ALIGNMENT = "alignment"
    BODY = "body"
    PAINT_BOOTH = "paint_booth"
    WASH = "wash"


class ServiceType(Labelled):
    QUICK = "quick"
    MAINTENANCE = "maintenance"
    REPAIR = "repair"
    BODY_PAINT = "body_paint"


class BookingSource(Labelled):
    INBOUND_CALL = "inbound_call"
    OUTBOUND_REMINDER = "outbound_reminder"
    ONLINE = "online"


class AppointmentStatus(Labelled):
    BOOKED = "booked"
    ARRIVED = "arrived"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class BoardColumn(Labelled):
    DAY_BEFORE = "day_before"
    TODAY = "today"


class PriorityClass(Labelled):
    REWORK = "rework"
    WAITING = "waiting"
    APPOINTMENT = "appointment"
    WALK_IN = "walk_in"
    INTERNAL = "internal"


class Stage(Labelled):
    WAITING_DISPATCH = "waiting_dispatch"
    DISPATCHED = "dispatched"
    IN_PROGRESS = "in_progress"
    STOPPED = "stopped"
    QUALITY_CHECK = "quality_check"
    WASH = "wash"
    READY = "ready"
    DELIVERED = "delivered"


class StopReason(Labelled):
    PARTS = "parts"
    APPROVAL = "approval"
    OTHER = "other"


class CallOutcome(Labelled):
    SATISFIED = "satisfied"
    UNREACHABLE = "unreachable"
    COMPLAINT = "complaint"


class PartsStatus(Labelled):
    NONE_NEEDED = "none_needed"
    ORDERED = "ordered"
    ARRIVED = "arrived"


class PartLineStatus(Labelled):
    """A part a job (or a booking) needs, at the parts desk."""

    NEEDED = "needed"
    PICKED = "picked"  # taken from stock for the job
    ORDERED = "ordered"  # not in stock: ordered, with an expected arrival
    ARRIVED = "arrived"  # the ordered part is in


class FindingStatus(Labelled):
    """Extra work (追加维修) a technician found: priced by the advisor, decided by the customer."""

    REPORTED = "reported"
    PRICED = "priced"  # waiting for the customer's yes or no
    APPROVED = "approved"
    DECLINED = "declined"


# A list, not a dict keyed by the values: equal strings of two kinds ("arrived" for a booking and
# for parts, "maintenance" as a skill and as a service) must keep their own words.
_WORDS: list[tuple[StrEnum, tuple[str, str]]] = [
    (Team.MECH_ELEC, ("机电", "Mechanical-electrical")),
    (Team.BODY_PAINT, ("钣喷", "Body and paint")),
    (Skill.MAINTENANCE, ("保养", "Maintenance")),
    (Skill.MECHANICAL, ("机修", "Mechanical")),
    (Skill.ELECTRICAL, ("电器", "Electrical")),
    (Skill.ALIGNMENT, ("四轮定位", "Wheel alignment")),
    (Skill.BODY, ("钣金", "Body")),
    (Skill.PAINT, ("喷漆", "Paint")),
    (BayKind.GENERAL_LIFT, ("举升机工位", "General lift")),
    (BayKind.QUICK_SERVICE, ("快保工位", "Quick service")),
    (BayKind.ALIGNMENT, ("四轮定位工位", "Alignment")),
    (BayKind.BODY, ("钣金工位", "Body")),
    (BayKind.PAINT_BOOTH, ("烤漆房", "Paint booth")),
    (BayKind.WASH, ("洗车工位", "Wash")),
    (ServiceType.QUICK, ("快保", "Quick service")),
    (ServiceType.MAINTENANCE, ("定期保养", "Maintenance")),
    (ServiceType.REPAIR, ("一般维修", "Repair")),
    (ServiceType.BODY_PAINT, ("钣喷", "Body and paint")),
    (BookingSource.INBOUND_CALL, ("被动预约", "Inbound call")),
    (BookingSource.OUTBOUND_REMINDER, ("主动预约", "Outbound reminder")),
    (BookingSource.ONLINE, ("网上预约", "Online")),
    (AppointmentStatus.BOOKED, ("已预约", "Booked")),
    (AppointmentStatus.ARRIVED, ("已到店", "Arrived")),
    (AppointmentStatus.NO_SHOW, ("未到店", "No-show")),
    (AppointmentStatus.CANCELLED, ("已取消", "Cancelled")),
    (BoardColumn.DAY_BEFORE, ("一日前预约", "Booked the day before")),
    (BoardColumn.TODAY, ("当日入厂预定", "Arriving today")),
    (PriorityClass.REWORK, ("返修", "Rework")),
    (PriorityClass.WAITING, ("客户在店等待", "Customer waiting")),
    (PriorityClass.APPOINTMENT, ("预约", "Appointment")),
    (PriorityClass.WALK_IN, ("直接入厂", "Walk-in")),
    (PriorityClass.INTERNAL, ("内部作业", "Internal")),
    (Stage.WAITING_DISPATCH, ("等待派工", "Waiting dispatch")),
    (Stage.DISPATCHED, ("已派工", "Dispatched")),
    (Stage.IN_PROGRESS, ("维修中", "In progress")),
    (Stage.STOPPED, ("中断", "Stopped")),
    (Stage.QUALITY_CHECK, ("质检", "Quality check")),
    (Stage.WASH, ("洗车", "Wash")),
    (Stage.READY, ("待交车", "Ready for delivery")),
    (Stage.DELIVERED, ("已交车", "Delivered")),
    (StopReason.PARTS, ("等待备件", "Waiting for parts")),
    (StopReason.APPROVAL, ("等待客户确认追加维修", "Waiting for customer approval")),
    (StopReason.OTHER, ("其他", "Other")),
    (CallOutcome.SATISFIED, ("满意", "Satisfied")),
    (CallOutcome.UNREACHABLE, ("未接通", "Unreachable")),
    (CallOutcome.COMPLAINT, ("投诉", "Complaint")),
    (PartsStatus.NONE_NEEDED, ("无需备件", "None needed")),
    (PartsStatus.ORDERED, ("已订货", "Ordered")),
    (PartsStatus.ARRIVED, ("已到货", "Arrived")),
    (PartLineStatus.NEEDED, ("待备件", "Needed")),
    (PartLineStatus.PICKED, ("已领料", "Picked")),
    (PartLineStatus.ORDERED, ("已订货", "Ordered")),
    (PartLineStatus.ARRIVED, ("已到货", "Arrived")),
    (FindingStatus.REPORTED, ("待报价", "To be priced")),
    (FindingStatus.PRICED, ("待客户确认", "Waiting for the customer")),
    (FindingStatus.APPROVED, ("客户同意", "Approved")),
    (FindingStatus.DECLINED, ("客户暂不维修", "Declined")),
]
LABELS: dict[tuple[type[StrEnum], str], tuple[str, str]] = {(type(k), k.value): v for k, v in _WORDS}
