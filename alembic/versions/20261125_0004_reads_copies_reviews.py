"""reads, the reader's own copy, reviews, series

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 17:00:00

A library entry gets any number of reads (re-reads keep the earlier ones)
with calendar dates that may be unknown; the entry's started_at/finished_at
become its first read and are dropped. The reader's own copy (title, pages,
ISBN, cover, audiobook length, binding) lives on the entry so one reader's
input never changes the shared book. Reviews are their own rows. Ratings
take quarter stars.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import booktracker.db
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

READ_STATUSES = "('reading', 'finished', 'paused', 'did-not-finish')"
FORMATS = "('hardcover', 'paperback', 'ebook', 'kindle', 'pdf', 'audiobook')"


def _string(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "reads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("user_book_id", sa.Integer(), nullable=False),
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("status", _string(16), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("format", _string(16), nullable=True),
        sa.Column("created_at", booktracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", booktracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"status IN {READ_STATUSES}", name="ck_reads_status"),
        sa.CheckConstraint(f"format IS NULL OR format IN {FORMATS}", name="ck_reads_format"),
        sa.CheckConstraint("progress >= 0", name="ck_reads_progress"),
        sa.CheckConstraint(
            "started_on IS NULL OR ended_on IS NULL OR ended_on >= started_on", name="ck_reads_dates_in_order"
        ),
        sa.ForeignKeyConstraint(["book_id"], ["books.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_book_id"], ["user_books.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reads_user_book_id"), ["user_book_id"], unique=False)
        batch_op.create_index("ix_reads_user_status_ended", ["user_id", "status", "ended_on"], unique=False)

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("user_book_id", sa.Integer(), nullable=False),
        sa.Column("read_id", sa.Integer(), nullable=True),
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Float(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("has_spoilers", sa.Boolean(), nullable=False),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column("created_at", booktracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", booktracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("rating IS NULL OR (rating >= 0.25 AND rating <= 5)", name="ck_reviews_rating"),
        sa.ForeignKeyConstraint(["book_id"], ["books.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["read_id"], ["reads.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_book_id"], ["user_books.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reviews_book_id"), ["book_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reviews_read_id"), ["read_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reviews_user_book_id"), ["user_book_id"], unique=False)

    with op.batch_alter_table("books", schema=None) as batch_op:
        batch_op.add_column(sa.Column("series", _string(200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("series_position", _string(20), server_default="", nullable=False))
        batch_op.add_column(sa.Column("original_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("contributors", sa.JSON(), server_default="[]", nullable=False))

    with op.batch_alter_table("reading_progress", schema=None) as batch_op:
        batch_op.add_column(sa.Column("read_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("minutes_delta", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_index(batch_op.f("ix_reading_progress_read_id"), ["read_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_reading_progress_read_id_reads", "reads", ["read_id"], ["id"], ondelete="SET NULL"
        )

    with op.batch_alter_table("user_books", schema=None) as batch_op:
        batch_op.add_column(sa.Column("copy_title", _string(300), server_default="", nullable=False))
        batch_op.add_column(sa.Column("copy_pages", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("copy_isbn", _string(13), server_default="", nullable=False))
        batch_op.add_column(sa.Column("copy_cover_url", _string(1000), server_default="", nullable=False))
        batch_op.add_column(sa.Column("audio_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("progress_unit", _string(8), server_default="pages", nullable=False))
        batch_op.add_column(sa.Column("binding", _string(60), server_default="", nullable=False))
        batch_op.add_column(sa.Column("owned_copies", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("content_warnings", sa.Text(), server_default="", nullable=False))

    # Today's started/finished become each entry's first read. The old
    # columns held UTC timestamps; their UTC calendar date is the best date
    # we have. A finished/stopped entry without a date keeps an unknown date,
    # and a start recorded after the finish (possible before) is dropped.
    bind = op.get_bind()

    def day(column: str) -> str:
        # SQLite stores timestamps as text and has no DATE type.
        return f"date({column})" if bind.dialect.name == "sqlite" else f"CAST({column} AS DATE)"

    op.execute(
        f"""
        INSERT INTO reads (user_id, user_book_id, book_id, status, started_on, ended_on, progress,
                           format, created_at, updated_at)
        SELECT user_id, id, book_id, status,
               CASE WHEN status <> 'reading' AND finished_at < started_at THEN NULL ELSE {day("started_at")} END,
               CASE WHEN status = 'reading' THEN NULL ELSE {day("finished_at")} END,
               current_page, NULL, COALESCE(started_at, created_at), updated_at
        FROM user_books
        WHERE status <> 'to-read'
        """
    )
    op.execute(
        "UPDATE reading_progress SET read_id = (SELECT min(reads.id) FROM reads "
        "WHERE reads.user_book_id = reading_progress.user_book_id)"
    )

    with op.batch_alter_table("user_books", schema=None) as batch_op:
        batch_op.drop_constraint("ck_user_books_rating", type_="check")
        batch_op.create_check_constraint("ck_user_books_rating", "rating IS NULL OR (rating >= 0.25 AND rating <= 5)")
        batch_op.create_check_constraint(
            "ck_user_books_progress_unit", "progress_unit IN ('pages', 'percent', 'minutes')"
        )
        batch_op.create_check_constraint("ck_user_books_copy_pages", "copy_pages IS NULL OR copy_pages > 0")
        batch_op.create_check_constraint("ck_user_books_audio_minutes", "audio_minutes IS NULL OR audio_minutes > 0")
        batch_op.create_check_constraint("ck_user_books_owned_copies", "owned_copies >= 0")
        batch_op.drop_column("started_at")
        batch_op.drop_column("finished_at")


def downgrade() -> None:
    with op.batch_alter_table("user_books", schema=None) as batch_op:
        batch_op.add_column(sa.Column("started_at", booktracker.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("finished_at", booktracker.db.UTCDateTime(timezone=True), nullable=True))
    # The latest read's dates go back onto the entry (at noon UTC).
    bind = op.get_bind()
    latest = "(SELECT max(r.id) FROM reads r WHERE r.user_book_id = user_books.id)"
    if bind.dialect.name == "sqlite":
        op.execute(
            f"UPDATE user_books SET "
            f"started_at = (SELECT datetime(started_on, '+12 hours') FROM reads WHERE reads.id = {latest}), "
            f"finished_at = (SELECT datetime(ended_on, '+12 hours') FROM reads WHERE reads.id = {latest})"
        )
    else:
        op.execute(
            f"UPDATE user_books SET "
            f"started_at = (SELECT started_on + interval '12 hours' FROM reads WHERE reads.id = {latest}), "
            f"finished_at = (SELECT ended_on + interval '12 hours' FROM reads WHERE reads.id = {latest})"
        )
    with op.batch_alter_table("user_books", schema=None) as batch_op:
        for name in (
            "ck_user_books_owned_copies",
            "ck_user_books_audio_minutes",
            "ck_user_books_copy_pages",
            "ck_user_books_progress_unit",
            "ck_user_books_rating",
        ):
            batch_op.drop_constraint(name, type_="check")
        batch_op.create_check_constraint("ck_user_books_rating", "rating IS NULL OR (rating >= 1 AND rating <= 5)")
        for column in (
            "content_warnings",
            "owned_copies",
            "binding",
            "progress_unit",
            "audio_minutes",
            "copy_cover_url",
            "copy_isbn",
            "copy_pages",
            "copy_title",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("reading_progress", schema=None) as batch_op:
        batch_op.drop_constraint("fk_reading_progress_read_id_reads", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_reading_progress_read_id"))
        batch_op.drop_column("minutes_delta")
        batch_op.drop_column("read_id")
    with op.batch_alter_table("books", schema=None) as batch_op:
        for column in ("contributors", "original_year", "series_position", "series"):
            batch_op.drop_column(column)
    op.drop_table("reviews")
    op.drop_table("reads")
