"""Deltas written in the same transaction as the change that causes them.

``stage`` runs just before commit: it takes the shop's write lock, rebuilds the boards the
change can touch, diffs each against its last published state and writes the delta with the
board's next ``seq``. So a rolled-back change never produces a delta, and seqs follow commit
order even with several server processes. ``refresh`` starts a new epoch when the shop's day
has turned (the history resets: displays take a fresh snapshot).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from board.boards.diff import diff
from board.boards.specs import BOARDS, forget_reads
from board.context import Ctx
from board.db.models import LiveBoard, LiveOutbox, Shop


@dataclass(frozen=True)
class Staged:
    """A delta written by this transaction, ready to publish once it commits."""

    board: str
    epoch: int
    seq: int
    changes_json: str


@dataclass
class Staging:
    """What a transaction did to the live boards, kept on its session (``session.info``) until commit."""

    staged: list[Staged] = field(default_factory=list)  # deltas written, in order
    reset: list[str] = field(default_factory=list)  # boards started afresh (a new epoch)


@dataclass(frozen=True)
class Committed:
    """What a committed transaction did to a shop's live boards: its deltas, or None when a board
    started afresh (then the relay catches the broker up from the outbox)."""

    shop_id: int
    staged: list[Staged] | None


def staging(session: Session) -> Staging:
    found = session.info.get(STAGING)
    if found is None:
        found = session.info[STAGING] = Staging()
    assert isinstance(found, Staging)
    return found


STAGING = "board.staging"


@dataclass(frozen=True)
class Head:
    board: str
    epoch: int
    seq: int


def lock_shop(ctx: Ctx) -> None:
    """Serialise publishing per shop (PostgreSQL row lock; SQLite already holds its write lock)."""
    ctx.session.execute(select(Shop.id).where(Shop.id == ctx.shop.id).with_for_update())


def _new_epoch(previous: int) -> int:
    # Wall-clock milliseconds: still increasing if the database is rebuilt while Redis keeps streams.
    return max(time.time_ns() // 1_000_000, previous + 1)


def refresh(ctx: Ctx, name: str) -> LiveBoard:
    """The board's row, created or reset to a new epoch if it is missing or from another day."""
    row = ctx.session.scalar(select(LiveBoard).where(LiveBoard.shop_id == ctx.shop.id, LiveBoard.board == name))
    if row is not None and row.day == ctx.today:
        return row
    state = BOARDS[name].build(ctx)
    staging(ctx.session).reset.append(name)
    if row is None:
        row = LiveBoard(shop_id=ctx.shop.id, board=name, day=ctx.today, epoch=_new_epoch(0), seq=0, state=state)
        ctx.session.add(row)
    else:
        row.epoch, row.seq, row.day, row.state = _new_epoch(row.epoch), 0, ctx.today, state
        ctx.session.execute(delete(LiveOutbox).where(LiveOutbox.shop_id == ctx.shop.id, LiveOutbox.board == name))
    ctx.session.flush()
    return row


def stage(ctx: Ctx, names: Sequence[str] | None = None) -> list[str]:
    """Write the deltas of this transaction's changes (kept in its staging), or of the boards ``names``
    re-made as they stand now; returns the boards that changed."""
    if names is None:
        touched = {e.entity for e in ctx.events}
        names = [n for n, spec in BOARDS.items() if spec.depends_on & touched]
    if not names:
        return []
    lock_shop(ctx)
    forget_reads(ctx)  # reads shared by the boards are made after every change of the transaction
    changed = []
    for name in names:
        row = refresh(ctx, name)
        new_state = BOARDS[name].build(ctx)
        changes = diff(row.state, new_state)
        if not changes:
            continue
        row.seq += 1
        row.state = new_state
        ctx.session.add(LiveOutbox(shop_id=ctx.shop.id, board=name, epoch=row.epoch, seq=row.seq, kind="delta", changes=changes, created_at=ctx.now))
        staging(ctx.session).staged.append(Staged(name, row.epoch, row.seq, json.dumps(changes, ensure_ascii=False, separators=(",", ":"))))
        changed.append(name)
    ctx.session.flush()
    return changed


def roll_day(ctx: Ctx) -> list[str]:
    """Start a new epoch on every board whose day has passed (the scheduler calls this)."""
    stale = ctx.session.scalars(select(LiveBoard.board).where(LiveBoard.shop_id == ctx.shop.id, LiveBoard.day != ctx.today)).all()
    if stale:
        lock_shop(ctx)
        forget_reads(ctx)
        for name in stale:
            refresh(ctx, name)
    return list(stale)


def all_heads(session: Session) -> list[tuple[int, Head]]:
    """Every shop's board heads in one query (the relay's sweep)."""
    rows = session.execute(select(LiveBoard.shop_id, LiveBoard.board, LiveBoard.epoch, LiveBoard.seq))
    return [(shop_id, Head(b, e, s)) for shop_id, b, e, s in rows]


def heads(session: Session, shop_id: int) -> list[Head]:
    rows = session.execute(select(LiveBoard.board, LiveBoard.epoch, LiveBoard.seq).where(LiveBoard.shop_id == shop_id))
    return [Head(b, e, s) for b, e, s in rows]


def deltas_after(session: Session, shop_id: int, name: str, epoch: int, seq: int, limit: int = 500) -> list[tuple[int, dict[str, Any]]]:
    rows = session.execute(
        select(LiveOutbox.seq, LiveOutbox.changes)
        .where(LiveOutbox.shop_id == shop_id, LiveOutbox.board == name, LiveOutbox.epoch == epoch, LiveOutbox.seq > seq)
        .order_by(LiveOutbox.seq)
        .limit(limit)
    )
    return [(s, c or {}) for s, c in rows]


def prune(ctx: Ctx, keep: int = 2000) -> None:
    """Keep the last ``keep`` deltas per board: older ones are past any display's resume."""
    for head in heads(ctx.session, ctx.shop.id):
        ctx.session.execute(
            delete(LiveOutbox).where(
                LiveOutbox.shop_id == ctx.shop.id, LiveOutbox.board == head.board, LiveOutbox.seq <= head.seq - keep
            )
        )
