"""Reading posts: the views readers get, feeds, profiles, one post, cursors.

Visibility rule, everywhere: a private post exists only for its author.
Feeds and profile pages cost one statement per page, however many posts,
likes and readers there are (counts are correlated subqueries in the same
SELECT, and paging is by keyset cursor, not OFFSET).
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, func, select
from sqlmodel.sql.expression import Select

from booktracker.db import UTCDateTime
from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Book, Comment, Follow, Like, Post, User, UserBook
from booktracker.services.library import copies
from booktracker.services.storage import StoredImage

FEED_PAGE = 20
FEED_TABS = ("everyone", "following")
ANONYMOUS_NAME = "Community post"


class PostView(SQLModel):
    """One post as a reader (or a logged-out visitor) may see it."""

    id: int
    author_username: str
    author_name: str
    author_initials: str
    book_title: str
    book_authors: str
    book_cover_url: str
    text: str
    emotion: str
    quote: str
    image_url: str  # absolute (Cloudinary) or ""
    image_path: str  # under the upload dir for local images, or ""
    page: int
    chapter: str
    is_public: bool
    created_at: str  # ISO 8601, UTC
    edited: bool
    like_count: int
    comment_count: int
    liked_by_me: bool
    is_mine: bool


@dataclass
class FeedPage:
    posts: list[PostView]
    next_cursor: str  # "" when there is nothing more


def initials(name: str) -> str:
    parts = [p for p in name.split() if p]
    letters = "".join(p[0] for p in parts[:2]) if parts else "?"
    return letters.upper()


def visible_to(viewer_id: int | None) -> sa.ColumnElement[bool]:
    """The visibility rule as a WHERE condition (shared with likes and comments)."""
    public = col(Post.is_public).is_(True)
    if viewer_id is None:
        return public
    return sa.or_(public, col(Post.user_id) == viewer_id)


def _post_select(viewer_id: int | None):
    comment_count = (
        select(func.count()).select_from(Comment).where(col(Comment.note_id) == col(Post.id)).scalar_subquery()
    )
    if viewer_id is None:
        liked = sa.literal(False)
    else:
        liked = sa.exists().where(col(Like.note_id) == col(Post.id), col(Like.user_id) == viewer_id)
    # sqlmodel's select() is typed for at most four columns; this is what it builds.
    return (
        Select(
            Post,
            col(User.username),
            col(User.name),
            # The author's own copy of the book where set (their title and cover).
            copies.title_sql(),
            col(Book.authors),
            copies.cover_sql(),
            col(Post.like_count),
            comment_count.label("comment_count"),
            liked.label("liked"),
        )
        .join(User, col(User.id) == col(Post.user_id))
        .outerjoin(Book, col(Book.id) == col(Post.book_id))
        .outerjoin(UserBook, col(UserBook.id) == col(Post.user_book_id))
    )


def _to_view(row: Any, viewer_id: int | None) -> PostView:
    post, username, name, title, authors, cover, likes, comments, liked = row
    anonymous = viewer_id is None
    return PostView(
        id=post.id,
        # Logged-out visitors see what was read and said, not who said it.
        author_username="" if anonymous else username,
        author_name=ANONYMOUS_NAME if anonymous else name,
        author_initials="" if anonymous else initials(name),
        book_title=title or "",
        book_authors=authors or "",
        book_cover_url=cover or "",
        text=post.text,
        emotion=post.emotion,
        quote=post.quote,
        image_url=post.image_url,
        image_path=StoredImage(url=post.image_url, key=post.image_key).local_path,
        page=post.page if post.page is not None else -1,
        chapter=post.chapter,
        is_public=post.is_public,
        created_at=post.created_at.isoformat(),
        edited=post.updated_at > post.created_at,
        like_count=0 if anonymous else likes,
        comment_count=comments,
        liked_by_me=bool(liked) and not anonymous,
        is_mine=viewer_id is not None and post.user_id == viewer_id,
    )


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


def _newest_ids(branches: list[list[Any]], cursor: str, limit: int):
    """Ids of the newest posts matching any branch, as one subquery.

    Each branch is a plain AND of conditions, so it walks an index
    (created_at, id) newest-first and stops after ``limit`` rows; an OR
    across branches would make the database sort every visible post.
    """
    after = []
    if cursor:
        when, post_id = decode_cursor(cursor)
        after = [sa.tuple_(col(Post.created_at), col(Post.id)) < sa.tuple_(sa.literal(when, UTCDateTime()), post_id)]
    newest = (col(Post.created_at).desc(), col(Post.id).desc())
    parts = [
        select(Post.id).where(*conditions, *after).order_by(*newest).limit(limit).subquery() for conditions in branches
    ]
    chosen = sa.union_all(*(select(part.c.id) for part in parts)).subquery()
    return select(chosen.c.id)


def _page(session: Session, viewer_id: int | None, branches: list[list[Any]], cursor: str, limit: int) -> FeedPage:
    limit = max(1, min(limit, FEED_PAGE))
    query = _post_select(viewer_id).where(col(Post.id).in_(_newest_ids(branches, cursor, limit + 1)))
    rows = session.exec(query.order_by(col(Post.created_at).desc(), col(Post.id).desc()).limit(limit + 1)).all()
    views = [_to_view(row, viewer_id) for row in rows[:limit]]
    if len(rows) > limit:
        last = rows[limit - 1][0]
        next_cursor = encode_cursor(last.created_at, last.id)
    else:
        next_cursor = ""
    return FeedPage(posts=views, next_cursor=next_cursor)


def feed(
    *, session: Session, viewer_id: int | None, tab: str = "everyone", cursor: str = "", limit: int = FEED_PAGE
) -> FeedPage:
    if tab not in FEED_TABS:
        raise InvalidInput(f"Unknown feed {tab!r}.", field="tab")
    public = col(Post.is_public).is_(True)
    if tab == "everyone":
        branches: list[list[Any]] = [[public]]
        if viewer_id is not None:
            branches.append([col(Post.user_id) == viewer_id, col(Post.is_public).is_(False)])  # my private posts
        return _page(session, viewer_id, branches, cursor, limit)
    if viewer_id is None:
        return FeedPage(posts=[], next_cursor="")
    followed = select(Follow.followee_id).where(col(Follow.follower_id) == viewer_id)
    branches = [[public, col(Post.user_id).in_(followed)], [col(Post.user_id) == viewer_id]]
    return _page(session, viewer_id, branches, cursor, limit)


def user_posts(
    *, session: Session, viewer_id: int | None, author_id: int, cursor: str = "", limit: int = FEED_PAGE
) -> FeedPage:
    mine = viewer_id is not None and viewer_id == author_id
    conditions = [col(Post.user_id) == author_id] + ([] if mine else [col(Post.is_public).is_(True)])
    return _page(session, viewer_id, [conditions], cursor, limit)


def get_post(*, session: Session, viewer_id: int | None, post_id: int) -> PostView:
    row = session.exec(_post_select(viewer_id).where(col(Post.id) == post_id, visible_to(viewer_id))).first()
    if row is None:
        raise NotFound("That post does not exist.")
    return _to_view(row, viewer_id)
