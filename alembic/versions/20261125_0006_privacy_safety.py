"""privacy and safety: profile visibility, follow requests, hidden books,
blocks, mutes, reports, moderation

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 17:20:00

Everything existing stays as it was: profiles public, follows accepted,
books shown, nothing hidden or suspended.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import booktracker.db
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VISIBILITIES = "('public', 'signed-in', 'followers', 'private')"
TARGETS = "('post', 'comment', 'user')"
REASONS = "('spam', 'harassment', 'hate', 'spoilers', 'sexual', 'other')"
STATUSES = "('open', 'resolved', 'dismissed')"
ACTIONS = "('hide', 'unhide', 'delete', 'suspend', 'reinstate', 'dismiss')"


def _string(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, booktracker.db.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("profile_visibility", _string(16), server_default="public", nullable=False))
        batch_op.add_column(_timestamp("suspended_at", nullable=True))
        batch_op.create_check_constraint("ck_users_profile_visibility", f"profile_visibility IN {VISIBILITIES}")
    with op.batch_alter_table("user_books", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.add_column(_timestamp("hidden_at", nullable=True))
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(_timestamp("hidden_at", nullable=True))
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pending", sa.Boolean(), server_default=sa.false(), nullable=False))

    for table, first, second in (("blocks", "blocker_id", "blocked_id"), ("mutes", "muter_id", "muted_id")):
        op.create_table(
            table,
            sa.Column(first, sa.Integer(), nullable=False),
            sa.Column(second, sa.Integer(), nullable=False),
            _timestamp("created_at"),
            sa.CheckConstraint(f"{first} <> {second}", name=f"ck_{table}_not_self"),
            sa.ForeignKeyConstraint([first], ["users.id"], ondelete="CASCADE"),
            sa.ForeignKeyConstraint([second], ["users.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint(first, second),
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_{second}"), [second], unique=False)

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("target_kind", _string(16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("target_user_id", sa.Integer(), nullable=True),
        sa.Column("reason", _string(16), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("status", _string(16), nullable=False),
        _timestamp("created_at"),
        _timestamp("resolved_at", nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(f"target_kind IN {TARGETS}", name="ck_reports_target_kind"),
        sa.CheckConstraint(f"reason IN {REASONS}", name="ck_reports_reason"),
        sa.CheckConstraint(f"status IN {STATUSES}", name="ck_reports_status"),
        sa.ForeignKeyConstraint(["reporter_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["target_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["resolved_by"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reports_reporter_id"), ["reporter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reports_target_user_id"), ["target_user_id"], unique=False)
        batch_op.create_index("ix_reports_status_created", ["status", "created_at"], unique=False)

    op.create_table(
        "moderation_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=True),
        sa.Column("action", _string(16), nullable=False),
        sa.Column("target_kind", _string(16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        _timestamp("created_at"),
        sa.CheckConstraint(f"action IN {ACTIONS}", name="ck_moderation_log_action"),
        sa.CheckConstraint(f"target_kind IN {TARGETS}", name="ck_moderation_log_target_kind"),
        sa.ForeignKeyConstraint(["moderator_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("moderation_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_moderation_log_moderator_id"), ["moderator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_moderation_log_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_table("moderation_log")
    op.drop_table("reports")
    op.drop_table("mutes")
    op.drop_table("blocks")
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.drop_column("pending")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_column("hidden_at")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_column("hidden_at")
    with op.batch_alter_table("user_books", schema=None) as batch_op:
        batch_op.drop_column("hidden")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint("ck_users_profile_visibility", type_="check")
        batch_op.drop_column("suspended_at")
        batch_op.drop_column("profile_visibility")
