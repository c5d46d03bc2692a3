"""Optimistic locking at the edge of every edit: the client says which version it read."""

from __future__ import annotations

from typing import Any

from board.errors import StaleVersion


def check_version(row: Any, client_version: int, what: str) -> None:
    if row.version != client_version:
        raise StaleVersion(what, row.id, {"version": row.version})
