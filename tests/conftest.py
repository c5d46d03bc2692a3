"""Shared fixtures: every API test runs against SQLite and a real PostgreSQL server."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text
from starlette.testclient import TestClient

from board.app import create_app
from board.clock import FixedClock, wall_clock
from board.db.migrate import upgrade
from board.db.models import LoginSession
from board.db.session import Database
from board.services import users
from board.services.cameras import token_hash
from board.settings import Settings
from tests.pg_server import PostgresServer
from tests.servers import ADMIN_PASSWORD, RedisServer

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Servers started by the tests improve each plan by less search than a shop's default (the same
# planner, a smaller budget of work): a 2-core machine runs a browser and a server beside them.
# bench/dispatch.py measures the default's quality and bench/live_plan.py its load.
os.environ.setdefault("BOARD_PLAN_WORK", "5000")


def shop_time(text_: str) -> datetime:
    """'2026-11-23 09:00' on the shop's wall clock, as an aware datetime."""
    return datetime.fromisoformat(text_).replace(tzinfo=SHANGHAI)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    server = PostgresServer()
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


ADMIN = "admin"
# The group admin's session in every test database (made in the template, copied with it): a test
# starts signed in without paying for an argon2 check each time. Sessions keep real time.
ADMIN_TOKEN = "s_test-admin-session-token-0123456789abcdef"
ADMIN_CSRF = "test-admin-csrf-0123456789"


def add_admin(url: str) -> None:
    """The group admin every test database starts with (as BOARD_ADMIN_PASSWORD makes on a first start), signed in."""
    db = Database(url)
    with db.transaction() as session:
        admin = users.ensure_admin(session, shop_time("2026-11-01 08:00"), ADMIN_PASSWORD, ADMIN)
        assert admin is not None
        now = wall_clock()
        session.add(LoginSession(token_hash=token_hash(ADMIN_TOKEN), user_id=admin.id, csrf=ADMIN_CSRF, created_at=now, seen_at=now,
                                 address="test"))
    db.dispose()


