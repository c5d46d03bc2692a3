"""Which database errors mean "not now" (503, try again) rather than a fault in the request or the code."""

from __future__ import annotations

from sqlalchemy import exc

from board.errors import Unavailable


def as_unavailable(error: BaseException) -> Unavailable | None:
    """A timeout, a lost or refused connection, a lock not granted, a deadlock: the database, not the request."""
    if isinstance(error, (exc.OperationalError, exc.TimeoutError, exc.DisconnectionError)):
        return Unavailable()
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return Unavailable()
    return None
