"""Each board's state, built from committed rows only.

Nothing here depends on the clock beyond the shop's day and the moment the plan was made: what
is late, how long a reception clock has run, where the now-line is, the display works out from
the times on the cards. So a board's state is a function of the database (and of when the plan
was last made: the scheduler re-makes it every round), and deltas between two states are exact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from board.boards import findings
from board.boards.diff import State
from board.context import Ctx
from board.db.models import Appointment, Arrival, Bay, Event, Job, PromiseAlert, QcCheck, RepairOrder, Technician
from board.dispatch import plan_store, promises, shop_plan
from board.dispatch.model import Plan
from board.domain import checklists
from board.domain.appointment_board import CARD_LABELS, CardState, card_state, late_at
from board.domain.masking import greeting, masked_plate
from board.domain.stages import CLOCK_CLOSES, CLOCK_MOVES, clock_opens
from board.domain.vocab import AppointmentStatus, BoardColumn, PartsStatus, Stage, StopReason

READS = "board.reads"


def _shared(ctx: Ctx) -> dict[str, Any]:
    """Reads shared by the boards rebuilt in one transaction, made once (kept with the session)."""
    memo = ctx.session.info.setdefault(READS, {})
    assert isinstance(memo, dict)
    return memo


def forget_reads(ctx: Ctx) -> None:
    ctx.session.info.pop(READS, None)


@dataclass(frozen=True)
class BoardSpec:
    name: str
    depends_on: frozenset[str]  # event entities whose changes can alter this board
    build: Callable[[Ctx], State]


def _dt(ctx: Ctx, at: datetime | None) -> str | None:
    return at.astimezone(ctx.zone).isoformat(timespec="seconds") if at is not None else None


def _meta(ctx: Ctx, **extra: Any) -> dict[str, Any]:
    return {"day": ctx.today.isoformat(), "shop": ctx.shop.name, "timezone": ctx.shop.timezone, **extra}


def _bookings(ctx: Ctx, first: date, days: int = 2) -> list[Appointment]:
    """The bookings of ``days`` days from ``first``, cancelled ones left out (today's and tomorrow's
    read once per transaction, for both booking boards)."""
    memo = _shared(ctx)
    key = f"bookings:{first.isoformat()}:{days}"
    if key not in memo:
        memo[key] = list(
            ctx.session.scalars(
                select(Appointment)
                .where(
                    Appointment.shop_id == ctx.shop.id,
                    Appointment.day >= first,
                    Appointment.day < first + timedelta(days=days),
                    Appointment.status != AppointmentStatus.CANCELLED,
                )
                .order_by(Appointment.id)
            )
        )
    result: list[Appointment] = memo[key]
    return result


def _appointments(ctx: Ctx) -> list[Appointment]:
    return _bookings(ctx, ctx.today)


def booking_card(ctx: Ctx, a: Appointment, public: bool = False) -> dict[str, Any]:
    """One booking as the boards show it, with the moment it turns late (so no screen computes it)."""
    late_after = timedelta(minutes=ctx.settings.late_after_minutes)
    return {
        "id": a.id, "day": a.day.isoformat(), "slot_start": a.slot_start.strftime("%H:%M"),
        "late_at": late_at(a.day, a.slot_start, late_after).replace(tzinfo=ctx.zone).isoformat(timespec="seconds"),
        "column": a.column.value, "status": a.status.value,
        "plate": masked_plate(a.vehicle.plate_typed) if public else a.vehicle.plate_typed, "model": a.vehicle.model,
        "customer": greeting(a.customer.name, a.customer.title) if public else f"{a.customer.name}{a.customer.title}",
        "service_type": a.service_type.value, "source": a.source.value, "menu_code": a.menu_code,
        "advisor": a.advisor.name if a.advisor else None,
        "arrived_at": _dt(ctx, a.arrived_at), "note": "" if public else a.note, "version": a.version,
    }


def appointment_board(ctx: Ctx, public: bool = False) -> State:
    """Today's and tomorrow's bookings, as on the reception whiteboard. ``public``: for a kiosk
    screen customers can read, surname and title only, the plate masked, no notes."""
    state: State = {"_meta": _meta(ctx, late_after_minutes=ctx.settings.late_after_minutes)}
    for a in _appointments(ctx):
        state[f"a{a.id}"] = booking_card(ctx, a, public)
    _arrival_cards(ctx, state, public)
    return state


def day_view(ctx: Ctx, day: date) -> dict[str, Any]:
    """The appointment board of any day, in columns, for the JSON API: the same cards as the live
    board, each with where it stands now.

    *Booked the day before* holds the day's bookings the roll-over has not moved yet and the next
    day's bookings made so far (moved the next morning); *arriving today* the rest.
    """
    late_after = timedelta(minutes=ctx.settings.late_after_minutes)
    columns: dict[str, list[Any]] = {BoardColumn.DAY_BEFORE.value: [], BoardColumn.TODAY.value: []}
    counts = {state.value: 0 for state in CardState if state is not CardState.CANCELLED}
    for a in sorted(_bookings(ctx, day), key=lambda a: (a.day, a.slot_start, a.id)):
        state = card_state(a.status, a.day, a.slot_start, ctx.now_local, late_after)
        card = booking_card(ctx, a) | {"state": {"value": state.value, "zh": CARD_LABELS[state][0], "en": CARD_LABELS[state][1]}}
        if a.day == day:
            counts[state.value] += 1
            columns[a.column.value].append(card)
        elif a.status is AppointmentStatus.BOOKED:
            columns[BoardColumn.DAY_BEFORE.value].append(card)
    return {
        "day": day.isoformat(), "now": ctx.now_local.isoformat(timespec="minutes"),
        "columns": [{"key": key, "title_zh": BoardColumn(key).zh, "title_en": BoardColumn(key).en, "cards": items}
                    for key, items in columns.items()],
        "counts": counts,
    }


def _arrival_cards(ctx: Ctx, state: State, public: bool) -> None:
    """Today's arrivals with their reception clocks (the page runs the clock from arrived_at)."""
    start = ctx.local_to_utc(ctx.today, datetime.min.time())
    rows = ctx.session.scalars(
        select(Arrival).where(Arrival.shop_id == ctx.shop.id, Arrival.arrived_at >= start, Arrival.undone_at.is_(None)).order_by(Arrival.id)
    )
    for r in rows:
        state[f"r{r.id}"] = {
            "id": r.id, "appointment_id": r.appointment_id, "walk_in": r.appointment_id is None,
            "plate": masked_plate(r.plate_typed) if public else r.plate_typed,
            "model": r.model, "source": r.source, "arrived_at": _dt(ctx, r.arrived_at), "received_at": _dt(ctx, r.received_at),
            "received_by": r.received_by, "version": r.version,
        }


