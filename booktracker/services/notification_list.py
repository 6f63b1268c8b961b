"""The notifications list: grouped, newest first, a page at a time, in one
statement; the unread count (the badge); marking read.

Only a reader's newest ``WINDOW`` notifications are listed (older ones are
history): walking the (user_id, created_at, id) index that far bounds the
cost of every page for readers with tens of thousands of notifications
(bench/RESULTS.md). The privacy rule applies when the list is read, so an
actor blocked later, either way, or suspended drops out; a deleted post,
comment or circle takes its notifications with it (ON DELETE CASCADE).
"""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col, update

from booktracker.db import utcnow
from booktracker.errors import InvalidInput
from booktracker.models import Circle, Notification, NotificationKind, Post, User
from booktracker.services import params, privacy

WINDOW = 1_000  # the newest notifications a reader's list groups
UNREAD_CAP = 100  # the badge counts this far ("99+")

# Built once: aliasing these wide tables anew on every call cost more than running
# the statement (cProfile, bench/RESULTS.md). Each is used once per statement.
_WINDOW_ACTOR, _WINDOW_POST = aliased(User, name="n_actor"), aliased(Post, name="n_post")
_ACTOR, _OTHER, _AUTHOR = aliased(User, name="n_first"), aliased(User, name="n_second"), aliased(User, name="n_author")
_POST, _CIRCLE = aliased(Post, name="n_target"), aliased(Circle, name="n_circle")

PAGE_SIZE = 20
SNIPPET_MAX = 100
# What the actors did, after their names ("Ann and 3 others liked your post").
ACTION_TEXT: dict[str, str] = {
    NotificationKind.LIKE: "liked your post",
    NotificationKind.COMMENT: "commented on your post",
    NotificationKind.REPLY: "replied to your comment",
    NotificationKind.FOLLOW: "followed you",
    NotificationKind.FOLLOW_REQUEST: "asked to follow you",
    NotificationKind.MENTION: "mentioned you",
    NotificationKind.CIRCLE_REQUEST: "asked to join",
    NotificationKind.CIRCLE_APPROVED: "let you into",
}


class NotificationView(SQLModel):
    """One line of the list: the notifications of one kind about one target
    (post, circle, or none for follows), read or unread, newest actor first."""

    ids: list[int]  # every notification in the group (mark read)
    kind: str
    unread: bool
    text: str  # "Ann and 3 others liked your post"
    actor_count: int
    actor_username: str  # the newest actor
    actor_name: str
    actor_initials: str
    actor_avatar_url: str
    post_id: int  # 0: none
    post_author_username: str  # the post's author (the link target: there is no single-post page)
    post_circle_id: int = 0  # the circle the post is in (its page lists it), 0: none
    snippet: str  # the start of the post, when it is the recipient's own (no spoilers from others' posts)
    circle_id: int  # 0: none
    circle_name: str
    created_at: str  # the newest notification's, ISO


class NotificationPage(SQLModel):
    items: list[NotificationView]
    next_cursor: str  # "" on the last page


def _newest(user_id: Any, *where: Any, limit: Any, ordered: bool = True) -> Any:
    """The reader's newest ``limit`` notifications (``where``: more conditions)
    that still stand: the actor not suspended, no block either way (even one
    made later), the post still visible to the reader."""
    newest = sa.select(Notification).where(col(Notification.user_id) == user_id, *where)
    if ordered:
        newest = newest.order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
    window = newest.limit(limit).subquery("newest")
    actor, post = _WINDOW_ACTOR, _WINDOW_POST
    return (
        sa.select(window)
        .join(actor, col(actor.id) == window.c.actor_id)
        .where(
            col(actor.suspended_at).is_(None),
            privacy.not_hidden_between(user_id, window.c.actor_id),
            # EXISTS, not a join: an index lookup per row (a join had PostgreSQL hash all posts).
            sa.or_(
                window.c.post_id.is_(None),
                sa.exists().where(col(post.id) == window.c.post_id, _post_visible(user_id, post)),
            ),
        )
        .subquery("standing")
    )


