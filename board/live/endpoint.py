"""The websocket endpoint ``/live``: client messages in, the hub's messages out (docs/live.md)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from board.edge.csrf import same_origin
from board.edge.identity import Identities
from board.live import protocol
from board.live.connection import Connection
from board.live.hub import BoardUnavailable, Hub
from board.live.protocol import ProtocolError
from board.settings import Settings


class MessageRate:
    """A token bucket per connection: a display sends a few messages a minute; a flood is cut off."""

    def __init__(self, per_s: float) -> None:
        self.per_s, self.burst = per_s, max(per_s * 2, 10.0)
        self.tokens, self.at = self.burst, time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.per_s)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


async def live_socket(ws: WebSocket) -> None:
    """A signed-in person (session cookie) or a wall display (``?token=``); a page of another site never."""
    hub: Hub = ws.app.state.hub
    settings: Settings = ws.app.state.settings
    identities: Identities = ws.app.state.identities
    if not same_origin(ws, settings.allowed_origins):
        await ws.close(code=4403, reason="foreign origin")  # before accepting: the handshake is refused (403)
        return
    token = ws.query_params.get("token")
    if token:
        principal = await asyncio.to_thread(identities.kiosk, token)
    else:
        identity = await asyncio.to_thread(identities.signed_in, ws)
        principal = identity.principal if identity else None
    await ws.accept()
    if principal is None:
        # Accepted first so the page learns why (4401) and says so instead of retrying blindly.
        await ws.close(code=4401, reason="token revoked or not signed in")
        return
    conn = hub.connect(ws, principal)
    rate = MessageRate(settings.ws_messages_per_s)
    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            if not rate.take():
                await ws.close(code=1008, reason="too many messages")
                break
            try:
                await _handle(hub, conn, message.get("text"))
            except BoardUnavailable:
                await ws.close(code=1013, reason="board unavailable; try again")
                break
    except WebSocketDisconnect:
        pass
    finally:
        hub.drop(conn)


def _strings(value: Any, field: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProtocolError("bad_request", f"'{field}' must be a list of board names.", f"「{field}」必须是看板名称列表。")
    return value


async def _handle(hub: Hub, conn: Connection, text: str | None) -> None:
    msg_id: Any = None
    try:
        try:
            msg = json.loads(text or "")
        except (ValueError, RecursionError):
            raise ProtocolError("bad_json", "Messages must be JSON text (and not nested deeply).", "消息必须是 JSON 文本。") from None
        if not isinstance(msg, dict) or "type" not in msg or "id" not in msg:
            raise ProtocolError("bad_request", "Every message needs an 'id' and a 'type'.", "每条消息都需要 id 和 type。")
        msg_id = msg["id"]
        kind = msg["type"]
        if kind == "subscribe":
            if not isinstance(msg.get("shop"), str):
                raise ProtocolError("bad_request", "'shop' must be a shop code.", "「shop」必须是门店代码。")
            resume = msg.get("resume") or {}
            if not isinstance(resume, dict):
                raise ProtocolError("bad_request", "'resume' maps a board to its epoch and seq.", "「resume」格式有误。")
            boards = _strings(msg.get("boards"), "boards")
            heads = await hub.subscribe(conn, msg["shop"], boards, resume)
            conn.offer(protocol.result(msg_id, heads=heads))
        elif kind == "unsubscribe":
            hub.unsubscribe(conn, _strings(msg.get("boards"), "boards"))
            conn.offer(protocol.result(msg_id))
        elif kind == "ack":  # the display has read up to here: it is still reading (answered with nothing)
            conn.heard_at = time.monotonic()
        elif kind == "ping":
            conn.offer(protocol.result(msg_id, now=hub.uow.clock.now().isoformat(timespec="seconds")))
        else:
            raise ProtocolError("unknown_type", f"Unknown message type {kind!r}.", f"未知的消息类型 {kind!r}。")
    except ProtocolError as err:
        conn.offer(protocol.error(msg_id, err))