# Where a customer's car is, in the words of the lounge: the least advanced of its jobs decides.
CAR_STAGES = (("received", (Stage.WAITING_DISPATCH, Stage.DISPATCHED)), ("in_repair", (Stage.IN_PROGRESS, Stage.STOPPED)),
              ("quality_check", (Stage.QUALITY_CHECK,)), ("wash", (Stage.WASH,)), ("ready", (Stage.READY, Stage.DELIVERED)))


def car_stage(jobs: list[Job]) -> str:
    for word, stages in CAR_STAGES:
        if any(j.stage in stages for j in jobs):
            return word
    return "received"


def _ready_at(ctx: Ctx, jobs: list[Job]) -> tuple[datetime | None, str | None]:
    """When the car should be ready, from the live plan (board/dispatch/promises.py), to the next five
    minutes; None once it is ready. A time is never made up: while a card has no place in the plan,
    the arrival of its parts is said instead ("parts"), or "pending" (时间待定) — never now plus the
    work, which slides every minute."""
    plan = _plan(ctx)
    cards = [(j.stage.value, slot.end if (slot := plan.slot(j.id)) else None) for j in jobs]
    ready = promises.expected_ready(ctx.now_local, cards)
    if ready is not None:
        ready += timedelta(minutes=-ready.minute % 5)  # said to the customer: to the next five minutes
        return ready.replace(second=0, microsecond=0, tzinfo=ctx.zone), None
    unplanned = [j for j, (stage, end) in zip(jobs, cards, strict=True) if stage in promises.IN_WORKSHOP and end is None]
    if not unplanned:
        return None, None
    waits = _parts_waits(ctx)
    held = any(j.stop_reason is StopReason.PARTS or j.parts_status is PartsStatus.ORDERED or ((w := waits.get(j.id)) is not None and w.lines)
               for j in unplanned)
    return None, "parts" if held else "pending"


def _car_line(ctx: Ctx, ro: RepairOrder | None) -> dict[str, Any]:
    if ro is None:
        return {"stage": None, "ready_at": None, "ready_pending": None, "parts_eta": None}
    ready_at, pending = _ready_at(ctx, list(ro.jobs))
    waits = _parts_waits(ctx)
    etas = [w.eta for j in ro.jobs if (w := waits.get(j.id)) is not None and w.lines and w.eta is not None]
    return {"stage": car_stage(list(ro.jobs)), "ready_at": ready_at.isoformat(timespec="minutes") if ready_at else None,
            "ready_pending": pending,
            "parts_eta": max(etas).replace(tzinfo=ctx.zone).isoformat(timespec="minutes") if pending == "parts" and etas else None}


