"""Kiosk tokens of the wall displays and the gate cameras' tokens: issued once, kept hashed, revocable."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from board import commands
from board.auth.principal import Principal
from board.auth.roles import Role, kiosk_board
from board.context import Ctx
from board.db.models import Camera, DisplayToken
from board.errors import Conflict
from board.services.cameras import token_hash


def serialize(row: DisplayToken) -> dict[str, Any]:
    return {"id": row.id, "kind": "display", "board": row.board, "name": row.name, "masked": row.masked, "created_by": row.created_by,
            "created_at": row.created_at.isoformat(timespec="seconds"),
            "revoked_at": row.revoked_at.isoformat(timespec="seconds") if row.revoked_at else None}


def add_display_token(ctx: Ctx, data: commands.DisplayTokenIn) -> tuple[DisplayToken, str]:
    token = "d_" + secrets.token_urlsafe(32)
    # Reception and welcome boards are public: always masked. A workshop TV masks when asked to.
    masked = data.masked or data.board != "workshop"
    row = DisplayToken(shop_id=ctx.shop.id, board=data.board, name=data.name, token_hash=token_hash(token), masked=masked,
                       created_at=ctx.now, created_by=ctx.actor)
    ctx.session.add(row)
    ctx.session.flush()
    ctx.record("display_token", row.id, "created", None, {"board": row.board, "name": row.name, "masked": row.masked})
    return row, token


def list_tokens(ctx: Ctx) -> dict[str, list[dict[str, Any]]]:
    displays = ctx.session.scalars(select(DisplayToken).where(DisplayToken.shop_id == ctx.shop.id).order_by(DisplayToken.id))
    cameras = ctx.session.scalars(select(Camera).where(Camera.shop_id == ctx.shop.id).order_by(Camera.id))
    return {"displays": [serialize(d) for d in displays],
            "cameras": [{"id": c.id, "kind": "camera", "name": c.name, "min_confidence": c.min_confidence, "active": c.active} for c in cameras]}


def revoke_display_token(ctx: Ctx, token_id: int) -> DisplayToken:
    row = ctx.get(DisplayToken, token_id, "display token")
    if row.revoked_at is not None:
        raise Conflict("This display token was already revoked.", "该显示屏令牌已被吊销。")
    row.revoked_at = ctx.now
    ctx.record("display_token", row.id, "revoked", None, {"board": row.board, "name": row.name})
    return row


def revoke_camera(ctx: Ctx, camera_id: int) -> Camera:
    camera = ctx.get(Camera, camera_id, "camera")
    if not camera.active:
        raise Conflict("This camera's token was already revoked.", "该摄像头令牌已被吊销。")
    camera.active = False
    ctx.record("camera", camera.id, "revoked", None, {"name": camera.name})
    return camera


def display_principal(session: Session, token: str) -> Principal | None:
    """The read-only display a kiosk token stands for, or None if unknown or revoked."""
    row = session.scalar(select(DisplayToken).where(DisplayToken.token_hash == token_hash(token)))
    if row is None or row.revoked_at is not None:
        return None
    return Principal(role=Role.DISPLAY, name=f"display:{row.name}"[:60], shop_id=row.shop_id, token_id=row.id,
                     board=kiosk_board(row.board, row.masked))


def revoked_among(session: Session, token_ids: set[int]) -> set[int]:
    """Which of these kiosk tokens are no longer valid (the live hub drops their displays)."""
    if not token_ids:
        return set()
    rows = session.scalars(select(DisplayToken.id).where(DisplayToken.id.in_(token_ids), DisplayToken.revoked_at.is_not(None)))
    return set(rows)

