"""Extra work (追加维修): what a technician finds on a car needs the customer's yes before it is done.

Rules:
- The technician reports it on his job (dispatched, in progress or stopped), with words and a photo.
  Unless he says he can carry on, his job in progress stops "waiting for approval" (its time counted
  from then; he resumes it himself).
- The advisor prices it: operation, skill and level, standard hours, bay kind; labour = hours × the
  shop's labour rate; parts as an amount. Re-pricing is allowed until the customer decides, and
  kills any link already out (the customer must see the price he says yes to).
- She sends the customer a personal link: a random token shown once (only its SHA-256 is kept),
  for this finding of this shop, valid LINK_HOURS, good for one decision. Or she records the
  customer's answer from the phone.
- Approved → a line of work on the repair order (skill, level, hours, bay kind from the price; the
  finding named on it), by default for the technician who found it on the same lift, right after
  his current work: on his own card when it is of the same kind and still open, else on a card of
  its own dispatched to him (to whoever the plan finds, when he lacks the skill); the live boards,
  the plan included, are rebuilt in the same transaction.
  Declined → kept, for the follow-up call and the next visit; a customer who calls back may still
  approve by phone while the car is here.
- Nothing is decided for a car that has been handed over.
Every step is in the event log with who did it; the customer's decision as "customer (link)".
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from board import commands
from board.context import Ctx, snapshot
from board.db.models import Finding, Job, Photo, RepairOrder, Technician, Vehicle
from board.domain.plates import normalise
from board.domain.stages import Action
from board.domain.vocab import FindingStatus, Stage, StopReason
from board.errors import IllegalMove, StaleVersion
from board.services import repair_orders
from board.services.finding_commands import DecisionIn, FindingIn, FindingsQuery, PriceIn, VersionIn
from board.services.photos import CleanPhoto, store

LINK_HOURS = 24
CUSTOMER = "customer (link)"  # the actor of a decision made on the link
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
REPORTABLE = (Stage.DISPATCHED, Stage.IN_PROGRESS, Stage.STOPPED)
FIELDS = ["job_id", "text", "photo_id", "status", "operation", "skill", "level", "est_hours", "bay_kind", "labour_price",
          "parts_price", "token_expires_at", "decided_at", "decided_via", "decided_by", "added_job_id"]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def car_here(ro: RepairOrder) -> bool:
    """The car has not been handed over: the order is open and some job is not delivered."""
    return ro.closed_at is None and any(j.stage is not Stage.DELIVERED for j in ro.jobs)


def _order(ctx: Ctx, f: Finding) -> RepairOrder:
    ro = ctx.session.get(RepairOrder, f.repair_order_id)
    assert ro is not None
    return ro


def _changed(ctx: Ctx, f: Finding, action: str, before: dict[str, object] | None, reason: str = "") -> None:
    ctx.session.flush()
    ctx.record("finding", f.id, action, before, snapshot(f, FIELDS), reason)


def _undecided(f: Finding) -> None:
    if f.status in (FindingStatus.APPROVED, FindingStatus.DECLINED):
        raise IllegalMove(f"The customer has already decided ({f.status.en.lower()}).", f"客户已作出决定(「{f.status.zh}」)。")


def _left(ro: RepairOrder) -> IllegalMove:
    return IllegalMove(f"{ro.number} has been handed over; book the work for the car's next visit.",
                       f"{ro.number} 已交车,请在车辆下次进厂时安排该项目。")


# -- the technician ----------------------------------------------------------------------------


def report(ctx: Ctx, data: FindingIn) -> Finding:
    job = ctx.ref(Job, data.job_id, "job_id", "job")
    if job.stage not in REPORTABLE:
        raise IllegalMove(f"Job {job.id} is '{job.stage.en}'; extra work is reported on a job dispatched, in progress or stopped.",
                          f"作业 {job.id} 为「{job.stage.zh}」,只能在已派工、维修中或中断的作业上报追加项目。")
    finding = Finding(shop_id=ctx.shop.id, repair_order_id=job.repair_order_id, job_id=job.id, found_by=job.technician_id,
                      text=data.text, status=FindingStatus.REPORTED, created_at=ctx.now)
    ctx.session.add(finding)
    _changed(ctx, finding, "reported", None, "carry on" if data.carry_on else "")
    if job.stage is Stage.IN_PROGRESS and not data.carry_on:
        repair_orders.transition(ctx, job.id, commands.TransitionIn(action=Action.STOP, version=job.version, reason=StopReason.APPROVAL,
                                                                     note=data.text))
    return finding


def attach_photo(ctx: Ctx, finding_id: int, photo: CleanPhoto) -> Finding:
    """The finding's photo (a new one replaces the old); a link already out dies with the old picture."""
    f = ctx.get(Finding, finding_id, "finding")
    _undecided(f)
    before = snapshot(f, FIELDS)
    old = f.photo_id
    f.photo_id = store(ctx, photo).id
    _revoke(f)
    _changed(ctx, f, "photo", before)
    if old is not None:
        ctx.session.flush()
        ctx.session.execute(delete(Photo).where(Photo.id == old))
    return f


