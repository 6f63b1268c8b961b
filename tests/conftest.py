"""Shared fixtures: a real database (SQLite file by default, PostgreSQL when
DATABASE_URL points at one), migrated with Alembic, emptied between tests."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

# Settings are read at import time, so the environment is fixed up first.
_TMP = Path(tempfile.mkdtemp(prefix="tmr-tests-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_TMP / 'test.db'}")
if os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql")):
    # One database per test process: concurrent runs (a developer and CI)
    # never drop each other's tables.
    _base, _, _name = os.environ["DATABASE_URL"].rpartition("/")
    os.environ["DATABASE_URL"] = f"{_base}/{_name.split('?')[0]}_{os.getpid()}"
os.environ.setdefault("BCRYPT_ROUNDS", "4")
# Not the public development key: settings refuse it with any database but the
# local development one (booktracker/settings.py), and tests use their own.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
os.environ.setdefault("UPLOAD_DIR", str(_TMP / "uploads"))
# Mail with no SMTP server goes to .eml files (services/mail.py): not into the repository.
os.environ.setdefault("OUTBOX_DIR", str(_TMP / "outbox"))
os.environ["APP_ENV"] = "test"

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session, SQLModel

# booktracker is imported inside fixtures only: tests/e2e sets its own
# environment in its conftest, which runs after this one, and the settings
# must not be read before that.


@pytest.fixture(scope="session")
def engine():
    import booktracker.models  # noqa: F401  (registers the tables)
    from booktracker.db import get_engine
    from booktracker.migrations import ensure_database_exists, upgrade_to_head
    from booktracker.settings import settings

    ensure_database_exists(settings.database_url)
    engine = get_engine()
    # Start from an empty schema every run so migrations are exercised.
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        else:
            SQLModel.metadata.drop_all(conn)
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    upgrade_to_head(settings.database_url)
    yield engine
    engine.dispose()
    if engine.dialect.name == "postgresql":
        _drop_database(settings.database_url)


def _drop_database(url: str) -> None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


def _empty_all_tables(engine) -> None:
    tables = [t.name for t in SQLModel.metadata.sorted_tables]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(tables):
                conn.execute(sa.text(f"DELETE FROM {name}"))


@pytest.fixture
def db(engine):
    """A clean database for one test."""
    _empty_all_tables(engine)
    yield engine


@pytest.fixture
def mailbox(monkeypatch):
    """A real SMTP server on loopback that the app's mail goes to (tests/support/smtp_server.py);
    retries wait milliseconds instead of seconds."""
    from booktracker.services import mail
    from tests.support.smtp_server import smtp_server

    with smtp_server() as box:
        monkeypatch.setattr(mail, "settings", mail.settings.model_copy(update={"smtp_url": box.url}))
        monkeypatch.setattr(mail, "RETRY_DELAYS", (0.05, 0.05, 0.05))
        yield box
        mail.wait_idle()


@pytest.fixture
def session(db):
    with Session(db, expire_on_commit=False) as session:
        yield session


class StatementCounter:
    """Counts SQL statements sent to the database while active."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _on_execute(self, conn, cursor, statement, params, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._on_execute)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._on_execute)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_statements(db):
    return lambda: StatementCounter(db)


@pytest.fixture
def google(monkeypatch):
    """Google sign-in trusting a local OpenID Connect provider (tests/support/oidc_provider.py)."""
    from booktracker.services import google_signin
    from tests.support.oidc_provider import CLIENT_ID, OidcProvider

    with OidcProvider() as provider:
        configured = google_signin.settings.model_copy(
            update={"google_client_id": CLIENT_ID, "google_issuer": provider.base}
        )
        monkeypatch.setattr(google_signin, "settings", configured)
        google_signin.keys.forget()
        yield provider
        google_signin.keys.forget()
