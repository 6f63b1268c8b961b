"""Lists of posts: the feeds, a profile's posts, a circle's, a book's; keyset cursors.
Each list chooses its posts here; cards.py draws them.

Visibility rule, everywhere (services/privacy.py): a private post exists only
for its author; a public one for readers who may see its author's profile.
Feeds and profile pages cost two statements per page, however many posts,
likes and readers there are: the page's post ids (a keyset cursor, not
OFFSET), then their cards by primary key (counts are correlated subqueries
in that SELECT); an empty page costs one.
"""

from __future__ import annotations

import base64
import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from booktracker.errors import InvalidInput
from booktracker.models import Circle, Follow, Post, UserBook
from booktracker.services import params, privacy
from booktracker.services.posts import cards
from booktracker.services.posts.cards import PostView

FEED_PAGE = 20
FEED_TABS = ("everyone", "following")


@dataclass
class FeedPage:
    posts: list[PostView]
    next_cursor: str  # "" when there is nothing more


# Feeds and profiles: circle posts are shown on their circle's page only.
_NOT_IN_CIRCLE = col(Post.circle_id).is_(None)


def encode_cursor(created_at: datetime.datetime, post_id: int) -> str:
    raw = f"{created_at.isoformat()}|{post_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, post_id = raw.rsplit("|", 1)
        when = datetime.datetime.fromisoformat(stamp)
        if when.tzinfo is None:
            raise ValueError
        return when, int(post_id)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("That page link is not valid.", field="cursor") from None


_NEWEST = (col(Post.created_at).desc(), col(Post.id).desc())
# Statements are built once per shape and run with bound parameters (services/params.py).
_viewer = params.viewer


def _newest_statement(viewer: Any, branches: list[list[Any]], after: bool, *, muted: bool = True) -> Any:
    """The ids of a page's posts (``limit`` + 1 of them), newest first.

    Each branch is a plain AND of conditions, so it walks an index
    (created_at, id) newest-first and stops after ``limit`` rows; an OR
    across branches would make the database sort every visible post.
    Blocks, mutes, hiding and suspensions (services/privacy.py) go into every branch.
    """
    safe = privacy.content_visible(viewer, col(Post.user_id), col(Post.hidden_at), muted=muted)
    start = [sa.tuple_(col(Post.created_at), col(Post.id)) < sa.tuple_(params.AFTER_AT, params.AFTER_ID)]
    walks = [
        select(Post.id, Post.created_at)
        .where(*conditions, *safe, *(start if after else []))
        .order_by(*_NEWEST)
        .limit(params.LIMIT)
        .subquery()
        for conditions in branches
    ]
    chosen = sa.union_all(*(select(walk.c.id, walk.c.created_at) for walk in walks)).subquery()
    return select(chosen.c.id).order_by(chosen.c.created_at.desc(), chosen.c.id.desc()).limit(params.LIMIT)


def _run_page(
    session: Session, statement: Any, viewer_id: int | None, cursor: str, limit: int, **values: Any
) -> FeedPage:
    """One page of a cached newest-first ids statement (``_newest_statement``)."""
    if cursor:
        values["after_at"], values["after_id"] = decode_cursor(cursor)
    return _page_of(session, statement, viewer_id, limit, values, lambda last: encode_cursor(last.created_at, last.id))


def _page_of(
    session: Session,
    statement: Any,
    viewer_id: int | None,
    limit: int,
    values: dict[str, Any],
    cursor_after: Callable[[Any], str],
) -> FeedPage:
    """The ids (``limit + 1`` tell whether there is more), then their cards; the
    next page's cursor from the last post shown, as ``cursor_after`` spells it."""
    limit = max(1, min(limit, FEED_PAGE))
    values.update(viewer_id=viewer_id, limit=limit + 1)
    ids = list(session.exec(statement, params=values).all())
    rows = cards.cards(session, viewer_id, ids[:limit])
    next_cursor = cursor_after(rows[-1][0]) if len(ids) > limit and rows else ""
    return FeedPage(posts=[cards.to_view(row, viewer_id) for row in rows], next_cursor=next_cursor)


def _public(viewer: Any) -> list[Any]:
    """Others' posts: public, by authors whose profile the viewer may see (services/privacy.py).
    Circle posts live on their circle's page only, never in a feed."""
    return [col(Post.is_public).is_(True), privacy.can_see_author(viewer, col(Post.user_id)), _NOT_IN_CIRCLE]


@functools.cache
def _feed_statement(tab: str, signed_in: bool, after: bool) -> Any:
    viewer = _viewer(signed_in)
    if tab == "everyone":
        branches: list[list[Any]] = [_public(viewer)]
        if signed_in:
            branches.append([col(Post.user_id) == viewer, col(Post.is_public).is_(False), _NOT_IN_CIRCLE])
        return _newest_statement(viewer, branches, after)
    # Approved follows only: a pending request is no follow.
    followed = select(Follow.followee_id).where(col(Follow.follower_id) == viewer, privacy.accepted())
    branches = [[*_public(viewer), col(Post.user_id).in_(followed)], [col(Post.user_id) == viewer, _NOT_IN_CIRCLE]]
    return _newest_statement(viewer, branches, after)


def feed(
    *, session: Session, viewer_id: int | None, tab: str = "everyone", cursor: str = "", limit: int = FEED_PAGE
) -> FeedPage:
    if tab not in FEED_TABS:
        raise InvalidInput(f"Unknown feed {tab!r}.", field="tab")
    if tab == "following" and viewer_id is None:
        return FeedPage(posts=[], next_cursor="")
    statement = _feed_statement(tab, viewer_id is not None, bool(cursor))
    return _run_page(session, statement, viewer_id, cursor, limit)


