"""API routes declared once: the handler, its body and query models, and its OpenAPI entry.

Handlers are plain functions run in a worker thread inside one database transaction:
``handler(ctx, *, body=..., query=..., **path_params) -> (status, payload)``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from board.api.validation import parse
from board.auth.roles import STAFF, Roles
from board.errors import InvalidInput

Handler = Callable[..., tuple[int, Any]]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # starlette form, e.g. /api/shops/{shop}/jobs/{job_id:int}
    handler: Handler
    summary: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    shop_scoped: bool = True
    raw_body: str | None = None  # a media type taken as text (CSV import)
    camera_auth: bool = False  # called by a gate camera with its token; the token names the shop
    roles: Roles = STAFF  # who may call it (reads: everyone who works in the shop)


ENDPOINTS: list[Endpoint] = []


def api(method: str, path: str, summary: str, body: type[BaseModel] | None = None, query: type[BaseModel] | None = None,
        shop_scoped: bool = True, raw_body: str | None = None, camera_auth: bool = False, roles: Roles = STAFF) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        if method != "GET" and roles == STAFF and not camera_auth:
            raise AssertionError(f"{method} {path}: a write must say which roles may make it")
        ENDPOINTS.append(Endpoint(method, path, handler, summary, body, query, shop_scoped, raw_body, camera_auth, roles))
        return handler

    return register


async def _read_body(request: Request, endpoint: Endpoint) -> Any:
    raw = await request.body()
    if endpoint.raw_body is not None:
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput.one("body", "the file must be UTF-8 text") from exc
    if endpoint.body is None:
        return None
    try:
        data = json.loads(raw or b"{}")
    except ValueError as exc:
        raise InvalidInput.one("body", "is not valid JSON") from exc
    return parse(endpoint.body, data)


def make_route(endpoint: Endpoint, run: Callable[..., Any], after: Callable[[Request], Awaitable[None]],
               before: Callable[[Request, Endpoint], Awaitable[None]]) -> Route:
    """Wrap a handler: ``before`` (who asks, may they, CSRF and Origin), parse input in the event loop,
    run it with the database in a thread, then ``after`` (publishing to the live boards) before answering."""

    async def handle(request: Request) -> Response:
        await before(request, endpoint)
        body = await _read_body(request, endpoint)
        query = parse(endpoint.query, dict(request.query_params)) if endpoint.query else None
        status, payload = await run_in_threadpool(run, request, endpoint, body, query)
        await after(request)
        if status == 204:
            return Response(status_code=204)
        if isinstance(payload, Response):  # an export (CSV) answers as itself
            return payload
        return JSONResponse(payload, status_code=status)

    return Route(endpoint.path, handle, methods=[endpoint.method], name=endpoint.handler.__name__)
