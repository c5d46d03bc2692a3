"""Sign-in sessions kept on the server: the cookie carries a random token, the database its hash.

Every request looks its session up (one indexed read), so signing out, a new password, a new role
or a disabled account end every session of that person at once, open websockets included.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from board.auth.sessions import Lifetime
from board.db.models import LoginSession, User
from board.services.cameras import token_hash


def start(session: Session, user: User, now: datetime, address: str) -> tuple[str, LoginSession]:
    """A new session for ``user``: the token (for the cookie, shown only now) and its row."""
    token = "s_" + secrets.token_urlsafe(32)
    row = LoginSession(token_hash=token_hash(token), user_id=user.id, csrf=secrets.token_urlsafe(24), created_at=now, seen_at=now,
                       address=address[:64])
    session.add(row)
    session.flush()
    return token, row


def find(session: Session, token: str | None, now: datetime, lifetime: Lifetime) -> tuple[LoginSession, User] | None:
    """The session and its active user if the token names one still standing."""
    if not token or len(token) > 200:
        return None
    found = session.execute(select(LoginSession, User).join(User, User.id == LoginSession.user_id)
                            .where(LoginSession.token_hash == token_hash(token))).first()
    if found is None:
        return None
    row, user = found
    if not user.active or lifetime.expired(row.created_at, row.seen_at, now):
        return None
    return row, user


def touch(session: Session, session_id: int, now: datetime) -> None:
    """A use of the session: its idle time starts again (the expiry slides)."""
    session.execute(update(LoginSession).where(LoginSession.id == session_id).values(seen_at=now))


def end(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(LoginSession).where(LoginSession.token_hash == token_hash(token)))


def end_all(session: Session, user_id: int) -> int:
    """Sign a person out everywhere (a new password, a new role, a disabled account)."""
    return session.execute(delete(LoginSession).where(LoginSession.user_id == user_id)).rowcount or 0  # type: ignore[attr-defined]


def ended_among(session: Session, ids: set[int], now: datetime, lifetime: Lifetime) -> set[int]:
    """Which of these sessions no longer stand (the live hub closes their websockets)."""
    if not ids:
        return set()
    standing = session.execute(select(LoginSession.id, LoginSession.created_at, LoginSession.seen_at, User.active)
                               .join(User, User.id == LoginSession.user_id).where(LoginSession.id.in_(ids)))
    alive = {sid for sid, created, seen, active in standing if active and not lifetime.expired(created, seen, now)}
    return ids - alive


def purge(session: Session, now: datetime, lifetime: Lifetime) -> int:
    """Forget sessions that have ended by time (run now and then by the scheduler)."""
    cutoff_seen, cutoff_created = now - lifetime.idle, now - lifetime.max_age
    result = session.execute(delete(LoginSession).where((LoginSession.seen_at <= cutoff_seen) | (LoginSession.created_at <= cutoff_created)))
    return result.rowcount or 0  # type: ignore[attr-defined]