def welcome_board(ctx: Ctx) -> State:
    """The lounge and the door: today's booked guests and the walk-ins waiting on site, masked,
    nothing personal; for a guest whose car is in, where it is and when it should be ready."""
    state: State = {"_meta": _meta(ctx)}
    orders = _todays_orders(ctx)
    by_booking = {ro.appointment_id: ro for ro in orders if ro.appointment_id is not None}
    for a in _appointments(ctx):
        if a.day != ctx.today or a.status not in (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED):
            continue
        ro = by_booking.get(a.id)
        if ro is not None and not ro.customer_waiting:  # he left the car and the shop: not in the lounge
            continue
        state[f"a{a.id}"] = {
            "greeting": greeting(a.customer.name, a.customer.title), "plate": masked_plate(a.vehicle.plate_typed),
            "model": a.vehicle.model, "slot_start": a.slot_start.strftime("%H:%M"),
            "advisor": a.advisor.name if a.advisor else None, "arrived_at": _dt(ctx, a.arrived_at),
        } | _car_line(ctx, ro)
    for ro in orders:
        if ro.appointment_id is None and ro.customer_waiting:  # a walk-in waiting in the lounge
            state[f"w{ro.id}"] = {
                "greeting": greeting(ro.customer.name, ro.customer.title), "plate": masked_plate(ro.vehicle.plate_typed),
                "model": ro.vehicle.model, "slot_start": None, "advisor": ro.advisor.name, "arrived_at": _dt(ctx, ro.opened_at),
            } | _car_line(ctx, ro)
    return state


def _todays_orders(ctx: Ctx) -> list[RepairOrder]:
    start = ctx.local_to_utc(ctx.today, time.min)
    return list(ctx.session.scalars(select(RepairOrder).where(RepairOrder.shop_id == ctx.shop.id, RepairOrder.opened_at >= start)
                                    .options(selectinload(RepairOrder.jobs)).order_by(RepairOrder.id)))


def _open_jobs(ctx: Ctx) -> list[Job]:
    """Jobs still in the shop, and those delivered from orders opened today (read once per
    transaction: the job boards are rebuilt together, after every change is flushed)."""
    memo = _shared(ctx)
    if "open_jobs" not in memo:
        start_of_day = ctx.local_to_utc(ctx.today, datetime.min.time())
        memo["open_jobs"] = list(
            ctx.session.scalars(
                select(Job).join(RepairOrder).where(Job.shop_id == ctx.shop.id)
                .where((Job.stage != Stage.DELIVERED) | (RepairOrder.opened_at >= start_of_day))
                .options(selectinload(Job.repair_order)).order_by(Job.id)
            )
        )
    result: list[Job] = memo["open_jobs"]
    return result


def _parts_waits(ctx: Ctx) -> dict[int, shop_plan.PartsWait]:
    """Each job's parts not yet in hand (the parts desk's lines), read once per transaction."""
    memo = _shared(ctx)
    if "parts" not in memo:
        memo["parts"] = shop_plan.parts_waits(ctx)
    waits: dict[int, shop_plan.PartsWait] = memo["parts"]
    return waits


