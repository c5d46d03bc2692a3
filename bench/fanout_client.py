"""The displays of bench/fanout.py, in their own process: N websocket clients that record when
each numbered message arrives (deltas numbered in the order they come, leaving out those that only
move plan blocks: the planning loop's, not a timed write's). Prints READY once all are subscribed; on a line STOP from stdin,
prints every arrival as JSON and exits."""

from __future__ import annotations

import asyncio
import json
import sys
import time

from websockets.asyncio.client import connect


def _plan_only(changes: dict) -> bool:
    """A delta that only moves plan blocks (keys p…) or the board's heading (_meta)."""
    keys = changes.get("set", {})
    return bool(keys) and not changes.get("del") and all(k[0] in "p_" for k in keys)


async def display(url: str, hello: str, arrivals: dict[int, list[float]], ready: asyncio.Event, counter: list[int], total: int) -> None:
    async with connect(url, compression=None, max_size=2**24, open_timeout=60, ping_interval=None) as ws:
        await ws.send(hello)
        first = True
        writes = 0
        async for raw in ws:
            now = time.monotonic()
            head = raw[:80] if isinstance(raw, str) else ""
            if '"type":"bcast"' in head:
                arrivals.setdefault(json.loads(raw)["seq"], []).append(now)
            elif '"type":"delta"' in head:
                changes = json.loads(raw)["changes"]
                if _plan_only(changes):
                    continue  # the planning loop's better plan: not one of the writes being timed
                arrivals.setdefault(writes, []).append(now)  # the n-th write's delta, as every display sees them in order
                writes += 1
            elif '"type":"heartbeat"' in head:
                await ws.send('{"id":0,"type":"ack"}')  # a display that reads acknowledges, or the server cuts it off
            elif first and ('"type":"snapshot"' in head or '"type":"hello"' in head):
                first = False
                counter[0] += 1
                if counter[0] == total:
                    ready.set()


async def main(url: str, count: int, hello: str) -> None:
    arrivals: dict[int, list[float]] = {}
    ready = asyncio.Event()
    counter = [0]
    tasks = []
    for start in range(0, count, 100):  # connect in waves, as a room of screens coming on would
        tasks += [asyncio.create_task(display(url, hello, arrivals, ready, counter, count)) for _ in range(start, min(start + 100, count))]
        await asyncio.sleep(0.05)
    await asyncio.wait_for(ready.wait(), 120)
    print("READY", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    print(json.dumps({str(k): v for k, v in arrivals.items()}), flush=True)
    for t in tasks:
        t.cancel()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
