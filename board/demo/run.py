"""``board demo``: a fresh SQLite shop, the server on 127.0.0.1, and a simulated day that keeps moving."""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sys
from datetime import datetime, time, timedelta
from pathlib import Path

import uvicorn
from sqlalchemy import select

from board.app import create_app
from board.clock import FixedClock
from board.db.migrate import upgrade
from board.db.models import Job
from board.db.session import Database
from board.demo import shop_data
from board.demo.accounts import DEMO_PASSWORD, seed_accounts
from board.demo.seed import seed_bookings, seed_staff
from board.demo.simulator import Simulator
from board.domain.vocab import Stage
from board.serving import uvicorn_config
from board.settings import Settings
from board.unit import UnitOfWork

# The simulated morning starts here, so the roll-over and the first arrivals happen on screen.
DAY_STARTS = time(7, 0)
DAY_ENDS = time(18, 30)


def say(text: str) -> None:
    print(text, flush=True)


def prepare(settings: Settings, folder: Path, start: time) -> tuple[Settings, Database, FixedClock, Simulator, dict[str, str]]:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    url = f"sqlite:///{folder.resolve() / 'board.db'}"
    settings = settings.with_(database_url=url, broker_url="memory://", scheduler_interval_s=2.0)
    say(f"[1/4] Creating the demo database in {folder}/ ...")
    upgrade(url)
    zone = settings.zone
    today = datetime.now(zone).date()
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    clock = FixedClock(datetime.combine(yesterday, DAY_STARTS, tzinfo=zone))
    db = Database(url)
    say(f"[2/4] Adding the shop: 5 advisors, 12 technicians, {len(shop_data.BAYS)} bays ...")
    code = seed_staff(db, settings, clock.now() - timedelta(days=7))
    kiosks = seed_accounts(db, settings, clock.now() - timedelta(days=7), code)
    made = seed_bookings(
        db, settings, zone, [(yesterday, 20), (today, 32), (tomorrow, 16)], random.Random(7), clock.now()
    )
    say(f"[3/4] Booked {made} appointments for yesterday, today and tomorrow.")
    sim = Simulator(UnitOfWork(db, settings, clock), clock, code)
    say(f"[4/4] Playing yesterday and this morning up to {start:%H:%M}, so cars are in every stage ...")
    for day, until in ((yesterday, DAY_ENDS), (today, start)):
        clock.set(datetime.combine(day, DAY_STARTS, tzinfo=zone))
        minutes = int((datetime.combine(day, until) - datetime.combine(day, DAY_STARTS)).total_seconds() // 60)
        for n in range(max(minutes, 0)):
            sim.step(1)
            if n % 60 == 59:
                say(f"      {clock.now().astimezone(zone):%a %H:%M} shop time")
    # Show a board with a car in every stage: play on a little if one is empty just now.
    for _ in range(90):
        if every_stage_present(db):
            break
        sim.step(1)
    return settings, db, clock, sim, kiosks


def every_stage_present(db: Database) -> bool:
    with db.transaction() as session:
        present = set(session.scalars(select(Job.stage).distinct()))
    return present >= set(Stage)


def print_urls(base: str, code: str, kiosks: dict[str, str], url: str) -> None:
    say("")
    say(f"Board is running: {base}/")
    say(f"Other board commands work on this demo's database with: export BOARD_DATABASE_URL={url}")
    say(f"  (for example: BOARD_DATABASE_URL={url} board report --day $(date +%F))")
    say(f"Sign in as admin, foreman, greeter, inspector, parts, wash, advisor1-5 or tech1-12; every demo password is {DEMO_PASSWORD}")
    say("Wall displays need no sign-in with their kiosk links:")
    for board, path in kiosks.items():
        say(f"  {board:<25} {base}{path}")
    say("Wall displays and consoles (add ?lang=en for English):")
    say(f"  Reception display         {base}/shops/{code}/reception")
    say(f"  Welcome display           {base}/shops/{code}/welcome")
    say(f"  Workshop display (JPCB)   {base}/shops/{code}/workshop")
    say(f"  Foreman's console         {base}/shops/{code}/foreman")
    say(f"  Greeter's console         {base}/shops/{code}/greeter")
    say(f"  Technician's view         {base}/shops/{code}/technician")
    say(f"  Advisor's view            {base}/shops/{code}/advisor")
    say(f"  Booking console           {base}/shops/{code}/booking")
    say(f"  Reception tablet          {base}/shops/{code}/order   (or from an arrival on the advisor's view)")
    say(f"  Parts desk                {base}/shops/{code}/parts")
    say(f"  Quality check             {base}/shops/{code}/qc")
    say(f"  Wash queue                {base}/shops/{code}/wash")
    say(f"  Delivery                  {base}/shops/{code}/delivery")
    say(f"  Follow-up calls           {base}/shops/{code}/follow-up")
    say(f"  Daily summary, trends     {base}/shops/{code}/summary   {base}/shops/{code}/trends")
    say("Data:")
    say(f"  Index                     {base}/")
    say(f"  Appointment board (JSON)  {base}/api/shops/{code}/appointment-board")
    say(f"  Today's bookings          {base}/api/shops/{code}/appointments")
    say(f"  Welcome board (masked)    {base}/api/shops/{code}/welcome")
    say(f"  Arrivals, reception clock {base}/api/shops/{code}/arrivals")
    say(f"  Dispatch plan             {base}/api/shops/{code}/dispatch/plan")
    say(f"  Tomorrow's preparation    {base}/api/shops/{code}/preparations")
    say(f"  Repair orders             {base}/api/shops/{code}/repair-orders")
    say(f"  Jobs                      {base}/api/shops/{code}/jobs")
    say(f"  Event log                 {base}/api/shops/{code}/events")
    say(f"  Live boards (debug)       {base}/live/debug?shop={code}")
    say(f"  API description           {base}/api/openapi.json")
    say("Press Ctrl+C to stop.")


async def serve(settings: Settings, db: Database, clock: FixedClock, sim: Simulator | None, port: int, speed: float,
                kiosks: dict[str, str]) -> None:
    app = create_app(settings, clock, db)
    if sim is not None:
        sim.uow = app.state.uow  # its commits now reach the live boards at once
        clock.rate = speed  # the pages' clocks run as fast as the simulated day
    server = uvicorn.Server(uvicorn_config(app, "127.0.0.1", port, app.state.settings))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            await task
            raise SystemExit(f"The server could not start on 127.0.0.1:{port} (is the port in use? try --port).")
        await asyncio.sleep(0.05)
    print_urls(f"http://127.0.0.1:{port}", sim.shop_code if sim else "gz-demo", kiosks, settings.database_url)
    while not task.done():
        await asyncio.sleep(1.0)
        if sim is not None:
            await asyncio.to_thread(sim.step, speed / 60)
    await task


def run_demo(settings: Settings, args: argparse.Namespace) -> int:
    try:
        start = time.fromisoformat(args.start)
    except ValueError:
        print(f"board demo: --start must be a time like 09:30, not {args.start!r}", file=sys.stderr)
        return 2
    settings, db, clock, sim, kiosks = prepare(settings, Path(args.dir), start)
    say(f"Simulated shop time {clock.now().astimezone(settings.zone):%H:%M}, running {args.speed:g}x faster than real time.")
    try:
        asyncio.run(serve(settings, db, clock, None if args.no_sim else sim, args.port, args.speed, kiosks))
    except KeyboardInterrupt:
        pass
    return 0
