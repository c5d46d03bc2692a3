"""The one place the application is wired: database, sign-in, the API pipeline, pages, live hub,
supervised background loops, guards and error mapping."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

import board.api.routes  # registers the endpoints; its list_shops answers the index page too
import board.api.routes_booking  # noqa: F401  (each registers the routes of one part of the process)
import board.api.routes_findings  # noqa: F401
import board.api.routes_order  # noqa: F401
import board.api.routes_parts  # noqa: F401
import board.api.routes_quality  # noqa: F401
import board.api.session  # noqa: F401  (registers /api/session)
from board.api import openapi
from board.api.pipeline import Pipeline
from board.api.registry import ENDPOINTS
from board.api.responses import error_response
from board.approval_page import approval_routes
from board.auth.principal import Principal
from board.clock import Clock, SystemClock
from board.db.failures import as_unavailable
from board.db.session import Database
from board.edge.guards import BodyLimit, SecurityHeaders
from board.edge.identity import Identities
from board.edge.signin import SignIn
from board.errors import BoardError
from board.live.broker import from_url
from board.live.endpoint import live_socket
from board.live.hub import Hub
from board.live.publisher import Publisher
from board.live.relay import Relay
from board.live.watch import Watch
from board.login_page import login_routes
from board.pages import page_routes, pages_by_role
from board.planning import planning_loop
from board.scheduler import run_all_due, scheduler_loop
from board.services import users
from board.settings import Settings
from board.supervisor import Supervisor
from board.unit import UnitOfWork

log = logging.getLogger("board.app")
DISPLAYS = Path(__file__).resolve().parent.parent / "displays"
HEALTH_DB_WAIT_S = 2.0


def create_app(settings: Settings | None = None, clock: Clock | None = None, database: Database | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    clock = clock or SystemClock()
    db = database or Database.from_settings(settings)
    templates = Jinja2Templates(directory=str(DISPLAYS / "templates"))
    uow = UnitOfWork(db, settings, clock)
    identities = Identities(db, settings)
    signin = SignIn(db, settings)
    supervisor = Supervisor()

    pipeline = Pipeline(uow, settings, identities, signin)

    async def board_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, BoardError)
        return error_response(exc)

    async def database_error(request: Request, exc: Exception) -> Response:
        """A database that cannot answer, wherever it was asked (who is signing in, a page): 503 with Retry-After."""
        unavailable = as_unavailable(exc)
        if unavailable is not None:
            log.warning("database unavailable", extra={"path": request.url.path, "error": type(exc).__name__})
            return error_response(unavailable)
        return await server_error(request, exc)

    async def server_error(request: Request, exc: Exception) -> Response:
        """Never a bare text 500: the error is logged and answered as JSON."""
        log.error("unexpected error", exc_info=exc, extra={"path": request.url.path})
        return JSONResponse({"error": {"code": "internal", "message": "Something went wrong on the server; it has been logged.",
                                       "message_zh": "服务器出错,已记录。"}}, 500)

    async def not_found(_request: Request, _exc: Exception) -> Response:
        return JSONResponse({"error": {"code": "not_found", "message": "No such page.", "message_zh": "页面不存在。"}}, 404)

    async def method_not_allowed(_request: Request, _exc: Exception) -> Response:
        return JSONResponse(
            {"error": {"code": "method_not_allowed", "message": "This address does not accept that method.", "message_zh": "该地址不支持此操作。"}},
            405,
        )

    async def openapi_json(_request: Request) -> Response:
        return JSONResponse(openapi.document())

    def database_answers() -> float:
        began = time.perf_counter()
        with db.transaction() as session:
            session.execute(text("SELECT 1"))
        return (time.perf_counter() - began) * 1000

    async def health(_request: Request) -> Response:
        """Each background loop's state and age, and whether the database answers (within 2 s)."""
        try:
            ms: float | None = await asyncio.wait_for(asyncio.to_thread(database_answers), HEALTH_DB_WAIT_S)
        except (TimeoutError, SQLAlchemyError):
            ms = None
        loops = supervisor.health()
        ok = ms is not None and all(loop["healthy"] for loop in loops.values())
        body = {"ok": ok, "now": clock.now().isoformat(), "database": {"ok": ms is not None, "ms": None if ms is None else round(ms, 1)},
                "loops": loops}
        return JSONResponse(body, status_code=200 if ok else 503)

    def shop_list(principal: Principal) -> list[dict[str, Any]]:
        with db.transaction() as session:  # the shops this person may see, as GET /api/shops answers
            shops: list[dict[str, Any]] = board.api.routes.list_shops(session, principal, settings)[1]
            return shops

    async def index(request: Request) -> Response:
        identity = await asyncio.to_thread(identities.signed_in, request)
        if identity is None:
            return RedirectResponse("/login", status_code=303)
        shops = await asyncio.to_thread(shop_list, identity.principal)
        return templates.TemplateResponse(request, "index.html", {"shops": shops, "endpoints": ENDPOINTS, "user": identity.principal,
                                                                  "csrf": identity.csrf, "by_role": pages_by_role(identity.principal.role)})

    async def live_debug(request: Request) -> Response:
        if await asyncio.to_thread(identities.signed_in, request) is None:
            return RedirectResponse(f"/login?next=/live/debug%3F{request.url.query.replace('&', '%26')}", status_code=303)
        return templates.TemplateResponse(request, "live_debug.html", {})

    def bootstrap_admin() -> None:
        if settings.admin_password:
            with db.transaction(write=True) as session:
                if users.ensure_admin(session, clock.now(), settings.admin_password.get_secret_value()) is not None:
                    log.info("created the group admin 'admin' from BOARD_ADMIN_PASSWORD")

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        broker = from_url(settings.broker_url)
        relay = Relay(db, broker)
        hub = Hub(uow, broker, settings.live_history)
        watch = Watch(hub.connections, clock, identities.ended, settings.heartbeat_s, settings.display_lag_cutoff_s)
        publisher = Publisher(relay)
        publisher.bind(asyncio.get_running_loop())
        uow.committed = publisher.after_commit  # the one road from a commit to the screens
        app.state.hub = hub
        await asyncio.to_thread(bootstrap_admin)
        # Catch up on whatever fell due while the server was down (e.g. the 07:30 roll-over).
        await asyncio.to_thread(run_all_due, uow, "catch_up")
        hub.start(supervisor)
        watch.start(supervisor)
        supervisor.start("live.sweep", 1.0, relay.sweep_loop)
        supervisor.start("scheduler", settings.scheduler_interval_s, scheduler_loop(uow, settings.scheduler_interval_s, identities.lifetime))
        supervisor.start("planner", settings.plan_interval_s, planning_loop(uow, settings.plan_interval_s, settings.plan_work or None))
        # Long-lived objects (modules, models, templates) need no more scanning by the collector:
        # it keeps garbage collections short while a delta fans out to many displays.
        gc.freeze()
        try:
            yield
        finally:
            await supervisor.stop()
            hub.stop()
            uow.committed = lambda _committed: None
            await broker.close()
            signin.close()
            if database is None:
                db.dispose()

    def body_limit(path: str) -> int:
        if (photo := board.api.routes_findings.body_limit(path)) is not None:  # a finding's photo: its own cap
            return photo
        return settings.max_import_bytes if path.endswith("/appointments/import") else settings.max_body_bytes

    routes = [
        Route("/", index),
        Route("/api/openapi.json", openapi_json),
        Route("/api/health", health),
        WebSocketRoute("/live", live_socket),
        Route("/live/debug", live_debug),
        *page_routes(templates, uow, identities),
        *login_routes(templates, signin, identities, settings),
        *approval_routes(templates, uow, settings),  # the customer's extra-work link (no sign-in)
        *[pipeline.route(ep) for ep in ENDPOINTS],
        Mount("/static", StaticFiles(directory=str(DISPLAYS / "static"), check_dir=False), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={BoardError: board_error, SQLAlchemyError: database_error, Exception: server_error, 404: not_found,
                            405: method_not_allowed},
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts)), Middleware(SecurityHeaders),
                    Middleware(BodyLimit, limit_for=body_limit)],
    )
    app.state.settings = settings
    app.state.db = db
    app.state.clock = clock
    app.state.uow = uow
    app.state.identities = identities
    app.state.supervisor = supervisor
    app.state.pipeline = pipeline
    return app
