"""The floor of bench/fanout.py: a bare ``websockets`` server that broadcast()s each payload it is
told to, to every connected client. Whatever board adds on top is measured against this."""

from __future__ import annotations

import asyncio
import sys

from websockets.asyncio.server import ServerConnection, broadcast, serve

clients: set[ServerConnection] = set()


async def handler(ws: ServerConnection) -> None:
    first = await ws.recv()
    if first == "publisher":
        async for payload in ws:  # the writer: each message is sent to every display
            broadcast(clients, payload)
        return
    clients.add(ws)
    try:
        await ws.send('{"type":"hello"}')
        await ws.wait_closed()
    finally:
        clients.discard(ws)


async def main(port: int) -> None:
    async with serve(handler, "127.0.0.1", port, compression=None, max_size=2**24, ping_interval=None):
        print("LISTENING", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