def sign_in(client: TestClient, username: str = ADMIN, password: str = ADMIN_PASSWORD) -> dict[str, Any]:
    """Sign in as a front-desk program does; the client keeps the cookie and sends the CSRF secret."""
    response = client.post("/api/session", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    me: dict[str, Any] = response.json()
    client.headers["X-CSRF-Token"] = me["csrf_token"]
    return me


def sign_in_admin(client: TestClient) -> None:
    """The group admin's session is in every copy of the template database."""
    client.cookies.set("board_session", ADMIN_TOKEN)
    client.headers["X-CSRF-Token"] = ADMIN_CSRF


def admin_headers(_base_url: str = "") -> dict[str, str]:
    """Headers that make any HTTP or websocket client the signed-in group admin of a server whose
    database was copied from the template (or made by add_admin)."""
    return {"Cookie": f"board_session={ADMIN_TOKEN}", "X-CSRF-Token": ADMIN_CSRF}


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated with Alembic, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "board.db"
    upgrade(f"sqlite:///{path}")
    add_admin(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template(pg_url: str) -> str:
    """A PostgreSQL database migrated with Alembic once; each test gets a copy of it."""
    admin = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE board_template"))
    admin.dispose()
    url = pg_url.rsplit("/", 1)[0] + "/board_template"
    upgrade(url)
    add_admin(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "board.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    request.getfixturevalue("pg_template")
    with fresh_pg_database(request.getfixturevalue("pg_url")) as url:
        yield url


@contextmanager
def fresh_pg_database(pg_url: str, template: str | None = "board_template") -> Iterator[str]:
    """A new PostgreSQL database copied from the migrated template (``None``: an empty one)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else "")))
    try:
        yield pg_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture
def pg_database(pg_url: str, pg_template: str) -> Iterator[str]:
    with fresh_pg_database(pg_url) as url:
        yield url


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(shop_time("2026-11-23 09:00"))


class Shop:
    """A test client bound to one shop, speaking the API as a front-desk program would."""

    def __init__(self, client: TestClient, code: str) -> None:
        self.client = client
        self.code = code

    def url(self, path: str) -> str:
        return f"/api/shops/{self.code}{path}"

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(self.url(path), **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.client.post(self.url(path), json=json, **kw)

    def patch(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.client.patch(self.url(path), json=json, **kw)

    def ok(self, method: str, path: str, json: Any = None, status: int | None = None) -> Any:
        response = self.client.request(method, self.url(path), json=json)
        expected = status or (201 if method == "POST" and response.status_code == 201 else 200)
        assert response.status_code == expected, response.text
        return response.json()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, scheduler_interval_s=0.05)


@pytest.fixture
def app_client(settings: Settings, clock: FixedClock) -> Iterator[TestClient]:
    """A client signed in as the group admin; role tests sign in as others on clients of their own."""
    app = create_app(settings, clock)
    with TestClient(app) as client:
        sign_in_admin(client)
        yield client


@pytest.fixture
def shop(app_client: TestClient) -> Shop:
    response = app_client.post("/api/shops", json={"code": "gz01", "name": "广州丰田测试店"})
    assert response.status_code == 201, response.text
    return Shop(app_client, "gz01")


PASSWORD = "shop-password-1"


def person(at: Shop, username: str, role: str, name: str | None = None, **links: Any) -> Shop:
    """Add a person to the shop (as its admin) and return a client signed in as them."""
    body = {"username": username, "name": name or username, "role": role, "password": PASSWORD, **links}
    created = at.client.post(at.url("/users"), json=body)
    assert created.status_code == 201, created.text
    client = TestClient(at.client.app)  # the same running app; its own cookie jar
    sign_in(client, username, PASSWORD)
    return Shop(client, at.code)


# The bays a test shop works in: lifts, express bays, a body bay and a paint booth (a shop has them all).
TEST_BAYS = [("A1举升机", "general_lift"), ("A2举升机", "general_lift"), ("A3举升机", "general_lift"), ("A快保1", "quick_service"),
             ("A快保2", "quick_service"), ("A钣金", "body"), ("A烤漆房", "paint_booth")]


def add_staff(shop: Shop, advisors: int = 2, mech_techs: int = 4, body_techs: int = 2, bays: bool = True) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {"advisors": [], "techs": [], "bays": []}
    for name, kind in TEST_BAYS if bays else []:
        ids["bays"].append(shop.ok("POST", "/bays", {"name": name, "kind": kind})["id"])
    for n in range(advisors):
        ids["advisors"].append(shop.ok("POST", "/advisors", {"name": f"顾问{n + 1}"})["id"])
    for n in range(mech_techs):
        body = {"name": f"机电{n + 1}", "team": "mech_elec", "skills": [{"skill": "maintenance", "level": 2}, {"skill": "electrical", "level": 1 + n % 3}]}
        ids["techs"].append(shop.ok("POST", "/technicians", body)["id"])
    for n in range(body_techs):
        body = {"name": f"钣喷{n + 1}", "team": "body_paint", "skills": [{"skill": "body", "level": 2}, {"skill": "paint", "level": 2}]}
        ids["techs"].append(shop.ok("POST", "/technicians", body)["id"])
    return ids


PLATES = iter(f"粤A{n:05d}" for n in range(10000, 99999, 7))


def booking(day: str, at: str, service: str = "maintenance", plate: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "day": day, "slot_start": at, "plate": plate or next(PLATES), "model": "凯美瑞 Camry",
        "customer_name": "王伟", "title": "先生", "phone": "13800138000", "service_type": service, **extra,
    }


@pytest.fixture
def start_app(database_url: str):
    """Start (and later stop) an app on the test database: ``with start_app(clock, **settings) as shop``."""

    @contextmanager
    def start(clock: FixedClock, scheduler_interval_s: float = 3600.0, **overrides: Any) -> Iterator[Shop]:
        settings = Settings(database_url=database_url, scheduler_interval_s=scheduler_interval_s, **overrides)
        with TestClient(create_app(settings, clock)) as client:
            sign_in_admin(client)
            if client.get("/api/shops/gz01").status_code == 404:
                assert client.post("/api/shops", json={"code": "gz01", "name": "广州丰田测试店"}).status_code == 201
            yield Shop(client, "gz01")

    return start


def wait_for(predicate: Any, timeout: float = 10.0) -> Any:
    """Poll until the predicate returns something truthy (a background loop's effect to show)."""
    import time as _time

    deadline = _time.monotonic() + timeout
    while True:
        value = predicate()
        if value or _time.monotonic() > deadline:
            return value
        _time.sleep(0.05)


def plan_settled(uow: Any, code: str = "gz01", timeout: float = 20.0) -> bool:
    """Wait until the planning loop has kept a plan made from the shop's last change, at the clock's
    minute (a clock moved on has the plan made again)."""
    from board.dispatch import plan_store
    from board.planning import CLOCK_MOVES

    def settled() -> bool:
        with uow.shop(code, "test", write=False) as ctx:
            row = plan_store.stored(ctx)
            return row is not None and row.based_on >= plan_store.latest_event(ctx) and ctx.now - row.made_at < CLOCK_MOVES
    return bool(wait_for(settled, timeout))


def column(board: dict[str, Any], key: str) -> list[int]:
    return [c["id"] for c in next(col for col in board["columns"] if col["key"] == key)["cards"]]


def self_checked(client: Shop, job: dict[str, Any]) -> dict[str, Any]:
    """The technician's self-check of his card in progress: every operation done, every item of its list ticked."""
    body = {"version": job["version"], "items": [i["key"] for i in job["self_check"]], "lines": [line["id"] for line in job["lines"]]}
    return client.ok("POST", f"/jobs/{job['id']}/self-check", body)["job"]


def inspected(client: Shop, job: dict[str, Any], passed: bool = True, reason: str = "") -> dict[str, Any]:
    """The inspector's check of a card: passed with every item of its list ticked, or failed with the reason."""
    from board.domain.checklists import EVERY_CAR

    items = [i["key"] for i in job["self_check"]] + [i.key for i in EVERY_CAR if i.key not in {x["key"] for x in job["self_check"]}]
    body = {"version": job["version"], "passed": passed, "items": items if passed else [], "reason": reason}
    return client.ok("POST", f"/jobs/{job['id']}/quality-check", body)["job"]


def handed_over(client: Shop, job: dict[str, Any]) -> dict[str, Any]:
    """A card in progress to the customer by the roads the screens use: the self-check, the inspector's
    pass, the car's wash, the hand-over (which closes its order); the card as it ends."""
    job = inspected(client, self_checked(client, job))
    order_id = job["repair_order_id"]
    washing = [j for j in client.ok("GET", f"/repair-orders/{order_id}")["jobs"] if j["stage"]["value"] == "wash"]
    client.ok("POST", f"/repair-orders/{order_id}/wash-done", {"versions": {str(j["id"]): j["version"] for j in washing}})
    order = client.ok("GET", f"/repair-orders/{order_id}")
    if all(j["stage"]["value"] in ("ready", "delivered") for j in order["jobs"]):
        client.ok("POST", f"/repair-orders/{order_id}/hand-over", {"version": order["version"]})
    return client.ok("GET", f"/jobs/{job['id']}")  # type: ignore[no-any-return]
