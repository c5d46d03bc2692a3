"""Screenshots of every page at 1080p, in Chinese and in English, from the demo shop's day.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--chromium /usr/bin/chromium]

Plays the demo day to 10:30 in a temporary folder, serves it on a free loopback port, and
photographs each page once it is live.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from datetime import time as clock_time
from datetime import timedelta
from pathlib import Path

import httpx
import uvicorn
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from board.app import create_app  # noqa: E402
from board.demo import run as demo  # noqa: E402
from board.demo.accounts import DEMO_PASSWORD  # noqa: E402
from board.serving import uvicorn_config  # noqa: E402
from board.settings import Settings  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGES = ["reception", "welcome", "workshop", "foreman", "greeter", "technician", "advisor", "booking", "order", "parts", "qc", "wash",
         "delivery", "approve", "summary", "trends", "follow-up"]
LIVE = {"reception", "welcome", "workshop", "foreman", "greeter", "technician", "advisor", "booking", "order", "parts", "qc", "wash", "delivery"}
PHONE = {"width": 390, "height": 844}  # the customer's approval page is opened on his phone


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def busiest(http: httpx.Client, code: str) -> tuple[int, int]:
    """A technician and an advisor with something on their screen."""
    jobs = http.get(f"/api/shops/{code}/jobs").json()
    open_jobs = [j for j in jobs if j["stage"]["value"] in ("dispatched", "in_progress", "stopped") and j["technician_id"]]
    tech = max({j["technician_id"] for j in open_jobs}, key=lambda t: sum(1 for j in open_jobs if j["technician_id"] == t), default=1)
    preps = http.get(f"/api/shops/{code}/preparations").json()
    advisors = [p["appointment"]["advisor"]["id"] for p in preps if p["appointment"]["advisor"]]
    advisor = max(set(advisors), key=advisors.count, default=1)
    return tech, advisor


def approval_link(http: httpx.Client, code: str) -> str:
    """A customer's link to extra work found on a job in progress: reported, priced, sent."""
    jobs = http.get(f"/api/shops/{code}/jobs").json()
    job = next(j for j in jobs if j["stage"]["value"] == "in_progress")
    shop = f"/api/shops/{code}"
    found = http.post(f"{shop}/findings", json={"job_id": job["id"], "text": "前刹车片磨损至 2 mm,建议更换 Front pads worn to 2 mm", "carry_on": True})
    found.raise_for_status()
    finding = found.json()
    priced = http.post(f"{shop}/findings/{finding['id']}/price", json={
        "version": finding["version"], "operation": "更换前刹车片 Front brake pads", "skill": "maintenance", "level": 1,
        "est_hours": 1.0, "bay_kind": "general_lift", "parts_price": 420})
    priced.raise_for_status()
    sent = http.post(f"{shop}/findings/{finding['id']}/link", json={"version": priced.json()["version"]})
    sent.raise_for_status()
    return str(sent.json()["url"])


def query_for(name: str, http: httpx.Client, code: str, tech: int, advisor: int) -> str:
    """What the page is opened with: the busiest technician and advisor, a car just arrived for the reception tablet."""
    if name == "order":
        waiting = [a for a in http.get(f"/api/shops/{code}/arrivals").json() if not a.get("received_at") and not a.get("undone_at")]
        if not waiting:  # everyone is received by now: a walk-in drives up
            walk_in = http.post(f"/api/shops/{code}/arrivals", json={"walk_in": True, "plate": "粤A·W5821", "model": "卡罗拉 Corolla"})
            walk_in.raise_for_status()
            waiting = [walk_in.json()]
        return f"arrival={waiting[-1]['id']}"
    return {"technician": f"id={tech}", "advisor": f"id={advisor}"}.get(name, "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--pages", help="only these pages, comma-separated (default: all)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="board-shots-")) / "demo"
    settings, db, clock, _sim, _kiosks = demo.prepare(Settings.from_env(), folder, clock_time(10, 30))
    port = free_port()
    server = uvicorn.Server(uvicorn_config(create_app(settings, clock, db), "127.0.0.1", port, settings))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base, code = f"http://127.0.0.1:{port}", "gz-demo"
    http = httpx.Client(base_url=base, timeout=30)
    signed = http.post("/api/session", json={"username": "admin", "password": DEMO_PASSWORD})
    signed.raise_for_status()
    http.headers["X-CSRF-Token"] = signed.json()["csrf_token"]
    tech, advisor = busiest(http, code)
    link = approval_link(http, code) if not args.pages or "approve" in args.pages else ""
    chosen = args.pages.split(",") if args.pages else PAGES
    shots = [(name, lang) for name in chosen for lang in ("zh", "en")]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN", bypass_csp=True)  # waits use eval()
            page.context.add_cookies([{"name": "board_session", "value": http.cookies["board_session"], "url": base}])
            for n, (name, lang) in enumerate(shots, 1):
                if name == "follow-up":  # three days on, today's handed-over cars are due for their call
                    clock.advance(timedelta(days=3))
                query = query_for(name, http, code, tech, advisor)
                query = "&".join(q for q in (query, "lang=en" if lang == "en" else "") if q)
                page.set_viewport_size(PHONE if name == "approve" else {"width": 1920, "height": 1080})
                path = link if name == "approve" else f"/shops/{code}/{name}"
                page.goto(f"{base}{path}{'?' + query if query else ''}")
                if name in LIVE:
                    page.wait_for_function("document.getElementById('status').dataset.online === 'online'", timeout=15_000)
                page.wait_for_timeout(1200)  # the plan request and the fonts
                target = args.out / f"{name}.{lang}.png"
                page.screenshot(path=str(target))
                print(f"[{n}/{len(shots)}] {target}", flush=True)
                if name == "follow-up":
                    clock.advance(-timedelta(days=3))
            browser.close()
    finally:
        server.should_exit = True
        thread.join(10)
    print(f"Done: {len(shots)} screenshots in {args.out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
