"""One unit of work for one shop: a transaction, its live-board deltas, and the one road from the
commit to the screens.

Every caller — an API request, the scheduler, the demo's simulator, the hub loading a board —
commits through ``shop()``, and every commit that changed a board is handed to ``committed`` (the
live publisher, board/live/publisher.py), in the committing thread, once the transaction is durable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import select

from board.auth.principal import Principal
from board.boards import outbox
from board.boards.outbox import Committed
from board.clock import Clock
from board.context import Ctx
from board.db.models import Shop
from board.db.session import Database
from board.errors import NotFound
from board.settings import Settings


class UnitOfWork:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        # Told after each commit that changed a board; nothing is listening outside a server (the CLI):
        # a server's outbox sweep publishes those changes when it next runs.
        self.committed: Callable[[Committed], None] = lambda _committed: None

    @contextmanager
    def shop(self, shop: str | int, actor: str, write: bool = True, principal: Principal | None = None) -> Iterator[Ctx]:
        """``write``: the transaction locks the shop's row first, so writes to one shop queue up in one
        order and can never deadlock one another (a backlog resuming at once included)."""
        with self.db.transaction(write=write) as session:
            query = select(Shop).where(Shop.code == shop if isinstance(shop, str) else Shop.id == shop)
            row = session.scalar(query.with_for_update() if write else query)
            if row is None:
                raise NotFound("shop", shop)
            ctx = Ctx(session, row, self.clock.now(), actor, self.settings, principal=principal)
            yield ctx
            if ctx.events:
                outbox.stage(ctx)
            staging = outbox.staging(session)
        if staging.staged or staging.reset:
            self.committed(Committed(row.id, None if staging.reset else list(staging.staged)))
