"""Leaderboards and the activity feed of a circle, derived from the tables
readers already fill (reading_progress, reads, circle_members): nothing is
copied, so nothing goes stale. One statement each, whatever the number of
members and their history.

Leaderboards list members who left ``on_leaderboard`` on; the activity feed
shows finished books, progress and new members, never a book its reader hid
from others (services/privacy.py ``entry_shown``).
"""

from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, func, select
from sqlmodel.sql.expression import Select

from booktracker.db import UTCDateTime
from booktracker.errors import InvalidInput
from booktracker.models import Book, CircleMember, Read, ReadingProgress, ReadingStatus, User, UserBook
from booktracker.services import privacy
from booktracker.services.circles import access
from booktracker.services.circles.schedule import month_start, shown_members
from booktracker.services.library import copies

BOARD_SIZE = 10
ACTIVITY_PAGE = 20
PERIODS = ("month", "all")
JOINED, PROGRESS, FINISHED = "joined", "progress", "finished"


class LeaderRow(SQLModel):
    rank: int
    user_id: int
    username: str
    name: str
    pages: int


class ActivityItem(SQLModel):
    kind: str  # joined / progress / finished
    username: str
    name: str
    book_title: str
    pages: int  # progress: pages read in that entry
    at: str  # ISO 8601, UTC


def leaderboard(
    *, session: Session, viewer_id: int | None, circle_id: int, period: str = "month", limit: int = BOARD_SIZE
) -> list[LeaderRow]:
    """Pages read this month (UTC) or all time by the members who opted in, most first."""
    access.content(session, viewer_id, circle_id)
    return board_of(session, viewer_id, circle_id, period=period, limit=limit)


def board_of(
    session: Session, viewer_id: int | None, circle_id: int, *, period: str = "month", limit: int = BOARD_SIZE
) -> list[LeaderRow]:
    """``leaderboard`` for a circle the caller already checked the viewer may see."""
    if period not in PERIODS:
        raise InvalidInput("Choose month or all.", field="period")
    on = [col(ReadingProgress.user_id) == col(CircleMember.user_id)]
    if period == "month":
        start = datetime.datetime.combine(month_start(), datetime.time(), tzinfo=datetime.UTC)
        on.append(col(ReadingProgress.recorded_at) >= sa.literal(start, UTCDateTime()))
    pages = func.coalesce(func.sum(ReadingProgress.pages_delta), 0).label("pages")
    query = (
        select(col(User.id), col(User.username), col(User.name), pages)
        .select_from(CircleMember)
        .join(User, col(User.id) == col(CircleMember.user_id))
        .outerjoin(ReadingProgress, sa.and_(*on))
        .where(
            col(CircleMember.circle_id) == circle_id,
            col(CircleMember.on_leaderboard).is_(True),
            *shown_members(viewer_id),
        )
        .group_by(col(User.id), col(User.username), col(User.name))
        .order_by(pages.desc(), col(User.name), col(User.id))
        .limit(max(1, min(limit, BOARD_SIZE)))
    )
    rows = session.exec(query).all()
    return [
        LeaderRow(rank=i + 1, user_id=uid or 0, username=username, name=name, pages=int(total))
        for i, (uid, username, name, total) in enumerate(rows)
    ]


def activity(
    *, session: Session, viewer_id: int | None, circle_id: int, page: int = 1, limit: int = ACTIVITY_PAGE
) -> tuple[list[ActivityItem], bool]:
    """Newest first: members who joined, progress they logged, books they finished.
    Each branch walks its own index newest-first and stops early; one statement."""
    access.content(session, viewer_id, circle_id)
    return activity_of(session, viewer_id, circle_id, page=page, limit=limit)


def activity_of(
    session: Session, viewer_id: int | None, circle_id: int, *, page: int = 1, limit: int = ACTIVITY_PAGE
) -> tuple[list[ActivityItem], bool]:
    """``activity`` for a circle the caller already checked the viewer may see."""
    limit = max(1, min(limit, ACTIVITY_PAGE))
    depth = max(1, page) * limit + 1
    members = select(CircleMember.user_id).where(
        col(CircleMember.circle_id) == circle_id, col(CircleMember.pending).is_(False)
    )
    shown = privacy.entry_shown(viewer_id)
    empty = sa.literal("")
    joined = (
        Select(sa.literal(JOINED), col(CircleMember.user_id), col(CircleMember.joined_at), empty, sa.literal(0))
        .where(col(CircleMember.circle_id) == circle_id, col(CircleMember.pending).is_(False))
        .order_by(col(CircleMember.joined_at).desc())
        .limit(depth)
    )
    progress = (
        Select(
            sa.literal(PROGRESS),
            col(ReadingProgress.user_id),
            col(ReadingProgress.recorded_at),
            copies.title_sql(),
            col(ReadingProgress.pages_delta),
        )
        .join(UserBook, col(UserBook.id) == col(ReadingProgress.user_book_id))
        .join(Book, col(Book.id) == col(UserBook.book_id))
        .where(col(ReadingProgress.user_id).in_(members), col(ReadingProgress.pages_delta) > 0, shown)
        .order_by(col(ReadingProgress.recorded_at).desc())
        .limit(depth)
    )
    finished = (
        Select(sa.literal(FINISHED), col(Read.user_id), col(Read.updated_at), copies.title_sql(), sa.literal(0))
        .join(UserBook, col(UserBook.id) == col(Read.user_book_id))
        .join(Book, col(Book.id) == col(UserBook.book_id))
        .where(col(Read.user_id).in_(members), col(Read.status) == ReadingStatus.FINISHED.value, shown)
        .order_by(col(Read.updated_at).desc())
        .limit(depth)
    )
    parts = [q.subquery() for q in (joined, progress, finished)]
    union = sa.union_all(*(select(*p.c) for p in parts)).subquery()
    kind, user_id, at, title, pages = union.c
    query = (
        Select(kind, col(User.username), col(User.name), title, pages, at)
        .join(User, col(User.id) == user_id)
        .where(privacy.not_hidden_between(viewer_id, user_id), col(User.suspended_at).is_(None))
        .order_by(at.desc())
        .offset((max(1, page) - 1) * limit)
        .limit(limit + 1)
    )
    rows = session.exec(query).all()  # type: ignore[call-overload]
    items = [
        ActivityItem(kind=k, username=u, name=n, book_title=t or "", pages=int(p or 0), at=_iso(a))
        for k, u, n, t, p, a in rows[:limit]
    ]
    return items, len(rows) > limit


def _iso(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return value.isoformat()
    return str(value or "")
