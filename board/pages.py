"""The wall displays and consoles: one HTML shell per page; the page's module does the rest
over the live boards and the JSON API (displays/static/js/pages/)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from board import i18n
from board.api import serialize
from board.clock import Clock
from board.db.models import Advisor, Shop, Technician
from board.db.session import Database


@dataclass(frozen=True)
class Page:
    name: str
    boards: tuple[str, ...]
    wall: bool  # a wall display: read-only, paged, no scrolling
    person: str | None = None  # "technician" / "advisor": whose page it is (?id=)


PAGES = {
    p.name: p
    for p in [
        Page("reception", ("appointments",), wall=True),
        Page("welcome", ("welcome",), wall=True),
        Page("workshop", ("jpcb",), wall=True),
        Page("foreman", ("queue", "jpcb"), wall=False),
        Page("greeter", ("appointments",), wall=False),
        Page("technician", ("jpcb",), wall=False, person="technician"),
        Page("advisor", ("appointments", "jpcb"), wall=False, person="advisor"),
    ]
}


def script_json(value: object) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


CATALOGUE_JSON = script_json(i18n.catalogue())


def page_routes(templates: Jinja2Templates, db: Database, clock: Clock) -> list[Route]:
    def load(code: str, page: Page) -> dict[str, Any] | None:
        with db.transaction() as session:
            shop = session.scalars(select(Shop).where(Shop.code == code)).one_or_none()
            if shop is None:
                return None
            people: list[dict[str, Any]] = []
            if page.person == "technician":
                people = [{"id": t.id, "name": t.name} for t in session.scalars(select(Technician).where(Technician.shop_id == shop.id).order_by(Technician.id))]
            elif page.person == "advisor":
                people = [{"id": a.id, "name": a.name} for a in session.scalars(select(Advisor).where(Advisor.shop_id == shop.id).order_by(Advisor.id))]
            return {"shop": serialize.shop(shop), "people": people}

    async def show(request: Request) -> Response:
        code, name = request.path_params["shop"], request.path_params["page"]
        lang = request.query_params.get("lang", "zh")
        page = PAGES.get(name)
        found = await asyncio.to_thread(load, code, page) if page is not None else None
        if page is None or found is None:
            what = "页面" if page is None else "门店"
            return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>404</title><h1>没有这个{what} · No such {'page' if page is None else 'shop'}: "
                                f"{code}/{name}</h1><p><a href='/'>返回首页 · Back to the start page</a></p>", 404)
        context = {
            "page": page, "shop": found["shop"], "people": found["people"], "lang": "en" if lang == "en" else "zh",
            "boot": script_json({"shop": found["shop"], "page": page.name, "boards": page.boards, "people": found["people"],
                                 "lang": "en" if lang == "en" else "zh", "kiosk": request.query_params.get("kiosk") == "1",
                                 "now": clock.now().isoformat(), "rate": clock.rate}),
            "catalogue": CATALOGUE_JSON, "title": i18n.PAGE_WORDS[f"page.{page.name}"],
        }
        return templates.TemplateResponse(request, "page.html", context)

    return [Route("/shops/{shop}/{page}", show)]
