"""One unit of work for one shop: a transaction, its live-board deltas, and the notice after commit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import select

from board.auth.principal import Principal
from board.clock import Clock
from board.db.models import Shop
from board.db.session import Database
from board.errors import NotFound
from board.live import outbox
from board.services.context import Changed, Ctx
from board.settings import Settings


class UnitOfWork:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        # Told after a commit that changed a board (the live relay listens here).
        self.on_commit: Callable[[Changed], None] = lambda _changed: None

    @contextmanager
    def shop(self, shop: str | int, actor: str, notify: bool = True, write: bool = True,
             principal: Principal | None = None) -> Iterator[Ctx]:
        """``write``: the transaction locks the shop's row first, so writes to one shop queue up in one
        order and can never deadlock one another. ``notify=False``: the caller publishes ``ctx.changed`` itself."""
        with self.db.transaction(write=write) as session:
            query = select(Shop).where(Shop.code == shop if isinstance(shop, str) else Shop.id == shop)
            row = session.scalar(query.with_for_update() if write else query)
            if row is None:
                raise NotFound("shop", shop)
            ctx = Ctx(session, row, self.clock.now(), actor, self.settings, principal=principal)
            yield ctx
            if ctx.events:
                outbox.stage(ctx)
        if ctx.staged or ctx.reset_boards:
            ctx.changed = Changed(row.id, None if ctx.reset_boards else list(ctx.staged))
            if notify:
                self.on_commit(ctx.changed)
