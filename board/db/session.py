"""Engine and sessions. The session's lifecycle is owned by the caller (a route or the CLI).

Every wait on the database is bounded (``Timeouts``): connecting, each statement, each lock, a
free connection from the pool, and, for PostgreSQL, a hung server (board/db/watchdog.py). A wait
that runs out raises an SQLAlchemy error that the edge answers with 503 and Retry-After.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.orm import Session, sessionmaker

from board.db.append_only import refuse_event_edits
from board.db.watchdog import Watchdog
from board.settings import Settings


@dataclass(frozen=True)
class Timeouts:
    connect_s: float = 5.0
    statement_s: float = 10.0
    lock_s: float = 5.0
    pool_s: float = 5.0
    ping_s: float = 2.0  # a connection taken from the pool answers this fast, or another is made

    @property
    def client_s(self) -> float:
        """The watchdog's deadline: a little after the server's own, which gives the cleaner error."""
        return self.statement_s + 2.0


def _sqlite_pragmas(timeouts: Timeouts) -> Any:
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event below says BEGIN, and which kind
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        # With WAL, NORMAL survives an application crash; only a power cut may lose the last commits.
        cur.execute("PRAGMA synchronous=NORMAL")
        # A writer waits this long for another's lock, then the request answers 503.
        cur.execute(f"PRAGMA busy_timeout={int(timeouts.lock_s * 1000)}")
        cur.close()
    return on_connect


def _sqlite_begin(conn: Any) -> None:
    """A write takes SQLite's write lock at BEGIN (IMMEDIATE): it then waits its turn (busy_timeout)
    instead of failing at once with "database is locked" when another writer got in first mid-way."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")


WRITE_OPTION = "board_write"


def make_engine(url: str, timeouts: Timeouts | None = None) -> Engine:
    timeouts = timeouts or Timeouts()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": timeouts.lock_s})
        event.listen(engine, "connect", _sqlite_pragmas(timeouts))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    options = (f"-c statement_timeout={int(timeouts.statement_s * 1000)} -c lock_timeout={int(timeouts.lock_s * 1000)} "
               f"-c idle_in_transaction_session_timeout={int(max(timeouts.statement_s * 6, 60) * 1000)}")
    engine = create_engine(url, pool_size=10, max_overflow=20, pool_timeout=timeouts.pool_s, pool_recycle=1800,
                           connect_args={"connect_timeout": max(1, round(timeouts.connect_s)), "options": options})
    _guard(engine, timeouts, Watchdog())
    return engine


def _guard(engine: Engine, timeouts: Timeouts, watchdog: Watchdog) -> None:
    """Deadlines on a PostgreSQL connection while it is out of the pool; a dead one is replaced at checkout."""

    @event.listens_for(engine, "checkout")
    def ping(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        watchdog.arm(id(dbapi_conn), dbapi_conn.fileno(), timeouts.ping_s)
        try:
            with dbapi_conn.cursor() as cur:
                cur.execute("SELECT 1")
            if dbapi_conn.info.transaction_status:  # the ping's own transaction
                dbapi_conn.rollback()
        except Exception as e:  # the pool drops it and tries a fresh connection
            watchdog.disarm(id(dbapi_conn))
            raise exc.DisconnectionError() from e
        watchdog.arm(id(dbapi_conn), dbapi_conn.fileno(), timeouts.client_s)

    @event.listens_for(engine, "before_cursor_execute")
    def extend(conn: Any, _cursor: Any, _statement: Any, _parameters: Any, _context: Any, _many: bool) -> None:
        dbapi_conn = conn.connection.dbapi_connection
        if dbapi_conn is not None and not dbapi_conn.closed:
            watchdog.arm(id(dbapi_conn), dbapi_conn.fileno(), timeouts.client_s)

    @event.listens_for(engine, "checkin")
    def release(dbapi_conn: Any, _record: Any) -> None:
        if dbapi_conn is not None:  # None: invalidated, already disarmed below
            watchdog.disarm(id(dbapi_conn))

    @event.listens_for(engine, "invalidate")
    def invalidated(dbapi_conn: Any, _record: Any, _exc: Any) -> None:
        watchdog.disarm(id(dbapi_conn))

    @event.listens_for(engine, "close")
    def closed(dbapi_conn: Any, _record: Any) -> None:
        watchdog.disarm(id(dbapi_conn))


class Database:
    def __init__(self, url: str, timeouts: Timeouts | None = None) -> None:
        self.url = url
        self.timeouts = timeouts or Timeouts()
        self.engine = make_engine(url, self.timeouts)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        # The event log is append-only for every user of the database (server, CLI, demo), not only the app.
        event.listen(self._factory, "before_flush", refuse_event_edits)

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error. ``write``: it will write
        (SQLite takes its write lock at the start, so writers queue instead of failing)."""
        with self._factory() as session, session.begin():
            if write:
                session.connection(execution_options={WRITE_OPTION: True})
            yield session

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(settings.database_url, Timeouts(settings.db_connect_timeout_s, settings.db_statement_timeout_s,
                                                   settings.db_lock_timeout_s, settings.db_pool_timeout_s))

    def dispose(self) -> None:
        self.engine.dispose()
