"""The three-level check (三检): the technician's own check sends his job to quality check; the inspector
passes it to the wash, or fails it with the reason that sends it back to the technician.

Both go through the job stage machine (finish, qc_pass, qc_fail: board/services/repair_orders.py), so
the boards, the KPIs (QC failures, first time right) and the event log see them as ever; each check
is kept (QcCheck) with its ticked list, who did it and, for a failure, why — and logged too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from board import commands, commands_quality
from board.context import Ctx, snapshot
from board.db.models import Job, QcCheck
from board.domain import checklists
from board.domain.stages import Action, move
from board.domain.vocab import Skill, Stage
from board.errors import FieldProblem, InvalidInput
from board.services import repair_orders
from board.services.car_lines import at, label, order_head, technician_names

SELF, FINAL = "self", "final"
FIELDS = ["job_id", "kind", "checked_by", "items", "passed", "reason"]
# Where a job sent back by the inspector can be until it is finished again.
BACK_IN_THE_WORKSHOP = (Stage.DISPATCHED, Stage.IN_PROGRESS, Stage.STOPPED)


def all_checklists() -> dict[str, Any]:
    """Every kind of job's self-check and final check, with their words; and each kind of operation's checks."""
    return {
        "self": {s.value: [i.as_dict() for i in checklists.self_check(s)] for s in Skill},
        "final": {s.value: [i.as_dict() for i in checklists.final_check(s)] for s in Skill},
        "operations": {kind: [i.as_dict() for i in items] for kind, (_words, items) in checklists.OPERATIONS.items()},
        "every_car": [i.as_dict() for i in checklists.EVERY_CAR],
    }


def own_list(job: Job) -> tuple[checklists.Item, ...]:
    """The card's self-check: its operations' checks (自检)."""
    return checklists.self_check(job.skill, [ln.check for ln in job.lines] or [""])


def final_list(job: Job) -> tuple[checklists.Item, ...]:
    """The inspector's list for the card: its operations' checks and every car's (终检)."""
    return checklists.final_check(job.skill, [ln.check for ln in job.lines] or [""])


def _keep(ctx: Ctx, job: Job, kind: str, items: list[dict[str, object]], passed: bool, reason: str, action: str) -> QcCheck:
    check = QcCheck(shop_id=ctx.shop.id, job_id=job.id, kind=kind, checked_by=ctx.actor, items=items, passed=passed, reason=reason, at=ctx.now)
    ctx.session.add(check)
    ctx.session.flush()
    ctx.record("qc_check", check.id, action, None, snapshot(check, FIELDS), reason)
    return check


def self_check(ctx: Ctx, job_id: int, data: commands_quality.SelfCheckIn) -> tuple[Job, QcCheck]:
    """The technician's card is done: every operation ticked (those ticked with the check among them)
    and every item of its list; it goes to quality check. The foreman may do it for a technician gone
    home: the check then carries his name."""
    job = ctx.edit(Job, job_id, "job", data.version)
    move(job.stage, Action.FINISH)  # a job not in progress cannot be finished: said before the list is read
    unknown = set(data.lines) - {ln.id for ln in job.lines}
    if unknown:
        raise InvalidInput.one("lines", f"not operations of job {job.id}: {', '.join(map(str, sorted(unknown)))}")
    items = own_list(job)
    ticked = checklists.ticked(items, data.items)
    left = [ln for ln in job.lines if ln.done_at is None and ln.id not in data.lines]
    problems = [FieldProblem("lines", "every operation of the card must be done first; not yet: " + "、".join(ln.operation for ln in left))] \
        if left else []
    try:
        checklists.require_all(items, ticked)
    except InvalidInput as missing:
        problems = missing.problems + problems
    if problems:
        raise InvalidInput(problems)
    for line in job.lines:
        if line.done_at is None:
            line.done_at, line.done_by = ctx.now, ctx.actor[:60]
    job.self_checked_at = ctx.now  # flushed with the move: one version step
    job = repair_orders.transition(ctx, job.id, commands.TransitionIn(action=Action.FINISH, version=data.version))
    return job, _keep(ctx, job, SELF, ticked, True, "", "self_check")


def inspect(ctx: Ctx, job_id: int, data: commands_quality.InspectionIn) -> tuple[Job, QcCheck]:
    """The inspector's verdict on a job in quality check: to the wash, or back to its technician with the reason."""
    job = ctx.edit(Job, job_id, "job", data.version)
    action = Action.QC_PASS if data.passed else Action.QC_FAIL
    move(job.stage, action)
    items = final_list(job)
    ticked = checklists.ticked(items, data.items)
    if data.passed:
        checklists.require_all(items, ticked)
    elif not data.reason:
        raise InvalidInput.one("reason", "say why it goes back: the technician reads it on his page")
    job = repair_orders.transition(ctx, job.id, commands.TransitionIn(action=action, version=data.version, note=data.reason))
    return job, _keep(ctx, job, FINAL, ticked, data.passed, data.reason, "passed" if data.passed else "failed")


