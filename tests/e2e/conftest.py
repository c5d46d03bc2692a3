"""Real Chromium (Debian's build) driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

# How long a browser test waits for a change to show. The product's target is 2 s (bench/fanout.py
# measures it); a test waits for the state, generously, so a busy 2-core machine does not fail it.
WAIT_MS = 15_000
# How long a test's own API call (httpx, seconds) waits for the server's answer: as generous, for the same reason.
API_WAIT_S = 30.0

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Module scope: the sync API runs an event loop in this thread while open, which other
    # tests' asyncio.run() must not meet.
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Any]:
    # Playwright's waits evaluate their conditions with eval(), which the pages' CSP forbids; the CSP itself
    # is proven in test_security_pages.py, with contexts that keep it.
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    # Printed only if the test fails (pytest shows captured output then): what the page said.
    page.on("console", lambda m: print(f"[browser {m.type}] {m.text}"))
    page.on("pageerror", lambda e: print(f"[browser error] {e}"))
    page.on("websocket", lambda ws: print(f"[browser websocket] {ws.url}") or ws.on("close", lambda _ws: print("[browser websocket] closed")))
    try:
        yield page
    finally:
        context.close()


PLAN_CHANGED = "计划刚刚更新"


def on_the_plan_shown(foreman: Any, act: Any, done: str) -> None:
    """Do ``act`` on the foreman's console, then wait until the JS expression ``done`` holds. If the
    plan was re-made under his finger (a change in the shop), the console says so and draws the new
    plan: he looks again and does it again, as a foreman would (at most three times)."""
    for _ in range(3):
        stamp = foreman.get_attribute("#queue", "data-stamp")
        foreman.evaluate("document.querySelectorAll('#toasts .toast').forEach((t) => t.remove())")
        act()
        outcome = foreman.wait_for_function(
            f"() => ({done}) ? 'done' : [...document.querySelectorAll('#toasts .toast')].some((t) => t.textContent.includes('{PLAN_CHANGED}')) && 'again'",
            timeout=WAIT_MS).json_value()
        if outcome == "done":
            return
        foreman.wait_for_function("(s) => document.getElementById('queue').dataset.stamp !== s", arg=stamp, timeout=WAIT_MS)
    raise AssertionError("the plan changed under the foreman's finger three times running")
