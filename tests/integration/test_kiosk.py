"""Wall displays on kiosk tokens and the live socket's door: one shop, one board, read-only,
masked; revoked tokens and ended sessions are closed within a heartbeat; foreign pages and
strangers are refused; camera tokens are revocable too."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from board.app import create_app
from board.clock import FixedClock
from board.db.models import DisplayToken
from board.db.session import Database
from board.services.cameras import token_hash
from board.settings import Settings
from tests.conftest import PASSWORD, admin_headers, shop_time
from tests.servers import serve_in_thread

NAME, PHONE, PLATE, NOTE = "欧阳建国", "13912345678", "粤A8K3M7", "客户电话13912345678,车钥匙在前台"


class Server:
    def __init__(self, host: str, settings: Settings) -> None:
        self.host, self.settings = host, settings
        self.http = httpx.Client(base_url=f"http://{host}/api/shops/gz01", headers=admin_headers(f"http://{host}"), timeout=30)

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        response = self.http.request(method, path, json=body)
        assert response.is_success, response.text
        return response.json()

    def token(self, board: str, masked: bool = False) -> dict[str, Any]:
        return self.ok("POST", "/tokens", {"board": board, "name": f"{board} TV", "masked": masked})  # type: ignore[no-any-return]

    def ws(self, token: str | None = None) -> str:
        return f"ws://{self.host}/live" + (f"?token={token}" if token else "")


@pytest.fixture
def server(database_url: str) -> Iterator[Server]:
    settings = Settings(database_url=database_url, scheduler_interval_s=3600, heartbeat_s=1)
    with serve_in_thread(create_app(settings, FixedClock(shop_time("2026-11-23 09:00")))) as host:
        s = Server(host, settings)
        s.http.post(f"http://{host}/api/shops", json={"code": "gz01", "name": "广州店"}).raise_for_status()
        s.http.post(f"http://{host}/api/shops", json={"code": "sz01", "name": "深圳店"}).raise_for_status()
        s.ok("POST", "/advisors", {"name": "陈静"})
        s.ok("POST", "/technicians", {"name": "赵强", "team": "mech_elec", "skills": [{"skill": "maintenance", "level": 2}]})
        s.ok("POST", "/bays", {"name": "快保1", "kind": "quick_service"})
        s.ok("POST", "/bays", {"name": "1号举升机", "kind": "general_lift"})
        yield s
        s.http.close()


async def read_for(ws: Any, texts: list[str], seconds: float = 1.5) -> None:
    """Every message a screen gets in the next ``seconds``, then close it."""
    try:
        async with asyncio.timeout(seconds):
            while True:
                texts.append(str(await ws.recv()))
    except TimeoutError:
        pass
    await ws.close()


async def subscribe(url: str, boards: list[str], shop: str = "gz01", seen: list[str] | None = None, **kw: Any) -> tuple[Any, dict[str, Any]]:
    """Connect and subscribe; the answer to the subscription (``seen`` gets every text up to it)."""
    ws = await connect(url, open_timeout=10, **kw)
    await ws.send(json.dumps({"id": 1, "type": "subscribe", "shop": shop, "boards": boards}))
    while True:
        text = str(await asyncio.wait_for(ws.recv(), 10))
        if seen is not None:
            seen.append(text)
        message = json.loads(text)
        if message["type"] in ("result", "error"):
            return ws, message


async def closed_with(ws: Any, timeout: float = 10) -> int:
    """Read until the server closes the socket; its close code."""
    try:
        async with asyncio.timeout(timeout):
            while True:
                await ws.recv()
    except ConnectionClosed:
        pass
    return int(ws.close_code)


def test_a_kiosk_token_opens_its_one_board_and_nothing_else(server: Server):
    issued = server.token("welcome")
    assert issued["token"].startswith("d_") and issued["url"] == f"/shops/gz01/welcome?kiosk=1&token={issued['token']}"
    listed = server.ok("GET", "/tokens")["displays"]
    assert [d["id"] for d in listed] == [issued["id"]] and issued["token"] not in json.dumps(listed)  # shown once, never again
    db = Database(server.settings.database_url)
    with db.transaction() as session:  # only a hash is kept: a stolen backup opens no screen
        assert [row.token_hash for row in session.scalars(select(DisplayToken))] == [token_hash(issued["token"])]
    db.dispose()
    page = httpx.get(f"http://{server.host}{issued['url']}")
    assert page.status_code == 200 and '"token": "d_' in page.text and 'action="/logout"' not in page.text
    assert httpx.get(f"http://{server.host}/shops/gz01/reception?token={issued['token']}").status_code == 403
    assert httpx.get(f"http://{server.host}/shops/sz01/welcome?token={issued['token']}").status_code == 403
    # A kiosk token is not a login: the API stays shut to it.
    assert httpx.get(f"http://{server.host}/api/shops/gz01/welcome?token={issued['token']}").status_code == 401

    async def scenario() -> None:
        ws, answer = await subscribe(server.ws(issued["token"]), ["welcome"])
        assert answer["type"] == "result"
        await ws.close()
        for boards, shop in ((["appointments"], "gz01"), (["welcome", "jpcb_public"], "gz01"), (["welcome"], "sz01")):
            ws, answer = await subscribe(server.ws(issued["token"]), boards, shop)
            assert answer["type"] == "error" and answer["code"] == "forbidden", (boards, shop, answer)
            await ws.close()

    asyncio.run(scenario())


def test_public_payloads_never_carry_a_name_a_phone_an_unmasked_plate_or_a_note(server: Server):
    """Every message a kiosk receives, snapshot and deltas, while the day's records change."""
    # The workshop TV's token issued masked: it hangs where customers can see it through a window.
    tokens = {board: server.token(board, masked=board == "workshop")["token"] for board in ("reception", "welcome", "workshop")}
    booking = {"day": "2026-11-23", "slot_start": "10:00", "plate": PLATE, "model": "凯美瑞 Camry", "customer_name": NAME, "title": "先生",
               "phone": PHONE, "service_type": "maintenance", "note": NOTE}

    async def scenario() -> None:
        texts: list[str] = []
        screens = [(await subscribe(server.ws(tokens[b]), [name], seen=texts))[0]
                   for b, name in (("reception", "appointments_public"), ("welcome", "welcome"), ("workshop", "jpcb_public"))]
        appt = await asyncio.to_thread(server.ok, "POST", "/appointments", booking)
        await asyncio.to_thread(server.ok, "POST", "/arrivals", {"appointment_id": appt["id"]})
        order = {"appointment_id": appt["id"], "advisor_id": 1, "promised_at": "2026-11-23T17:00", "note": NOTE,
                 "jobs": [{"operation": "定期保养", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}]}
        await asyncio.to_thread(server.ok, "POST", "/repair-orders", order)
        # Late subscribers get the whole day in their first snapshot.
        screens += [(await subscribe(server.ws(tokens[b]), [name], seen=texts))[0]
                    for b, name in (("reception", "appointments_public"), ("welcome", "welcome"), ("workshop", "jpcb_public"))]
        for ws in screens:
            await read_for(ws, texts)
        everything = "\n".join(texts)
        assert "8K3M7" not in everything and "粤A·8***7" in everything
        for secret in (NAME, PHONE, "建国", "车钥匙"):
            assert secret not in everything, secret
        assert "欧阳先生" in everything  # what a customer may read: surname and title
        # The staff's own board still carries what the advisor needs.
        staff_saw: list[str] = []
        cookie = {"Cookie": admin_headers(f"http://{server.host}")["Cookie"]}
        staff_ws, _ = await subscribe(server.ws(), ["appointments"], seen=staff_saw, additional_headers=cookie)
        assert NAME in "".join(staff_saw) and PLATE in "".join(staff_saw)
        await staff_ws.close()

    asyncio.run(scenario())


