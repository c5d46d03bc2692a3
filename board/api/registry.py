"""API routes declared once: the handler, who may call it, its body and query models, its answers.

Handlers are plain functions run in a worker thread inside one database transaction:
``handler(ctx, *, body=..., query=..., **path_params) -> (status, payload)``. A ``direct`` handler
speaks HTTP itself (signing in and out): ``async handler(request, pipeline, body=..., identity=...) -> Response``.
The pipeline that runs them is board/api/pipeline.py; the OpenAPI document is written from this list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from board.auth.roles import STAFF, Roles

Handler = Callable[..., Any]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # starlette form, e.g. /api/shops/{shop}/jobs/{job_id:int}
    handler: Handler
    summary: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    shop_scoped: bool = True
    raw_body: str | None = None  # a media type: text/* read as text (CSV import), any other as bytes (a photo)
    camera_auth: bool = False  # called by a gate camera with its token; the token names the shop
    roles: Roles = STAFF  # who may call it (reads: everyone who works in the shop)
    public: bool = False  # no sign-in needed (signing in itself)
    direct: bool = False  # an async handler answering with its own Response
    # The 2xx body for the OpenAPI document: any type pydantic can describe (a TypedDict, list[...], a model, a dataclass).
    response: object = None
    status: int | None = None  # the success status, when not 200 (GET) / 2XX
    # Work on the body before the transaction opens (a big upload checked row by row): ``prepare(body, settings)``.
    prepare: Callable[[Any, Any], Any] | None = None
    media_type: str = "application/json"  # of the 2xx body (text/csv for an export)

    @property
    def writes(self) -> bool:
        return self.method not in ("GET", "HEAD")


ENDPOINTS: list[Endpoint] = []


def api(method: str, path: str, summary: str, body: type[BaseModel] | None = None, query: type[BaseModel] | None = None,
        shop_scoped: bool = True, raw_body: str | None = None, camera_auth: bool = False, roles: Roles = STAFF,
        public: bool = False, direct: bool = False, response: object = None, status: int | None = None,
        prepare: Callable[[Any, Any], Any] | None = None, media_type: str = "application/json") -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        if method != "GET" and roles == STAFF and not camera_auth and not public:
            raise AssertionError(f"{method} {path}: a write must say which roles may make it")
        if response is None and status != 204:
            raise AssertionError(f"{method} {path}: say what it answers (response=...), for the OpenAPI document")
        ENDPOINTS.append(Endpoint(method, path, handler, summary, body, query, shop_scoped, raw_body, camera_auth, roles,
                                  public, direct, response, status, prepare, media_type))
        return handler

    return register
