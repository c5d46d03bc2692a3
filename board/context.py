"""What every service call works within: one transaction, one shop, one moment, one actor.

Deliberately lean: what the live boards need to remember about a transaction (its deltas, boards
started afresh, reads shared while rebuilding) lives with the session (board/boards/outbox.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.orm import Session

from board.auth.principal import Principal
from board.db.models import Base, Event, Shop
from board.errors import InvalidInput, NotFound
from board.settings import Settings
from board.versions import check_version

M = TypeVar("M", bound=Base)


@dataclass
class Ctx:
    session: Session
    shop: Shop
    now: datetime  # aware, UTC
    actor: str
    settings: Settings
    # Who asks; None for the scheduler, the demo and the CLI.
    principal: Principal | None = None
    events: list[Event] = field(default_factory=list)  # what this transaction appended to the event log

    @property
    def asker(self) -> Principal:
        """The person asking, in a route (the pipeline always sets one there)."""
        assert self.principal is not None, "a route's ctx has a principal"
        return self.principal

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.shop.timezone)

    @property
    def now_local(self) -> datetime:
        """Shop wall-clock time, naive: what the staff's watches say."""
        return self.now.astimezone(self.zone).replace(tzinfo=None)

    @property
    def today(self) -> date:
        return self.now_local.date()

    def local_to_utc(self, day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=self.zone)

    def get(self, model: type[M], ident: int, what: str) -> M:
        row = self.session.get(model, ident)
        if row is None or getattr(row, "shop_id", None) != self.shop.id:
            raise NotFound(what, ident)
        return row

    def edit(self, model: type[M], ident: int, what: str, client_version: int) -> M:
        """A row about to be changed: it must be in this shop and at the version the client read."""
        row = self.get(model, ident, what)
        check_version(row, client_version, what)
        return row

    def ref(self, model: type[M], ident: int, field: str, what: str) -> M:
        """A row a request body names: a 422 on that field when it is not in this shop
        (a row the path names is ``get``: a 404)."""
        row = self.session.get(model, ident)
        if row is None or getattr(row, "shop_id", None) != self.shop.id:
            raise InvalidInput.one(field, f"no {what} with id {ident} in this shop")
        return row

    def check_ref(self, model: type[Base], ident: int | None, field: str, what: str) -> None:
        """``ref`` for an optional field, when only its existence matters."""
        if ident is not None:
            self.ref(model, ident, field, what)

    def record(
        self,
        entity: str,
        entity_id: int,
        action: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        reason: str = "",
    ) -> Event:
        """Append one change to the event log, in the same transaction as the change."""
        event = Event(
            shop_id=self.shop.id,
            at=self.now,
            actor=self.actor,
            entity=entity,
            entity_id=entity_id,
            action=action,
            before=before,
            after=after,
            reason=reason,
        )
        self.session.add(event)
        self.events.append(event)
        return event

    def record_many(self, entity: str, action: str, changes: list[tuple[int, dict[str, Any]]]) -> None:
        """Append one event per (entity id, after) in one bulk INSERT (a big import). ``events``
        gets the first of them only: what is read from it is which kinds of rows changed."""
        rows = [{"shop_id": self.shop.id, "at": self.now, "actor": self.actor, "entity": entity, "entity_id": ident,
                 "action": action, "before": None, "after": after, "reason": ""} for ident, after in changes]
        if not rows:
            return
        self.session.execute(insert(Event), rows)
        self.events.append(Event(**rows[0]))


def snapshot(row: Base, fields: list[str]) -> dict[str, Any]:
    """The named fields of a row as JSON-ready values, for an event's before/after."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(row, name)
        if isinstance(value, (datetime, date, time)):
            value = value.isoformat()
        out[name] = value
    return out
