"""What the circle pages show: the list to discover circles, and one circle's
overview (about, the viewer's role, counts, current book, goal progress) in
one statement each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col, func, select

from booktracker.models import Book, Circle, CircleGoalKind, CircleMember, Post, User
from booktracker.services import privacy
from booktracker.services.circles import access
from booktracker.services.circles.boards import ActivityItem, LeaderRow, activity_of, board_of
from booktracker.services.circles.schedule import (
    CheckpointView,
    MemberProgress,
    checkpoints,
    goal_progress_sql,
    month_start,
    percent,
    progress_of,
)
from booktracker.services.storage import StoredImage

LIST_PAGE = 20
LIST_TABS = ("mine", "discover")


class CircleCard(SQLModel):
    id: int
    name: str
    description: str
    cover_url: str  # absolute (Cloudinary) or "" with cover_path under /_upload/
    cover_path: str
    is_public: bool
    member_count: int
    my_role: str  # owner / curator / member / pending / ""


class CircleOverview(CircleCard):
    book_id: int
    book_title: str
    book_authors: str
    book_cover_url: str
    book_pages: int
    book_started_on: str
    goal_kind: str
    goal_target: int
    goal_done: int
    goal_percent: int
    post_count: int
    sees_content: bool
    on_leaderboard: bool


def _member_count(circle: Any = Circle) -> Any:
    return (
        select(func.count())
        .select_from(CircleMember)
        .where(col(CircleMember.circle_id) == col(circle.id), col(CircleMember.pending).is_(False))
        .scalar_subquery()
    )


def _cover(circle: Circle) -> tuple[str, str]:
    image = StoredImage(circle.cover_url, circle.cover_key)
    return (circle.cover_url, "") if not circle.cover_key else (image.url, image.local_path)


def _card(circle: Circle, count: int, role: str) -> dict[str, Any]:
    url, path = _cover(circle)
    return {
        "id": circle.id or 0,
        "name": circle.name,
        "description": circle.description,
        "cover_url": url,
        "cover_path": path,
        "is_public": circle.is_public,
        "member_count": int(count or 0),
        "my_role": role,
    }


def _role(member: CircleMember | None) -> str:
    if member is None:
        return ""
    return "pending" if member.pending else member.role


def list_circles(
    *, session: Session, viewer_id: int | None, tab: str = "discover", query: str = "", page: int = 1
) -> tuple[list[CircleCard], bool]:
    """ "mine": the viewer's circles and requests; "discover": circles they may see
    (public ones), by name. Newest first, paged; one statement."""
    if tab not in LIST_TABS:
        raise access.NotFound(f"Unknown list {tab!r}.")
    mine = aliased(CircleMember)
    on = sa.and_(col(mine.circle_id) == col(Circle.id), col(mine.user_id) == (viewer_id or 0))
    stmt = select(Circle, mine, _member_count()).outerjoin(mine, on)  # type: ignore[call-overload]
    stmt = stmt.where(privacy.not_hidden_between(viewer_id, col(Circle.owner_id)))
    if tab == "mine":
        if viewer_id is None:
            return [], False
        stmt = stmt.where(col(mine.user_id).is_not(None))
    else:
        stmt = stmt.where(col(Circle.is_public).is_(True))
    words = " ".join(query.split())[:80]
    if words:
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(func.lower(col(Circle.name)).like(f"%{escaped.lower()}%", escape="\\"))
    page = max(1, page)
    stmt = stmt.order_by(col(Circle.created_at).desc(), col(Circle.id).desc())
    rows = session.exec(stmt.offset((page - 1) * LIST_PAGE).limit(LIST_PAGE + 1)).all()
    cards = [CircleCard(**_card(circle, count, _role(member))) for circle, member, count in rows[:LIST_PAGE]]
    return cards, len(rows) > LIST_PAGE


def overview(*, session: Session, viewer_id: int | None, circle_id: int) -> CircleOverview:
    """One circle's head: about, counts, current book and goal; the loader's rule
    (services/circles/access.py) decides whether it exists for the viewer."""
    return _head(session, access.load(session, viewer_id, circle_id))


@dataclass
class CirclePage:
    """Everything the circle page shows but its posts (services/posts ``circle_posts``)."""

    head: CircleOverview
    schedule: list[CheckpointView]
    progress: list[MemberProgress]
    board: list[LeaderRow]
    activity: list[ActivityItem]
    activity_more: bool


def circle_page(
    *, session: Session, viewer_id: int | None, circle_id: int, period: str = "month", activity_page: int = 1
) -> CirclePage:
    """The circle page with one access check: six statements, whatever the
    number of members (only its head when the viewer may not see the content)."""
    found = access.load(session, viewer_id, circle_id)
    head = _head(session, found)
    if not found.sees_content:
        return CirclePage(head, [], [], [], [], False)
    items, more = activity_of(session, viewer_id, circle_id, page=activity_page)
    return CirclePage(
        head=head,
        schedule=checkpoints(session, circle_id),
        progress=progress_of(session, viewer_id, found.circle),
        board=board_of(session, viewer_id, circle_id, period=period),
        activity=items,
        activity_more=more,
    )


def _head(session: Session, found: access.Access) -> CircleOverview:
    circle, circle_id = found.circle, found.circle_id
    posts = select(func.count()).select_from(Post).where(col(Post.circle_id) == circle_id).scalar_subquery()
    goal = goal_progress_sql(circle_id, circle.goal_kind, month_start())
    stmt = select(  # type: ignore[call-overload]
        _member_count(),
        posts,
        goal if goal is not None else sa.literal(0),
        col(Book.id),
        col(Book.title),
        col(Book.authors),
        col(Book.cover_url),
        col(Book.total_pages),
    ).select_from(Circle)
    stmt = stmt.outerjoin(Book, col(Book.id) == col(Circle.current_book_id)).where(col(Circle.id) == circle_id)
    count, post_count, done, book_id, title, authors, cover, pages = session.exec(stmt).one()
    sees = found.sees_content
    return CircleOverview(
        **_card(circle, count, found.role),
        book_id=book_id or 0,
        book_title=title or "",
        book_authors=authors or "",
        book_cover_url=cover or "",
        book_pages=pages or 0,
        book_started_on=circle.book_started_on.isoformat() if circle.book_started_on else "",
        goal_kind=circle.goal_kind if sees else CircleGoalKind.NONE.value,
        goal_target=circle.goal_target if sees else 0,
        goal_done=int(done or 0) if sees else 0,
        goal_percent=percent(int(done or 0), circle.goal_target) if sees else 0,
        post_count=int(post_count or 0) if sees else 0,
        sees_content=sees,
        on_leaderboard=bool(found.member.on_leaderboard) if found.member else False,
    )


class RequestView(SQLModel):
    user_id: int
    username: str
    name: str
    asked_at: str  # ISO 8601, UTC


def pending_requests(*, session: Session, user_id: int, circle_id: int, offset: int = 0) -> list[RequestView]:
    """Requests to join, oldest first, for the owner and curators (index circle_id, pending, joined_at)."""
    access.runner(session, user_id, circle_id)
    query = (
        select(CircleMember, User)
        .join(User, col(User.id) == col(CircleMember.user_id))
        .where(
            col(CircleMember.circle_id) == circle_id,
            col(CircleMember.pending).is_(True),
            privacy.not_hidden_between(user_id, col(User.id)),
            col(User.suspended_at).is_(None),
        )
        .order_by(col(CircleMember.joined_at), col(User.id))
        .offset(max(0, offset))
        .limit(LIST_PAGE)
    )
    return [
        RequestView(user_id=user.id or 0, username=user.username, name=user.name, asked_at=member.joined_at.isoformat())
        for member, user in session.exec(query).all()
    ]
