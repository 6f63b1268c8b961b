"""Posts, likes, comments, follows, and safety: blocks, mutes, reports, the moderation log."""

from __future__ import annotations

import datetime
from typing import ClassVar

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from booktracker.models.base import fk, in_check, optional_timestamp, timestamp
from booktracker.models.vocabulary import (
    ModerationAction,
    NotificationKind,
    ReportReason,
    ReportStatus,
    ReportTarget,
)


class Post(SQLModel, table=True):
    """A post: a thought about a read, with emotion, quote, image, page.

    The table keeps its first name, ``notes`` (and columns ``note_id``).
    """

    __tablename__: ClassVar[str] = "notes"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = fk("users.id", index=False)
    user_book_id: int | None = fk("user_books.id", nullable=True)
    book_id: int | None = fk("books.id", nullable=True, ondelete="SET NULL")
    text: str = Field(default="", sa_type=sa.Text)
    emotion: str = Field(default="", max_length=16)
    quote: str = Field(default="", sa_type=sa.Text)
    image_url: str = Field(default="", max_length=1000)
    # Storage back-end key (local file name or Cloudinary public_id) for deletion.
    image_key: str = Field(default="", max_length=300)
    page: int | None = Field(default=None)
    chapter: str = Field(default="", max_length=100)
    is_public: bool = Field(default=True)
    # A post that carries a public review (its likes and comments are the
    # review's); the review's text and rating are shown from the review.
    review_id: int | None = Field(
        default=None, foreign_key="reviews.id", ondelete="CASCADE", nullable=True, unique=True
    )
    # A post inside a reading circle: seen by its members only when the
    # circle is private, never in the public feed.
    circle_id: int | None = fk("circles.id", nullable=True, index=False)
    # Kept with every like and unlike (services/posts.py): counting the likes
    # of popular posts on each feed page cost ~45 ms per page (bench/RESULTS.md).
    like_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Hidden by a moderator (the author still sees it, marked so).
    hidden_at: datetime.datetime | None = optional_timestamp()
    created_at: datetime.datetime = timestamp()
    updated_at: datetime.datetime = timestamp()

    __table_args__ = (
        sa.Index("ix_notes_public_created", "is_public", "created_at", "id"),
        sa.Index("ix_notes_user_created", "user_id", "created_at", "id"),
        sa.Index("ix_notes_book_created", "book_id", "created_at", "id"),
        sa.Index("ix_notes_circle_created", "circle_id", "created_at", "id"),
    )


class Like(SQLModel, table=True):
    __tablename__: ClassVar[str] = "likes"

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    note_id: int = Field(foreign_key="notes.id", ondelete="CASCADE", primary_key=True, index=True)
    created_at: datetime.datetime = timestamp()


class Comment(SQLModel, table=True):
    __tablename__: ClassVar[str] = "comments"

    id: int | None = Field(default=None, primary_key=True)
    note_id: int = fk("notes.id", index=False)
    user_id: int = fk("users.id")
    # One level of replies: a reply points at a top-level comment.
    parent_id: int | None = fk("comments.id", nullable=True, index=False)
    text: str = Field(sa_type=sa.Text)
    # Anchored to a page or chapter of the post's book (the spoiler shield).
    page: int | None = Field(default=None)
    chapter: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})
    hidden_at: datetime.datetime | None = optional_timestamp()
    created_at: datetime.datetime = timestamp()

    __table_args__ = (
        sa.Index("ix_comments_note_created", "note_id", "created_at"),
        sa.Index("ix_comments_parent_created", "parent_id", "created_at", "id"),
    )


class Follow(SQLModel, table=True):
    __tablename__: ClassVar[str] = "follows"

    follower_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    followee_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True, index=True)
    # A follow request to a followers-only profile, until the followee approves.
    pending: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    created_at: datetime.datetime = timestamp()

    __table_args__ = (sa.CheckConstraint("follower_id <> followee_id", name="ck_follows_not_self"),)


# --------------------------------------------------------------------------- safety