def _job_card(ctx: Ctx, j: Job, public: bool = False, mask: bool | None = None) -> dict[str, Any]:
    """One job as the boards show it; ``public``: no notes (a screen, not a person), ``mask`` (by
    default as ``public``): plates masked, for a screen customers see."""
    ro = j.repair_order
    wait = _parts_waits(ctx).get(j.id)
    masked = public if mask is None else mask
    return {
        "id": j.id, "ro": ro.number, "ro_id": ro.id, "plate": masked_plate(ro.vehicle.plate_typed) if masked else ro.vehicle.plate_typed,
        "model": ro.vehicle.model,
        "operation": j.operation, "skill": j.skill.value, "level": j.level, "est_hours": j.est_hours,
        "bay_kind": j.bay_kind.value, "priority": j.priority.value, "stage": j.stage.value,
        "stop_reason": j.stop_reason.value if j.stop_reason else None, "stop_note": "" if public else j.stop_note,
        "technician_id": j.technician_id, "bay_id": j.bay_id, "parts_status": j.parts_status.value, "pinned": j.pinned,
        "planned_start": _dt(ctx, j.planned_start), "planned_end": _dt(ctx, j.planned_end),
        "actual_start": _dt(ctx, j.actual_start), "actual_end": _dt(ctx, j.actual_end), "stopped_at": _dt(ctx, j.stopped_at),
        "promised_at": _dt(ctx, ro.promised_at), "customer_waiting": ro.customer_waiting,
        "rework": ro.rework_of_id is not None, "qc_failures": j.qc_failures, "advisor": ro.advisor.name, "advisor_id": ro.advisor_id,
        "note": "" if public else ro.note,
        # the 三检: when the technician checked it himself; why the inspector sent it back, while it is back (board/services/quality.py)
        "self_checked_at": _dt(ctx, j.self_checked_at),
        "qc_reason": _qc_reasons(ctx).get(j.id, "") if j.qc_failures and not public and j.stage in SENT_BACK else "",
        # The parts desk: when the last part on order should arrive (the plan starts the job then), lines not in hand.
        "parts_eta": _dt(ctx, wait.eta.replace(tzinfo=ctx.zone)) if wait and wait.lines and wait.eta else None,
        "parts_todo": wait.lines + wait.needed if wait else 0,
        # One car, one bay: where the car stands now (None: in no bay; a stopped card's car in no bay waits in the waiting area).
        "car_bay_id": ro.bay_id,
        "version": j.version,
    } | ({} if public else {
        "lines": [{"id": ln.id, "operation": ln.operation, "est_hours": ln.est_hours, "done": ln.done_at is not None} for ln in j.lines],
        "self_check": [i.as_dict() for i in checklists.self_check(j.skill, [ln.check for ln in j.lines] or [""])],
    })


SENT_BACK = (Stage.DISPATCHED, Stage.IN_PROGRESS, Stage.STOPPED)


def _qc_reasons(ctx: Ctx) -> dict[int, str]:
    """The reason of each open job's last failed quality check (read once per transaction)."""
    memo = _shared(ctx)
    if "qc_reasons" not in memo:
        ids = [j.id for j in _open_jobs(ctx) if j.qc_failures and j.stage in SENT_BACK]
        found: dict[int, str] = {}
        if ids:
            rows = ctx.session.execute(select(QcCheck.job_id, QcCheck.reason).where(
                QcCheck.job_id.in_(ids), QcCheck.kind == "final", QcCheck.passed.is_(False)).order_by(QcCheck.id))
            found = {job: reason for job, reason in rows}  # the last one of each job stands
        memo["qc_reasons"] = found
    reasons: dict[int, str] = memo["qc_reasons"]
    return reasons




def _worked(ctx: Ctx) -> dict[int, list[list[Any]]]:
    """Each technician's stretches on a job today, from the event log: [from, to or None (still on it), job]."""
    start = ctx.local_to_utc(ctx.today, time.min)
    rows = ctx.session.execute(
        select(Event.at, Event.entity_id, Event.action, Event.after)
        .where(Event.shop_id == ctx.shop.id, Event.entity == "job", Event.at >= start, Event.action.in_(CLOCK_MOVES))
        .order_by(Event.id)
    )
    out: dict[int, list[list[Any]]] = {}
    open_: dict[int, list[Any]] = {}
    for at, job_id, action, after in rows:
        tech = (after or {}).get("technician_id")
        if clock_opens(action, after) and tech is not None:
            open_[job_id] = [_dt(ctx, at), None, job_id]
            out.setdefault(int(tech), []).append(open_[job_id])
        elif action in CLOCK_CLOSES and job_id in open_:
            open_.pop(job_id)[1] = _dt(ctx, at)
    return out


def _plan(ctx: Ctx) -> Plan:
    """The dispatcher's current plan of the whole shop: made once per transaction, for every board that shows it."""
    memo = _shared(ctx)
    if "plan" not in memo:
        memo["plan"] = plan_store.for_boards(ctx).plan
    plan: Plan = memo["plan"]
    return plan


def _plan_cards(ctx: Ctx, state: State) -> None:
    """Where each open job is planned: the same plan on the workshop TV, the foreman's console and the lounge."""
    for s in _plan(ctx).slots:
        if s.job_id < 0:  # a booking's place, not a job on the floor
            continue
        state[f"p{s.job_id}"] = {
            "job_id": s.job_id, "technician_id": s.tech_id, "bay_id": s.bay_id, "fixed": s.fixed,
            "start": s.start.replace(tzinfo=ctx.zone).isoformat(timespec="minutes"),
            "end": s.end.replace(tzinfo=ctx.zone).isoformat(timespec="minutes"), "late_minutes": round(s.late_minutes),
            "reasons": [{"zh": r.zh, "en": r.en} for r in s.reasons],
        }


