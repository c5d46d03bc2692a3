"""Signing in, for the login form and ``POST /api/session`` alike.

A try is counted first (board/auth/throttle.py, in the database: every process sees it), then the
password is checked on the hashing pool outside any transaction, then the session is written.
A counter the database has found over its limit is remembered here until its window ends, so a
storm of tries from a locked-out address is refused without a database write each (the answer is
the one the database would give: the window does not move while a counter is over), and answered
a second late, so that a client trying again at once cannot flood the server.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from board.auth import throttle
from board.auth.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from board.clock import wall_clock
from board.db.models import User
from board.db.session import Database
from board.edge.hashing import HashPool
from board.errors import NotAuthenticated, TooManyAttempts, Unavailable
from board.services import login_attempts, login_sessions, users
from board.settings import Settings

log = logging.getLogger("board.auth")
LOCKED_KEPT = 10_000  # remembered locked counters before the expired ones are swept
TARPIT_S = 1.0  # how late a refused try is answered
TARPIT_MAX = 512  # refused tries held at once (coroutines asleep: cheap); more are answered at once


@dataclass(frozen=True)
class SignedIn:
    token: str  # for the cookie; the server keeps only its hash
    body: dict[str, Any]  # what POST and GET /api/session answer


def session_body(session: Session, user: User, csrf: str) -> dict[str, Any]:
    """The one shape of "who am I": the same after signing in and on every later GET."""
    return {"user_id": user.id, "username": user.username, "name": user.name, "role": user.role.value,
            "shop": users.shop_code(session, user.shop_id), "shop_id": user.shop_id,
            "technician_id": user.technician_id, "advisor_id": user.advisor_id, "csrf_token": csrf}


class SignIn:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.pool = HashPool(settings.login_hash_workers, settings.login_hash_queue)
        self.locked: dict[str, float] = {}  # counter key -> monotonic time its window ends
        self.held = 0  # refused tries being answered late

    def _take(self, counters: list[tuple[str, int]]) -> float:
        with self.db.transaction(write=True) as session:
            over = login_attempts.over(session, counters, wall_clock(), throttle.WINDOW_S)
        now = time.monotonic()
        if len(self.locked) > LOCKED_KEPT:
            self.locked = {k: until for k, until in self.locked.items() if until > now}
        for key, wait in over.items():
            self.locked[key] = now + wait
        return max(over.values(), default=0.0)

    async def _slow_down(self) -> None:
        """Answer a refused try a little late: a client that ignores Retry-After and tries again at
        once (a storm, a script) then costs the server a few tries a second, not a thousand, and
        everyone else's pages stay quick. Only so many are held; the rest are answered at once."""
        if self.held >= TARPIT_MAX:
            return
        self.held += 1
        try:
            await asyncio.sleep(TARPIT_S)
        finally:
            self.held -= 1

    def _known_locked(self, counters: list[tuple[str, int]]) -> float:
        """Seconds until the last of this try's counters known to be over its limit frees (0: none)."""
        now = time.monotonic()
        return max((self.locked.get(key, now) - now for key, _limit in counters), default=0.0)

    def _give_back(self, counters: list[tuple[str, int]]) -> None:
        with self.db.transaction(write=True) as session:
            login_attempts.give_back(session, counters)

    def _record(self, username: str) -> tuple[int, str, bool] | None:
        with self.db.transaction() as session:
            return users.login_record(session, username)

    def _start(self, user_id: int, new_hash: str | None, address: str, counters: list[tuple[str, int]]) -> SignedIn:
        with self.db.transaction(write=True) as session:
            user = session.get(User, user_id)
            if user is None or not user.active:
                raise NotAuthenticated("The username or password is wrong.", "用户名或密码错误。")
            if new_hash is not None:
                user.password_hash = new_hash
            token, row = login_sessions.start(session, user, wall_clock(), address)
            login_attempts.give_back(session, counters)
            return SignedIn(token, session_body(session, user, row.csrf))

    async def attempt(self, username: str, password: str, address: str) -> SignedIn:
        counters = throttle.counters(username, address)
        known = self._known_locked(counters)
        if known > 0:
            await self._slow_down()
            raise TooManyAttempts(known)  # logged when the database found it over
        wait = await asyncio.to_thread(self._take, counters)
        if wait > 0:
            log.warning("sign-in refused: too many tries", extra={"username": username, "address": address})
            await self._slow_down()
            raise TooManyAttempts(wait)
        record = await asyncio.to_thread(self._record, username)

        def check() -> tuple[bool, str | None]:
            stored = record[1] if record else dummy_hash()  # an unknown name costs the same time
            ok = verify_password(stored, password)
            return ok, (hash_password(password) if ok and record and needs_rehash(stored) else None)

        try:
            ok, new_hash = await self.pool.run(check)
        except Unavailable:
            await asyncio.to_thread(self._give_back, counters)  # never checked: it costs nobody a try
            raise
        if record is None or not ok or not record[2]:
            log.info("sign-in failed", extra={"username": username, "address": address})
            raise NotAuthenticated("The username or password is wrong.", "用户名或密码错误。")
        signed = await asyncio.to_thread(self._start, record[0], new_hash, address, counters)
        log.info("signed in", extra={"username": signed.body["username"], "role": signed.body["role"], "address": address})
        return signed

    def sign_out(self, token: str | None) -> None:
        with self.db.transaction(write=True) as session:
            login_sessions.end(session, token)

    def who_am_i(self, user_id: int, csrf: str) -> dict[str, Any]:
        with self.db.transaction() as session:
            user = session.get(User, user_id)
            if user is None:
                raise NotAuthenticated("Please sign in first.", "请先登录。")
            return session_body(session, user, csrf)

    def close(self) -> None:
        self.pool.close()
