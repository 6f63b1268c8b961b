"""readers per book: a partial index over the library copies not hidden

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 22:40:00

"For you" ranks a loved author's other books by how many readers have them,
and book pages count readers: both over copies not hidden from others. The
partial index makes each count index-only (bench/RESULTS.md, issue 14).
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_user_books_book_shown",
        "user_books",
        ["book_id"],
        unique=False,
        postgresql_where=sa.text("hidden IS FALSE"),
        sqlite_where=sa.text("hidden IS 0"),
    )


def downgrade() -> None:
    op.drop_index("ix_user_books_book_shown", table_name="user_books")
