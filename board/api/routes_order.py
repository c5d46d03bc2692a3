"""Routes of service menus, the walk-round at reception and the repair order with its estimate and a promise from the live plan.

Registered in the one registry (board/api/registry.py) like every route; the rules live in board/services/."""

from __future__ import annotations

from typing import Any

from board import commands
from board.api import answers, serialize
from board.api.answers_order import MenuOut, QuoteOut, ReceivedOrder, ReceptionOut
from board.api.registry import api
from board.auth.roles import ADMIN, ADVISORS
from board.context import Ctx, snapshot
from board.db.models import RepairOrder
from board.errors import InvalidInput, NotFound
from board.services import menus, reception
from board.versions import check_version

S = "/api/shops/{shop}"
Result = tuple[int, Any]


@api("PATCH", S, "Change the shop's settings (its labour rate, opening hours, name)", body=commands.ShopPatch, roles=ADMIN,
     response=answers.ShopOut)
def patch_shop(ctx: Ctx, body: commands.ShopPatch) -> Result:
    shop = ctx.shop
    check_version(shop, body.version, "shop")
    before = snapshot(shop, ["name", "labour_rate", "opens_at", "closes_at"])
    for name, value in body.model_dump(exclude_none=True, exclude={"version"}).items():  # null, like absent: unchanged
        setattr(shop, name, value)
    if shop.closes_at <= shop.opens_at:
        raise InvalidInput.one("closes_at", "must be after opens_at")
    ctx.session.flush()
    ctx.record("shop", shop.id, "updated", before, snapshot(shop, ["name", "labour_rate", "opens_at", "closes_at"]))
    return 200, serialize.shop(shop)


@api("GET", S + "/menus", "The shop's service menus (保养套餐): operations with standard hours, parts, and the price at the labour rate",
     response=list[MenuOut])
def list_menus(ctx: Ctx) -> Result:
    return 200, [menus.serialize(m, ctx.shop.labour_rate) for m in menus.menus(ctx)]


@api("POST", S + "/menus", "Add a service menu", body=commands.MenuIn, roles=ADMIN, response=MenuOut, status=201)
def add_menu(ctx: Ctx, body: commands.MenuIn) -> Result:
    return 201, menus.serialize(menus.add_menu(ctx, body), ctx.shop.labour_rate)


@api("PATCH", S + "/menus/{menu_id:int}", "Change a service menu (or retire it: active false)", body=commands.MenuPatch, roles=ADMIN,
     response=MenuOut)
def patch_menu(ctx: Ctx, body: commands.MenuPatch, menu_id: int) -> Result:
    return 200, menus.serialize(menus.update_menu(ctx, menu_id, body), ctx.shop.labour_rate)


@api("POST", S + "/orders/quote", "The estimate and a promise time proposed from the live plan for work not yet written down (changes nothing)",
     body=commands.QuoteIn, roles=ADVISORS, response=QuoteOut)
def quote_order(ctx: Ctx, body: commands.QuoteIn) -> Result:
    return 200, reception.quote(ctx, body)


@api("POST", S + "/orders/reception", "Write the repair order at reception: the walk-round, the jobs (menus and lines), the estimate, "
     "the promise, the customer's signature", body=commands.ReceptionIn, roles=ADVISORS, response=ReceivedOrder, status=201)
def write_order(ctx: Ctx, body: commands.ReceptionIn) -> Result:
    order = reception.receive_car(ctx, body)
    ctx.session.refresh(order)
    found = reception.reception_of(ctx, order.id)
    assert found is not None
    return 201, {"order": serialize.repair_order(ctx, order), "reception": reception.serialize(found)}


@api("GET", S + "/repair-orders/{ro_id:int}/reception", "The walk-round of a repair order, as signed", response=ReceptionOut)
def get_reception(ctx: Ctx, ro_id: int) -> Result:
    ctx.get(RepairOrder, ro_id, "repair order")
    found = reception.reception_of(ctx, ro_id)
    if found is None:
        raise NotFound("reception of repair order", ro_id)
    return 200, reception.serialize(found)
