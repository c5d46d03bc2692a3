"""The shop's plan as every screen shows it: made by the planning loop (board/planning.py) once per
change and as the clock moves, with a budget of work (so a busy machine makes the same plan), from
each technician's real speed, and kept in ``shop_plans`` — the workshop TV, the foreman's console,
the lounge's ready times and the advisors' promises all read this one plan.

Reads only, except ``save`` (called by the loop in its own short transaction).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from board.context import Ctx
from board.db.models import Bay, Event, Job, ShopPlan, Technician
from board.dispatch import model, planner, shop_plan, speed
from board.domain.stages import CLOCK_CLOSES, CLOCK_MOVES, clock_opens
from board.domain.vocab import Skill, Stage

SPEEDS_KEPT = timedelta(minutes=10)  # speeds change slowly: the 30 days' history is read again after this


@dataclass(frozen=True)
class Shown:
    """A plan as the screens show it: the slots, what it moves from where it was dispatched, and
    each technician's speed per skill it was timed with."""

    plan: model.Plan
    changes: tuple[model.Change, ...] = ()
    speeds: dict[int, dict[str, float]] = field(default_factory=dict)
    speeds_at: datetime | None = None  # when the speeds were read from the history


# -- each technician's real speed, and how late jobs ran ---------------------------------------


def history(ctx: Ctx) -> tuple[list[speed.Clocked], list[float]]:
    """The jobs finished in the last 30 days as the speed rules want them (who, which skill, the
    standard hours, the hours clocked), and how many minutes each ran past its planned end."""
    since = ctx.now - speed.WINDOW
    rows = ctx.session.execute(
        select(Event.at, Event.entity_id, Event.action, Event.after)
        .where(Event.shop_id == ctx.shop.id, Event.entity == "job", Event.at >= since, Event.action.in_(CLOCK_MOVES))
        .order_by(Event.id))
    clocked: dict[tuple[int, int], float] = {}
    open_: dict[int, tuple[int, datetime]] = {}
    finished: dict[int, tuple[int, datetime]] = {}
    for at, job_id, action, after in rows:
        tech = (after or {}).get("technician_id")
        if clock_opens(action, after) and tech is not None:
            open_[job_id] = (int(tech), at)
        elif action in CLOCK_CLOSES and job_id in open_:
            who, began = open_.pop(job_id)
            clocked[(who, job_id)] = clocked.get((who, job_id), 0.0) + (at - began).total_seconds() / 3600
            if action == "finish":
                finished[job_id] = (who, at)
    if not finished:
        return [], []
    jobs = {j.id: j for j in ctx.session.scalars(select(Job).where(Job.id.in_(list(finished))))}
    out, overruns = [], []
    for job_id, (who, at) in finished.items():
        job = jobs.get(job_id)
        if job is None:
            continue
        out.append(speed.Clocked(who, job.skill.value, job.est_hours, clocked.get((who, job_id), 0.0), at.astimezone(ctx.zone).replace(tzinfo=None)))
        if job.planned_end is not None:
            overruns.append((at - job.planned_end).total_seconds() / 60)
    return out, overruns


def speeds(ctx: Ctx) -> dict[int, dict[str, float]]:
    clocked, _overruns = history(ctx)
    return speed.speed_factors(clocked, ctx.now_local)


@dataclass(frozen=True)
class Margin:
    """How long after the planned end to promise, and what it rests on."""

    minutes: int
    percentile: int
    past_jobs: int  # fewer than speed.MIN_OVERRUNS: the default margin