@functools.cache
def _user_posts_statement(signed_in: bool, mine: bool, after: bool) -> Any:
    viewer = _viewer(signed_in)
    others = [col(Post.is_public).is_(True), privacy.can_see_author(viewer, col(Post.user_id))]
    conditions = [col(Post.user_id) == params.AUTHOR, _NOT_IN_CIRCLE] + ([] if mine else others)
    # A profile is visited on purpose: a muted reader's own page still shows their posts.
    return _newest_statement(viewer, [conditions], after, muted=False)


def user_posts(
    *, session: Session, viewer_id: int | None, author_id: int, cursor: str = "", limit: int = FEED_PAGE
) -> FeedPage:
    mine = viewer_id is not None and viewer_id == author_id
    statement = _user_posts_statement(viewer_id is not None, mine, bool(cursor))
    return _run_page(session, statement, viewer_id, cursor, limit, author_id=author_id)


@functools.cache
def _circle_statement(signed_in: bool, after: bool) -> Any:
    viewer = _viewer(signed_in)
    circle = aliased(Circle)
    circle_seen = sa.exists().where(col(circle.id) == params.CIRCLE, privacy.can_see_circle(viewer, circle))
    return _newest_statement(viewer, [[col(Post.circle_id) == params.CIRCLE, circle_seen]], after)


def circle_posts(
    *, session: Session, viewer_id: int | None, circle_id: int, cursor: str = "", limit: int = FEED_PAGE
) -> FeedPage:
    """A circle's posts, newest first (index (circle_id, created_at, id)); the
    audience rule (services/privacy.py ``can_see_circle``) decides who sees them, checked
    once for the circle (not per row), so the index walk stops after a page."""
    statement = _circle_statement(viewer_id is not None, bool(cursor))
    return _run_page(session, statement, viewer_id, cursor, limit, circle_id=circle_id)


BOOK_POST_KINDS = ("reviews", "posts")  # public reviews, or the other posts and quotes about a book
BOOK_POST_SORTS = ("newest", "liked")


def book_posts(
    *,
    session: Session,
    viewer_id: int | None,
    book_id: int,
    kind: str = "reviews",
    sort: str = "newest",
    cursor: str = "",
    limit: int = FEED_PAGE,
) -> FeedPage:
    """A book's public page (services/book_pages.py): its public reviews (their
    companion posts) or its other posts and quotes, newest or most liked first;
    two statements per page. Posts about a copy its reader hid from others are
    not listed: they would tell who has the book."""
    if kind not in BOOK_POST_KINDS:
        raise InvalidInput(f"Unknown list {kind!r}.", field="kind")
    if sort not in BOOK_POST_SORTS:
        raise InvalidInput(f"Unknown order {sort!r}.", field="sort")
    if sort == "newest":
        statement = _book_statement(kind, viewer_id is not None, bool(cursor))
        return _run_page(session, statement, viewer_id, cursor, limit, book_id=book_id)
    return _liked_page(session, viewer_id, kind, book_id, cursor, limit)


def _book_branches(kind: str, viewer: Any) -> list[list[Any]]:
    is_review = col(Post.review_id).is_not(None) if kind == "reviews" else col(Post.review_id).is_(None)
    entry = aliased(UserBook)
    copy_shown = sa.exists().where(col(entry.id) == col(Post.user_book_id), privacy.entry_shown(viewer, entry))
    about = [col(Post.book_id) == params.BOOK, is_review, _NOT_IN_CIRCLE]
    about.append(sa.or_(col(Post.user_book_id).is_(None), copy_shown))
    branches = [[*about, col(Post.is_public).is_(True), privacy.can_see_author(viewer, col(Post.user_id))]]
    if viewer is not None:
        branches.append([*about, col(Post.user_id) == viewer, col(Post.is_public).is_(False)])
    return branches


@functools.cache
def _book_statement(kind: str, signed_in: bool, after: bool) -> Any:
    viewer = _viewer(signed_in)
    return _newest_statement(viewer, _book_branches(kind, viewer), after)


_LIKED_KEY = (col(Post.like_count), col(Post.created_at), col(Post.id))


@functools.cache
def _liked_statement(kind: str, signed_in: bool, after: bool) -> Any:
    """Most liked first (then newest), paged by a (likes, date, id) keyset cursor: the ids."""
    viewer = _viewer(signed_in)
    safe = privacy.content_visible(viewer, col(Post.user_id), col(Post.hidden_at))
    start = [sa.tuple_(*_LIKED_KEY) < sa.tuple_(params.AFTER_LIKES, params.AFTER_AT, params.AFTER_ID)] if after else []
    matching = sa.or_(*(sa.and_(*conditions) for conditions in _book_branches(kind, viewer)))
    query = select(Post.id).where(matching, *safe, *start)
    return query.order_by(*(part.desc() for part in _LIKED_KEY)).limit(params.LIMIT)


def _liked_page(session: Session, viewer_id: int | None, kind: str, book_id: int, cursor: str, limit: int) -> FeedPage:
    values: dict[str, Any] = {"book_id": book_id}
    if cursor:
        values["after_likes"], values["after_at"], values["after_id"] = _decode_liked(cursor)
    statement = _liked_statement(kind, viewer_id is not None, bool(cursor))
    return _page_of(session, statement, viewer_id, limit, values, _liked_cursor)


def _liked_cursor(last: Post) -> str:
    raw = f"{last.like_count}|{last.created_at.isoformat()}|{last.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_liked(cursor: str) -> tuple[int, datetime.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        likes, rest = raw.split("|", 1)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("That page link is not valid.", field="cursor") from None
    when, post_id = decode_cursor(base64.urlsafe_b64encode(rest.encode()).decode())
    if not likes.isdigit():
        raise InvalidInput("That page link is not valid.", field="cursor")
    return int(likes), when, post_id
