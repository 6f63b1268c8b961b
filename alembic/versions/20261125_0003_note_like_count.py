"""like count kept on each post

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 12:00:00

Counting the likes of popular posts on every feed page was the slowest part
of a feed page with the benchmark seed (bench/RESULTS.md); the count now
lives on the post and changes with each like and unlike.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("like_count", sa.Integer(), server_default="0", nullable=False))
    op.execute("UPDATE notes SET like_count = (SELECT count(*) FROM likes WHERE likes.note_id = notes.id)")


def downgrade() -> None:
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_column("like_count")
