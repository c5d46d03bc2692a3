"""The one place the application is wired: database, scheduler, routes, error mapping."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

import board.api.routes  # noqa: F401  (registers the endpoints)
import board.db.append_only  # noqa: F401  (guards the event log)
from board.api import openapi
from board.api.registry import ENDPOINTS, Endpoint, make_route
from board.clock import Clock, SystemClock
from board.db.session import Database
from board.errors import BoardError, Conflict, NotFound, StaleVersion
from board.scheduler import run_all_due, scheduler_loop
from board.services.context import Ctx
from board.services.staff import shop_by_code
from board.settings import Settings

log = logging.getLogger("board.app")
DISPLAYS = Path(__file__).resolve().parent.parent / "displays"
STATUS = {"not_found": 404, "invalid": 422, "csv_rejected": 422}


def error_response(exc: BoardError) -> JSONResponse:
    status = STATUS.get(exc.code, 409 if isinstance(exc, Conflict) else 400)
    if isinstance(exc, NotFound):
        status = 404
    body = {"error": {"code": exc.code, "message": exc.message, "message_zh": exc.message_zh, **exc.details()}}
    return JSONResponse(body, status_code=status)


def create_app(settings: Settings | None = None, clock: Clock | None = None, database: Database | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    clock = clock or SystemClock()
    db = database or Database(settings.database_url)
    templates = Jinja2Templates(directory=str(DISPLAYS / "templates"))

    def run(request: Request, endpoint: Endpoint, body: Any, query: Any) -> tuple[int, Any]:
        params = {k: v for k, v in request.path_params.items() if k != "shop"}
        if body is not None:
            params["body"] = body
        if query is not None:
            params["query"] = query
        # Until people log in, callers name themselves; percent-encoded, as headers are ASCII.
        actor = unquote(request.headers.get("x-board-actor", "api"))[:60]
        try:
            with db.transaction() as session:
                if not endpoint.shop_scoped:
                    return endpoint.handler(session, **params)
                shop = shop_by_code(session, request.path_params["shop"])
                return endpoint.handler(Ctx(session, shop, clock.now(), actor, settings), **params)
        except StaleDataError as exc:
            raise StaleVersion("record", "?") from exc
        except IntegrityError as exc:
            raise Conflict(
                "Someone else changed the same thing at the same moment; reload and try again.",
                "他人同时修改了相同内容,请刷新后重试。",
            ) from exc

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

    async def index(request: Request) -> Response:
        shops = (await asyncio.to_thread(lambda: run(request, _LIST_SHOPS, None, None)))[1]
        return templates.TemplateResponse(request, "index.html", {"shops": shops, "endpoints": ENDPOINTS})

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        stopping = False
        # Catch up on whatever fell due while the server was down (e.g. the 07:30 roll-over).
        await asyncio.to_thread(run_all_due, db, clock, settings, "catch_up")
        task = asyncio.create_task(scheduler_loop(db, clock, settings, lambda: stopping))
        try:
            yield
        finally:
            stopping = True
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            if database is None:
                db.dispose()

    routes = [
        Route("/", index),
        Route("/api/openapi.json", openapi_json),
        Route("/api/health", health),
        *[make_route(ep, run) for ep in ENDPOINTS],
        Mount("/static", StaticFiles(directory=str(DISPLAYS / "static"), check_dir=False), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={BoardError: board_error, 404: not_found, 405: method_not_allowed},
    )
    app.state.settings = settings
    app.state.db = db
    app.state.clock = clock
    return app


_LIST_SHOPS = next(ep for ep in ENDPOINTS if ep.handler.__name__ == "list_shops")