class Block(SQLModel, table=True):
    """The blocked reader can't see, follow, mention, comment on or like
    anything of the blocker's, and the blocker doesn't see them."""

    __tablename__: ClassVar[str] = "blocks"

    blocker_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    blocked_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True, index=True)
    created_at: datetime.datetime = timestamp()

    __table_args__ = (sa.CheckConstraint("blocker_id <> blocked_id", name="ck_blocks_not_self"),)


class Mute(SQLModel, table=True):
    """The muter stops seeing the muted reader; the muted reader is not told."""

    __tablename__: ClassVar[str] = "mutes"

    muter_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    muted_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True, index=True)
    created_at: datetime.datetime = timestamp()

    __table_args__ = (sa.CheckConstraint("muter_id <> muted_id", name="ck_mutes_not_self"),)


class Report(SQLModel, table=True):
    """A reader's report of a post, a comment or a reader, for the moderators."""

    __tablename__: ClassVar[str] = "reports"

    id: int | None = Field(default=None, primary_key=True)
    reporter_id: int = fk("users.id")
    target_kind: str = Field(max_length=16)
    target_id: int
    # The reader the reported content belongs to (kept if the content goes).
    target_user_id: int | None = fk("users.id", nullable=True, ondelete="SET NULL")
    reason: str = Field(max_length=16)
    details: str = Field(default="", sa_type=sa.Text)
    status: str = Field(default=ReportStatus.OPEN.value, max_length=16)
    created_at: datetime.datetime = timestamp()
    resolved_at: datetime.datetime | None = optional_timestamp()
    resolved_by: int | None = fk("users.id", nullable=True, index=False, ondelete="SET NULL")

    __table_args__ = (
        sa.Index("ix_reports_status_created", "status", "created_at"),
        sa.CheckConstraint(in_check("target_kind", ReportTarget), name="ck_reports_target_kind"),
        sa.CheckConstraint(in_check("reason", ReportReason), name="ck_reports_reason"),
        sa.CheckConstraint(in_check("status", ReportStatus), name="ck_reports_status"),
    )


class ModerationLog(SQLModel, table=True):
    """Every moderator action, with its note: the audit log."""

    __tablename__: ClassVar[str] = "moderation_log"

    id: int | None = Field(default=None, primary_key=True)
    # Kept when the moderator's account goes: the log outlives its authors.
    moderator_id: int | None = fk("users.id", nullable=True, ondelete="SET NULL")
    action: str = Field(max_length=16)
    target_kind: str = Field(max_length=16)
    target_id: int
    report_id: int | None = fk("reports.id", nullable=True, index=False, ondelete="SET NULL")
    note: str = Field(default="", sa_type=sa.Text)
    created_at: datetime.datetime = timestamp(index=True)

    __table_args__ = (
        sa.CheckConstraint(in_check("action", ModerationAction), name="ck_moderation_log_action"),
        sa.CheckConstraint(in_check("target_kind", ReportTarget), name="ck_moderation_log_target_kind"),
    )


class Notification(SQLModel, table=True):
    """Something another reader did that concerns the recipient: a like, a
    comment, a reply, a follow, a mention. One row per action (one INSERT in
    the action's transaction); grouping ("Ann and 3 others liked your post")
    happens when the list is read."""

    __tablename__: ClassVar[str] = "notifications"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = fk("users.id", index=False)  # the recipient
    actor_id: int = fk("users.id")
    kind: str = Field(max_length=16)
    post_id: int | None = fk("notes.id", nullable=True)
    comment_id: int | None = fk("comments.id", nullable=True)
    circle_id: int | None = fk("circles.id", nullable=True)
    created_at: datetime.datetime = timestamp()
    read_at: datetime.datetime | None = optional_timestamp()

    __table_args__ = (
        sa.Index("ix_notifications_user_created", "user_id", "created_at", "id"),
        sa.Index("ix_notifications_user_read", "user_id", "read_at"),
        sa.CheckConstraint(in_check("kind", NotificationKind), name="ck_notifications_kind"),
    )