def _post_visible(user_id: Any, post: Any) -> sa.ColumnElement[bool]:
    """privacy.can_see_post over an alias of the posts table (mentions are in others' posts)."""
    return sa.or_(
        col(post.user_id) == user_id,
        sa.and_(
            col(post.is_public).is_(True),
            col(post.hidden_at).is_(None),
            privacy.can_see_author(user_id, col(post.user_id)),
            privacy.author_not_suspended(user_id, col(post.user_id)),
        ),
    )


def _cursor(cursor: str) -> int | None:
    if not cursor:
        return None
    if not cursor.isdigit() or len(cursor) > 18:
        raise InvalidInput("That page link is not valid.", field="cursor")
    return int(cursor)


def page(*, session: Session, user_id: int, cursor: str = "", limit: int = PAGE_SIZE) -> NotificationPage:
    """Newest first, grouped by kind + target + read/unread, one statement per page.

    A group's place is its newest notification's id, which is also the cursor:
    groups are whole within the statement (GROUP BY over all of the reader's
    notifications), so paging never splits or repeats one."""
    before, limit = _cursor(cursor), max(1, min(limit, 50))
    values = {"viewer_id": user_id, "limit": limit + 1, "before": before, "window": WINDOW}
    rows = session.execute(_page_statement(before is not None), values).all()
    items = [_view(row) for row in rows[:limit]]
    next_cursor = str(rows[limit - 1].latest_id) if len(rows) > limit else ""
    return NotificationPage(items=items, next_cursor=next_cursor)


# How many of the newest notifications a statement looks at (WINDOW, or UNREAD_CAP for the badge).
_WINDOW = sa.bindparam("window", type_=sa.Integer)


@functools.cache
def _page_statement(paged: bool) -> Any:
    """``page``'s statement, built once and run with bound parameters (services/params.py)."""
    user_id = params.VIEWER
    standing = _newest(user_id, limit=_WINDOW)
    unread = sa.case((standing.c.read_at.is_(None), 1), else_=0)
    vis = sa.select(
        standing.c.id,
        standing.c.kind,
        sa.func.coalesce(standing.c.post_id, 0).label("gpost"),
        sa.func.coalesce(standing.c.circle_id, 0).label("gcircle"),
        unread.label("unread"),
        standing.c.actor_id,
        standing.c.created_at,
    ).cte("vis")
    key = (vis.c.kind, vis.c.gpost, vis.c.gcircle, vis.c.unread)
    groups = sa.select(
        *key,
        sa.func.max(vis.c.id).label("latest_id"),
        sa.func.max(vis.c.created_at).label("latest_at"),
        sa.func.count(sa.distinct(vis.c.actor_id)).label("actors"),
        sa.func.aggregate_strings(sa.cast(vis.c.id, sa.String), ",").label("ids"),
    ).group_by(*key)
    if paged:
        groups = groups.having(sa.func.max(vis.c.id) < sa.bindparam("before", type_=sa.Integer))
    groups = groups.order_by(sa.desc("latest_id")).limit(params.LIMIT).cte("groups")

    def same_group(other: Any) -> sa.ColumnElement[bool]:
        return sa.and_(*(other.c[k.name] == groups.c[k.name] for k in key))

    # The distinct actors of each group on the page, newest first: the first two are named.
    ranked = (
        sa.select(
            *key,
            vis.c.actor_id,
            sa.func.row_number().over(partition_by=key, order_by=sa.func.max(vis.c.id).desc()).label("rn"),
        )
        .join(groups, same_group(vis))
        .group_by(*key, vis.c.actor_id)
        .cte("ranked")
    )
    return _page_select(user_id, groups, ranked, same_group)


