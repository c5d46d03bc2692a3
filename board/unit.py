"""One unit of work for one shop: a transaction, its live-board deltas, and the notice after commit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import select

from board.clock import Clock
from board.db.models import Shop
from board.db.session import Database
from board.errors import NotFound
from board.live import outbox
from board.services.context import Ctx
from board.settings import Settings


class UnitOfWork:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        # Told the shop id after a commit that changed a board (the live relay listens here).
        self.on_commit: Callable[[int], None] = lambda _shop_id: None

    @contextmanager
    def shop(self, shop: str | int, actor: str, notify: bool = True) -> Iterator[Ctx]:
        """``notify=False``: the caller publishes itself (``ctx.live_changed`` says whether to)."""
        with self.db.transaction() as session:
            query = select(Shop).where(Shop.code == shop if isinstance(shop, str) else Shop.id == shop)
            row = session.scalar(query)
            if row is None:
                raise NotFound("shop", shop)
            ctx = Ctx(session, row, self.clock.now(), actor, self.settings)
            yield ctx
            changed = outbox.stage(ctx) if ctx.events else []
        ctx.live_changed = bool(changed or ctx.reset_boards)
        if ctx.live_changed and notify:
            self.on_commit(row.id)