# -- the advisor -------------------------------------------------------------------------------


def _revoke(f: Finding) -> None:
    f.token_hash = None
    f.token_expires_at = None


def price(ctx: Ctx, finding_id: int, data: PriceIn) -> Finding:
    f = ctx.edit(Finding, finding_id, "finding", data.version)
    _undecided(f)
    before = snapshot(f, FIELDS)
    f.operation, f.skill, f.level, f.est_hours, f.bay_kind = data.operation, data.skill, data.level, data.est_hours, data.bay_kind
    f.labour_price = round(data.est_hours * ctx.shop.labour_rate, 2)
    f.parts_price = round(data.parts_price, 2)
    revoked = f.token_hash is not None
    _revoke(f)
    f.status = FindingStatus.PRICED
    _changed(ctx, f, "priced", before, "the link sent before no longer works" if revoked else "")
    return f


def send_link(ctx: Ctx, finding_id: int, data: VersionIn) -> tuple[Finding, str]:
    """A new personal link for the customer (any earlier one stops working); the token is returned once."""
    f = ctx.edit(Finding, finding_id, "finding", data.version)
    if f.status is not FindingStatus.PRICED:
        _undecided(f)
        raise IllegalMove("Price the work first: the customer sees the price he says yes to.", "请先报价:客户需看到价格后再确认。")
    ro = _order(ctx, f)
    if not car_here(ro):
        raise _left(ro)
    before = snapshot(f, FIELDS)
    token = secrets.token_urlsafe(32)
    f.token_hash = token_hash(token)
    f.token_expires_at = ctx.now + timedelta(hours=LINK_HOURS)
    _changed(ctx, f, "link_sent", before)
    return f, token


def decide_by_phone(ctx: Ctx, finding_id: int, data: DecisionIn) -> Finding:
    """The customer's answer, taken on the phone by the advisor (a customer who declined may call back and approve)."""
    f = ctx.edit(Finding, finding_id, "finding", data.version)
    callback = f.status is FindingStatus.DECLINED and data.decision == "approve"
    if f.status is not FindingStatus.PRICED and not callback:
        if f.status is FindingStatus.REPORTED:
            raise IllegalMove("Price the work first: the customer says yes to a price.", "请先报价:客户需确认价格。")
        _undecided(f)
    return _decide(ctx, f, data.decision == "approve", "phone", data.note)


# -- the customer, on his link -----------------------------------------------------------------


def by_token(ctx: Ctx, token: str) -> Finding | None:
    """The finding this shop's link stands for; None for anything else (a token of another shop included)."""
    if not TOKEN_SHAPE.match(token):
        return None
    return ctx.session.scalar(select(Finding).where(Finding.shop_id == ctx.shop.id, Finding.token_hash == token_hash(token)))