def test_a_workshop_tv_shows_full_plates_to_the_floor_and_masked_ones_where_customers_see_it(server: Server):
    """A technician must tell 粤A·8K3M7 from 粤A·8B3N7 to fetch the right car; a window TV may not."""
    floor, window = server.token("workshop"), server.token("workshop", masked=True)
    assert (floor["masked"], window["masked"]) == (False, True)
    assert server.token("reception")["masked"] is True  # the public boards are masked whatever is asked
    booking = {"day": "2026-11-23", "slot_start": "10:00", "plate": PLATE, "model": "凯美瑞 Camry", "customer_name": NAME, "title": "先生",
               "phone": PHONE, "service_type": "maintenance", "note": NOTE}
    appt = server.ok("POST", "/appointments", booking)
    server.ok("POST", "/arrivals", {"appointment_id": appt["id"]})
    server.ok("POST", "/repair-orders", {"appointment_id": appt["id"], "advisor_id": 1, "promised_at": "2026-11-23T17:00", "note": NOTE,
              "jobs": [{"operation": "定期保养", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}]})
    # Each page is told its own board.
    assert '"boards": ["jpcb_floor"]' in httpx.get(f"http://{server.host}{floor['url']}").text
    assert '"boards": ["jpcb_public"]' in httpx.get(f"http://{server.host}{window['url']}").text

    async def scenario() -> None:
        seen: dict[str, list[str]] = {"floor": [], "window": []}
        ws_floor, answer = await subscribe(server.ws(floor["token"]), ["jpcb_floor"], seen=seen["floor"])
        assert answer["type"] == "result"
        ws_window, answer = await subscribe(server.ws(window["token"]), ["jpcb_public"], seen=seen["window"])
        assert answer["type"] == "result"
        for ws, texts in ((ws_floor, seen["floor"]), (ws_window, seen["window"])):
            await read_for(ws, texts)
        floor_text, window_text = "".join(seen["floor"]), "".join(seen["window"])
        assert "8K3M7" in floor_text and "凯美瑞" in floor_text
        assert "8K3M7" not in window_text and "粤A·8***7" in window_text
        for secret in (NAME, PHONE, "车钥匙"):  # the floor's board still carries no customer and no note
            assert secret not in floor_text, secret
        # Neither token opens the other's board, nor the staff's.
        for token, boards in ((floor["token"], ["jpcb_public"]), (floor["token"], ["jpcb"]), (window["token"], ["jpcb_floor"])):
            ws, answer = await subscribe(server.ws(token), boards)
            assert answer["type"] == "error" and answer["code"] == "forbidden", (boards, answer)
            await ws.close()

    asyncio.run(scenario())


