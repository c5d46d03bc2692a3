"""The road every API request takes, in order:

1. admit — before a byte of the body is read: Origin, who asks (session cookie, or a camera's
   token), CSRF for writes, the route's roles (401/403 before 422);
2. read — the body within its size cap, JSON or text, NUL characters and absurd nesting refused,
   validated into the route's model; the query too;
3. execute — in a worker thread, one transaction for one shop (writes take the shop's lock first,
   so a burst of writes resuming together cannot deadlock); database trouble becomes 503/409;
and the commit's live deltas reach the broker before the answer is sent (board/live/publisher.py:
the one road every commit takes), so a display is never behind the person who made the change.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from board.api.registry import Endpoint
from board.auth.principal import Principal, require
from board.db.failures import as_unavailable
from board.db.models import Camera
from board.edge.csrf import CSRF_HEADER, check_origin, check_secret
from board.edge.identity import Identities, Identity, required
from board.edge.signin import SignIn
from board.errors import Conflict, InvalidInput, NotFound, StaleVersion
from board.services.cameras import authenticate
from board.settings import Settings
from board.unit import UnitOfWork
from board.validation import parse, read_json

log = logging.getLogger("board.api")
MAX_ID = 2**63 - 1
SHOP_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,31}$")


class Pipeline:
    def __init__(self, uow: UnitOfWork, settings: Settings, identities: Identities, signin: SignIn) -> None:
        self.uow = uow
        self.settings = settings
        self.identities = identities
        self.signin = signin

    def route(self, endpoint: Endpoint) -> Route:
        async def handle(request: Request) -> Response:
            return await self.handle(request, endpoint)
        return Route(endpoint.path, handle, methods=[endpoint.method], name=endpoint.handler.__name__)

    async def handle(self, request: Request, ep: Endpoint) -> Response:
        identity, camera = await self.admit(request, ep)
        body = await self.read(request, ep)
        query = parse(ep.query, dict(request.query_params)) if ep.query else None
        if ep.direct:
            response: Response = await ep.handler(request, self, body=body, identity=identity)
            return response
        if ep.prepare is not None:  # no transaction open while a big body is checked
            body = await run_in_threadpool(ep.prepare, body, self.settings)
        principal = identity.principal if identity else None
        status, payload = await run_in_threadpool(self.execute, request, ep, principal, camera, body, query)
        if status == 204:
            return Response(status_code=204)
        if isinstance(payload, Response):  # an export (CSV) answers as itself
            return payload
        return JSONResponse(payload, status_code=status)

    # -- 1. admit ---------------------------------------------------------------------------

    async def admit(self, request: Request, ep: Endpoint) -> tuple[Identity | None, Camera | None]:
        check_origin(request, request.method, self.settings.allowed_origins)
        if ep.camera_auth:
            return None, await run_in_threadpool(self._camera, request.headers.get("authorization"))
        if ep.public:
            return await asyncio.to_thread(self.identities.signed_in, request), None
        identity = required(await asyncio.to_thread(self.identities.signed_in, request))
        if ep.writes:
            check_secret(request.headers.get(CSRF_HEADER), identity.csrf)
        require(identity.principal, ep.roles, None)
        return identity, None

    def _camera(self, authorization: str | None) -> Camera:
        with self.uow.db.transaction() as session:
            return authenticate(session, authorization)

    # -- 2. read ----------------------------------------------------------------------------

    async def read(self, request: Request, ep: Endpoint) -> Any:
        if ep.raw_body is None and ep.body is None:
            return None
        raw = await request.body()
        if ep.raw_body is not None:
            if not ep.raw_body.startswith("text/"):
                return raw  # a file (a photo): its bytes, for the route's prepare to check
            try:
                return raw.decode("utf-8-sig")  # NUL characters are found row by row, with their line
            except UnicodeDecodeError as exc:
                raise InvalidInput.one("body", "the file must be UTF-8 text") from exc
        assert ep.body is not None
        return parse(ep.body, read_json(raw))

    # -- 3. execute (worker thread) ---------------------------------------------------------

    def execute(self, request: Request, ep: Endpoint, principal: Principal | None, camera: Camera | None, body: Any,
                query: Any) -> tuple[int, Any]:
        params: dict[str, Any] = {k: v for k, v in request.path_params.items() if k != "shop"}
        for name, value in params.items():  # an id no database column can hold names nothing here
            if isinstance(value, int) and not 0 < value <= MAX_ID:
                raise NotFound(name.removesuffix("_id").replace("_", " "), value)
        if body is not None:
            params["body"] = body
        if query is not None:
            params["query"] = query
        try:
            return self._in_transaction(request, ep, principal, camera, params)
        except StaleDataError as exc:
            raise StaleVersion("record", "?") from exc
        except IntegrityError as exc:
            raise Conflict("Someone else changed the same thing at the same moment; reload and try again.",
                           "他人同时修改了相同内容,请刷新后重试。") from exc
        except SQLAlchemyError as exc:
            unavailable = as_unavailable(exc)
            if unavailable is None:
                raise
            log.warning("database unavailable", extra={"path": request.url.path, "error": type(exc.__cause__ or exc).__name__})
            raise unavailable from exc

    def _in_transaction(self, request: Request, ep: Endpoint, principal: Principal | None, camera: Camera | None,
                        params: dict[str, Any]) -> tuple[int, Any]:
        if camera is not None:
            params["camera"] = camera
            shop: str | int = camera.shop_id
            actor = f"camera:{camera.name}"[:60]
        else:
            assert principal is not None
            actor = principal.name
            if not ep.shop_scoped:
                require(principal, ep.roles, None)
                with self.uow.db.transaction(write=ep.writes) as session:
                    result: tuple[int, Any] = ep.handler(session, principal=principal, settings=self.settings, **params)
                    return result
            code = str(request.path_params["shop"])
            if not SHOP_CODE.match(code):
                raise NotFound("shop", code[:40])
            shop = code
        with self.uow.shop(shop, actor, write=ep.writes, principal=principal) as ctx:
            if principal is not None:
                require(principal, ep.roles, ctx.shop.id)
            answer: tuple[int, Any] = ep.handler(ctx, **params)
        return answer
