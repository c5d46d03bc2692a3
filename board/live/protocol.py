"""The live protocol's messages (see docs/live.md). Server messages are built as text once and
shared by every display that receives them."""

from __future__ import annotations

import json
from typing import Any

from board.boards.diff import State

PROTOCOL_VERSION = 1


class ProtocolError(Exception):
    """A client message the server cannot act on: answered with an error, the connection stays."""

    def __init__(self, code: str, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.code, self.message, self.message_zh = code, message, message_zh


def dumps(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def snapshot(board: str, epoch: int, seq: int, state: State) -> str:
    return dumps({"type": "snapshot", "board": board, "epoch": epoch, "seq": seq, "state": state})


def delta(board: str, epoch: int, seq: int, changes_json: str) -> str:
    # Spliced as text: the changes arrive from the broker already encoded.
    return f'{{"type":"delta","board":{json.dumps(board)},"epoch":{epoch},"seq":{seq},"changes":{changes_json}}}'


def heartbeat(heads: dict[str, dict[str, int]], now: str) -> str:
    return dumps({"type": "heartbeat", "heads": heads, "now": now})


def result(msg_id: Any, **fields: Any) -> str:
    return dumps({"type": "result", "id": msg_id, "ok": True, **fields})


def error(msg_id: Any, err: ProtocolError) -> str:
    return dumps({"type": "error", "id": msg_id, "code": err.code, "message": err.message, "message_zh": err.message_zh})
