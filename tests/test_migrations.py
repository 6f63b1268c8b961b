"""Migrations: they match the models and go down and up cleanly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from alembic import command
from booktracker.migrations import alembic_config
from booktracker.settings import settings


def test_models_and_migrations_agree(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_downgrade_to_base_and_back(db):
    """From an empty database: older schemas can't hold every row today's can
    (quarter-star ratings below 1, say), and no downgrade promises to keep them."""
    engine = db
    config = alembic_config(settings.database_url)
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == head
        assert compare_metadata(context, SQLModel.metadata) == []


def test_0004_turns_started_and_finished_into_first_reads(db):
    """Existing entries' dates become their first read, on both databases."""
    import datetime

    import sqlalchemy as sa

    config = alembic_config(settings.database_url)
    command.downgrade(config, "0003")
    try:
        at = datetime.datetime(2025, 3, 1, 23, 30, tzinfo=datetime.UTC)
        earlier = datetime.datetime(2025, 2, 1, 8, 0, tzinfo=datetime.UTC)
        later = datetime.datetime(2025, 4, 1, 8, 0, tzinfo=datetime.UTC)
        # id, status, current_page, started_at, finished_at
        entries = [
            (1, "reading", 50, earlier, None),
            (2, "finished", 300, earlier, at),
            (3, "did-not-finish", 40, None, at),
            (4, "to-read", 0, None, None),
            (5, "finished", 300, later, at),  # started after it was finished
            (6, "finished", 300, None, None),  # finished, date unknown
            (7, "paused", 20, earlier, None),
        ]
        users = sa.table(
            "users",
            *(
                sa.column(c)
                for c in ("id", "email", "username", "name", "bio", "password_hash", "token_version", "created_at")
            ),
        )
        books = sa.table(
            "books",
            *(
                sa.column(c)
                for c in (
                    "id",
                    "title",
                    "authors",
                    "cover_url",
                    "description",
                    "publisher",
                    "published_date",
                    "language",
                    "dedupe_key",
                    "created_at",
                )
            ),
        )
        columns = (
            "id",
            "user_id",
            "book_id",
            "status",
            "current_page",
            "private_notes",
            "ownership",
            "borrowed_from",
            "loaned_to",
            "started_at",
            "finished_at",
            "created_at",
            "updated_at",
        )
        user_books = sa.table("user_books", *(sa.column(c) for c in columns))
        progress = sa.table(
            "reading_progress",
            *(
                sa.column(c)
                for c in (
                    "id",
                    "user_id",
                    "user_book_id",
                    "book_id",
                    "from_page",
                    "to_page",
                    "pages_delta",
                    "recorded_at",
                )
            ),
        )
        with db.begin() as conn:
            conn.execute(
                users.insert().values(
                    id=1,
                    email="a@x.org",
                    username="a",
                    name="A",
                    bio="",
                    password_hash="x",
                    token_version=0,
                    created_at=earlier,
                )
            )
            for n, *_ in entries:
                conn.execute(
                    books.insert().values(
                        id=n,
                        title=f"B{n}",
                        authors="",
                        cover_url="",
                        description="",
                        publisher="",
                        published_date="",
                        language="",
                        dedupe_key=f"b{n}|",
                        created_at=earlier,
                    )
                )
            for n, status, page, started, finished in entries:
                conn.execute(
                    user_books.insert().values(
                        id=n,
                        user_id=1,
                        book_id=n,
                        status=status,
                        current_page=page,
                        private_notes="",
                        ownership="none",
                        borrowed_from="",
                        loaned_to="",
                        started_at=started,
                        finished_at=finished,
                        created_at=earlier,
                        updated_at=earlier,
                    )
                )
            conn.execute(
                progress.insert().values(
                    id=1,
                    user_id=1,
                    user_book_id=2,
                    book_id=2,
                    from_page=0,
                    to_page=300,
                    pages_delta=300,
                    recorded_at=at,
                )
            )
        command.upgrade(config, "head")
        with db.connect() as conn:
            reads = conn.execute(
                sa.text("SELECT user_book_id, status, started_on, ended_on, progress FROM reads ORDER BY user_book_id")
            ).all()
            linked = conn.execute(sa.text("SELECT read_id FROM reading_progress")).scalar_one()
            read_of_2 = conn.execute(sa.text("SELECT id FROM reads WHERE user_book_id = 2")).scalar_one()
        D = datetime.date

        def day(value):
            return value if value is None or isinstance(value, D) else D.fromisoformat(str(value))

        assert [(ub, s, day(a), day(b), p) for ub, s, a, b, p in reads] == [
            (1, "reading", D(2025, 2, 1), None, 50),
            (2, "finished", D(2025, 2, 1), D(2025, 3, 1), 300),  # the UTC day of the old timestamp
            (3, "did-not-finish", None, D(2025, 3, 1), 40),
            # 4: want to read -- no read
            (5, "finished", None, D(2025, 3, 1), 300),  # an impossible start is dropped, the finish kept
            (6, "finished", None, None, 300),
            (7, "paused", D(2025, 2, 1), None, 20),
        ]
        assert linked == read_of_2
    finally:
        command.upgrade(config, "head")
