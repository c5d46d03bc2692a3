"""The event log is append-only: the ORM refuses to update or delete an event."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from board.db.models import Event


@event.listens_for(Session, "before_flush")
def _refuse_event_edits(session: Session, _context: Any, _instances: Any) -> None:
    for row in list(session.dirty) + list(session.deleted):
        if isinstance(row, Event) and (row in session.deleted or session.is_modified(row)):
            raise RuntimeError("the event log is append-only")
