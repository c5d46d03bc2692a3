"""The parts desk (备件): the parts each job and each booking needs, followed line by line.

A line comes from the service menu the job or the booking names (the menu's ``parts``: a job's
``menu_code``; a booking's menu chosen at booking, else the shop's menu of its service type) or
is added by hand. Rules:

    needed ──pick──▶ picked            taken from stock
    needed ──order─▶ ordered ──arrive──▶ arrived ──pick──▶ picked
                     ordered ──order──▶ ordered (a new expected arrival)
    needed ──remove─▶ (gone)           only a line nothing was done with

The job's own ``parts_status`` follows its lines (ordered while one is on order, arrived once all
on order are in), so every screen that reads it keeps working; a booking's preparation follows its
lines the same way. A booking's lines go with its car: once its repair order is open they count for
the order's menu job (board/dispatch/shop_plan.py ``booking_jobs``), and the dispatcher plans that
job from the latest expected arrival (``parts_waits``).

Every change is in the event log: a job's lines as the job's events (the live job boards follow
them), a booking's as ``part_line`` events.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from pydantic import Field, StringConstraints
from sqlalchemy import select

from board.commands import Id, Moment, Strict, Version
from board.context import Ctx, snapshot
from board.db.models import Appointment, Job, PartLine, Preparation, RepairOrder, ServiceMenu, Technician
from board.dispatch import shop_plan
from board.domain.vocab import AppointmentStatus, PartLineStatus, PartsStatus, ServiceType, Stage, StopReason
from board.errors import IllegalMove, InvalidInput

# -- what the desk asks ----------------------------------------------------------------------

MenuCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]


class PartLineIn(Strict):
    """A part added by hand, for a job or for a booking."""

    job_id: Id | None = Field(default=None, description="The job that needs it (or appointment_id)")
    appointment_id: Id | None = Field(default=None, description="The booking that needs it (or job_id)")
    part_no: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    qty: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] = 1.0
    unit_price: Annotated[float, Field(ge=0, le=1_000_000, allow_inf_nan=False, description="Yuan")] = 0.0


class MenuPartsIn(Strict):
    menu_code: MenuCode | None = Field(default=None, description="Another menu than the job's (or the booking's service type's)")


class LineVersion(Strict):
    version: Version


class OrderIn(Strict):
    version: Version
    expected_at: Moment | None = Field(default=None, description="When the supplier says it arrives (shop time when no zone); "
                                                                 "leave out while not known: the job then waits as before")


# -- rules -------------------------------------------------------------------------------------

S = PartLineStatus
MOVES: dict[str, tuple[frozenset[PartLineStatus], PartLineStatus, str, str, str]] = {
    # action: (from, to, the event's action, doing (en), doing (zh))
    "pick": (frozenset({S.NEEDED, S.ARRIVED}), S.PICKED, "part_picked", "picked", "领料"),
    "order": (frozenset({S.NEEDED, S.ORDERED}), S.ORDERED, "part_ordered", "ordered", "订货"),
    "arrive": (frozenset({S.ORDERED}), S.ARRIVED, "part_arrived", "marked arrived", "登记到货"),
}
FIELDS = ["job_id", "appointment_id", "part_no", "name", "qty", "unit_price", "status", "expected_at"]
OPEN = (Stage.WAITING_DISPATCH, Stage.DISPATCHED, Stage.IN_PROGRESS, Stage.STOPPED)


def follows(statuses: list[PartLineStatus], current: PartsStatus) -> PartsStatus:
    """The parts status its lines give a job (or a booking): ordered while one is on order, arrived once
    every part ordered is in; lines never ordered leave it as it was (the foreman's word, or none needed)."""
    if S.ORDERED in statuses:
        return PartsStatus.ORDERED
    if S.ARRIVED in statuses:
        return PartsStatus.ARRIVED
    return current


# -- menus -------------------------------------------------------------------------------------


def menu_by_code(ctx: Ctx, code: str, field: str = "menu_code") -> ServiceMenu:
    menu = ctx.session.scalar(select(ServiceMenu).where(ServiceMenu.shop_id == ctx.shop.id, ServiceMenu.code == code))
    if menu is None or not menu.active:
        raise InvalidInput.one(field, f"the shop has no service menu {code!r} in use")
    return menu


def menu_for_service(ctx: Ctx, service: ServiceType) -> ServiceMenu | None:
    """The shop's menu for a service type: its first in use, by code."""
    return ctx.session.scalar(select(ServiceMenu).where(ServiceMenu.shop_id == ctx.shop.id, ServiceMenu.service_type == service,
                                                        ServiceMenu.active.is_(True)).order_by(ServiceMenu.code).limit(1))


def menu_parts(menu: ServiceMenu) -> list[dict[str, Any]]:
    """The parts a menu lists, read leniently (an admin's JSON): part number, name, quantity, unit price."""
    out = []
    for p in menu.parts or []:
        if not isinstance(p, dict) or not str(p.get("part_no") or "").strip():
            continue
        out.append({"part_no": str(p["part_no"]).strip()[:40], "name": str(p.get("name") or p["part_no"]).strip()[:80],
                    "qty": _number(p.get("qty"), 1.0), "unit_price": _number(p.get("unit_price"), 0.0)})
    return out


def _number(value: Any, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if number >= 0 else default


def serialize_menu(ctx: Ctx, menu: ServiceMenu) -> dict[str, Any]:
    """A menu as the advisor quotes it: its operations' hours, its parts, the price at the shop's labour rate."""
    parts = menu_parts(menu)
    hours = sum(_number(j.get("est_hours"), 0.0) for j in menu.jobs or [] if isinstance(j, dict))
    parts_price = sum(p["qty"] * p["unit_price"] for p in parts)
    return {"code": menu.code, "name": menu.name, "service_type": _label(menu.service_type),
            "interval_months": menu.interval_months, "interval_km": menu.interval_km,
            "operations": [str(j.get("operation", "")) for j in menu.jobs or [] if isinstance(j, dict)],
            "hours": round(hours, 2), "parts": parts, "parts_price": round(parts_price, 2),
            "price": round(hours * ctx.shop.labour_rate + parts_price, 2)}


def menus(ctx: Ctx, service: ServiceType | None = None) -> list[ServiceMenu]:
    query = select(ServiceMenu).where(ServiceMenu.shop_id == ctx.shop.id, ServiceMenu.active.is_(True))
    if service is not None:
        query = query.where(ServiceMenu.service_type == service)
    return list(ctx.session.scalars(query.order_by(ServiceMenu.service_type, ServiceMenu.code)))


# -- lines -------------------------------------------------------------------------------------


def _open_job(ctx: Ctx, job_id: int, field: str | None = None) -> Job:
    job = ctx.ref(Job, job_id, field, "job") if field else ctx.get(Job, job_id, "job")
    if job.stage is Stage.DELIVERED:
        raise IllegalMove(f"Job {job.id} has been delivered; its parts are settled.", f"作业 {job.id} 已交车,备件已结清。")
    return job


def _open_booking(ctx: Ctx, appt_id: int, field: str | None = None) -> Appointment:
    appt = ctx.ref(Appointment, appt_id, field, "appointment") if field else ctx.get(Appointment, appt_id, "appointment")
    if appt.status not in (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED):
        raise IllegalMove(f"Booking {appt.id} is {appt.status.en.lower()}; it needs no parts.",
                          f"预约 {appt.id} 为「{appt.status.zh}」,无需备件。")
    return appt


def lines_of_job(ctx: Ctx, job: Job) -> list[PartLine]:
    """A job's lines: its own, and its booking's when it is the job that takes them."""
    query = PartLine.job_id == job.id
    appt = job.repair_order.appointment_id
    if appt is not None and shop_plan.booking_jobs(ctx, {appt}).get(appt) == job.id:
        query = query | ((PartLine.appointment_id == appt) & PartLine.job_id.is_(None))
    return list(ctx.session.scalars(select(PartLine).where(PartLine.shop_id == ctx.shop.id, query).order_by(PartLine.id)))


def lines_of_booking(ctx: Ctx, appt_id: int) -> list[PartLine]:
    return list(ctx.session.scalars(select(PartLine).where(PartLine.shop_id == ctx.shop.id, PartLine.appointment_id == appt_id,
                                                           PartLine.job_id.is_(None)).order_by(PartLine.id)))


def kit_to_prepare(ctx: Ctx, appt: Appointment) -> ServiceMenu | None:
    """The menu whose parts the desk offers a booking that has none yet (as ``desk`` lists it): the
    preparation list says parts are to be prepared, not "none needed", while it does."""
    if lines_of_booking(ctx, appt.id):
        return None
    menu = menu_for_service(ctx, appt.service_type)
    return menu if menu is not None and menu_parts(menu) else None


def _new_line(ctx: Ctx, job: Job | None, appt: Appointment | None, part: dict[str, Any], reason: str) -> PartLine:
    line = PartLine(shop_id=ctx.shop.id, job_id=job.id if job else None, appointment_id=appt.id if appt else None,
                    part_no=part["part_no"], name=part["name"], qty=part["qty"], unit_price=part["unit_price"],
                    status=S.NEEDED, updated_at=ctx.now)
    ctx.session.add(line)
    ctx.session.flush()
    _record(ctx, line, "part_added", None, reason)
    return line


def add_line(ctx: Ctx, data: PartLineIn) -> PartLine:
    if (data.job_id is None) == (data.appointment_id is None):
        raise InvalidInput.one("job_id", "name the job (job_id) or the booking (appointment_id) that needs the part, one of them")
    job = _open_job(ctx, data.job_id, "job_id") if data.job_id is not None else None
    appt = _open_booking(ctx, data.appointment_id, "appointment_id") if data.appointment_id is not None else None
    line = _new_line(ctx, job, appt, data.model_dump(include={"part_no", "name", "qty", "unit_price"}), "added by hand")
    _sync(ctx, line)
    return line


def take_menu_for_job(ctx: Ctx, job_id: int, data: MenuPartsIn) -> list[PartLine]:
    job = _open_job(ctx, job_id)
    code = data.menu_code or job.menu_code
    if not code:
        raise InvalidInput.one("menu_code", "this job came from no service menu: name the menu, or add its parts by hand")
    if lines_of_job(ctx, job):
        raise IllegalMove(f"Job {job.id} has its parts lines already; add more by hand.", f"作业 {job.id} 已有备件清单,如需增加请手工添加。")
    return _take_menu(ctx, job, None, menu_by_code(ctx, code))


def take_menu_for_booking(ctx: Ctx, appt_id: int, data: MenuPartsIn) -> list[PartLine]:
    appt = _open_booking(ctx, appt_id)
    if lines_of_booking(ctx, appt.id):
        raise IllegalMove(f"Booking {appt.id} has its parts lines already; add more by hand.", f"预约 {appt.id} 已有备件清单,如需增加请手工添加。")
    menu = menu_by_code(ctx, data.menu_code) if data.menu_code else menu_for_service(ctx, appt.service_type)
    if menu is None:
        raise InvalidInput.one("menu_code", f"the shop has no service menu for {appt.service_type.en}: name one, or add the parts by hand")
    return _take_menu(ctx, None, appt, menu)


def _take_menu(ctx: Ctx, job: Job | None, appt: Appointment | None, menu: ServiceMenu) -> list[PartLine]:
    parts = menu_parts(menu)
    if not parts:
        raise InvalidInput.one("menu_code", f"the service menu {menu.code!r} lists no parts")
    lines = [_new_line(ctx, job, appt, p, f"menu {menu.code}") for p in parts]
    return lines


def take_menu_when_booked(ctx: Ctx, appt: Appointment, menu: ServiceMenu) -> list[PartLine]:
    """A booking made with a menu: its parts lines at once, for the desk to prepare the day before."""
    return [_new_line(ctx, None, appt, p, f"menu {menu.code}") for p in menu_parts(menu)]


def move(ctx: Ctx, line_id: int, action: str, version: int, expected_at: datetime | None = None) -> PartLine:
    line = ctx.edit(PartLine, line_id, "part line", version)
    allowed, after, event, doing, doing_zh = MOVES[action]
    if line.status not in allowed:
        raise IllegalMove(f"Part line {line.id} is {line.status.en.lower()}; it cannot be {doing} now.",
                          f"备件 {line.part_no} 当前为「{line.status.zh}」,不能{doing_zh}。")
    _still_open(ctx, line)
    if expected_at is not None:
        expected_at = expected_at.replace(tzinfo=ctx.zone) if expected_at.tzinfo is None else expected_at
        if expected_at <= ctx.now:
            raise InvalidInput.one("expected_at", "the expected arrival must be later than now")
    before = snapshot(line, FIELDS)
    if action == "order":
        line.expected_at = expected_at
    line.status = after
    line.updated_at = ctx.now
    ctx.session.flush()
    _record(ctx, line, event, before)
    _sync(ctx, line)
    return line


def remove(ctx: Ctx, line_id: int, version: int) -> PartLine:
    line = ctx.edit(PartLine, line_id, "part line", version)
    if line.status is not S.NEEDED:
        raise IllegalMove(f"Part line {line.id} is {line.status.en.lower()}; only a part nothing was done with can be removed.",
                          f"备件 {line.part_no} 当前为「{line.status.zh}」,只有待备件的才能删除。")
    _still_open(ctx, line)
    before = snapshot(line, FIELDS)
    _record(ctx, line, "part_removed", before, after=False)
    ctx.session.delete(line)
    ctx.session.flush()
    _sync(ctx, line)
    return line


def _still_open(ctx: Ctx, line: PartLine) -> None:
    if line.job_id is not None:
        _open_job(ctx, line.job_id)


def _owner_job(ctx: Ctx, line: PartLine) -> int | None:
    """The job a line counts for: its own, or the one that took its booking's parts once the car came in."""
    if line.job_id is not None or line.appointment_id is None:
        return line.job_id
    return shop_plan.booking_jobs(ctx, {line.appointment_id}).get(line.appointment_id)


def _record(ctx: Ctx, line: PartLine, action: str, before: dict[str, Any] | None, reason: str = "", after: bool = True) -> None:
    """A job's lines are the job's events (its live boards follow them: the arrival time, the parts to get);
    a booking's, before its car is in, the line's own."""
    state = snapshot(line, FIELDS) | {"part_line_id": line.id} if after else None
    job = _owner_job(ctx, line)
    if job is not None:
        ctx.record("job", job, action, before, state, reason)
    else:
        ctx.record("part_line", line.id, action, before, state, reason)


def _sync(ctx: Ctx, line: PartLine) -> None:
    """Keep the parts status of the job (and of the booking's preparation) in step with the lines."""
    job_id = line.job_id
    if line.appointment_id is not None and job_id is None:
        prep = ctx.session.scalar(select(Preparation).where(Preparation.appointment_id == line.appointment_id))
        if prep is not None:
            status = follows([x.status for x in lines_of_booking(ctx, line.appointment_id)], prep.parts_status)
            if status is not prep.parts_status:
                before = {"parts_status": prep.parts_status.value}
                prep.parts_status = status
                ctx.session.flush()
                ctx.record("preparation", prep.id, "parts", before, {"parts_status": status.value, "appointment_id": line.appointment_id},
                           "parts desk")
        job_id = _owner_job(ctx, line)
    if job_id is None:
        return
    job = ctx.session.get(Job, job_id)
    assert job is not None
    status = follows([x.status for x in lines_of_job(ctx, job)], job.parts_status)
    if status is not job.parts_status:
        before = {"parts_status": job.parts_status.value}
        job.parts_status = status
        ctx.session.flush()
        ctx.record("job", job.id, "parts_status", before, {"parts_status": status.value}, "parts desk")


# -- the desk's list ---------------------------------------------------------------------------


def _label(value: Any) -> dict[str, str]:
    return {"value": value.value, "zh": value.zh, "en": value.en}


def _dt(ctx: Ctx, at: datetime | None) -> str | None:
    return at.astimezone(ctx.zone).isoformat(timespec="minutes") if at is not None else None


def serialize_line(ctx: Ctx, line: PartLine, from_booking: bool = False) -> dict[str, Any]:
    return {
        "id": line.id, "job_id": line.job_id, "appointment_id": line.appointment_id, "part_no": line.part_no, "name": line.name,
        "qty": line.qty, "unit_price": line.unit_price, "status": _label(line.status), "expected_at": _dt(ctx, line.expected_at),
        "overdue": line.status is S.ORDERED and line.expected_at is not None and line.expected_at <= ctx.now,
        "from_booking": from_booking, "updated_at": _dt(ctx, line.updated_at), "version": line.version,
    }


def desk(ctx: Ctx, day: date | None = None) -> dict[str, Any]:
    """What the desk works from: every job in the workshop with its parts, and the bookings of ``day``
    (default tomorrow: the day-before preparation) with theirs; for those with none yet, the menu that
    would give them."""
    day = day or ctx.today + timedelta(days=1)
    lines = list(ctx.session.scalars(select(PartLine).where(PartLine.shop_id == ctx.shop.id).order_by(PartLine.id)))
    jobs = list(ctx.session.scalars(select(Job).where(Job.shop_id == ctx.shop.id, Job.stage.in_(OPEN)).order_by(Job.id)))
    orders = {j.repair_order.appointment_id for j in jobs if j.repair_order.appointment_id is not None}
    adopted = {job: appt for appt, job in shop_plan.booking_jobs(ctx, orders).items()}
    by_job: dict[int, list[dict[str, Any]]] = {}
    by_booking: dict[int, list[PartLine]] = {}
    for line in lines:
        if line.job_id is not None:
            by_job.setdefault(line.job_id, []).append(serialize_line(ctx, line))
        elif line.appointment_id is not None:
            by_booking.setdefault(line.appointment_id, []).append(line)
    techs = {t.id: t.name for t in ctx.session.scalars(select(Technician).where(Technician.shop_id == ctx.shop.id))}
    codes = {m.code: m for m in menus(ctx)}
    job_rows: list[dict[str, Any]] = []
    for j in jobs:
        mine = by_job.get(j.id, []) + [serialize_line(ctx, x, True) for x in by_booking.get(adopted.get(j.id, 0), [])]
        menu = codes.get(j.menu_code or "") if not mine else None
        job_rows.append(_job_row(ctx, j, mine, menu, techs))
    bookings: list[dict[str, Any]] = []
    usual: dict[ServiceType, ServiceMenu | None] = {}  # each service's menu, read once
    for a in ctx.session.scalars(select(Appointment).where(Appointment.shop_id == ctx.shop.id, Appointment.day == day,
                                                           Appointment.status == AppointmentStatus.BOOKED)
                                 .order_by(Appointment.slot_start, Appointment.id)):
        mine = [serialize_line(ctx, x) for x in by_booking.get(a.id, [])]
        if not mine and a.service_type not in usual:
            usual[a.service_type] = menu_for_service(ctx, a.service_type)
        menu = usual[a.service_type] if not mine else None
        bookings.append({
            "appointment_id": a.id, "day": a.day.isoformat(), "slot_start": a.slot_start.strftime("%H:%M"), "plate": a.vehicle.plate_typed,
            "model": a.vehicle.model, "customer": f"{a.customer.name}{a.customer.title}", "service_type": _label(a.service_type),
            "advisor": a.advisor.name if a.advisor else None, "note": a.note, "lines": mine,
            "menu": serialize_menu(ctx, menu) if menu is not None and menu_parts(menu) else None,
        })
    every = [x for row in job_rows for x in row["lines"]] + [x for b in bookings for x in b["lines"]]
    counts = {s.value: sum(1 for x in every if x["status"]["value"] == s.value) for s in S}
    counts["overdue"] = sum(1 for x in every if x["overdue"])
    counts["held"] = sum(1 for row in job_rows if row["held_for_parts"])
    return {"day": day.isoformat(), "now": ctx.now_local.isoformat(timespec="minutes"), "jobs": job_rows, "bookings": bookings, "counts": counts}


def _job_row(ctx: Ctx, j: Job, lines: list[dict[str, Any]], menu: ServiceMenu | None, techs: dict[int, str]) -> dict[str, Any]:
    ro: RepairOrder = j.repair_order
    ordered = [x for x in lines if x["status"]["value"] == S.ORDERED.value]
    eta = None if not ordered or any(x["expected_at"] is None for x in ordered) else max(x["expected_at"] for x in ordered)
    return {
        "job_id": j.id, "repair_order_id": ro.id, "ro": ro.number, "plate": ro.vehicle.plate_typed, "model": ro.vehicle.model,
        "operation": j.operation, "stage": _label(j.stage), "technician": techs.get(j.technician_id or 0),
        "planned_start": _dt(ctx, j.planned_start), "promised_at": _dt(ctx, ro.promised_at), "customer_waiting": ro.customer_waiting,
        "parts_status": _label(j.parts_status), "menu_code": j.menu_code, "parts_eta": eta, "lines": lines,
        # Held for parts, as the foreman and the workshop TV show it, whether or not its lines are on the desk yet.
        "held_for_parts": (j.stage is Stage.STOPPED and j.stop_reason is StopReason.PARTS) or j.parts_status is PartsStatus.ORDERED,
        "stop_note": j.stop_note if j.stage is Stage.STOPPED else "",
        "menu": serialize_menu(ctx, menu) if menu is not None and menu_parts(menu) else None, "version": j.version,
    }