def test_a_revoked_token_goes_dark_within_a_heartbeat_and_stays_out(server: Server):
    issued = server.token("workshop")

    async def scenario() -> None:
        ws, answer = await subscribe(server.ws(issued["token"]), ["jpcb_floor"])
        assert answer["type"] == "result"
        revoked = await asyncio.to_thread(server.ok, "POST", f"/tokens/{issued['id']}/revoke")
        assert revoked["revoked_at"] is not None
        assert await closed_with(ws, timeout=5) == 4403  # heartbeat_s=1: checked every second
        again = await connect(server.ws(issued["token"]), open_timeout=10)
        assert await closed_with(again) == 4401

    asyncio.run(scenario())
    assert httpx.get(f"http://{server.host}{issued['url']}").status_code == 403
    assert server.http.post(f"/tokens/{issued['id']}/revoke").status_code == 409
    listed = server.ok("GET", "/tokens")["displays"]
    assert [(d["id"], d["revoked_at"] is not None) for d in listed] == [(issued["id"], True)]


def test_the_live_socket_refuses_strangers_and_other_sites_pages(server: Server):
    async def scenario() -> None:
        stranger = await connect(server.ws(), open_timeout=10)
        assert await closed_with(stranger) == 4401
        cookie = {"Cookie": admin_headers(f"http://{server.host}")["Cookie"]}
        with pytest.raises(InvalidStatus) as refused:
            await connect(server.ws(), open_timeout=10, additional_headers=cookie, origin="http://evil.example")  # type: ignore[arg-type]
        assert refused.value.response.status_code == 403
        ours, answer = await subscribe(server.ws(), ["appointments"], additional_headers=cookie, origin=f"http://{server.host}")
        assert answer["type"] == "result"
        await ours.close()

    asyncio.run(scenario())


