"""How board runs under uvicorn: one place for the server settings every entry point uses."""

from __future__ import annotations

import asyncio
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from board.settings import Settings


def guarded_http(header_timeout_s: float) -> type[H11Protocol]:
    """uvicorn's HTTP protocol, with a deadline for the request head: a connection that dribbles its
    headers in (slow-loris) is closed instead of being held open for ever."""

    class GuardedH11(H11Protocol):
        _head_timer: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            self._disarm()
            self._head_timer = self.loop.call_later(header_timeout_s, self._head_late)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_late(self) -> None:
            self._head_timer = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.close()  # no whole request head in time

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def handle_events(self) -> None:
            super().handle_events()
            if self.conn.their_state is not h11.IDLE:
                self._disarm()

        def handle_websocket_upgrade(self, event: h11.Request) -> None:
            self._disarm()
            super().handle_websocket_upgrade(event)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()  # the next request's head has the same deadline

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    return GuardedH11


def uvicorn_config(app: Any, host: str, port: int, settings: Settings | None = None) -> uvicorn.Config:
    settings = settings or Settings()
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        http=guarded_http(settings.header_timeout_s),
        timeout_keep_alive=int(settings.keepalive_timeout_s),
        # X-Forwarded-For and -Proto are believed from the proxies named in BOARD_TRUSTED_PROXIES only.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies) or None,
        # The sans-I/O protocol writes a frame at once when the socket can take it, so fanning a
        # delta out to a thousand displays costs about what websockets.broadcast() costs.
        ws="websockets-sansio",
        ws_max_size=settings.ws_max_message_bytes,
        # Compression costs each display a zlib context (~64 KiB) for small JSON deltas.
        ws_per_message_deflate=False,
        # Dead displays are found by ping within about 45 s.
        ws_ping_interval=15.0,
        ws_ping_timeout=30.0,
        lifespan="on",
    )
