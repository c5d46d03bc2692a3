"""The shop's KPI targets: what the daily summary and the trends are held against.

One row per shop (made with the shop, or by migration 0009 for shops older than it), changed by an
admin with the version he read; which way each KPI is better is the dealer's, not the shop's
(board/reports/standards.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from board import commands
from board.context import Ctx, snapshot
from board.db.models import KpiTargets
from board.errors import InvalidInput
from board.reports.standards import DEFAULTS, STANDARDS

FIELDS = list(DEFAULTS)


def _row(ctx: Ctx) -> KpiTargets | None:
    return ctx.session.scalars(select(KpiTargets).where(KpiTargets.shop_id == ctx.shop.id)).one_or_none()


def current(ctx: Ctx) -> dict[str, float]:
    """KPI -> target, the dealer's defaults where the shop has none stored."""
    row = _row(ctx)
    return {key: float(getattr(row, key)) for key in FIELDS} if row is not None else dict(DEFAULTS)


def serialize(ctx: Ctx) -> dict[str, Any]:
    row = _row(ctx)
    values = current(ctx)
    return {"version": row.version if row is not None else 1,
            "targets": {s.key: {"target": values[s.key], "direction": s.direction.value, "default": s.default} for s in STANDARDS}}


def update(ctx: Ctx, data: commands.TargetsPatch) -> None:
    row = _row(ctx)
    if row is None:  # a shop the migration and create_shop both missed: its defaults, at version 1
        row = KpiTargets(shop_id=ctx.shop.id)
        ctx.session.add(row)
        ctx.session.flush()
    row = ctx.edit(KpiTargets, row.id, "targets", data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if any(value is None for value in changes.values()):
        raise InvalidInput.one(next(k for k, v in changes.items() if v is None), "a target cannot be empty: leave it out to keep it")
    before = snapshot(row, FIELDS)
    for name, value in changes.items():
        setattr(row, name, value)
    ctx.session.flush()
    ctx.record("kpi_targets", row.id, "updated", before, snapshot(row, FIELDS))
