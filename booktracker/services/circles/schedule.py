"""The circle's current book, its schedule (checkpoints), the shared goal and
members' progress on the book.

Curators and the owner set them; members' progress is read from their own
library (``UserBook.current_page`` / ``status`` for that book): an entry its
reader hid from others shows as "not in their library" to everyone else.
Each list is one statement, whatever the number of members.
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, func, select

from booktracker.errors import InvalidInput, NotFound
from booktracker.models import (
    Book,
    Circle,
    CircleCheckpoint,
    CircleGoalKind,
    CircleMember,
    Read,
    ReadingProgress,
    ReadingStatus,
    User,
    UserBook,
)
from booktracker.services import privacy
from booktracker.services.circles import access
from booktracker.services.posts.cards import initials

LABEL_MAX = 200
CHECKPOINTS_MAX = 50  # a schedule, not a diary: the page shows them all
MEMBERS_PAGE = 20
GOAL_MAX = 1_000_000


class CheckpointView(SQLModel):
    id: int
    label: str
    due_on: str  # ISO date
    page: int  # -1: no page


class MemberProgress(SQLModel):
    user_id: int
    username: str
    name: str
    initials: str
    role: str
    status: str  # "" when the book is not (visibly) in their library
    current_page: int
    total_pages: int
    percent: int  # 0-100, for the progress bar


def percent(done: int, total: int) -> int:
    return max(0, min(100, round(100 * done / total))) if total > 0 else 0


def set_current_book(
    *, session: Session, user_id: int, circle_id: int, book_id: int | None, started_on: datetime.date | None = None
) -> None:
    """Set (or clear, with None) the book the circle reads, from when; a new book clears the old schedule."""
    circle = access.runner(session, user_id, circle_id).circle
    if book_id is not None and session.get(Book, book_id) is None:
        raise NotFound("That book does not exist.")
    if book_id != circle.current_book_id:
        session.exec(sa.delete(CircleCheckpoint).where(col(CircleCheckpoint.circle_id) == circle_id))
    circle.current_book_id = book_id
    circle.book_started_on = started_on if book_id is not None else None
    session.add(circle)
    session.commit()


def add_checkpoint(
    *, session: Session, user_id: int, circle_id: int, label: str, due_on: datetime.date, page: int | None = None
) -> int:
    access.runner(session, user_id, circle_id)
    label = " ".join(label.split())
    if not label:
        raise InvalidInput("Say what to read by then, e.g. “chapters 1–5”.", field="label")
    if len(label) > LABEL_MAX:
        raise InvalidInput(f"At most {LABEL_MAX} characters.", field="label")
    if page is not None and not 0 < page <= 100_000:
        raise InvalidInput("Page must be between 1 and 100,000.", field="page")
    count = session.exec(
        select(func.count()).select_from(CircleCheckpoint).where(col(CircleCheckpoint.circle_id) == circle_id)
    ).one()
    if count >= CHECKPOINTS_MAX:
        raise InvalidInput(f"A schedule has at most {CHECKPOINTS_MAX} checkpoints.", field="label")
    checkpoint = CircleCheckpoint(circle_id=circle_id, label=label, due_on=due_on, page=page)
    session.add(checkpoint)
    session.commit()
    assert checkpoint.id is not None
    return checkpoint.id


def delete_checkpoint(*, session: Session, user_id: int, circle_id: int, checkpoint_id: int) -> None:
    access.runner(session, user_id, circle_id)
    checkpoint = session.get(CircleCheckpoint, checkpoint_id)
    if checkpoint is None or checkpoint.circle_id != circle_id:
        raise NotFound("That checkpoint does not exist.")
    session.delete(checkpoint)
    session.commit()


def set_goal(*, session: Session, user_id: int, circle_id: int, kind: str, target: int) -> None:
    circle = access.runner(session, user_id, circle_id).circle
    if kind not in {k.value for k in CircleGoalKind}:
        raise InvalidInput("Choose pages, books or no goal.", field="goal_kind")
    if kind != CircleGoalKind.NONE.value and not 0 < target <= GOAL_MAX:
        raise InvalidInput(f"The goal must be between 1 and {GOAL_MAX:,}.", field="goal_target")
    circle.goal_kind, circle.goal_target = kind, target if kind != CircleGoalKind.NONE.value else 0
    session.add(circle)
    session.commit()


def checkpoints(session: Session, circle_id: int) -> list[CheckpointView]:
    rows = session.exec(
        select(CircleCheckpoint)
        .where(col(CircleCheckpoint.circle_id) == circle_id)
        .order_by(col(CircleCheckpoint.due_on), col(CircleCheckpoint.id))
        .limit(CHECKPOINTS_MAX)
    ).all()
    return [CheckpointView(id=c.id or 0, label=c.label, due_on=c.due_on.isoformat(), page=c.page or -1) for c in rows]


def schedule_of(*, session: Session, viewer_id: int | None, circle_id: int) -> list[CheckpointView]:
    access.content(session, viewer_id, circle_id)
    return checkpoints(session, circle_id)


def shown_members(viewer_id: int | None) -> list[sa.ColumnElement[bool]]:
    """Members other readers see listed: approved, not blocked either way with the viewer, not suspended."""
    return [
        col(CircleMember.pending).is_(False),
        privacy.not_hidden_between(viewer_id, col(CircleMember.user_id)),
        sa.or_(col(User.suspended_at).is_(None), col(User.id) == (viewer_id or 0)),
    ]


def members_progress(
    *, session: Session, viewer_id: int | None, circle_id: int, offset: int = 0, limit: int = MEMBERS_PAGE
) -> list[MemberProgress]:
    """Members side by side on the current book: furthest first, one statement per page."""
    circle = access.content(session, viewer_id, circle_id).circle
    return progress_of(session, viewer_id, circle, offset=offset, limit=limit)


def progress_of(
    session: Session, viewer_id: int | None, circle: Circle, *, offset: int = 0, limit: int = MEMBERS_PAGE
) -> list[MemberProgress]:
    """``members_progress`` for a circle the caller already checked the viewer may see."""
    circle_id = circle.id
    entry_on = sa.and_(
        col(UserBook.user_id) == col(CircleMember.user_id),
        col(UserBook.book_id) == (circle.current_book_id or 0),
        privacy.entry_shown(viewer_id),
    )
    pages = func.coalesce(col(UserBook.copy_pages), col(Book.total_pages), 0)
    query = (
        select(CircleMember, User, col(UserBook.status), col(UserBook.current_page), pages)  # type: ignore[call-overload]
        .join(User, col(User.id) == col(CircleMember.user_id))
        .outerjoin(UserBook, entry_on)
        .outerjoin(Book, col(Book.id) == col(UserBook.book_id))
        .where(col(CircleMember.circle_id) == circle_id, *shown_members(viewer_id))
        .order_by(func.coalesce(col(UserBook.current_page), -1).desc(), col(User.name), col(User.id))
        .offset(max(0, offset))
        .limit(max(1, min(limit, MEMBERS_PAGE)))
    )
    return [
        MemberProgress(
            user_id=user.id or 0,
            username=user.username,
            name=user.name,
            initials=initials(user.name),
            role=member.role,
            status=status or "",
            current_page=page or 0,
            total_pages=total or 0,
            percent=percent(page or 0, total or 0),
        )
        for member, user, status, page, total in session.exec(query).all()
    ]


def month_start(today: datetime.date | None = None) -> datetime.date:
    today = today or datetime.datetime.now(datetime.UTC).date()
    return today.replace(day=1)


def goal_progress_sql(circle_id: int, kind: str, since: datetime.date) -> sa.ScalarSelect | None:
    """The shared goal's progress this month as a scalar subquery (members' pages logged, or reads finished)."""
    members = select(CircleMember.user_id).where(
        col(CircleMember.circle_id) == circle_id, col(CircleMember.pending).is_(False)
    )
    if kind == CircleGoalKind.PAGES.value:
        start = datetime.datetime.combine(since, datetime.time(), tzinfo=datetime.UTC)
        return (
            select(func.coalesce(func.sum(ReadingProgress.pages_delta), 0))
            .where(col(ReadingProgress.user_id).in_(members), col(ReadingProgress.recorded_at) >= start)
            .scalar_subquery()
        )
    if kind == CircleGoalKind.BOOKS.value:
        return (
            select(func.count())
            .select_from(Read)
            .where(
                col(Read.user_id).in_(members),
                col(Read.status) == ReadingStatus.FINISHED.value,
                col(Read.ended_on) >= since,
            )
            .scalar_subquery()
        )
    return None


class BookChoice(SQLModel):
    book_id: int
    title: str


def book_choices(*, session: Session, user_id: int, limit: int = 50) -> list[BookChoice]:
    """The books a curator may pick as the circle's book: their library's latest entries."""
    rows = session.exec(
        select(col(UserBook.book_id), col(Book.title))
        .join(Book, col(Book.id) == col(UserBook.book_id))
        .where(col(UserBook.user_id) == user_id)
        .order_by(col(UserBook.updated_at).desc(), col(UserBook.id).desc())
        .limit(limit)
    ).all()
    return [BookChoice(book_id=book_id, title=title) for book_id, title in rows]
