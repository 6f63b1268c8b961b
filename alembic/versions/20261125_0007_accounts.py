"""accounts: email verification, single-use account links, two-factor
sign-in with recovery codes, per-device sessions

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 17:20:00

Existing accounts count as verified (they signed up before verification
existed), have two-factor off, and no session rows: their tokens carry no
session id and keep working until they expire or are revoked as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import booktracker.db
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PURPOSES = "('password-reset', 'verify-email', 'change-email')"


def _string(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, booktracker.db.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(_timestamp("email_verified_at", nullable=True))
        batch_op.add_column(sa.Column("totp_secret", _string(64), server_default="", nullable=False))
        batch_op.add_column(_timestamp("totp_enabled_at", nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), server_default="0", nullable=False))
    op.execute("UPDATE users SET email_verified_at = created_at")

    op.create_table(
        "account_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", _string(16), nullable=False),
        sa.Column("token_hash", _string(64), nullable=False),
        sa.Column("password_stamp", _string(64), nullable=False),
        sa.Column("new_email", _string(320), nullable=False),
        _timestamp("created_at"),
        _timestamp("expires_at"),
        _timestamp("used_at", nullable=True),
        sa.CheckConstraint(f"purpose IN {PURPOSES}", name="ck_account_tokens_purpose"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("account_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_tokens_token_hash"), ["token_hash"], unique=True)
        batch_op.create_index(batch_op.f("ix_account_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", _string(100), nullable=False),
        _timestamp("used_at", nullable=True),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("recovery_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_codes_user_id"), ["user_id"], unique=False)

    op.create_table(
        "user_sessions",
        sa.Column("id", _string(32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("device", _string(120), nullable=False),
        sa.Column("ip", _string(64), nullable=False),
        _timestamp("created_at"),
        _timestamp("last_seen_at"),
        _timestamp("revoked_at", nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_sessions_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_table("user_sessions")
    op.drop_table("recovery_codes")
    op.drop_table("account_tokens")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_enabled_at")
        batch_op.drop_column("totp_secret")
        batch_op.drop_column("email_verified_at")