def promise_margin(ctx: Ctx) -> Margin:
    """The ``speed.PERCENTILE``-th percentile of how late the last 30 days' jobs ran past their
    planned end: a promise with this margin would have been kept that often."""
    _clocked, overruns = history(ctx)
    return Margin(int(speed.promise_margin(overruns).total_seconds() // 60), speed.PERCENTILE, len(overruns))


# -- making the plan -----------------------------------------------------------------------


def make(ctx: Ctx, budget: str | int | None) -> Shown:
    """The plan from where the shop stands, each job timed for the man who would do it, improved by
    local search for ``budget`` (work, not seconds); current assignments move only when worth it."""
    rows, jobs, techs, bays, _waiting_parts = shop_plan.planning_input(ctx)
    row = stored(ctx)
    kept = from_json(row.plan) if row is not None else None
    if kept is not None and kept.speeds_at is not None and ctx.now - kept.speeds_at < SPEEDS_KEPT:
        factors, speeds_at = kept.speeds, kept.speeds_at
    else:
        factors, speeds_at = speeds(ctx), ctx.now
    techs = [replace(t, speed=factors.get(t.id, {})) for t in techs]
    plan, changes = planner.replan(_previous(ctx, rows), jobs, techs, bays, ctx.now_local, budget=budget)
    return Shown(plan, tuple(c for c in changes if c.from_tech is not None), factors, speeds_at)


def quote(ctx: Ctx, extra: list[model.JobIn], booking: int | None = None) -> model.Plan:
    """The shown plan with these jobs added (ids below zero), timed at each man's speed: the
    shop's work kept where the plan has it, the new work fitted in. Nothing is written.
    ``booking``: the booking the work is for (its reserved place gives way to it)."""
    rows, jobs, techs, bays, _waiting_parts = shop_plan.load(ctx)
    jobs += shop_plan.reservations(ctx, ctx.today, excluding=booking)
    current = shown(ctx)
    techs = [replace(t, speed=current.speeds.get(t.id, {})) for t in techs]
    previous = model.Plan(tuple(replace(s, reasons=()) for s in current.plan.slots), (), 0.0, look_ahead=current.plan.look_ahead)
    plan, _changes = planner.replan(previous, [*jobs, *extra], techs, bays, ctx.now_local)
    return plan


def latest_event(ctx: Ctx, besides: list[Event] | None = None) -> int:
    """The shop's last event (``besides``: or the last of these, when later)."""
    latest = int(ctx.session.scalar(select(func.max(Event.id)).where(Event.shop_id == ctx.shop.id)) or 0)
    return max([latest, *(e.id for e in besides or [] if e.id is not None)])


def nothing_since(ctx: Ctx, event: int) -> bool:
    """No change of the shop's since that event, but this transaction's own."""
    ctx.session.flush()  # this transaction's events have their ids
    ours = [e.id for e in ctx.events]
    later = select(func.count()).select_from(Event).where(Event.shop_id == ctx.shop.id, Event.id > event)
    if ours:
        later = later.where(Event.id.not_in(ours))
    return not ctx.session.scalar(later)


# -- kept for every screen ---------------------------------------------------------------------


def _reason(r: model.Reason) -> dict[str, str]:
    return {"zh": r.zh, "en": r.en}


def to_json(shown: Shown) -> dict[str, Any]:
    plan = shown.plan
    return {
        "slots": [{"job_id": s.job_id, "tech_id": s.tech_id, "bay_id": s.bay_id, "start": s.start.isoformat(), "end": s.end.isoformat(),
                   "late_minutes": s.late_minutes, "reasons": [_reason(r) for r in s.reasons], "fixed": s.fixed,
                   "cause": _reason(s.cause) if s.cause else None} for s in plan.slots],
        "unassignable": [[job_id, _reason(r)] for job_id, r in plan.unassignable],
        "weighted_lateness": plan.weighted_lateness, "late": list(plan.late), "look_ahead": plan.look_ahead,
        "changes": [{"job_id": c.job_id, "from_tech": c.from_tech, "to_tech": c.to_tech, "reason": _reason(c.reason)} for c in shown.changes],
        "speeds": {str(k): v for k, v in shown.speeds.items()},
        "speeds_at": shown.speeds_at.isoformat() if shown.speeds_at else None,
    }


def from_json(data: dict[str, Any]) -> Shown:
    def reason(r: dict[str, str]) -> model.Reason:
        return model.Reason(r["zh"], r["en"])
    plan = model.Plan(
        slots=tuple(model.Slot(s["job_id"], s["tech_id"], s["bay_id"], datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"]),
                               s["late_minutes"], tuple(reason(r) for r in s["reasons"]), s["fixed"],
                               reason(s["cause"]) if s.get("cause") else None) for s in data["slots"]),
        unassignable=tuple((job_id, reason(r)) for job_id, r in data["unassignable"]),
        weighted_lateness=data["weighted_lateness"], late=tuple(data["late"]), look_ahead=data.get("look_ahead"))
    changes = tuple(model.Change(c["job_id"], c["from_tech"], c["to_tech"], reason(c["reason"])) for c in data.get("changes", []))
    speeds_at = datetime.fromisoformat(data["speeds_at"]) if data.get("speeds_at") else None
    return Shown(plan, changes, {int(k): v for k, v in data.get("speeds", {}).items()}, speeds_at)


def stored(ctx: Ctx) -> ShopPlan | None:
    return ctx.session.get(ShopPlan, ctx.shop.id)


def kept(ctx: Ctx) -> tuple[Shown, int] | None:
    """The plan the loop kept, and the last event of the shop it was made from."""
    row = stored(ctx)
    return (from_json(row.plan), row.based_on) if row is not None else None


def for_boards(ctx: Ctx) -> Shown:
    """The plan the live boards draw: the kept one, even while the loop is re-planning the change
    this transaction makes (its boards follow as a delta within a second or so); a change costs a
    write nothing. A shop the loop has not planned yet gets a first plan made now."""
    found = kept(ctx)
    return found[0] if found is not None else _first(ctx, {}, None)


# The first plan of a shop made on request while the loop re-plans a change, shared by every
# console that asks (once per change per process, not once per console).
_FIRST: dict[int, tuple[tuple[int, datetime], Shown]] = {}


def shown(ctx: Ctx) -> Shown:
    """The plan a console acts on (the foreman's list, accept, a quote): the kept one if nothing
    changed since it was made; else a first plan from the shop as it is now, timed with the kept
    speeds, which the loop improves within a second or so. Never a plan behind the shop."""
    found = kept(ctx)
    latest = latest_event(ctx)
    if found is not None and found[1] >= latest:
        return found[0]
    key = (latest, ctx.now.replace(second=0, microsecond=0))
    memo = _FIRST.get(ctx.shop.id)
    if memo is not None and memo[0] == key:
        return memo[1]
    first = _first(ctx, found[0].speeds if found else {}, found[0].speeds_at if found else None)
    if not ctx.events:  # made from committed rows only: safe to share
        _FIRST[ctx.shop.id] = (key, first)
    return first


def _first(ctx: Ctx, factors: dict[int, dict[str, float]], speeds_at: datetime | None) -> Shown:
    rows, jobs, techs, bays, _waiting_parts = shop_plan.planning_input(ctx)
    techs = [replace(t, speed=factors.get(t.id, {})) for t in techs]
    plan, changes = planner.replan(_previous(ctx, rows), jobs, techs, bays, ctx.now_local)
    return Shown(plan, tuple(c for c in changes if c.from_tech is not None), factors, speeds_at)


def _previous(ctx: Ctx, rows: list[Job]) -> model.Plan:
    """The shop's current assignments as a plan: a re-plan keeps them where nothing is lost by it."""
    now = ctx.now_local
    return model.Plan(tuple(model.Slot(j.id, j.technician_id, None, now, now, 0.0, ()) for j in rows
                            if j.stage is Stage.DISPATCHED and j.technician_id is not None), (), 0.0)


def save(ctx: Ctx, shown: Shown, based_on: int) -> bool:
    """Keep a plan made from the shop up to event ``based_on``; False if a newer one is kept already
    (another process got there first)."""
    row = stored(ctx)
    if row is None:
        ctx.session.add(ShopPlan(shop_id=ctx.shop.id, made_at=ctx.now, based_on=based_on, plan=to_json(shown)))
        return True
    if row.based_on > based_on:
        return False
    row.made_at, row.based_on, row.plan = ctx.now, based_on, to_json(shown)
    return True


def suggestions(ctx: Ctx) -> dict[str, Any]:
    """The shown plan as the foreman's console lists it: every job with its technician, bay, times
    and reasons; what would move from where it is now; what nobody can do, and why; each
    technician's speed where it is not the standard's."""
    shown_ = shown(ctx)
    plan = shown_.plan
    rows, jobs, _techs, _bays, waiting_parts = shop_plan.planning_input(ctx)
    by_id = {j.id: j for j in jobs}
    techs = {t.id: t.name for t in ctx.session.scalars(select(Technician).where(Technician.shop_id == ctx.shop.id))}
    bays = {b.id: b.name for b in ctx.session.scalars(select(Bay).where(Bay.shop_id == ctx.shop.id))}
    out = []
    for s in plan.slots:
        j = by_id.get(s.job_id)
        if j is None or s.job_id < 0:  # started or finished since the plan was made (the next plan drops it), or a booking's place
            continue
        out.append({
            "job_id": s.job_id, "label": j.label, "priority": j.priority, "technician_id": s.tech_id, "technician": techs.get(s.tech_id),
            "bay_id": s.bay_id, "bay": bays.get(s.bay_id) if s.bay_id else None,
            "start": _aware(ctx, s.start), "end": _aware(ctx, s.end),
            "late_minutes": round(s.late_minutes), "fixed": s.fixed, "current_technician_id": j.current_tech or j.started_tech,
            "reasons": [_reason(r) for r in s.reasons], "cause": _reason(s.cause) if s.cause else None,
        })
    moves = [{"job_id": c.job_id, "label": by_id[c.job_id].label, "from_technician": techs.get(c.from_tech) if c.from_tech else None,
              "to_technician": techs.get(c.to_tech) if c.to_tech else None, "reason": _reason(c.reason)}
             for c in shown_.changes if c.job_id in by_id]
    cannot = [{"job_id": j_id, "label": by_id[j_id].label, "reason": _reason(r)} for j_id, r in plan.unassignable if j_id in by_id]
    waits = shop_plan.parts_waits(ctx) if waiting_parts else {}
    cannot += [{"job_id": j.id, "label": f"{j.repair_order.number} {j.operation}", "reason": shop_plan.parts_reason(ctx, waits.get(j.id))}
               for j in waiting_parts]
    return {"plan": out, "moves": moves, "unassignable": cannot, "late": [j for j in plan.late if j in by_id],
            "weighted_lateness": round(plan.weighted_lateness, 1), "now": _aware(ctx, ctx.now_local),
            "speeds": speed_list(shown_.speeds, techs), "plan_stamp": stamp(plan)}


def stamp(plan: model.Plan) -> str:
    """A short name for what a plan suggests (who, where, from when, for every job): two plans have
    the same stamp exactly when a console would show the same suggestions. A click sends back the
    stamp its screen showed, so a plan that moved on since is told apart from an override."""
    said = sorted((s.job_id, s.tech_id, s.bay_id or 0, s.start.isoformat(timespec="minutes")) for s in plan.slots)
    return hashlib.blake2b(repr(said).encode(), digest_size=6).hexdigest()


def speed_list(factors: dict[int, dict[str, float]], names: dict[int, str]) -> list[dict[str, Any]]:
    """Each technician's speed per skill where it differs from the standard by a tenth or more."""
    words = {s.value: (s.zh, s.en) for s in Skill}
    out = []
    for tech_id, per_skill in sorted(factors.items()):
        shown_skills = {k: v for k, v in per_skill.items() if abs(v - 1.0) >= 0.05}
        for (zh, en), (skill, factor) in zip(speed.speed_words(names.get(tech_id, "?"), shown_skills, words), sorted(shown_skills.items()), strict=True):
            out.append({"technician_id": tech_id, "skill": skill, "factor": round(factor, 2), "zh": zh, "en": en})
    return out


def _aware(ctx: Ctx, at: datetime) -> str:
    return at.replace(tzinfo=ctx.zone).isoformat(timespec="minutes")
