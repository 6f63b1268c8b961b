"""The one SQLAlchemy engine of the process and the session helper.

We build our own engine instead of Reflex's because Reflex only passes
connection options through environment variables, and production needs
libpq keepalives, timeouts and pool sizing (see DEVELOPERS notes in README).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from booktracker.errors import InvalidInput
from booktracker.settings import settings


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC timestamp on every backend.

    SQLite drops tzinfo on the way back; we put UTC back so Python code never
    compares naive and aware datetimes.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC timestamp is needed")
        return value.astimezone(datetime.UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=datetime.UTC)
        return value.astimezone(datetime.UTC)


POSTGRES_CONNECT_ARGS = {
    "sslmode": "prefer",
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 5,
    # No JIT: our pages are many small indexed statements, but their privacy
    # subqueries push the planner's cost estimate past jit_above_cost, and
    # compiling each one took ~75 ms of an 89 ms feed page on the big seed
    # (EXPLAIN ANALYZE; bench/RESULTS.md: feed p50 234 -> see the table).
    # random_page_cost 1.1 instead of 4 (spinning disks): on SSD storage, as
    # here and on managed PostgreSQL, an index probe per followed reader beats
    # a sequential scan of every library entry; summed over each bench page's
    # statements: feed 107 -> 51 ms, library 12.6 -> 3.3, For you 177 -> 127
    # (EXPLAIN ANALYZE on the big seed, bench/RESULTS.md, issue 14).
    "options": "-c jit=off -c random_page_cost=1.1",
}


# The widest integer either database stores (BIGINT, SQLite INTEGER).
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


def _unstorable(value) -> str:
    """Why a statement parameter cannot reach the database, or ""."""
    if isinstance(value, str):
        return "Text may not contain NUL (\\0) characters." if "\x00" in value else ""
    if isinstance(value, int) and not isinstance(value, bool) and not INT_MIN <= value <= INT_MAX:
        return "That number is out of range."
    if isinstance(value, dict):
        values = value.values()
    elif isinstance(value, (list, tuple)):
        values = value
    else:
        return ""
    return next((reason for reason in map(_unstorable, values) if reason), "")


def _refuse_unstorable_parameters(_conn, _cursor, _statement, parameters, _context, _executemany) -> None:
    """Refuse, as invalid input and the same way on both databases, values no
    column can hold: PostgreSQL cannot store U+0000 in text (psycopg2 fails
    with a bare ValueError), and SQLite raises OverflowError on an integer
    beyond 64 bits -- an id of 2**63 in a URL. Both were 500s in the API and
    dead events in the app (schemathesis found them)."""
    if reason := _unstorable(parameters):
        raise InvalidInput(reason)


def build_engine(url: str) -> Engine:
    engine = _build_engine(url)
    event.listen(engine, "before_cursor_execute", _refuse_unstorable_parameters)
    return engine


def _build_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        database = sa.engine.make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 15},
            pool_pre_ping=True,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            # WAL lets readers proceed while a background import writes.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return sa.create_engine(
        url,
        connect_args=POSTGRES_CONNECT_ARGS,
        pool_size=5,
        max_overflow=10,
        pool_pre_ping=True,
        pool_recycle=1800,
        pool_timeout=10,
    )


@functools.lru_cache(maxsize=1)
def get_engine() -> Engine:
    return build_engine(settings.database_url)


@contextlib.contextmanager
def session_scope() -> Iterator[Session]:
    """A session that is always closed; services commit their own work."""
    session = Session(get_engine(), expire_on_commit=False)
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
