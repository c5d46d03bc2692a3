"""Who a request or a websocket comes from: a signed-in person (session cookie) or a wall display
(kiosk token). Lookups run in a worker thread; sessions keep real time, not the shop's clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from starlette.requests import HTTPConnection

from board.auth.principal import Principal
from board.auth.sessions import Lifetime
from board.clock import wall_clock
from board.db.session import Database
from board.edge import cookies
from board.errors import NotAuthenticated
from board.services import login_sessions, tokens, users
from board.settings import Settings


@dataclass(frozen=True)
class Identity:
    principal: Principal
    csrf: str  # the session's secret every write must repeat


class Identities:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.lifetime = Lifetime(timedelta(hours=settings.session_hours), timedelta(days=settings.session_max_days))

    def signed_in(self, conn: HTTPConnection) -> Identity | None:
        """The person this request's session cookie names, if the session still stands (its use slides it on)."""
        token = cookies.session_token(conn)
        if not token:
            return None
        now = wall_clock()
        with self.db.transaction() as session:
            found = login_sessions.find(session, token, now, self.lifetime)
            if found is None:
                return None
            row, user = found
            identity = Identity(users.principal_of(user, row.id), row.csrf)
            touch = self.lifetime.needs_touch(row.seen_at, now)
        if touch:  # its use moves the session's end on (a write, at most once a minute)
            with self.db.transaction(write=True) as session:
                login_sessions.touch(session, row.id, now)
        return identity

    def kiosk(self, token: str | None) -> Principal | None:
        if not token:
            return None
        with self.db.transaction() as session:
            return tokens.display_principal(session, token)

    def ended(self, session_ids: set[int], token_ids: set[int]) -> tuple[set[int], set[int]]:
        """Of these sessions and kiosk tokens, the ones that no longer stand."""
        with self.db.transaction() as session:
            return (login_sessions.ended_among(session, session_ids, wall_clock(), self.lifetime),
                    tokens.revoked_among(session, token_ids))


def required(identity: Identity | None) -> Identity:
    if identity is None:
        raise NotAuthenticated("Please sign in first (POST /api/session, or the page /login).", "请先登录。")
    return identity