def serialize_check(ctx: Ctx, check: QcCheck) -> dict[str, Any]:
    return {"id": check.id, "job_id": check.job_id, "kind": check.kind, "checked_by": check.checked_by, "at": at(ctx, check.at),
            "items": [{"item": str(i["item"]), "ok": bool(i["ok"])} for i in check.items], "passed": check.passed, "reason": check.reason}


def _checks(ctx: Ctx, job_ids: list[int]) -> list[QcCheck]:
    if not job_ids:
        return []
    return list(ctx.session.scalars(select(QcCheck).where(QcCheck.shop_id == ctx.shop.id, QcCheck.job_id.in_(job_ids)).order_by(QcCheck.id)))


def current_self_check(job: Job, checks: list[QcCheck]) -> QcCheck | None:
    """The self-check that sent the job to quality check this time: none if it was finished without one
    (by the foreman, through the API) or has been sent back since."""
    if job.self_checked_at is None or job.actual_end is None or job.self_checked_at < job.actual_end:
        return None
    own = [c for c in checks if c.kind == SELF and c.job_id == job.id]
    return own[-1] if own else None


def _waiting_job(ctx: Ctx, job: Job, checks: list[QcCheck], names: dict[int, str]) -> dict[str, Any]:
    """A job at the inspector's: its self-check (by whom, or none), what failed before, its list."""
    own = current_self_check(job, checks)
    failures = [c for c in checks if c.kind == FINAL and c.job_id == job.id and not c.passed]
    return {
        "id": job.id, "operation": job.operation, "skill": label(job.skill), "est_hours": job.est_hours,
        "technician": names.get(job.technician_id) if job.technician_id else None, "finished_at": at(ctx, job.actual_end),
        "qc_failures": job.qc_failures, "version": job.version,
        "self_check": {"by": own.checked_by, "at": at(ctx, own.at)} if own else None,
        "earlier_failures": [{"reason": c.reason, "by": c.checked_by, "at": at(ctx, c.at)} for c in failures],
        "operations": [ln.operation for ln in job.lines],
        "checklist": [i.as_dict() for i in final_list(job)],
    }


def _sent_back(ctx: Ctx, job: Job, failure: QcCheck, names: dict[int, str]) -> dict[str, Any]:
    ro = job.repair_order
    return {"id": job.id, "repair_order_id": ro.id, "number": ro.number, "plate": ro.vehicle.plate_typed, "model": ro.vehicle.model,
            "operation": job.operation, "stage": label(job.stage), "qc_failures": job.qc_failures,
            "technician": names.get(job.technician_id) if job.technician_id else None,
            "reason": failure.reason, "by": failure.checked_by, "at": at(ctx, failure.at)}


def _jobs(ctx: Ctx, *where: Any) -> list[Job]:
    return list(ctx.session.scalars(select(Job).where(Job.shop_id == ctx.shop.id, *where).options(selectinload(Job.repair_order)).order_by(Job.id)))


def queue(ctx: Ctx) -> dict[str, Any]:
    """The inspector's screen: cars with jobs waiting for the check, the one waiting longest first (since
    its first job came), each job with its self-check and its list; and the jobs sent back, with why."""
    waiting = _jobs(ctx, Job.stage == Stage.QUALITY_CHECK)
    back = _jobs(ctx, Job.stage.in_(BACK_IN_THE_WORKSHOP), Job.qc_failures > 0)
    checks = _checks(ctx, [j.id for j in waiting + back])
    names = technician_names(ctx)
    cars: dict[int, dict[str, Any]] = {}
    since: dict[int, datetime] = {}
    for job in waiting:
        ro = job.repair_order
        car = cars.setdefault(ro.id, {**order_head(ctx, ro), "since": None, "jobs": [], "other_jobs": [
            {"id": j.id, "operation": j.operation, "stage": label(j.stage)} for j in ro.jobs if j.stage is not Stage.QUALITY_CHECK]})
        car["jobs"].append(_waiting_job(ctx, job, checks, names))
        since[ro.id] = min(since.get(ro.id, ctx.now), job.actual_end or ctx.now)
    for ro_id, car in cars.items():
        car["since"] = at(ctx, since[ro_id])
    last_failure = {c.job_id: c for c in checks if c.kind == FINAL}  # the last check of each: a failure, or it was passed since
    returned = sorted((last_failure[j.id].at, j.id, _sent_back(ctx, j, last_failure[j.id], names))
                      for j in back if j.id in last_failure and not last_failure[j.id].passed)
    return {"cars": sorted(cars.values(), key=lambda c: (since[c["repair_order_id"]], c["repair_order_id"])),
            "returned": [r for _at, _id, r in returned]}


def job_checks(ctx: Ctx, job_id: int) -> list[dict[str, Any]]:
    """Every check of one job, oldest first."""
    job = ctx.get(Job, job_id, "job")
    return [serialize_check(ctx, c) for c in _checks(ctx, [job.id])]
