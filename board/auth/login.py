"""Signing in and out: the login page (a form with its CSRF field) and ``/api/session`` for programs.

Failed attempts are counted per name and per address; too many and the next attempt waits
(HTTP 429 with Retry-After), whether or not the password would have been right.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from board.api import schemas
from board.api.responses import error_response
from board.api.validation import parse
from board.auth import web
from board.auth.roles import HOME_PAGE
from board.auth.throttle import LoginThrottle
from board.db.session import Database
from board.errors import BoardError, InvalidInput, NotAuthenticated
from board.services import users
from board.settings import Settings

log = logging.getLogger("board.auth")


class TooManyAttempts(BoardError):
    code = "too_many_attempts"

    def __init__(self, wait_s: float) -> None:
        minutes = max(1, math.ceil(wait_s / 60))
        super().__init__(f"Too many failed sign-ins. Try again in {minutes} minute(s).", f"登录失败次数过多,请 {minutes} 分钟后再试。")
        self.wait_s = wait_s


def safe_next(target: str | None) -> str:
    """Only a path on this site: a login link must not send people elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def login_routes(templates: Jinja2Templates, db: Database, settings: Settings) -> list[Route]:
    throttle = LoginThrottle()  # touched only on the event loop, between awaits: no lock needed

    async def attempt(request: Request, username: str, password: str) -> dict[str, Any]:
        address = request.client.host if request.client else "?"
        wait = throttle.wait_s(username, address, time.monotonic())
        if wait > 0:
            log.warning("sign-in refused: too many failures", extra={"username": username, "address": address})
            raise TooManyAttempts(wait)

        def check() -> dict[str, Any] | None:
            with db.transaction() as session:
                user = users.check_login(session, username, password)
                return None if user is None else {**users.serialize(user), "epoch": user.session_epoch,
                                                  "shop": users.shop_code(session, user.shop_id)}

        found = await asyncio.to_thread(check)
        if found is None:
            throttle.failed(username, address, time.monotonic())
            log.info("sign-in failed", extra={"username": username, "address": address})
            raise NotAuthenticated("The username or password is wrong.", "用户名或密码错误。")
        throttle.succeeded(username)
        log.info("signed in", extra={"username": found["username"], "role": found["role"], "address": address})
        return found

    def login_page(request: Request, status: int = 200, error: BoardError | None = None, username: str = "") -> Response:
        lang = "en" if request.query_params.get("lang") == "en" else "zh"
        context = {"csrf": web.csrf_token(request), "next": safe_next(request.query_params.get("next")), "error": error,
                   "username": username, "lang": lang}
        return templates.TemplateResponse(request, "login.html", context, status_code=status)

    async def show_login(request: Request) -> Response:
        return login_page(request)

    async def post_login(request: Request) -> Response:
        form = dict(await request.form())
        username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
        try:
            web.check_write(request, "POST", settings.allowed_origins, {"csrf_token": form.get("csrf_token")}, always=True)
            if not username or not password:
                raise NotAuthenticated("Enter your username and password.", "请输入用户名和密码。")
            found = await attempt(request, username, password)
        except TooManyAttempts as exc:
            response = login_page(request, 429, exc, username)
            response.headers["Retry-After"] = str(math.ceil(exc.wait_s))
            return response
        except BoardError as exc:
            return login_page(request, 401 if isinstance(exc, NotAuthenticated) else 403, exc, username)
        web.sign_in(request, found["id"], found["epoch"])
        target = safe_next(str(form.get("next", "")))
        if target == "/" and found["shop"]:
            target = f"/shops/{found['shop']}/{HOME_PAGE[found['role']]}"
        return RedirectResponse(target, status_code=303)

    async def post_logout(request: Request) -> Response:
        form = dict(await request.form())
        web.check_write(request, "POST", settings.allowed_origins, {"csrf_token": form.get("csrf_token")})
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    async def session_api(request: Request) -> Response:
        if request.method == "GET":
            principal = web.required(await asyncio.to_thread(web.signed_in, db, request))
            return JSONResponse({"username": principal.name, "role": principal.role.value, "shop_id": principal.shop_id,
                                 "technician_id": principal.technician_id, "advisor_id": principal.advisor_id,
                                 "csrf_token": web.csrf_token(request)})
        if request.method == "DELETE":
            web.check_write(request, "DELETE", settings.allowed_origins)
            request.session.clear()
            return Response(status_code=204)
        web.check_write(request, "POST", settings.allowed_origins)
        try:
            data = json.loads(await request.body() or b"{}")
        except ValueError as exc:
            raise InvalidInput.one("body", "is not valid JSON") from exc
        body = parse(schemas.LoginIn, data)
        try:
            found = await attempt(request, body.username, body.password)
        except TooManyAttempts as exc:
            response = error_response(exc)
            response.headers["Retry-After"] = str(math.ceil(exc.wait_s))
            return response
        csrf = web.sign_in(request, found["id"], found["epoch"])
        return JSONResponse({"username": found["username"], "name": found["name"], "role": found["role"], "shop": found["shop"],
                             "technician_id": found["technician_id"], "advisor_id": found["advisor_id"], "csrf_token": csrf})

    return [
        Route("/login", show_login, methods=["GET"]),
        Route("/login", post_login, methods=["POST"]),
        Route("/logout", post_logout, methods=["POST"]),
        Route("/api/session", session_api, methods=["GET", "POST", "DELETE"]),
    ]
