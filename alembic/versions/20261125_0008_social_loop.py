"""social loop: notifications, comment replies and anchors, review posts,
avatars, spoiler shield and notification settings, push subscriptions,
reading circles, Google sign-in

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 19:10:00

Every new column has a default, so existing rows need no data migration:
everyone's shield is on, every notification kind on, no avatar, no digest.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import booktracker.db
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = "('like', 'comment', 'reply', 'follow', 'follow-request', 'mention', 'circle-request', 'circle-approved')"


def _string(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, booktracker.db.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("avatar_url", _string(1000), server_default="", nullable=False))
        batch_op.add_column(sa.Column("avatar_small_url", _string(1000), server_default="", nullable=False))
        batch_op.add_column(sa.Column("avatar_key", _string(700), server_default="", nullable=False))
        batch_op.add_column(sa.Column("spoiler_shield", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column("notifications_off", _string(200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("digest_email", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(_timestamp("digest_sent_at", nullable=True))
        batch_op.add_column(sa.Column("google_sub", _string(255), nullable=True))
        batch_op.create_unique_constraint("uq_users_google_sub", ["google_sub"])

    op.create_table(
        "push_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("endpoint", sa.Text(), nullable=False),
        sa.Column("p256dh", _string(200), nullable=False),
        sa.Column("auth", _string(100), nullable=False),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("push_subscriptions", schema=None) as batch_op:
        batch_op.create_index("ix_push_subscriptions_endpoint", ["endpoint"], unique=True)
        batch_op.create_index(batch_op.f("ix_push_subscriptions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "circles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", _string(80), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("cover_url", _string(1000), nullable=False),
        sa.Column("cover_key", _string(300), nullable=False),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column("invite_code", _string(32), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("current_book_id", sa.Integer(), nullable=True),
        sa.Column("book_started_on", sa.Date(), nullable=True),
        sa.Column("goal_kind", _string(8), nullable=False),
        sa.Column("goal_target", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        sa.CheckConstraint("goal_kind IN ('none', 'pages', 'books')", name="ck_circles_goal_kind"),
        sa.CheckConstraint("goal_target >= 0", name="ck_circles_goal_target"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["current_book_id"], ["books.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("circles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_circles_invite_code"), ["invite_code"], unique=True)
        batch_op.create_index(batch_op.f("ix_circles_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "circle_members",
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", _string(16), nullable=False),
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.Column("on_leaderboard", sa.Boolean(), nullable=False),
        _timestamp("joined_at"),
        sa.CheckConstraint("role IN ('owner', 'curator', 'member')", name="ck_circle_members_role"),
        sa.ForeignKeyConstraint(["circle_id"], ["circles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("circle_id", "user_id"),
    )
    with op.batch_alter_table("circle_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_circle_members_user_id"), ["user_id"], unique=False)
        batch_op.create_index("ix_circle_members_circle_pending", ["circle_id", "pending", "joined_at"], unique=False)

    op.create_table(
        "circle_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("label", _string(200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(["circle_id"], ["circles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("circle_checkpoints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_circle_checkpoints_circle_id"), ["circle_id"], unique=False)

    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("circle_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint("uq_notes_review_id", ["review_id"])
        batch_op.create_foreign_key("fk_notes_review_id_reviews", "reviews", ["review_id"], ["id"], ondelete="CASCADE")
        batch_op.create_foreign_key("fk_notes_circle_id_circles", "circles", ["circle_id"], ["id"], ondelete="CASCADE")
        batch_op.create_index("ix_notes_book_created", ["book_id", "created_at", "id"], unique=False)
        batch_op.create_index("ix_notes_circle_created", ["circle_id", "created_at", "id"], unique=False)

    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("page", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("chapter", _string(100), server_default="", nullable=False))
        batch_op.create_foreign_key(
            "fk_comments_parent_id_comments", "comments", ["parent_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_index("ix_comments_parent_created", ["parent_id", "created_at", "id"], unique=False)

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("kind", _string(16), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("circle_id", sa.Integer(), nullable=True),
        _timestamp("created_at"),
        _timestamp("read_at", nullable=True),
        sa.CheckConstraint(f"kind IN {KINDS}", name="ck_notifications_kind"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["post_id"], ["notes.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["comment_id"], ["comments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["circle_id"], ["circles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notifications_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_post_id"), ["post_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_comment_id"), ["comment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_circle_id"), ["circle_id"], unique=False)
        batch_op.create_index("ix_notifications_user_created", ["user_id", "created_at", "id"], unique=False)
        batch_op.create_index("ix_notifications_user_read", ["user_id", "read_at"], unique=False)

    with op.batch_alter_table("user_books", schema=None) as batch_op:
        batch_op.create_index("ix_user_books_book_status", ["book_id", "status"], unique=False)
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reviews_book_public_created", ["book_id", "is_public", "created_at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_reviews_book_public_created")
    with op.batch_alter_table("user_books", schema=None) as batch_op:
        batch_op.drop_index("ix_user_books_book_status")
    op.drop_table("notifications")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_parent_created")
        batch_op.drop_constraint("fk_comments_parent_id_comments", type_="foreignkey")
        batch_op.drop_column("chapter")
        batch_op.drop_column("page")
        batch_op.drop_column("parent_id")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index("ix_notes_circle_created")
        batch_op.drop_index("ix_notes_book_created")
        batch_op.drop_constraint("fk_notes_circle_id_circles", type_="foreignkey")
        batch_op.drop_constraint("fk_notes_review_id_reviews", type_="foreignkey")
        batch_op.drop_constraint("uq_notes_review_id", type_="unique")
        batch_op.drop_column("circle_id")
        batch_op.drop_column("review_id")
    op.drop_table("circle_checkpoints")
    op.drop_table("circle_members")
    op.drop_table("circles")
    op.drop_table("push_subscriptions")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint("uq_users_google_sub", type_="unique")
        batch_op.drop_column("google_sub")
        batch_op.drop_column("digest_sent_at")
        batch_op.drop_column("digest_email")
        batch_op.drop_column("notifications_off")
        batch_op.drop_column("spoiler_shield")
        batch_op.drop_column("avatar_key")
        batch_op.drop_column("avatar_small_url")
        batch_op.drop_column("avatar_url")
