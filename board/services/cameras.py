"""Gate cameras: registering one (its token shown once, kept hashed) and taking its reads.

A read is matched like a greeter's typing. A sure read (an accepting match at or above the
camera's confidence threshold) confirms the arrival by itself; anything less only suggests to
the greeter. A repeated read (same camera, same idempotency key) changes nothing and gets the
first answer again.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from board import commands
from board.context import Ctx
from board.db.models import Camera, CameraRead
from board.domain.matching import Decision
from board.errors import Forbidden, NotAuthenticated
from board.services import arrivals

SUGGESTIONS_FOR = timedelta(minutes=30)


def token_hash(token: str) -> str:
    # Tokens are 256 random bits: a plain SHA-256 is enough to keep them unusable if read from the database.
    return hashlib.sha256(token.encode()).hexdigest()


def add_camera(ctx: Ctx, data: commands.CameraIn) -> tuple[Camera, str]:
    token = secrets.token_urlsafe(32)
    camera = Camera(shop_id=ctx.shop.id, name=data.name, token_hash=token_hash(token), min_confidence=data.min_confidence)
    ctx.session.add(camera)
    ctx.session.flush()
    ctx.record("camera", camera.id, "created", None, {"name": camera.name, "min_confidence": camera.min_confidence})
    return camera, token


def authenticate(session: Session, authorization: str | None) -> Camera:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise NotAuthenticated("A camera must send its token: Authorization: Bearer <token>.", "摄像头必须携带令牌。")
    camera = session.scalar(select(Camera).where(Camera.token_hash == token_hash(token.strip())))
    if camera is None or not camera.active:
        raise NotAuthenticated("This camera token is not valid.", "摄像头令牌无效。")
    return camera


def take_read(ctx: Ctx, camera: Camera, data: commands.CameraReadIn) -> tuple[bool, dict[str, Any]]:
    """Returns (new, answer): a repeat of an earlier read gets the earlier answer."""
    if data.camera_id != camera.id:
        raise Forbidden(f"This token belongs to camera {camera.id}, not {data.camera_id}.", "令牌与摄像头编号不符。")
    earlier = ctx.session.scalar(select(CameraRead).where(CameraRead.camera_id == camera.id, CameraRead.idempotency_key == data.idempotency_key))
    if earlier is not None:
        return False, earlier.result
    read_at = data.time if data.time.tzinfo else data.time.replace(tzinfo=ctx.zone)
    result, rows = arrivals.match_reading(ctx, data.plate, None)
    answer = arrivals.describe(result, rows)
    sure = data.confidence >= camera.min_confidence
    arrival_id = None
    if answer["decision"] == Decision.ACCEPT.value and sure:
        arrival = arrivals.confirm(ctx, answer["accepted"], source="camera", at=min(read_at, ctx.now))
        arrival_id = arrival.id
        answer["confirmed"] = True
    else:
        answer["confirmed"] = False
        answer["suggestion"] = True  # the greeter decides
    answer["arrival_id"] = arrival_id
    answer["low_confidence"] = not sure
    ctx.session.add(CameraRead(
        shop_id=ctx.shop.id, camera_id=camera.id, idempotency_key=data.idempotency_key, plate=data.plate[:40],
        confidence=data.confidence, read_at=read_at, received_at=ctx.now, result=answer, arrival_id=arrival_id,
    ))
    ctx.session.flush()
    return True, answer


def suggestions(ctx: Ctx) -> list[dict[str, Any]]:
    """Recent reads the camera could not settle by itself, newest first, for the greeter."""
    rows = ctx.session.scalars(
        select(CameraRead)
        .where(CameraRead.shop_id == ctx.shop.id, CameraRead.arrival_id.is_(None), CameraRead.received_at >= ctx.now - SUGGESTIONS_FOR)
        .order_by(CameraRead.received_at.desc())
    )
    return [{"read_id": r.id, "camera_id": r.camera_id, "confidence": r.confidence,
             "read_at": r.read_at.astimezone(ctx.zone).isoformat(timespec="seconds"), **r.result} for r in rows]




def purge_reads(ctx: Ctx) -> int:
    """Forget the gate's plate reads older than the kept hours (personal data, kept only as long as useful)."""
    cutoff = ctx.now - timedelta(hours=ctx.settings.camera_reads_keep_h)
    old = list(ctx.session.scalars(select(CameraRead).where(CameraRead.shop_id == ctx.shop.id, CameraRead.received_at < cutoff)))
    for read in old:
        ctx.session.delete(read)
    return len(old)