def link_state(ctx: Ctx, f: Finding) -> str:
    """"open", "used" (decided, on the link or by phone), "expired", or "closed" (the car has left)."""
    if f.decided_at is not None:
        return "used"
    if f.token_expires_at is None or ctx.now >= f.token_expires_at:
        return "expired"
    if f.status is not FindingStatus.PRICED or not car_here(_order(ctx, f)):
        return "closed"
    return "open"


def decide_by_link(ctx: Ctx, f: Finding, approve: bool, seen_version: int) -> Finding:
    """The customer's tap. ``seen_version``: the finding as his page showed it; anything since is refused."""
    if link_state(ctx, f) != "open":
        raise IllegalMove("This link can no longer be used.", "此链接已失效。")
    if f.version != seen_version:
        raise StaleVersion("finding", f.id, {"version": f.version})
    return _decide(ctx, f, approve, "link", "")


def _decide(ctx: Ctx, f: Finding, approve: bool, via: str, note: str) -> Finding:
    ro = _order(ctx, f)
    if approve and not car_here(ro):
        raise _left(ro)
    before = snapshot(f, FIELDS)
    f.status = FindingStatus.APPROVED if approve else FindingStatus.DECLINED
    f.decided_at, f.decided_via, f.decided_by = ctx.now, via, ctx.actor[:60]
    if approve:
        f.added_job_id = _extra_work(ctx, ro, f).id
    _changed(ctx, f, "approved" if approve else "declined", before, note)
    return f


def _extra_work(ctx: Ctx, ro: RepairOrder, f: Finding) -> Job:
    """The approved work goes to the man who found it, on the car's lift, after his current work:
    a line on his card when it is of the same kind and open, else a card of its own dispatched to him
    when he holds the skill (else left for the plan to give to one who does)."""
    assert f.skill is not None and f.bay_kind is not None  # priced
    found_on = ctx.session.get(Job, f.job_id) if f.job_id else None
    line = commands.JobIn(operation=f.operation[:120], skill=f.skill, level=f.level, est_hours=f.est_hours, bay_kind=f.bay_kind,
                          priority=found_on.priority if found_on else None)
    card = repair_orders.add_job(ctx, ro, line, finding_id=f.id, prefer=found_on)
    if card.finding_id == f.id:  # a card of its own
        card.labour_price = f.labour_price
        finder = ctx.session.get(Technician, f.found_by) if f.found_by else None
        if finder is not None and finder.present and any(s.skill is f.skill and s.level >= f.level for s in finder.skills):
            repair_orders.transition(ctx, card.id, commands.TransitionIn(action=Action.DISPATCH, version=card.version, technician_id=finder.id,
                                                                         bay_id=found_on.bay_id if found_on else None))
    elif card.labour_price is not None:
        card.labour_price = round(card.labour_price + f.labour_price, 2)
    return card


# -- reading -----------------------------------------------------------------------------------


def listing(ctx: Ctx, query: FindingsQuery) -> list[Finding]:
    stmt = select(Finding).join(RepairOrder, RepairOrder.id == Finding.repair_order_id).where(Finding.shop_id == ctx.shop.id)
    if query.status is not None:
        stmt = stmt.where(Finding.status == query.status)
    if query.repair_order_id is not None:
        stmt = stmt.where(Finding.repair_order_id == query.repair_order_id)
    if query.advisor_id is not None:
        stmt = stmt.where(RepairOrder.advisor_id == query.advisor_id)
    if query.plate is not None:
        stmt = stmt.join(Vehicle, Vehicle.id == RepairOrder.vehicle_id).where(Vehicle.plate == normalise(query.plate))
    return list(ctx.session.scalars(stmt.order_by(Finding.id.desc()).limit(query.limit)))


def photo_of(ctx: Ctx, f: Finding) -> Photo | None:
    return ctx.session.get(Photo, f.photo_id) if f.photo_id is not None else None
