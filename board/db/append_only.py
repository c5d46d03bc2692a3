"""The event log is append-only: the ORM refuses to update or delete an event.

Registered by ``Database`` on every session it makes, so the CLI and the demo keep the rule too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from board.db.models import Event


def refuse_event_edits(session: Session, _context: Any, _instances: Any) -> None:
    for row in list(session.dirty) + list(session.deleted):
        if isinstance(row, Event) and (row in session.deleted or session.is_modified(row)):
            raise RuntimeError("the event log is append-only")
