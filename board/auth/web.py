"""The HTTP edge of signing in: who a request comes from, CSRF and Origin checks.

A signed-in person carries a signed, HttpOnly, SameSite session cookie naming the user and the
session epoch (raised to sign them out everywhere) and a CSRF secret: every write made with the
cookie must repeat that secret (``X-CSRF-Token`` from the pages' scripts, ``csrf_token`` in a form).
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection

from board.auth.principal import Principal
from board.db.session import Database
from board.errors import Forbidden, NotAuthenticated
from board.services import tokens, users

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"


def sign_in(conn: HTTPConnection, user_id: int, epoch: int) -> str:
    """Start a session; a fresh CSRF secret each time, so one seen before signing in is worthless."""
    conn.session.clear()
    conn.session.update({"uid": user_id, "ep": epoch, "csrf": secrets.token_urlsafe(24)})
    csrf: str = conn.session["csrf"]
    return csrf


def csrf_token(conn: HTTPConnection) -> str:
    """The session's CSRF secret (a signed-out visitor gets one too, for the login form)."""
    if "csrf" not in conn.session:
        conn.session["csrf"] = secrets.token_urlsafe(24)
    token: str = conn.session["csrf"]
    return token


def signed_in(db: Database, conn: HTTPConnection) -> Principal | None:
    """The person this request's session names, if it still stands. Runs in a worker thread."""
    uid, epoch = conn.session.get("uid"), conn.session.get("ep")
    if uid is None:
        return None
    with db.transaction() as session:
        user = users.from_session(session, uid, epoch)
        return users.principal_of(user) if user is not None else None


def kiosk(db: Database, token: str | None) -> Principal | None:
    if not token:
        return None
    with db.transaction() as session:
        return tokens.display_principal(session, token)


def required(principal: Principal | None) -> Principal:
    if principal is None:
        raise NotAuthenticated("Please sign in first (POST /api/session, or the page /login).", "请先登录。")
    return principal


def same_origin(conn: HTTPConnection, allowed: tuple[str, ...] = ()) -> bool:
    """A browser names the page that made the request; it must be one of ours. No Origin: not a browser."""
    origin = conn.headers.get("origin")
    if origin is None:
        return True
    if origin in allowed:
        return True
    return urlsplit(origin).netloc == conn.headers.get("host", "")


def check_write(conn: HTTPConnection, method: str, allowed_origins: tuple[str, ...], form: dict[str, Any] | None = None,
                always: bool = False) -> None:
    """A write from a browser must come from our own pages and carry the session's CSRF secret
    (``always``: even before signing in, for the login form itself)."""
    if method in SAFE_METHODS:
        return
    if not same_origin(conn, allowed_origins):
        raise Forbidden("This request came from another site's page and was refused.", "请求来自其他网站的页面,已拒绝。")
    if "uid" not in conn.session and not always:
        return  # not signed in by cookie: nothing a forged request could borrow
    sent = conn.headers.get(CSRF_HEADER) or (form or {}).get("csrf_token")
    if not sent or not secrets.compare_digest(str(sent), str(conn.session.get("csrf", ""))):
        raise Forbidden("The page is out of date (its security token does not match). Reload it and try again.",
                        "页面已过期(安全令牌不符),请刷新后重试。")
