"""The shop as the planner sees it, and the plan made from it: reads only, no commits.

The planning loop improves this plan and keeps it for every screen (board/dispatch/plan_store.py);
a first plan made here answers what must be known at once: where a job just assigned now stands,
and what a quote would look like with the new work fitted in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from board.context import Ctx
from board.db.models import Appointment, Bay, Event, Job, PartLine, Preparation, RepairOrder, ServiceMenu, Technician
from board.dispatch import capacity, model, planner
from board.domain.stages import CLOCK_CLOSES, CLOCK_MOVES, clock_opens
from board.domain.vocab import AppointmentStatus, PartLineStatus, PartsStatus, Stage, StopReason

OPEN = (Stage.WAITING_DISPATCH, Stage.DISPATCHED, Stage.IN_PROGRESS, Stage.STOPPED)
NOT_STARTED = (Stage.WAITING_DISPATCH, Stage.DISPATCHED)


def _local(ctx: Ctx, at: datetime | None) -> datetime | None:
    return at.astimezone(ctx.zone).replace(tzinfo=None) if at else None


def _aware(ctx: Ctx, at: datetime) -> datetime:
    return at.replace(tzinfo=ctx.zone)


@dataclass(frozen=True)
class PartsWait:
    """A job's parts not yet in hand at the parts desk (its own lines, and its booking's)."""

    lines: int  # ordered, not arrived yet
    eta: datetime | None  # shop-local: when the last of them should arrive; None while one has no date (or none is ordered)
    needed: int = 0  # not yet picked nor ordered

    def known(self, now: datetime) -> bool:
        """An arrival time to plan from: every line on order has one, and it has not passed (an overdue part is not here)."""
        return self.eta is not None and self.eta > now


def booking_jobs(ctx: Ctx, bookings: set[int]) -> dict[int, int]:
    """Booking -> the job that takes the parts prepared for it once its car is in: the first job of the
    order opened from it that came from a service menu, else its first job."""
    if not bookings:
        return {}
    out: dict[int, int] = {}
    rows = ctx.session.execute(
        select(RepairOrder.appointment_id, Job.id, Job.menu_code).join(Job, Job.repair_order_id == RepairOrder.id)
        .where(RepairOrder.shop_id == ctx.shop.id, RepairOrder.appointment_id.in_(bookings)).order_by(Job.id)
    )
    first: dict[int, int] = {}
    for appt, job_id, menu_code in rows:
        if appt is None:
            continue
        first.setdefault(appt, job_id)
        if menu_code and appt not in out:
            out[appt] = job_id
    return first | out


def parts_waits(ctx: Ctx) -> dict[int, PartsWait]:
    """Job -> its parts not in hand: lines ordered and not arrived, with the latest expected arrival, and lines still needed."""
    rows = list(ctx.session.execute(
        select(PartLine.job_id, PartLine.appointment_id, PartLine.status, PartLine.expected_at)
        .where(PartLine.shop_id == ctx.shop.id, PartLine.status.in_([PartLineStatus.ORDERED, PartLineStatus.NEEDED]))
    ))
    adopted = booking_jobs(ctx, {appt for job, appt, _, _ in rows if job is None and appt is not None})
    ordered: dict[int, list[datetime | None]] = {}
    needed: dict[int, int] = {}
    for job, appt, status, expected in rows:
        owner = job if job is not None else adopted.get(appt) if appt is not None else None
        if owner is None:
            continue
        if status is PartLineStatus.ORDERED:
            ordered.setdefault(owner, []).append(_local(ctx, expected))
        else:
            needed[owner] = needed.get(owner, 0) + 1
    out = {}
    for job in ordered.keys() | needed.keys():
        times = ordered.get(job, [])
        eta = None if not times or None in times else max(t for t in times if t is not None)
        out[job] = PartsWait(len(times), eta, needed.get(job, 0))
    return out


def _held_for_parts(j: Job, wait: PartsWait | None, now: datetime, day_end: datetime | None) -> tuple[bool, datetime | None]:
    """(left out of today's plan for parts, the earliest it can start). A card not started waits for the
    parts it has on order: planned from their arrival when that is known and still today; left out while
    it is not (no date yet, overdue, or after the last shift), as a card ordered with no parts lines is.
    A card stopped for parts is the same: planned from their arrival, or left out with no date. Parts
    marked arrived on the card itself (by the foreman) stand over the lines."""
    stopped_for_parts = j.stage is Stage.STOPPED and j.stop_reason is StopReason.PARTS
    if not (j.stage in NOT_STARTED or stopped_for_parts) or j.parts_status is PartsStatus.ARRIVED:
        return False, None
    if wait is None or not wait.lines:
        return stopped_for_parts or (j.stage is Stage.WAITING_DISPATCH and j.parts_status is PartsStatus.ORDERED), None
    if not wait.known(now):
        return j.stage is not Stage.DISPATCHED, None  # a dispatched card with no date stays where it was, as before
    assert wait.eta is not None
    if day_end is not None and wait.eta >= day_end:
        return True, None
    return False, wait.eta


def _clocked(ctx: Ctx, job_ids: list[int]) -> dict[int, float]:
    """Hours already worked on each of these cards (the event log's clock, to now)."""
    if not job_ids:
        return {}
    rows = ctx.session.execute(select(Event.entity_id, Event.action, Event.after, Event.at).where(
        Event.shop_id == ctx.shop.id, Event.entity == "job", Event.entity_id.in_(job_ids), Event.action.in_(CLOCK_MOVES)).order_by(Event.id))
    since: dict[int, datetime] = {}
    out: dict[int, float] = {}
    for job_id, action, after, at in rows:
        if clock_opens(action, after):
            since.setdefault(job_id, at)
        elif action in CLOCK_CLOSES and job_id in since:
            out[job_id] = out.get(job_id, 0.0) + (at - since.pop(job_id)).total_seconds() / 3600
    for job_id, at in since.items():
        out[job_id] = out.get(job_id, 0.0) + (ctx.now - at).total_seconds() / 3600
    return out


def load(ctx: Ctx) -> tuple[list[Job], list[model.JobIn], list[model.TechIn], list[model.BayIn], list[Job]]:
    """The shop as the planner sees it (shop-local naive times), and the jobs waiting for parts: each
    card in progress where it is for what is left of it; each card stopped with its technician, from
    when it can go on (its parts' arrival); each car standing in a bay holding it (all day when some
    of its work has no date); today's bookings still to come reserving their place."""
    now = ctx.now_local
    rows = list(ctx.session.scalars(select(Job).where(Job.shop_id == ctx.shop.id, Job.stage.in_(OPEN))
                                    .options(selectinload(Job.repair_order)).order_by(Job.id)))
    # The day-before reservation is where a booked car's job starts from, when nothing is lost by it.
    reserved: dict[int, int] = {
        appt: tech for appt, tech in ctx.session.execute(  # type: ignore[misc]
            select(Preparation.appointment_id, Preparation.technician_id).where(Preparation.shop_id == ctx.shop.id, Preparation.technician_id.is_not(None))
        )
    }
    techs = [
        model.TechIn(t.id, t.name, {s.skill.value: s.level for s in t.skills}, datetime.combine(ctx.today, t.shift_start),
                     datetime.combine(ctx.today, t.shift_end), t.present)
        for t in ctx.session.scalars(select(Technician).where(Technician.shop_id == ctx.shop.id).order_by(Technician.id))
    ]
    day_end = max((t.shift_end for t in techs if t.present), default=None)
    waits = parts_waits(ctx)
    clocked = _clocked(ctx, [j.id for j in rows if j.stage in (Stage.IN_PROGRESS, Stage.STOPPED)])
    jobs, waiting_parts, stays = [], [], set()
    for j in rows:
        held, earliest = _held_for_parts(j, waits.get(j.id), now, day_end)
        if held:
            waiting_parts.append(j)
            stays.add(j.repair_order.bay_id)
            continue
        working, stopped = j.stage is Stage.IN_PROGRESS, j.stage is Stage.STOPPED
        remaining = max(j.est_hours - clocked.get(j.id, 0.0), 0.25) if working or stopped else None
        jobs.append(model.JobIn(
            id=j.id, label=f"{j.repair_order.number} {j.operation}", priority=j.priority.value, skill=j.skill.value, level=j.level,
            hours=remaining if stopped and remaining is not None else j.est_hours, bay_kind=j.bay_kind.value,
            promised=_local(ctx, j.repair_order.promised_at),
            pinned_tech=j.technician_id if (j.pinned and j.stage is Stage.DISPATCHED) or stopped else None,
            started_tech=j.technician_id if working else None, started_bay=j.bay_id if working else None,
            remaining=remaining if working else None,
            current_tech=j.technician_id if j.stage is Stage.DISPATCHED else reserved.get(j.repair_order.appointment_id or 0),
            car=j.repair_order.vehicle_id, shares_car=j.shares_car, earliest=earliest,
        ))
    standing = dict(ctx.session.execute(select(RepairOrder.bay_id, RepairOrder.vehicle_id).where(
        RepairOrder.shop_id == ctx.shop.id, RepairOrder.bay_id.is_not(None))).all())
    bays = [model.BayIn(b.id, b.name, b.kind.value, car=standing.get(b.id), car_stays=b.id in stays)
            for b in ctx.session.scalars(select(Bay).where(Bay.shop_id == ctx.shop.id).order_by(Bay.id))]
    return rows, jobs, techs, bays, waiting_parts


def planning_input(ctx: Ctx) -> tuple[list[Job], list[model.JobIn], list[model.TechIn], list[model.BayIn], list[Job]]:
    """``load``, with today's bookings still to come reserving their place in the plan."""
    rows, jobs, techs, bays, waiting_parts = load(ctx)
    return rows, [*jobs, *reservations(ctx, ctx.today)], techs, bays, waiting_parts


def booked_cards(ctx: Ctx, bookings: list[Appointment]) -> dict[int, list[capacity.Card]]:
    """Each booking's work as cards: its service menu's lines, else its kind of service's usual work."""
    codes = {a.menu_code for a in bookings if a.menu_code}
    menus = {m.code: m for m in ctx.session.scalars(select(ServiceMenu).where(ServiceMenu.shop_id == ctx.shop.id, ServiceMenu.code.in_(codes)))} \
        if codes else {}
    out = {}
    for a in bookings:
        menu = menus.get(a.menu_code or "")
        lines = [(j["operation"], j["skill"], int(j.get("level", 1)), float(j["est_hours"]), j["bay_kind"]) for j in menu.jobs] if menu \
            else capacity.USUAL_WORK[a.service_type.value]
        out[a.id] = capacity.cards_of(lines)
    return out


def reservations(ctx: Ctx, day: date, excluding: int | None = None) -> list[model.JobIn]:
    """The day's bookings not here yet, each reserving its cards from its time (board/dispatch/capacity.py)."""
    bookings = [a for a in ctx.session.scalars(select(Appointment).where(
        Appointment.shop_id == ctx.shop.id, Appointment.day == day, Appointment.status == AppointmentStatus.BOOKED).order_by(Appointment.id))
        if a.id != excluding]
    work = booked_cards(ctx, bookings)
    start = ctx.now_local if day == ctx.today else datetime.combine(day, time.min)
    out: list[model.JobIn] = []
    for a in bookings:
        cards = work[a.id][:model.CARDS_PER_BOOKING]
        out += capacity.reserved([model.reservation_id(a.id, k) for k in range(len(cards))], cards, a.vehicle_id,
                                 datetime.combine(day, a.slot_start), a.customer_waiting, start)
    return out


def current_plan(ctx: Ctx) -> tuple[model.Plan, list[model.JobIn], list[Job], list[model.Change]]:
    """The plan from where the shop stands: re-planned from the current assignments, so it moves
    as little as it can and says why each move is made."""
    rows, jobs, techs, bays, waiting_parts = planning_input(ctx)
    dispatched = {j.id: j.technician_id for j in rows if j.stage is Stage.DISPATCHED and j.technician_id is not None}
    now = ctx.now_local
    previous = model.Plan(tuple(model.Slot(job_id, tech, None, now, now, 0.0, ()) for job_id, tech in dispatched.items()), (), 0.0)
    plan, changes = planner.replan(previous, jobs, techs, bays, now)
    return plan, jobs, waiting_parts, [c for c in changes if c.from_tech is not None]


def parts_reason(ctx: Ctx, wait: PartsWait | None) -> dict[str, str]:
    """Why a job waits for parts, with the arrival the parts desk expects."""
    if wait is None or not wait.lines or wait.eta is None:
        return {"zh": "等待备件到货", "en": "waiting for parts"}
    when = wait.eta.strftime("%H:%M") if wait.eta.date() == ctx.today else wait.eta.strftime("%m-%d %H:%M")
    if wait.eta <= ctx.now_local:
        return {"zh": f"备件逾期未到(应 {when} 到)", "en": f"parts overdue (due {when})"}
    return {"zh": f"等待备件,预计 {when} 到", "en": f"waiting for parts, due {when}"}
