"""The wall displays and consoles: one HTML shell per page; the page's module does the rest
over the live boards and the JSON API (displays/static/js/pages/)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from board import i18n
from board.api import serialize
from board.auth.principal import Principal
from board.auth.roles import DISPLAY_BOARDS, FLOOR_BOARDS, NAV_PAGES, PAGE_ROLES, Role
from board.db.models import Advisor, Shop, Technician
from board.edge.identity import Identities, Identity
from board.errors import NotFound
from board.reports import charts as charts_
from board.reports import present
from board.services import follow_ups, reports, targets
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
        # the service process on screens (a module each in displays/static/js/pages/)
        Page("booking", ("appointments",), wall=False),
        Page("order", ("appointments", "jpcb"), wall=False),
        Page("parts", ("jpcb",), wall=False),
        Page("qc", ("jpcb",), wall=False),
        Page("wash", ("jpcb",), wall=False),
        Page("delivery", ("jpcb",), wall=False),
    ]
}


def script_json(value: object) -> str:
    """JSON safe inside a <script> element: no <, > or & at all, so no </script>, <!-- or CDATA can end or bend it."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# Pages with a stylesheet of their own (displays/static/css/pages/<page>.css), beside board.css.
PAGE_CSS = frozenset(p.stem for p in (Path(__file__).resolve().parent.parent / "displays" / "static" / "css" / "pages").glob("*.css"))
CATALOGUE = i18n.catalogue()
CATALOGUE_JSON = script_json(CATALOGUE)


def page_routes(templates: Jinja2Templates, uow: UnitOfWork, identities: Identities) -> list[Route]:
    db, clock = uow.db, uow.clock

    def error_page(request: Request, status: int, zh: str, en: str, detail: str = "", sign_in: bool = False) -> Response:
        """Every HTML error goes through the autoescaped template: whatever the URL held is text, never markup."""
        return templates.TemplateResponse(request, "error.html", {"status": status, "zh": zh, "en": en, "detail": detail[:200],
                                                                  "sign_in": sign_in}, status_code=status)

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

    def shop_id_of(code: str) -> int | None:
        with db.transaction() as session:
            return session.scalar(select(Shop.id).where(Shop.code == code))

    async def show(request: Request) -> Response:
        code, name = request.path_params["shop"], request.path_params["page"]
        lang = request.query_params.get("lang", "zh")
        page = PAGES.get(name)
        found = await asyncio.to_thread(load, code, page) if page is not None else None
        if page is None or found is None:
            if page is None:
                return error_page(request, 404, "没有这个页面", "No such page", f"{code}/{name}")
            return error_page(request, 404, "没有这个门店", "No such shop", code)
        token = request.query_params.get("token") if page.wall else None
        principal, identity, refusal = await who_may_see(request, name, found["shop"]["id"], token)
        if refusal is not None:
            return refusal
        assert principal is not None
        boards = page.boards
        people = found["people"]
        if principal.role is Role.DISPLAY:  # a kiosk: the board its token names; a display account: the masked twin
            boards = (principal.board or DISPLAY_BOARDS[page.name],)
        elif principal.role is Role.TECHNICIAN and page.person == "technician":
            people = [p for p in people if p["id"] == principal.technician_id]
        elif principal.role is Role.ADVISOR and page.person == "advisor":
            people = [p for p in people if p["id"] == principal.advisor_id]
        csrf = "" if token or identity is None else identity.csrf
        user = None if token else {"name": principal.name, "role": principal.role.value,
                                   "technician_id": principal.technician_id, "advisor_id": principal.advisor_id}
        # A console carries the bar of its person's pages; a wall TV shows the board alone.
        nav = [] if page.wall or token else nav_links(principal.role)
        context = {
            "page": page, "shop": found["shop"], "people": people, "lang": "en" if lang == "en" else "zh",
            "csrf": csrf, "user": user, "nav": nav,
            "boot": script_json({"shop": found["shop"], "page": page.name, "boards": boards, "people": people,
                                 "lang": "en" if lang == "en" else "zh", "kiosk": request.query_params.get("kiosk") == "1",
                                 "now": clock.now().isoformat(), "rate": clock.rate, "token": token, "user": user,
                                 "csrf": csrf}),
            "catalogue": CATALOGUE_JSON, "title": i18n.PAGE_WORDS[f"page.{page.name.replace('-', '_')}"], "page_css": PAGE_CSS,
        }
        return templates.TemplateResponse(request, "page.html", context)

    async def who_may_see(request: Request, name: str, shop_id: int,
                          token: str | None) -> tuple[Principal | None, Identity | None, Response | None]:
        """The signed-in person (or a wall page's kiosk token) if they may open this page; else the answer instead."""
        if token:
            kiosk = await asyncio.to_thread(identities.kiosk, token)
            if kiosk is None or kiosk.shop_id != shop_id or kiosk.board not in (DISPLAY_BOARDS.get(name), FLOOR_BOARDS.get(name)):
                return None, None, error_page(request, 403, "这个显示屏链接无效或已被吊销", "This display link is not valid or has been revoked")
            return kiosk, None, None
        identity = await asyncio.to_thread(identities.signed_in, request)
        if identity is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return None, None, RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        principal = identity.principal
        if not principal.may_enter(shop_id) or principal.role not in PAGE_ROLES[name]:
            return None, None, error_page(request, 403, "您的账号无权打开此页面", "Your account may not open this page", sign_in=True)
        return principal, identity, None

    async def summary(request: Request) -> Response:
        return await report_page(request, "summary")

    async def trends(request: Request) -> Response:
        return await report_page(request, "trends")

    async def report_page(request: Request, name: str) -> Response:
        code, lang = request.path_params["shop"], "en" if request.query_params.get("lang") == "en" else "zh"
        try:
            day = date.fromisoformat(request.query_params["day"]) if "day" in request.query_params else None
        except ValueError:
            return error_page(request, 400, "日期格式应为 2026-11-23", "The day must look like 2026-11-23")
        shop_id = await asyncio.to_thread(shop_id_of, code)
        if shop_id is None:
            return error_page(request, 404, "没有这个门店", "No such shop", code)
        _principal, _identity, refusal = await who_may_see(request, name, shop_id, None)
        if refusal is not None:
            return refusal
        try:
            context = await asyncio.to_thread(report_context, uow, code, name, day)
        except NotFound:
            return error_page(request, 404, "没有这个门店", "No such shop", code)
        context.update(lang=lang, w=words_in(lang), pct=lambda v: present.show(v, "pct"), minutes=lambda v: present.show(v, "minutes"))
        return templates.TemplateResponse(request, f"{name}.html", context)

    return [Route("/shops/{shop}/summary", summary), Route("/shops/{shop}/trends", trends), Route("/shops/{shop}/{page}", show)]


