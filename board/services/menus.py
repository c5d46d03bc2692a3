"""Service menus (保养套餐): fixed operations with standard hours and the parts they take, per shop.
An admin keeps them; the reception builds a repair order's jobs, parts and estimate from them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from board import commands
from board.context import Ctx, snapshot
from board.db.models import ServiceMenu
from board.errors import Conflict, InvalidInput

FIELDS = ["code", "name", "service_type", "interval_km", "interval_months", "jobs", "parts", "active"]


def serialize(menu: ServiceMenu, labour_rate: float) -> dict[str, Any]:
    hours = sum(j["est_hours"] for j in menu.jobs)
    parts = sum(p["qty"] * p["unit_price"] for p in menu.parts)
    return {"id": menu.id, "code": menu.code, "name": menu.name, "service_type": menu.service_type.value,
            "interval_km": menu.interval_km, "interval_months": menu.interval_months, "jobs": menu.jobs, "parts": menu.parts,
            "active": menu.active, "hours": round(hours, 2), "labour": round(hours * labour_rate, 2), "parts_amount": round(parts, 2),
            "total": round(hours * labour_rate + parts, 2), "version": menu.version}


def menus(ctx: Ctx, active_only: bool = False) -> list[ServiceMenu]:
    query = select(ServiceMenu).where(ServiceMenu.shop_id == ctx.shop.id)
    if active_only:
        query = query.where(ServiceMenu.active)
    return list(ctx.session.scalars(query.order_by(ServiceMenu.service_type, ServiceMenu.code)))


def by_codes(ctx: Ctx, codes: list[str], field: str = "menus") -> list[ServiceMenu]:
    """The active menus named, in the order named; a 422 naming the unknown ones."""
    found = {m.code: m for m in menus(ctx, active_only=True)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise InvalidInput.one(field, f"no service menu {', '.join(missing)} in this shop")
    return [found[c] for c in codes]


def add_menu(ctx: Ctx, data: commands.MenuIn) -> ServiceMenu:
    if ctx.session.scalar(select(ServiceMenu.id).where(ServiceMenu.shop_id == ctx.shop.id, ServiceMenu.code == data.code)) is not None:
        raise Conflict(f"A service menu with code {data.code!r} already exists.", f"套餐代码 {data.code} 已存在。")
    menu = ServiceMenu(shop_id=ctx.shop.id, code=data.code, name=data.name, service_type=data.service_type, interval_km=data.interval_km,
                       interval_months=data.interval_months, jobs=[j.model_dump(mode="json") for j in data.jobs],
                       parts=[p.model_dump(mode="json") for p in data.parts], active=True)
    ctx.session.add(menu)
    ctx.session.flush()
    ctx.record("service_menu", menu.id, "created", None, snapshot(menu, FIELDS))
    return menu


def update_menu(ctx: Ctx, menu_id: int, data: commands.MenuPatch) -> ServiceMenu:
    menu = ctx.edit(ServiceMenu, menu_id, "service menu", data.version)
    before = snapshot(menu, FIELDS)
    for name, value in data.model_dump(exclude_unset=True, exclude={"version"}, mode="json").items():
        if value is None and name in ("jobs", "parts"):
            continue
        setattr(menu, name, value)
    ctx.session.flush()
    ctx.record("service_menu", menu.id, "updated", before, snapshot(menu, FIELDS))
    return menu
