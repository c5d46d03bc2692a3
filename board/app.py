"""The one place the application is wired: database, scheduler, routes, error mapping."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

import board.api.routes  # registers the endpoints; its list_shops answers the index page too
import board.db.append_only  # noqa: F401  (guards the event log)
from board.api import openapi
from board.api.registry import ENDPOINTS, Endpoint, make_route
from board.api.responses import error_response
from board.auth import web
from board.auth.login import login_routes
from board.auth.principal import Principal, require
from board.clock import Clock, SystemClock
from board.db.session import Database
from board.errors import BoardError, Conflict, NotFound, StaleVersion
from board.live.broker import from_url
from board.live.endpoint import live_socket
from board.live.hub import Hub
from board.live.relay import Relay
from board.pages import page_routes
from board.scheduler import run_all_due, scheduler_loop
from board.services import users
from board.services.cameras import authenticate
from board.settings import Settings
from board.unit import UnitOfWork

log = logging.getLogger("board.app")
DISPLAYS = Path(__file__).resolve().parent.parent / "displays"
RELAY_WAIT_S = 2.0
MAX_ID = 2**63 - 1
SESSION_COOKIE = "board_session"


def create_app(settings: Settings | None = None, clock: Clock | None = None, database: Database | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    clock = clock or SystemClock()
    db = database or Database(settings.database_url)
    templates = Jinja2Templates(directory=str(DISPLAYS / "templates"))
    uow = UnitOfWork(db, settings, clock)

    def run(request: Request, endpoint: Endpoint, body: Any, query: Any) -> tuple[int, Any]:
        params = {k: v for k, v in request.path_params.items() if k != "shop"}
        for name, value in params.items():  # an id no database column can hold names nothing here
            if isinstance(value, int) and not 0 < value <= MAX_ID:
                raise NotFound(name.removesuffix("_id").replace("_", " "), value)
        if body is not None:
            params["body"] = body
        if query is not None:
            params["query"] = query
        try:
            if endpoint.camera_auth:
                with db.transaction() as session:
                    params["camera"] = authenticate(session, request.headers.get("authorization"))
                shop, principal = params["camera"].shop_id, None
                actor = f"camera:{params['camera'].name}"[:60]
            else:
                principal = request.state.principal
                actor = principal.name
                if not endpoint.shop_scoped:
                    require(principal, endpoint.roles, None)
                    with db.transaction() as session:
                        return endpoint.handler(session, principal=principal, **params)
                shop = request.path_params["shop"]
            with uow.shop(shop, actor, notify=False) as ctx:
                if principal is not None:
                    require(principal, endpoint.roles, ctx.shop.id)
                    ctx.principal = principal
                result: tuple[int, Any] = endpoint.handler(ctx, **params)
            if ctx.live_changed:
                request.state.changed_shop = (ctx.shop.id, ctx.staged if not ctx.reset_boards else None)
            return result
        except StaleDataError as exc:
            raise StaleVersion("record", "?") from exc
        except IntegrityError as exc:
            raise Conflict(
                "Someone else changed the same thing at the same moment; reload and try again.",
                "他人同时修改了相同内容,请刷新后重试。",
            ) from exc

    async def admit(request: Request, endpoint: Endpoint) -> None:
        """Before reading the body: a stranger learns nothing from a route but 401, a wrong role 403."""
        web.check_write(request, request.method, settings.allowed_origins)
        if not endpoint.camera_auth:
            request.state.principal = web.required(await asyncio.to_thread(web.signed_in, db, request))
            require(request.state.principal, endpoint.roles, None)

    async def publish(request: Request) -> None:
        """Relay this request's deltas before answering, so a display is never behind its writer;
        bounded, as the sweep retries whatever a slow or absent broker leaves."""
        changed = getattr(request.state, "changed_shop", None)
        if changed is not None:
            shop_id, staged = changed
            relay = app.state.hub.relay
            try:
                await asyncio.wait_for(relay.publish(shop_id, staged) if staged is not None else relay.kick(shop_id), RELAY_WAIT_S)
            except TimeoutError:
                log.warning("live relay slow; the sweep will publish", extra={"shop_id": shop_id})

    async def board_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, BoardError)
        return error_response(exc)

    async def not_found(_request: Request, _exc: Exception) -> Response:
        return JSONResponse({"error": {"code": "not_found", "message": "No such page.", "message_zh": "页面不存在。"}}, 404)

    async def method_not_allowed(_request: Request, _exc: Exception) -> Response:
        return JSONResponse(
            {"error": {"code": "method_not_allowed", "message": "This address does not accept that method.", "message_zh": "该地址不支持此操作。"}},
            405,
        )

    async def openapi_json(_request: Request) -> Response:
        return JSONResponse(openapi.document())

    async def health(_request: Request) -> Response:
        return JSONResponse({"ok": True, "now": clock.now().isoformat()})

    def shop_list(principal: Principal) -> list[dict[str, Any]]:
        with db.transaction() as session:  # the shops this person may see, as GET /api/shops answers
            shops: list[dict[str, Any]] = board.api.routes.list_shops(session, principal)[1]
            return shops

    async def index(request: Request) -> Response:
        principal = await asyncio.to_thread(web.signed_in, db, request)
        if principal is None:
            return RedirectResponse("/login", status_code=303)
        shops = await asyncio.to_thread(shop_list, principal)
        return templates.TemplateResponse(request, "index.html", {"shops": shops, "endpoints": ENDPOINTS, "user": principal,
                                                                  "csrf": web.csrf_token(request)})

    def bootstrap_admin() -> None:
        if settings.admin_password:
            with db.transaction() as session:
                if users.ensure_admin(session, clock.now(), settings.admin_password) is not None:
                    log.info("created the group admin 'admin' from BOARD_ADMIN_PASSWORD")

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        stopping = False
        broker = from_url(settings.broker_url)
        relay = Relay(db, broker)
        hub = Hub(uow, broker, relay, settings.heartbeat_s, settings.live_history)
        loop = asyncio.get_running_loop()

        def kick_soon(shop_id: int) -> None:  # called from worker threads
            loop.call_soon_threadsafe(lambda: loop.create_task(relay.kick(shop_id)))

        uow.on_commit = kick_soon
        app.state.hub = hub
        await asyncio.to_thread(bootstrap_admin)
        # Catch up on whatever fell due while the server was down (e.g. the 07:30 roll-over).
        await asyncio.to_thread(run_all_due, uow, "catch_up")
        await hub.start()
        # Long-lived objects (modules, models, templates) need no more scanning by the collector:
        # it keeps garbage collections short while a delta fans out to many displays.
        gc.freeze()
        task = asyncio.create_task(scheduler_loop(uow, settings.scheduler_interval_s, lambda: stopping))
        try:
            yield
        finally:
            stopping = True
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await hub.stop()
            uow.on_commit = lambda _shop_id: None
            await broker.close()
            if database is None:
                db.dispose()

    async def live_debug(request: Request) -> Response:
        if await asyncio.to_thread(web.signed_in, db, request) is None:
            return RedirectResponse(f"/login?next=/live/debug%3F{request.url.query.replace('&', '%26')}", status_code=303)
        return templates.TemplateResponse(request, "live_debug.html", {})

    routes = [
        Route("/", index),
        Route("/api/openapi.json", openapi_json),
        Route("/api/health", health),
        WebSocketRoute("/live", live_socket),
        Route("/live/debug", live_debug),
        *page_routes(templates, uow),
        *login_routes(templates, db, settings),
        *[make_route(ep, run, publish, admit) for ep in ENDPOINTS],
        Mount("/static", StaticFiles(directory=str(DISPLAYS / "static"), check_dir=False), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={BoardError: board_error, 404: not_found, 405: method_not_allowed},
        middleware=[Middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie=SESSION_COOKIE,
                               max_age=settings.session_hours * 3600, same_site="lax", https_only=settings.secure_cookies)],
    )
    app.state.settings = settings
    app.state.db = db
    app.state.clock = clock
    app.state.uow = uow
    return app