TREND_CHARTS = ["appointment_rate", "no_show_rate", "within_5_min", "on_time_delivery", "first_time_right", "rework_rate",
                "utilisation", "efficiency"]
TREND_DAYS = 30


def report_context(uow: UnitOfWork, code: str, name: str, day: date | None) -> dict[str, Any]:
    with uow.shop(code, "report page", write=False) as ctx:
        day = day or ctx.today
        shop = serialize.shop(ctx.shop)
        goals = targets.current(ctx)
        if name == "summary":
            calls = follow_ups.follow_up_list(ctx, day)
            s = reports.day_summary(ctx, day)
            complaint = present.complaint_tile(calls["complaints_30_days"], calls["reached_30_days"], calls["complaint_rate"],
                                               goals["complaint_rate"])
            return {"shop": shop, "day": day, "s": s, "tiles": [*present.tiles(s, goals), complaint], "signs": present.SIGNS,
                    "previous": day - timedelta(days=1), "next": day + timedelta(days=1)}
        # Complete days only: a day not over yet would plot as a full day (on-time 12.5 % at 10:35), so
        # today is left out and the page says so.
        today = ctx.today
        last = min(day, today - timedelta(days=1))
        days = reports.trend(ctx, last, TREND_DAYS)
    labels = [d.day for d in days]
    charts = [(key, charts_.line_chart(key, labels, [getattr(d, key) for d in days], standard=goals[key])) for key in TREND_CHARTS]
    charts.append(("arrivals", charts_.line_chart("arrivals", labels, [float(d.arrivals) for d in days], percent=False)))
    return {"shop": shop, "day": day, "charts": charts, "days": days, "today": today, "last": last, "left_out": day >= today}


def words_in(lang: str, beside: bool = True) -> Any:
    """``w(key)`` in a template: Chinese with the English beside it (``beside``: the staff's pages),
    Chinese alone (a customer's page), or English alone."""
    def w(key: str, **values: Any) -> Markup:
        word = CATALOGUE.get(key, {"zh": key, "en": key})
        zh, en = word["zh"].format(**values), word["en"].format(**values)
        if lang == "en":
            return Markup.escape(en)
        if not beside:
            return Markup.escape(zh)
        return Markup("{} <span class=en>{}</span>").format(zh, en)
    return w


def nav_links(role: Role) -> list[dict[str, str]]:
    """The pages on a role's bar: name and its words (zh, en)."""
    out = []
    for name in NAV_PAGES.get(role, ()):
        if role not in PAGE_ROLES[name]:  # never a link to a refusal
            continue
        zh, en = i18n.PAGE_WORDS[f"page.{name.replace('-', '_')}"]
        out.append({"name": name, "zh": zh, "en": en})
    return out


def pages_by_role(first: Role) -> list[dict[str, Any]]:
    """The start page's lists: each role and the pages it uses, the reader's own role first."""
    roles = [first, *[r for r in NAV_PAGES if r not in (first, Role.ADMIN, Role.DISPLAY)]] if first is not Role.DISPLAY else []
    out = []
    for role in roles:
        zh, en = i18n.PAGE_WORDS[f"role.{role.value}"]
        out.append({"role": role.value, "zh": zh, "en": en, "pages": nav_links(role)})
    return out
