"""How board runs under uvicorn: one place for the server settings every entry point uses."""

from __future__ import annotations

from typing import Any

import uvicorn


def uvicorn_config(app: Any, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        # The sans-I/O protocol writes a frame at once when the socket can take it, so fanning a
        # delta out to a thousand displays costs about what websockets.broadcast() costs.
        ws="websockets-sansio",
        # Compression costs each display a zlib context (~64 KiB) for small JSON deltas.
        ws_per_message_deflate=False,
        # Dead displays are found by ping within about 45 s.
        ws_ping_interval=15.0,
        ws_ping_timeout=30.0,
        lifespan="on",
    )
