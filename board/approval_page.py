"""The customer's approval page: /approve/{shop}/{token}, opened from the link his advisor sent.

No sign-in: the token in the path is the credential (256 random bits; only its SHA-256 is stored),
good for one finding of one shop, until it expires or is used. The page shows that finding and
nothing else: the car's model and masked plate, what was found, the photo (served through the same
token, never by an id), the price, and two buttons. It needs no script at all.

Writes: the token is the only authority and no cookie is involved, so a foreign page cannot borrow
the customer's browser to act (it would need the token, and with it could post directly anyway).
Still, a POST whose Origin is another site is refused, and the form carries the finding's version
as the customer saw it: a decision on anything that changed since is refused and the page shown
afresh. Opening the link (GET) never changes anything: a chat app's link preview decides nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from board.context import Ctx
from board.db.failures import as_unavailable
from board.db.models import Finding, RepairOrder
from board.domain.masking import greeting, masked_plate
from board.edge.csrf import check_origin
from board.errors import BoardError, Forbidden, NotFound, StaleVersion
from board.pages import words_in
from board.services import findings
from board.settings import Settings
from board.unit import UnitOfWork

log = logging.getLogger("board.approve")
SHOP_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,31}$")
# What the page answers for each state of the link.
STATUS = {"open": 200, "used": 410, "expired": 410, "closed": 410, "unknown": 404, "busy": 503, "refused": 403}
NO_STORE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}


def _money(value: float) -> str:
    return f"¥{value:,.2f}"


def approval_routes(templates: Jinja2Templates, uow: UnitOfWork, settings: Settings) -> list[Route]:
    def in_shop(code: str, token: str, write: bool, work: Callable[[Ctx, Finding | None], dict[str, Any]]) -> dict[str, Any]:
        if not SHOP_CODE.match(code):
            return {"state": "unknown"}
        try:
            with uow.shop(code, findings.CUSTOMER, write=write) as ctx:
                return work(ctx, findings.by_token(ctx, token))
        except NotFound:
            return {"state": "unknown"}

    def describe(ctx: Ctx, f: Finding | None) -> dict[str, Any]:
        if f is None:
            return {"state": "unknown"}
        ro = ctx.session.get(RepairOrder, f.repair_order_id)
        assert ro is not None

        def local(at: datetime | None) -> str:
            return at.astimezone(ctx.zone).strftime("%m-%d %H:%M") if at else ""

        out: dict[str, Any] = {"state": findings.link_state(ctx, f), "shop": ctx.shop.name, "advisor": ro.advisor.name}
        if out["state"] == "used":
            out.update(approved=f.status.value == "approved", decided_at=local(f.decided_at))
        if out["state"] == "open":
            out.update(name=greeting(ro.customer.name, ro.customer.title), model=ro.vehicle.model, plate=masked_plate(ro.vehicle.plate_typed),
                       text=f.text, operation=f.operation, hours=f.est_hours, photo=f.photo_id is not None,
                       labour=_money(f.labour_price), parts=_money(f.parts_price), total=_money(f.labour_price + f.parts_price),
                       expires=local(f.token_expires_at), seen=f.version)
        return out

    def page(request: Request, found: dict[str, Any], notice: str = "", status: int | None = None) -> Response:
        lang = "en" if request.query_params.get("lang") == "en" else "zh"
        # A customer's page: Chinese alone, English by the switch on it (?lang=en).
        context = {**found, "lang": lang, "w": words_in(lang, beside=False), "notice": notice}
        return templates.TemplateResponse(request, "approve.html", context, status_code=status or STATUS[found["state"]], headers=NO_STORE)

    async def show(request: Request) -> Response:
        code, token = request.path_params["shop"], request.path_params["token"]
        try:
            found = await run_in_threadpool(in_shop, code, token, False, describe)
        except SQLAlchemyError as exc:
            return busy(request, exc)
        return page(request, found)

    async def decide(request: Request) -> Response:
        code, token = request.path_params["shop"], request.path_params["token"]
        try:
            check_origin(request, "POST", settings.allowed_origins, form=True)
        except Forbidden:
            return page(request, {"state": "refused"})
        form = await request.form()
        choice, seen = str(form.get("decision", "")), str(form.get("seen", ""))
        if choice not in ("approve", "decline") or not seen.isdigit() or len(seen) > 12:
            return RedirectResponse(request.url.path, status_code=303)

        def work(ctx: Ctx, f: Finding | None) -> dict[str, Any]:
            if f is None:
                return {"state": "unknown"}
            try:
                findings.decide_by_link(ctx, f, choice == "approve", int(seen))
            except StaleVersion:
                return {**describe(ctx, f), "changed": True}
            except BoardError:
                pass  # used, expired or closed meanwhile: the page says which
            return {"state": "done"}

        try:
            found = await run_in_threadpool(in_shop, code, token, True, work)
        except SQLAlchemyError as exc:
            return busy(request, exc)
        if found.get("changed"):
            return page(request, found, notice="approve.changed", status=409)
        # Post/redirect/get: the page now says what was decided, and a reload sends nothing again.
        return RedirectResponse(str(request.url), status_code=303)

    async def photo(request: Request) -> Response:
        code, token = request.path_params["shop"], request.path_params["token"]

        def work(ctx: Ctx, f: Finding | None) -> dict[str, Any]:
            if f is None or findings.link_state(ctx, f) != "open":
                return {}
            row = findings.photo_of(ctx, f)
            return {"content": row.content, "media_type": row.media_type} if row is not None else {}

        try:
            found = await run_in_threadpool(in_shop, code, token, False, work)
        except SQLAlchemyError as exc:
            return busy(request, exc)
        if not found:
            return Response("", status_code=404, headers=NO_STORE)
        return Response(found["content"], media_type=found["media_type"], headers=NO_STORE)

    def busy(request: Request, exc: SQLAlchemyError) -> Response:
        if as_unavailable(exc) is None:
            raise exc
        log.warning("database unavailable", extra={"path": "/approve", "error": type(exc).__name__})
        response = page(request, {"state": "busy"})
        response.headers["Retry-After"] = "2"
        return response

    return [
        Route("/approve/{shop}/{token}", show, methods=["GET"]),
        Route("/approve/{shop}/{token}", decide, methods=["POST"]),
        Route("/approve/{shop}/{token}/photo", photo, methods=["GET"]),
    ]