def _page_select(user_id: Any, groups: Any, ranked: Any, same_group: Any) -> sa.Select:
    first, second = ranked.alias("r1"), ranked.alias("r2")
    actor, other, author, post, circle = _ACTOR, _OTHER, _AUTHOR, _POST, _CIRCLE
    own_text = sa.case((col(post.user_id) == user_id, sa.func.substr(col(post.text), 1, SNIPPET_MAX + 1)), else_="")
    return (
        sa.select(
            groups,
            col(actor.username).label("actor_username"),
            col(actor.name).label("actor_name"),
            col(actor.avatar_small_url).label("actor_avatar"),
            col(other.name).label("other_name"),
            col(author.username).label("post_author"),
            col(post.circle_id).label("post_circle"),
            own_text.label("snippet"),
            col(circle.name).label("circle_name"),
        )
        .select_from(groups)
        .join(first, sa.and_(same_group(first), first.c.rn == 1))
        .join(actor, col(actor.id) == first.c.actor_id)
        .outerjoin(second, sa.and_(same_group(second), second.c.rn == 2))
        .outerjoin(other, col(other.id) == second.c.actor_id)
        .outerjoin(post, col(post.id) == groups.c.gpost)
        .outerjoin(author, col(author.id) == col(post.user_id))
        .outerjoin(circle, col(circle.id) == groups.c.gcircle)
        .order_by(groups.c.latest_id.desc())
    )


def group_text(kind: str, actor_name: str, other_name: str, actor_count: int, circle_name: str = "") -> str:
    if actor_count <= 1:
        who = actor_name
    elif actor_count == 2:
        who = f"{actor_name} and {other_name}"
    else:
        who = f"{actor_name} and {actor_count - 1:,} others"
    action = ACTION_TEXT.get(kind, kind)
    return f"{who} {action} {circle_name}".rstrip() if circle_name else f"{who} {action}"


def _view(row: Any) -> NotificationView:
    # Imported here: services.posts (reactions) notifies through services.notifications, which imports this module.
    from booktracker.services.posts import initials

    snippet = row.snippet or ""
    if len(snippet) > SNIPPET_MAX:
        snippet = snippet[:SNIPPET_MAX].rstrip() + "…"
    return NotificationView(
        ids=sorted((int(i) for i in row.ids.split(",")), reverse=True),
        kind=row.kind,
        unread=bool(row.unread),
        text=group_text(row.kind, row.actor_name, row.other_name or "", row.actors, row.circle_name or ""),
        actor_count=row.actors,
        actor_username=row.actor_username,
        actor_name=row.actor_name,
        actor_initials=initials(row.actor_name),
        actor_avatar_url=row.actor_avatar or "",
        post_id=row.gpost,
        post_author_username=row.post_author or "",
        post_circle_id=row.post_circle or 0,
        snippet=snippet,
        circle_id=row.gcircle,
        circle_name=row.circle_name or "",
        created_at=row.latest_at.isoformat() if row.latest_at else "",
    )


def unread_count(*, session: Session, user_id: int) -> int:
    """The badge: unread notifications that still stand, counted up to ``UNREAD_CAP`` (one statement)."""
    return session.execute(_unread_statement(), {"viewer_id": user_id, "window": UNREAD_CAP}).scalar_one()


@functools.cache
def _unread_statement() -> Any:
    """``unread_count``'s statement (on every page's badge), built once (services/params.py)."""
    standing = _newest(params.VIEWER, col(Notification.read_at).is_(None), limit=_WINDOW, ordered=False)
    return sa.select(sa.func.count()).select_from(standing)


def mark_read(*, session: Session, user_id: int, ids: list[int] | None) -> int:
    """Mark the reader's own notifications read: these ids, or all when ``ids`` is None.
    Others' ids are silently ignored (nothing to tell apart from "already read"); all
    means all, also those beyond the listed window."""
    where = [col(Notification.user_id) == user_id, col(Notification.read_at).is_(None)]
    if ids is not None:
        ids = [int(i) for i in ids][:1000]
        if not ids:
            return 0
        where.append(col(Notification.id).in_(ids))
    changed = session.exec(update(Notification).where(*where).values(read_at=utcnow())).rowcount
    session.commit()
    return changed
