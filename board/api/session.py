"""``/api/session``: signing in, who am I, signing out — through the same registry as every route,
so they are in the OpenAPI document with one answer shape (schemas.SessionOut)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from board.api import schemas
from board.api.registry import api
from board.auth.roles import STAFF, Role
from board.edge import cookies
from board.edge.csrf import CSRF_HEADER, check_secret
from board.edge.identity import Identity

if TYPE_CHECKING:
    from board.api.pipeline import Pipeline


def client_address(request: Request) -> str:
    """The caller's address (a proxy's X-Forwarded-For counts only from BOARD_TRUSTED_PROXIES)."""
    return request.client.host if request.client else "?"


@api("POST", "/api/session", "Sign in with username and password: sets the session cookie, answers who you are and the CSRF token",
     body=schemas.LoginIn, shop_scoped=False, public=True, direct=True, response=schemas.SessionOut, status=200)
async def sign_in(request: Request, pipeline: Pipeline, body: schemas.LoginIn, identity: Identity | None) -> Response:
    signed = await pipeline.signin.attempt(body.username, body.password, client_address(request))
    response = JSONResponse(signed.body)
    settings = pipeline.settings
    cookies.set_session(response, request, signed.token, settings.session_max_days * 86400, settings.secure_cookies)
    return response


@api("GET", "/api/session", "Who is signed in (and the CSRF token for writes)", shop_scoped=False, direct=True,
     roles=STAFF | {Role.DISPLAY}, response=schemas.SessionOut)
async def who_am_i(request: Request, pipeline: Pipeline, body: None, identity: Identity | None) -> Response:
    assert identity is not None and identity.principal.user_id is not None
    return JSONResponse(await asyncio.to_thread(pipeline.signin.who_am_i, identity.principal.user_id, identity.csrf))


@api("DELETE", "/api/session", "Sign out: the session ends on the server at once (a saved cookie no longer works)",
     shop_scoped=False, public=True, direct=True, status=204)
async def sign_out(request: Request, pipeline: Pipeline, body: None, identity: Identity | None) -> Response:
    if identity is not None:
        check_secret(request.headers.get(CSRF_HEADER), identity.csrf)
        await asyncio.to_thread(pipeline.signin.sign_out, cookies.session_token(request))
    response = Response(status_code=204)
    cookies.clear_session(response, request, pipeline.settings.secure_cookies)
    return response
