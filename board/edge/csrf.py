"""Writes from a browser must come from the board's own pages: the Origin is ours and the page
repeats its session's secret (``X-CSRF-Token`` from scripts, ``csrf_token`` in a form)."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection

from board.errors import Forbidden

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"


def same_origin(conn: HTTPConnection, allowed: tuple[str, ...] = (), form: bool = False) -> bool:
    """A browser names the page that made the request; it must be one of ours. No Origin: not a browser.
    ``form``: a form posted from our own page says "null" (Referrer-Policy: no-referrer hides the origin
    of navigations); such a form is let through here and stands or falls by its CSRF secret."""
    origin = conn.headers.get("origin")
    if origin is None or (form and origin == "null"):
        return True
    if origin in allowed:
        return True
    return urlsplit(origin).netloc == conn.headers.get("host", "")


def check_origin(conn: HTTPConnection, method: str, allowed: tuple[str, ...], form: bool = False) -> None:
    if method not in SAFE_METHODS and not same_origin(conn, allowed, form):
        raise Forbidden("This request came from another site's page and was refused.", "请求来自其他网站的页面,已拒绝。")


def check_secret(sent: str | None, expected: str) -> None:
    if not sent or not secrets.compare_digest(str(sent), expected):
        raise Forbidden("The page is out of date (its security token does not match). Reload it and try again.",
                        "页面已过期(安全令牌不符),请刷新后重试。")
