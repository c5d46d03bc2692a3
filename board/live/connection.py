"""One display's websocket: messages written at once when the socket takes them, queued (bounded)
behind a slow one, replaced by one fresh snapshot when it falls behind, cut off when it is stuck."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from starlette.websockets import WebSocket

from board.auth.principal import Principal
from board.live.channel import Channel

log = logging.getLogger("board.live.connection")

QUEUE_LIMIT = 100  # messages waiting for one display
SEND_TIMEOUT = 10.0  # one message not taken this long: the display is stuck
STUCK_AFTER = 3  # resyncs within STUCK_WINDOW: the display cannot keep up and is cut off
STUCK_WINDOW = 60.0


_RESYNC = object()


class Connection:
    """One display's websocket.

    Fast path: when nothing is waiting for this display, a message is written at once, in the
    fan-out loop itself (the socket takes it without suspending, as ``websockets.broadcast``
    does). Slow path: if the socket is not writable the send is finished by a task, and later
    messages wait in a bounded queue behind it, in order.
    """

    def __init__(self, ws: WebSocket, principal: Principal, on_close: Callable[[Connection], None]) -> None:
        self.ws = ws
        self.on_close = on_close  # the hub forgets it
        self.principal = principal
        self.queue: deque[object] = deque()
        self.channels: dict[str, Channel] = {}
        self.resyncs: deque[float] = deque(maxlen=STUCK_AFTER)
        self.closed = False
        self.busy: asyncio.Task[None] | None = None
        # When the display last acknowledged a heartbeat: a display that stops reading stops acknowledging,
        # however much the kernel's socket buffers still take.
        self.heard_at = time.monotonic()

    def offer(self, item: object) -> None:
        if self.closed:
            return
        if self.busy is None:
            self._write(item)
        elif len(self.queue) < QUEUE_LIMIT:
            self.queue.append(item)
        else:
            self._fell_behind()

    def _texts(self, item: object) -> list[str]:
        return [ch.snapshot_text() for ch in self.channels.values()] if item is _RESYNC else [item]  # type: ignore[list-item]

    def _write(self, item: object) -> None:
        texts = self._texts(item)
        for n, text in enumerate(texts):
            send = self.ws.send_text(text)
            try:
                waiting = send.send(None)  # runs the send until it would have to wait
            except StopIteration:
                continue  # written
            except Exception:
                self.closed = True  # the socket went away: the receive side drops us
                return
            self.queue.extendleft(reversed(texts[n + 1 :]))
            self.busy = asyncio.get_running_loop().create_task(self._finish(send, waiting))
            return

    async def _finish(self, send: Any, waiting: Any) -> None:
        """Drive a suspended send to its end, then drain the queue in order; cut off if stuck."""
        try:
            async with asyncio.timeout(SEND_TIMEOUT):
                while True:
                    await asyncio.wait([waiting])
                    try:
                        waiting = send.send(None)
                    except StopIteration:
                        break
                while self.queue:
                    for text in self._texts(self.queue.popleft()):
                        await self.ws.send_text(text)
        except TimeoutError:
            send.close()
            log.warning("display stopped reading; disconnecting it", extra={"client": self.client})
            self.cut_off()
            return
        except Exception:
            self.closed = True
            return
        self.busy = None

    def _fell_behind(self) -> None:
        now = time.monotonic()
        self.resyncs.append(now)
        if len(self.resyncs) == STUCK_AFTER and now - self.resyncs[0] < STUCK_WINDOW:
            log.warning("display cannot keep up; disconnecting it", extra={"client": self.client})
            self.cut_off()
            return
        self.queue.clear()
        self.queue.append(_RESYNC)

    @property
    def client(self) -> str:
        c = self.ws.client
        return f"{c.host}:{c.port}" if c else "?"

    def stop(self) -> None:
        if self.busy is not None:
            self.busy.cancel()

    def cut_off(self, code: int = 1013, reason: str = "too slow") -> None:
        self.closed = True
        self.on_close(self)
        asyncio.get_running_loop().create_task(self._close(code, reason))

    def refuse(self) -> None:
        """Its kiosk token was revoked or its user signed out everywhere: close with 4403."""
        self.closed = True
        self.on_close(self)
        asyncio.get_running_loop().create_task(self._close(4403, "no longer authorised"))

    async def _close(self, code: int = 1013, reason: str = "too slow") -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.ws.close(code=code, reason=reason), 5)
