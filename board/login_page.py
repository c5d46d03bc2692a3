"""The login page (a form with its CSRF field, for people at a browser) and /logout.

The form's CSRF secret is a double submit: a SameSite=Strict cookie and the hidden field must match,
and the Origin must be ours, so another site cannot sign a victim in or out.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from board.api.session import client_address
from board.auth.roles import HOME_PAGE
from board.edge import cookies
from board.edge.csrf import check_origin, check_secret
from board.edge.identity import Identities
from board.edge.signin import SignIn
from board.errors import BoardError, NotAuthenticated, RetryLater
from board.settings import Settings

log = logging.getLogger("board.auth")


def safe_next(target: str | None) -> str:
    """Only a path on this site: a login link must not send people elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target or any(c < " " for c in target):
        return "/"
    return target


def login_routes(templates: Jinja2Templates, signin: SignIn, identities: Identities, settings: Settings) -> list[Route]:
    def login_page(request: Request, status: int = 200, error: BoardError | None = None, username: str = "") -> Response:
        lang = "en" if request.query_params.get("lang") == "en" else "zh"
        csrf, new = cookies.login_csrf(request)
        context = {"csrf": csrf, "next": safe_next(request.query_params.get("next")), "error": error, "username": username, "lang": lang}
        response = templates.TemplateResponse(request, "login.html", context, status_code=status)
        if new:
            cookies.set_login_csrf(response, request, csrf, settings.secure_cookies)
        if isinstance(error, RetryLater):
            response.headers["Retry-After"] = str(error.retry_after_s)
        return response

    async def show_login(request: Request) -> Response:
        return login_page(request)

    async def post_login(request: Request) -> Response:
        form = await request.form()
        username, password = str(form.get("username", "")).strip()[:40], str(form.get("password", ""))[:200]
        try:
            check_origin(request, "POST", settings.allowed_origins, form=True)
            check_secret(str(form.get("csrf_token", "")), request.cookies.get(cookies.LOGIN_CSRF_COOKIE, "") or "-")
            if not username or not password or "\x00" in username + password:
                raise NotAuthenticated("Enter your username and password.", "请输入用户名和密码。")
            signed = await signin.attempt(username, password, client_address(request))
        except BoardError as exc:
            status = 401 if isinstance(exc, NotAuthenticated) else 429 if exc.code == "too_many_attempts" else 503 if isinstance(exc, RetryLater) else 403
            return login_page(request, status, exc, username)
        target = safe_next(str(form.get("next", "")))
        if target == "/" and signed.body["shop"]:
            target = f"/shops/{signed.body['shop']}/{HOME_PAGE[signed.body['role']]}"
        response = RedirectResponse(target, status_code=303)
        cookies.set_session(response, request, signed.token, settings.session_max_days * 86400, settings.secure_cookies)
        return response

    async def post_logout(request: Request) -> Response:
        form = await request.form()
        check_origin(request, "POST", settings.allowed_origins, form=True)
        identity = await asyncio.to_thread(identities.signed_in, request)
        if identity is not None:
            check_secret(str(form.get("csrf_token", "")), identity.csrf)
            await asyncio.to_thread(signin.sign_out, cookies.session_token(request))
        response = RedirectResponse("/login", status_code=303)
        cookies.clear_session(response, request, settings.secure_cookies)
        return response

    return [
        Route("/login", show_login, methods=["GET"]),
        Route("/login", post_login, methods=["POST"]),
        Route("/logout", post_logout, methods=["POST"]),
    ]