def test_a_disabled_persons_open_board_is_closed(server: Server):
    tech = server.ok("GET", "/technicians")[0]
    user = server.ok("POST", "/users", {"username": "zhaoqiang", "name": "赵强", "role": "technician", "password": PASSWORD,
                                        "technician_id": tech["id"]})
    session = httpx.post(f"http://{server.host}/api/session", json={"username": "zhaoqiang", "password": PASSWORD})

    async def scenario() -> None:
        ws, answer = await subscribe(server.ws(), ["jpcb"], additional_headers={"Cookie": f"board_session={session.cookies['board_session']}"})
        assert answer["type"] == "result"
        await asyncio.to_thread(server.ok, "PATCH", f"/users/{user['id']}", {"version": user["version"], "active": False})
        assert await closed_with(ws, timeout=5) == 4403

    asyncio.run(scenario())


def test_signing_out_closes_the_persons_open_boards_and_a_saved_cookie_cannot_reopen_them(server: Server):
    server.ok("POST", "/users", {"username": "linna", "name": "林娜", "role": "greeter", "password": PASSWORD})
    session = httpx.post(f"http://{server.host}/api/session", json={"username": "linna", "password": PASSWORD})
    cookie = {"Cookie": f"board_session={session.cookies['board_session']}"}

    async def scenario() -> None:
        ws, answer = await subscribe(server.ws(), ["appointments"], additional_headers=cookie)
        assert answer["type"] == "result"
        signed_out = await asyncio.to_thread(httpx.delete, f"http://{server.host}/api/session",
                                             headers={**cookie, "X-CSRF-Token": session.json()["csrf_token"]})
        assert signed_out.status_code == 204
        assert await closed_with(ws, timeout=5) == 4403
        again = await connect(server.ws(), open_timeout=10, additional_headers=cookie)
        assert await closed_with(again, timeout=5) == 4401

    asyncio.run(scenario())


def test_a_revoked_camera_is_refused(server: Server):
    camera = server.ok("POST", "/cameras", {"name": "入口摄像头"})
    body = {"camera_id": camera["id"], "plate": "粤A12345", "confidence": 0.5, "time": "2026-11-23T08:59:30+08:00", "idempotency_key": "k1"}
    auth = {"Authorization": f"Bearer {camera['token']}"}
    assert httpx.post(f"http://{server.host}/api/camera/reads", json=body, headers=auth).status_code == 201
    assert server.ok("POST", f"/cameras/{camera['id']}/revoke")["active"] is False
    body["idempotency_key"] = "k2"
    refused = httpx.post(f"http://{server.host}/api/camera/reads", json=body, headers=auth)
    assert refused.status_code == 401 and refused.json()["error"]["message"] == "This camera token is not valid."
    assert server.ok("GET", "/tokens")["cameras"][0]["active"] is False


def test_a_display_account_follows_masked_boards_only(server: Server):
    server.ok("POST", "/users", {"username": "lobby", "name": "大厅屏", "role": "display", "password": PASSWORD})
    session = httpx.post(f"http://{server.host}/api/session", json={"username": "lobby", "password": PASSWORD})
    cookie = {"Cookie": f"board_session={session.cookies['board_session']}"}

    async def scenario() -> None:
        ws, answer = await subscribe(server.ws(), ["appointments_public", "welcome"], additional_headers=cookie)
        assert answer["type"] == "result"
        await ws.close()
        ws, answer = await subscribe(server.ws(), ["appointments"], additional_headers=cookie)
        assert answer["type"] == "error" and answer["code"] == "forbidden"
        await ws.close()

    asyncio.run(scenario())
