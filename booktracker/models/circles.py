"""Reading circles: groups of readers with a current book, a schedule, a
shared goal, members' posts and leaderboards (services/circles)."""

from __future__ import annotations

import datetime
from typing import ClassVar

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from booktracker.models.base import fk, in_check, timestamp
from booktracker.models.vocabulary import CircleGoalKind, CircleRole


class Circle(SQLModel, table=True):
    __tablename__: ClassVar[str] = "circles"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    description: str = Field(default="", sa_type=sa.Text)
    # Cover through the image pipeline, and its storage key for deletion.
    cover_url: str = Field(default="", max_length=1000)
    cover_key: str = Field(default="", max_length=300)
    # Public: anyone may see and join. Private: members only; joining is a
    # request the owner or a curator approves, or an invite code.
    is_public: bool = Field(default=True)
    # Rotated by the owner; an old code stops working at once.
    invite_code: str = Field(max_length=32, unique=True, index=True)
    owner_id: int | None = fk("users.id", nullable=True, ondelete="SET NULL")
    current_book_id: int | None = fk("books.id", nullable=True, index=False, ondelete="SET NULL")
    book_started_on: datetime.date | None = Field(default=None)
    goal_kind: str = Field(default=CircleGoalKind.NONE.value, max_length=8)
    goal_target: int = Field(default=0)
    created_at: datetime.datetime = timestamp()

    __table_args__ = (
        sa.CheckConstraint(in_check("goal_kind", CircleGoalKind), name="ck_circles_goal_kind"),
        sa.CheckConstraint("goal_target >= 0", name="ck_circles_goal_target"),
    )


class CircleMember(SQLModel, table=True):
    __tablename__: ClassVar[str] = "circle_members"

    circle_id: int = Field(foreign_key="circles.id", ondelete="CASCADE", primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True, index=True)
    role: str = Field(default=CircleRole.MEMBER.value, max_length=16)
    # A request to join a private circle, until an owner or curator approves.
    pending: bool = Field(default=False)
    # Shown on the circle's leaderboards (members opt in).
    on_leaderboard: bool = Field(default=True)
    joined_at: datetime.datetime = timestamp()

    __table_args__ = (
        sa.Index("ix_circle_members_circle_pending", "circle_id", "pending", "joined_at"),
        sa.CheckConstraint(in_check("role", CircleRole), name="ck_circle_members_role"),
    )


class CircleCheckpoint(SQLModel, table=True):
    """A step of the current book's schedule: "chapters 1-5 by Friday"."""

    __tablename__: ClassVar[str] = "circle_checkpoints"

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = fk("circles.id")
    label: str = Field(max_length=200)
    due_on: datetime.date
    # The page the checkpoint reaches, when it is a page (for progress bars).
    page: int | None = Field(default=None)
    created_at: datetime.datetime = timestamp()