def job_progress_board(ctx: Ctx, public: bool = False, mask: bool | None = None) -> State:
    """The JPCB: a row per technician (with the hours he worked today) and bay, every job in the
    shop with its stage and times, and the plan (``public``: no notes, for a kiosk screen; plates
    masked unless ``mask`` is False: a workshop TV only staff see)."""
    state: State = {"_meta": _meta(ctx)}
    worked = _worked(ctx)
    for t in ctx.session.scalars(select(Technician).where(Technician.shop_id == ctx.shop.id).order_by(Technician.id)):
        state[f"t{t.id}"] = {
            "name": t.name, "team": t.team.value, "present": t.present,
            "shift_start": t.shift_start.strftime("%H:%M"), "shift_end": t.shift_end.strftime("%H:%M"),
            "skills": {s.skill.value: s.level for s in t.skills}, "worked": worked.get(t.id, []),
        }
    for b in ctx.session.scalars(select(Bay).where(Bay.shop_id == ctx.shop.id).order_by(Bay.id)):
        state[f"b{b.id}"] = {"name": b.name, "kind": b.kind.value}
    for j in _open_jobs(ctx):
        state[f"j{j.id}"] = _job_card(ctx, j, public, mask)
    if not public:  # extra work on these cars, who it waits on, and the promises the plan will miss (not for kiosk screens)
        findings.add_cards(ctx, state, _open_jobs(ctx))
        _alert_cards(ctx, state)
    _plan_cards(ctx, state)
    return state


def _alert_cards(ctx: Ctx, state: State) -> None:
    """The promises the live plan will miss, not yet answered: for the advisors (board/services/promise_alerts.py)."""
    alerts = list(ctx.session.scalars(select(PromiseAlert).join(RepairOrder, RepairOrder.id == PromiseAlert.repair_order_id).where(
        PromiseAlert.shop_id == ctx.shop.id, PromiseAlert.answered_at.is_(None), RepairOrder.closed_at.is_(None)).order_by(PromiseAlert.id)))
    orders = {ro.id: ro for ro in ctx.session.scalars(select(RepairOrder).where(RepairOrder.id.in_([a.repair_order_id for a in alerts])))} \
        if alerts else {}
    for a in alerts:
        ro = orders[a.repair_order_id]
        state[f"x{a.id}"] = {
            "id": a.id, "repair_order_id": ro.id, "ro": ro.number, "advisor_id": a.advisor_id, "plate": ro.vehicle.plate_typed,
            "model": ro.vehicle.model, "customer": f"{ro.customer.name}{ro.customer.title}", "customer_waiting": ro.customer_waiting,
            "promised_at": _dt(ctx, a.promised_at), "expected_at": _dt(ctx, a.expected_at), "late_minutes": a.late_minutes,
            "message": a.message, "raised_at": _dt(ctx, a.raised_at), "version": a.version,
        }


def foreman_queue(ctx: Ctx) -> State:
    """Jobs waiting for a technician, for the foreman's console."""
    state: State = {"_meta": _meta(ctx)}
    for j in _open_jobs(ctx):
        if j.stage is Stage.WAITING_DISPATCH:
            state[f"j{j.id}"] = _job_card(ctx, j)
    return state


# Boards that show the live plan: it moves with the clock, so the scheduler re-makes them every round.
PLANNED = ("jpcb", "jpcb_public", "jpcb_floor", "welcome")
JOBS = frozenset({"job", "repair_order"})
BOARDS: dict[str, BoardSpec] = {
    spec.name: spec
    for spec in [
        BoardSpec("appointments", frozenset({"appointment", "advisor", "arrival"}), appointment_board),
        BoardSpec("welcome", frozenset({"appointment", "advisor"}) | JOBS, welcome_board),
        BoardSpec("jpcb", JOBS | {"technician", "bay", "advisor", "finding", "qc_check", "promise_alert"}, job_progress_board),
        BoardSpec("queue", JOBS | {"advisor"}, foreman_queue),
        # The masked twins kiosk tokens receive (board.auth.roles.DISPLAY_BOARDS).
        BoardSpec("appointments_public", frozenset({"appointment", "advisor", "arrival"}), lambda ctx: appointment_board(ctx, public=True)),
        BoardSpec("jpcb_public", JOBS | {"technician", "bay", "advisor"}, lambda ctx: job_progress_board(ctx, public=True)),
        # A workshop TV that hangs where only staff see it: full plates (which car to fetch), still no notes.
        BoardSpec("jpcb_floor", JOBS | {"technician", "bay", "advisor"}, lambda ctx: job_progress_board(ctx, public=True, mask=False)),
    ]
}
