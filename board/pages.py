"""The wall displays and consoles: one HTML shell per page; the page's module does the rest
over the live boards and the JSON API (displays/static/js/pages/)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from board import i18n
from board.api import serialize
from board.db.models import Advisor, Shop, Technician
from board.errors import NotFound
from board.reports import charts as charts_
from board.reports import present
from board.services import follow_ups, reports
from board.unit import UnitOfWork


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
        Page("follow-up", (), wall=False),
    ]
}


def script_json(value: object) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


CATALOGUE = i18n.catalogue()
CATALOGUE_JSON = script_json(CATALOGUE)


def page_routes(templates: Jinja2Templates, uow: UnitOfWork) -> list[Route]:
    db, clock = uow.db, uow.clock

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
            "catalogue": CATALOGUE_JSON, "title": i18n.PAGE_WORDS[f"page.{page.name.replace('-', '_')}"],
        }
        return templates.TemplateResponse(request, "page.html", context)

    async def summary(request: Request) -> Response:
        return await report_page(request, "summary")

    async def trends(request: Request) -> Response:
        return await report_page(request, "trends")

    async def report_page(request: Request, name: str) -> Response:
        code, lang = request.path_params["shop"], "en" if request.query_params.get("lang") == "en" else "zh"
        try:
            day = date.fromisoformat(request.query_params["day"]) if "day" in request.query_params else None
        except ValueError:
            return HTMLResponse("<!doctype html><meta charset=utf-8><h1>日期格式应为 2026-11-23 · The day must look like 2026-11-23</h1>", 400)
        try:
            context = await asyncio.to_thread(report_context, uow, code, name, day)
        except NotFound:
            return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>404</title><h1>没有这个门店 · No such shop: {code}</h1>", 404)
        context.update(lang=lang, w=words_in(lang), pct=lambda v: present.show(v, "pct"), minutes=lambda v: present.show(v, "minutes"))
        return templates.TemplateResponse(request, f"{name}.html", context)

    return [Route("/shops/{shop}/summary", summary), Route("/shops/{shop}/trends", trends), Route("/shops/{shop}/{page}", show)]


TREND_CHARTS = [("appointment_rate", None), ("no_show_rate", None), ("within_5_min", None), ("on_time_delivery", None),
                ("first_time_right", None), ("rework_rate", None), ("utilisation", None), ("efficiency", None)]


def report_context(uow: UnitOfWork, code: str, name: str, day: date | None) -> dict[str, Any]:
    with uow.shop(code, "report page", notify=False) as ctx:
        day = day or ctx.today
        shop = serialize.shop(ctx.shop)
        if name == "summary":
            calls = follow_ups.follow_up_list(ctx, day)
            return {"shop": shop, "day": day, "s": reports.day_summary(ctx, day), "calls": calls, "headline": present.HEADLINE,
                    "previous": day - timedelta(days=1), "next": day + timedelta(days=1)}
        days = reports.trend(ctx, day, 30)
    labels = [d.day for d in days]
    charts = [(key, charts_.line_chart(key, labels, [getattr(d, key) for d in days])) for key, _ in TREND_CHARTS]
    charts.append(("arrivals", charts_.line_chart("arrivals", labels, [float(d.arrivals) for d in days], percent=False)))
    return {"shop": shop, "day": day, "charts": charts, "days": days}


def words_in(lang: str) -> Any:
    """``w(key)`` in a template: Chinese with the English beside it, or English alone."""
    def w(key: str, **values: Any) -> Markup:
        word = CATALOGUE.get(key, {"zh": key, "en": key})
        zh, en = word["zh"].format(**values), word["en"].format(**values)
        if lang == "en":
            return Markup.escape(en)
        return Markup("{} <span class=en>{}</span>").format(zh, en)
    return w
