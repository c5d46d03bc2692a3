"""The cookies the board sets: the session token, and the login form's CSRF twin (double submit)."""

from __future__ import annotations

import secrets

from starlette.requests import HTTPConnection
from starlette.responses import Response

SESSION_COOKIE = "board_session"
LOGIN_CSRF_COOKIE = "board_login_csrf"


def secure(conn: HTTPConnection, setting: bool | None) -> bool:
    """HTTPS-only cookies when configured so, or by default when the request came over https (a proxy says so)."""
    return setting if setting is not None else conn.url.scheme in ("https", "wss")


def session_token(conn: HTTPConnection) -> str | None:
    return conn.cookies.get(SESSION_COOKIE)


def set_session(response: Response, conn: HTTPConnection, token: str, max_age_s: int, secure_setting: bool | None) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age_s, httponly=True, samesite="lax", secure=secure(conn, secure_setting))


def clear_session(response: Response, conn: HTTPConnection, secure_setting: bool | None) -> None:
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=secure(conn, secure_setting))


def login_csrf(conn: HTTPConnection) -> tuple[str, bool]:
    """The login form's CSRF secret: the one in the browser's cookie, or a new one (True: set it)."""
    have = conn.cookies.get(LOGIN_CSRF_COOKIE)
    if have and 20 <= len(have) <= 64:
        return have, False
    return secrets.token_urlsafe(24), True


def set_login_csrf(response: Response, conn: HTTPConnection, token: str, secure_setting: bool | None) -> None:
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600 * 12, httponly=True, samesite="strict", secure=secure(conn, secure_setting))
