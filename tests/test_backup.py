"""Backup and restore round trips with identical row counts and content."""

import datetime
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from booktracker import backup
from booktracker.db import build_engine
from booktracker.migrations import ensure_database_exists
from booktracker.models import Follow
from booktracker.services import auth, library, posts
from booktracker.services.books import BookInput
from booktracker.settings import PROJECT_ROOT, settings
from booktracker.settings_checks import normalize_database_url

PG_RESTORE_URL = normalize_database_url(
    os.environ.get(
        "TEST_RESTORE_POSTGRES_URL", f"postgresql://postgres@127.0.0.1:5432/trackmyread_restore_{os.getpid()}"
    )
)


@pytest.fixture(scope="module", autouse=True)
def _drop_restore_database():
    yield
    from tests.conftest import _drop_database

    _drop_database(PG_RESTORE_URL)


def _populate(session):
    ann = auth.signup(session=session, email="ann@example.com", name="Ann", password="password 123")
    bob = auth.signup(session=session, email="bob@example.com", name="Bób ✓", password="password 123")
    entry = library.add_to_library(
        session=session, user_id=ann.id, book=BookInput(title="Dune", isbn="9780441013593", total_pages=412)
    ).user_book
    library.update_progress(session=session, user_id=ann.id, user_book_id=entry.id, current_page=100)
    # A read with calendar dates, and a book with contributors (a JSON column).
    library.add_to_library(
        session=session,
        user_id=ann.id,
        book=BookInput(title="Matilda", authors="Roald Dahl"),
        status="finished",
        started_on=datetime.date(2024, 12, 30),
        ended_on=datetime.date(2025, 1, 2),
    )
    post = posts.create_post(
        session=session, user_id=ann.id, data=posts.PostInput(text="Spice 🌶", emotion="😮", user_book_id=entry.id)
    )
    posts.like(session=session, user_id=bob.id, post_id=post.id)
    posts.add_comment(session=session, user_id=bob.id, post_id=post.id, text="yes")
    session.add(Follow(follower_id=bob.id, followee_id=ann.id))
    session.commit()


def _snapshot(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        snap = {}
        for table in SQLModel.metadata.sorted_tables:
            rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            snap[table.name] = [tuple(_normal(v) for v in row) for row in rows]
        return snap


def _normal(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    return value


def _fresh_postgres() -> str:
    ensure_database_exists(PG_RESTORE_URL)
    engine = build_engine(PG_RESTORE_URL)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return PG_RESTORE_URL


@pytest.mark.parametrize("target", ["sqlite", "postgres"])
def test_round_trip(session, db, tmp_path, target):
    _populate(session)
    dump_file = tmp_path / "backup.json"
    counts = backup.dump(settings.database_url, dump_file)
    assert counts["users"] == 2 and counts["notes"] == 1 and counts["likes"] == 1

    url = f"sqlite:///{tmp_path / 'restored.db'}" if target == "sqlite" else _fresh_postgres()
    restored_counts = backup.restore(url, dump_file)
    assert restored_counts == counts
    restored = build_engine(url)
    try:
        assert _snapshot(restored) == _snapshot(db)
        # New rows get fresh ids after a restore (sequences moved on).
        with Session(restored) as other:
            carl = auth.signup(session=other, email="carl@example.com", name="Carl", password="password 123")
            assert carl.id == 3
        with pytest.raises(backup.BackupError, match="already has rows"):
            backup.restore(url, dump_file)
    finally:
        restored.dispose()


def test_cli_dump_and_restore(session, tmp_path):
    _populate(session)
    dump_file = tmp_path / "cli.json"
    env = dict(os.environ)

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "booktracker.backup", *args],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
        )

    out = run("dump", str(dump_file))
    assert out.returncode == 0 and out.stdout.startswith("✅")
    target = f"sqlite:///{tmp_path / 'cli-restored.db'}"
    assert run("restore", str(dump_file), "--database-url", target).returncode == 0
    again = run("restore", str(dump_file), "--database-url", target)
    assert again.returncode == 1 and "already has rows" in again.stderr


@pytest.mark.skipif(not settings.is_postgres, reason="pg_dump round trip runs in the PostgreSQL pass")
def test_pg_dump_round_trip(session, db, tmp_path):
    _populate(session)
    dump_file = tmp_path / "backup.dump"
    backup.pg_dump(settings.database_url, dump_file)
    url = _fresh_postgres()
    with build_engine(url).begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    backup.pg_restore(url, dump_file)
    restored = build_engine(url)
    try:
        assert _snapshot(restored) == _snapshot(db)
    finally:
        restored.dispose()
