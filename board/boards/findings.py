"""Extra work (追加维修) on the live job board: each finding of a car still in the shop, with who it
waits on and since when — the technician's page, the advisor's approvals and the foreman's console
read the same cards.

Who waits on whom follows the finding's state: reported → the advisor (to price it); priced →
the advisor (to reach the customer), or the customer once a link is out (since it was sent); the
page tells an expired link from the card's ``link_expires_at``, so the card stays a function of
the rows (the clock never changes a board by itself).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from board.boards.diff import State
from board.context import Ctx
from board.db.models import Event, Finding, Job, RepairOrder, Technician
from board.domain.vocab import FindingStatus

# The changes that start a new wait (a photo added or a job moved does not).
WAIT_STARTS = ("reported", "priced", "link_sent", "link_revoked", "approved", "declined")


def _dt(ctx: Ctx, at: datetime | None) -> str | None:
    return at.astimezone(ctx.zone).isoformat(timespec="seconds") if at is not None else None


def since_of(ctx: Ctx, finding_ids: Iterable[int]) -> dict[int, datetime]:
    """When each finding last changed state, from the event log."""
    ids = list(finding_ids)
    if not ids:
        return {}
    rows = ctx.session.execute(
        select(Event.entity_id, func.max(Event.at)).where(Event.shop_id == ctx.shop.id, Event.entity == "finding",
                                                          Event.entity_id.in_(ids), Event.action.in_(WAIT_STARTS))
        .group_by(Event.entity_id)
    )
    return {int(i): at for i, at in rows}


def waiting_on(f: Finding) -> str | None:
    """"advisor", "customer", or None once decided."""
    if f.status is FindingStatus.REPORTED:
        return "advisor"
    if f.status is FindingStatus.PRICED:
        return "customer" if f.token_hash is not None else "advisor"
    return None


def card(ctx: Ctx, f: Finding, ro: RepairOrder, since: datetime | None, technician: str | None) -> dict[str, Any]:
    return {
        "id": f.id, "job_id": f.job_id, "ro": ro.number, "ro_id": ro.id, "plate": ro.vehicle.plate_typed, "model": ro.vehicle.model,
        "text": f.text, "photo": f.photo_id is not None, "status": f.status.value,
        "operation": f.operation, "skill": f.skill.value if f.skill else None, "level": f.level, "est_hours": f.est_hours,
        "bay_kind": f.bay_kind.value if f.bay_kind else None, "labour_rate": ctx.shop.labour_rate,
        "labour_price": f.labour_price, "parts_price": f.parts_price, "total": round(f.labour_price + f.parts_price, 2),
        "advisor": ro.advisor.name, "advisor_id": ro.advisor_id, "found_by": technician, "technician_id": f.found_by,
        "waiting_on": waiting_on(f), "since": _dt(ctx, since or f.created_at),
        "link_expires_at": _dt(ctx, f.token_expires_at) if f.token_hash is not None and f.decided_at is None else None,
        "decided_via": f.decided_via or None, "decided_by": f.decided_by or None, "decided_at": _dt(ctx, f.decided_at),
        "added_job_id": f.added_job_id, "version": f.version,
    }


def cards(ctx: Ctx, rows: list[Finding]) -> list[dict[str, Any]]:
    """The cards of these findings (for the board and the API alike), in their order."""
    if not rows:
        return []
    since = since_of(ctx, (f.id for f in rows))
    finders = {f.found_by for f in rows if f.found_by is not None}
    names = {t.id: t.name for t in ctx.session.scalars(select(Technician).where(Technician.id.in_(finders)))} if finders else {}
    orders = {ro.id: ro for ro in ctx.session.scalars(select(RepairOrder).where(RepairOrder.id.in_({f.repair_order_id for f in rows})))}
    return [card(ctx, f, orders[f.repair_order_id], since.get(f.id), names.get(f.found_by) if f.found_by else None) for f in rows]


def add_cards(ctx: Ctx, state: State, jobs: Iterable[Job]) -> None:
    """``f<id>`` cards for the findings of the cars whose jobs are on the board."""
    orders = {j.repair_order_id for j in jobs}
    if not orders:
        return
    rows = list(ctx.session.scalars(select(Finding).where(Finding.shop_id == ctx.shop.id, Finding.repair_order_id.in_(orders))
                                    .order_by(Finding.id)))
    for c in cards(ctx, rows):
        state[f"f{c['id']}"] = c
