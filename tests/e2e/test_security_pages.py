"""Script injection, tried in a real browser that keeps the pages' Content-Security-Policy: crafted
links and stored markup run nothing, and no page of the board needs anything the policy forbids."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from board.app import create_app
from board.clock import FixedClock
from board.settings import Settings
from tests.conftest import ADMIN_TOKEN, admin_headers, shop_time
from tests.e2e.conftest import API_WAIT_S
from tests.servers import serve_in_thread

PAGES = ["reception", "welcome", "workshop", "foreman", "greeter", "technician?id=1", "advisor?id=1", "follow-up", "summary", "trends",
         "booking", "parts"]


@pytest.fixture
def host(database_url: str) -> Iterator[str]:
    settings = Settings(database_url=database_url, scheduler_interval_s=3600, heartbeat_s=1)
    with serve_in_thread(create_app(settings, FixedClock(shop_time("2026-11-23 09:00")))) as host:
        api = httpx.Client(base_url=f"http://{host}/api", headers=admin_headers(), timeout=API_WAIT_S)
        api.post("/shops", json={"code": "gz01", "name": "广州店"}).raise_for_status()
        # Stored markup where every screen shows it: a staff name that once blanked the advisor's page.
        api.post("/shops/gz01/advisors", json={"name": "<!--<script>"}).raise_for_status()
        tech = {"name": "<img src=x onerror=window.__stored=1>", "team": "mech_elec", "skills": [{"skill": "maintenance", "level": 2}]}
        api.post("/shops/gz01/technicians", json=tech).raise_for_status()
        yield host


@pytest.fixture
def strict(browser: Any, host: str) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A signed-in page that keeps the CSP; the dialogs it opened and the policy violations it reported."""
    context = browser.new_context(viewport={"width": 1600, "height": 900}, locale="zh-CN")
    context.add_cookies([{"name": "board_session", "value": ADMIN_TOKEN, "url": f"http://{host}"}])
    page = context.new_page()
    dialogs: list[str] = []
    violations: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        yield page, dialogs, violations
    finally:
        context.close()


def test_crafted_links_run_no_script(strict: tuple[Any, list[str], list[str]], host: str):
    page, dialogs, _violations = strict
    for path in ("/shops/%3Cimg%20src%3Dx%20onerror%3Dalert(document.domain)%3E/summary",
                 "/shops/%3Cimg%20src%3Dx%20onerror%3Dalert(document.domain)%3E/reception",
                 "/shops/gz01/%3Csvg%20onload%3Dalert(1)%3E",
                 "/live/debug?shop=gz01&boards=%3Cimg%20src%3Dx%20onerror%3Dalert('livedebug')%3E,appointments",
                 "/login?next=javascript:alert(1)"):
        page.goto(f"http://{host}{path}")
        page.wait_for_load_state("load")  # a broken image's onerror fires before the load event
        assert dialogs == [], (path, dialogs)
        assert page.evaluate("typeof window.__stored") == "undefined"
    page.goto(f"http://{host}/live/debug?shop=gz01&boards=%3Cimg%20src%3Dx%3E,appointments")
    page.wait_for_selector("#status.online", timeout=15_000)
    assert page.locator("#boards img").count() == 0 and "<img src=x>" in page.inner_text("#boards")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_works_under_the_policy_with_stored_markup_shown_as_text(strict: tuple[Any, list[str], list[str]], host: str, name: str):
    page, dialogs, violations = strict
    page.goto(f"http://{host}/shops/gz01/{name}")
    if name in ("summary", "trends"):
        page.wait_for_selector("main.report-main", timeout=15_000)
    elif name == "follow-up":  # nothing live on it: the list is read on each action
        page.wait_for_selector("#due", timeout=15_000)
    else:
        page.wait_for_selector("#status[data-online=online]", timeout=15_000)
    page.wait_for_load_state("networkidle")
    assert violations == [] and dialogs == []
    assert page.evaluate("typeof window.__stored") == "undefined"
    if name.startswith("advisor"):
        assert "<!--<script>" in page.inner_text("body")  # the name, as text, on the page it once blanked
