"""import jobs: an import kept between its preview and its end

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 19:00:00

Production runs several workers: an import previewed through one, run
through another and polled through a third (the API) must be found by all,
so the job and its progress live in the database, not in a worker's memory.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import booktracker.db
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATES = "('previewed', 'running', 'finished', 'failed', 'abandoned', 'expired')"


def _string(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("state", _string(16), nullable=False),
        sa.Column("format", _string(40), nullable=False),
        sa.Column("file_name", _string(255), nullable=False),
        sa.Column("file_path", _string(1000), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("review_as", _string(16), nullable=False),
        sa.Column("skip_invalid", sa.Boolean(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("already", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("message", _string(500), nullable=False),
        sa.Column("created_at", booktracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", booktracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"state IN {STATES}", name="ck_import_jobs_state"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_jobs_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_jobs_user_id"))
    op.drop_table("import_jobs")
