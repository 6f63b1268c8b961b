"""Reading posts: the views readers get, feeds, profiles, one post, cursors.

Visibility rule, everywhere (services/privacy.py): a private post exists only
for its author; a public one for readers who may see its author's profile.
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
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col, func, select
from sqlmodel.sql.expression import Select

from booktracker.db import UTCDateTime
from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Book, Circle, Comment, Follow, Like, Post, Review, User, UserBook
from booktracker.services import mentions, privacy, spoilers
from booktracker.services.library import copies
from booktracker.services.storage import StoredImage, delivery

FEED_PAGE = 20
FEED_TABS = ("everyone", "following")
ANONYMOUS_NAME = "Community post"


class PostView(SQLModel):
    """One post as a reader (or a logged-out visitor) may see it."""

    id: int
    author_username: str
    author_name: str
    author_initials: str
    author_avatar_url: str = ""  # the small square avatar (services/avatars.py); "" for initials
    book_title: str
    book_authors: str
    book_cover_url: str
    text: str
    emotion: str
    quote: str
    # Public images: the Cloudinary URL, or image_path under /_upload/. Private ones
    # (services/posts/media.py): a link for this reader that expires in 1-2 hours --
    # absolute (Cloudinary) or a path on this backend starting with "/" (local).
    image_url: str
    image_path: str  # under the upload dir for public local images, or ""
    page: int
    chapter: str
    is_public: bool
    created_at: str  # ISO 8601, UTC
    edited: bool
    like_count: int
    comment_count: int
    liked_by_me: bool
    is_mine: bool
    # Hidden by a moderator: only its author still sees it, marked so.
    hidden: bool = False
    # The shared book's id for its public page (routes.book_page); 0 when none is shown.
    book_id: int = 0
    # A post carrying a public review (services/reviews.py): its stars (0: none) and spoiler flag.
    review_id: int = 0
    review_rating: float = 0.0
    review_has_spoilers: bool = False
    # The spoiler shield (services/spoilers.py): blurred until "Show anyway"; the
    # message says where the viewer is; viewer_page: their position in pages (-1 unknown).
    shielded: bool = False
    shield_message: str = ""
    viewer_page: int = -1
    # The text split into plain parts and @mentions ([] when it mentions nobody).
    text_parts: list[mentions.TextPart] = []


@dataclass
class FeedPage:
    posts: list[PostView]
    next_cursor: str  # "" when there is nothing more


# Feeds and profiles: circle posts are shown on their circle's page only.
_NOT_IN_CIRCLE = col(Post.circle_id).is_(None)


def initials(name: str) -> str:
    parts = [p for p in name.split() if p]
    letters = "".join(p[0] for p in parts[:2]) if parts else "?"
    return letters.upper()


def visible_to(viewer_id: int | None) -> sa.ColumnElement[bool]:
    """The visibility rule as a WHERE condition (shared with likes and comments):
    audience, blocks, a moderator's hiding, suspensions (services/privacy.py);
    mutes only thin out feeds."""
    return privacy.can_see_post(viewer_id)


def _book_shown(viewer_id: int | None, value: Any) -> Any:
    """A post about a book its author hid from others shows no book to them (services/privacy.py)."""
    shown = sa.or_(col(UserBook.id).is_(None), privacy.entry_shown(viewer_id))
    return sa.case((shown, value), else_=sa.null())


def _post_select(viewer_id: int | None):
    # The comments this viewer would see listed (services/posts/reactions.py), as a subquery.
    comment_count = (
        select(func.count())
        .select_from(Comment)
        .where(col(Comment.note_id) == col(Post.id), privacy.can_see_comment(viewer_id))
        .scalar_subquery()
    )
    if viewer_id is None:
        liked = sa.literal(False)
    else:
        liked = sa.exists().where(col(Like.note_id) == col(Post.id), col(Like.user_id) == viewer_id)
    # sqlmodel's select() is typed for at most four columns; this is what it builds.
    query = (
        Select(
            Post,
            col(User.username),
            col(User.name),
            # The author's own copy of the book where set (their title and cover).
            _book_shown(viewer_id, copies.title_sql()),
            _book_shown(viewer_id, col(Book.authors)),
            _book_shown(viewer_id, copies.cover_sql()),
            col(Post.like_count),
            comment_count.label("comment_count"),
            liked.label("liked"),
            # Extra columns are read by label in _to_view (several features add theirs).
            _book_shown(viewer_id, col(Post.book_id)).label("shown_book_id"),
            col(Review.rating).label("review_rating"),
            col(Review.has_spoilers).label("review_has_spoilers"),
            col(User.avatar_small_url).label("author_avatar_url"),
            *spoilers.columns(viewer_id, book_pages=col(Book.total_pages)),
        )
        .join(User, col(User.id) == col(Post.user_id))
        .outerjoin(Book, col(Book.id) == col(Post.book_id))
        .outerjoin(UserBook, col(UserBook.id) == col(Post.user_book_id))
        .outerjoin(Review, col(Review.id) == col(Post.review_id))
    )
    # The viewer's own copy of the book, for the spoiler shield: a join, no extra statement.
    return spoilers.join_copy(query, viewer_id, col(Post.book_id))


def _to_view(row: Any, viewer_id: int | None) -> PostView:
    post, username, name, title, authors, cover, likes, comments, liked = row[:9]
    extra = row._mapping
    anonymous = viewer_id is None
    mine = viewer_id is not None and post.user_id == viewer_id
    shield = spoilers.verdict(spoilers.reading(row), page=post.page, chapter=post.chapter, own=mine)
    # Only readers the query let see the post get here: private images get signed links.
    image_url, image_path = delivery(post.id, StoredImage(post.image_url, post.image_key), viewer_id)
    return PostView(
        id=post.id,
        # Logged-out visitors see what was read and said, not who said it.
        author_username="" if anonymous else username,
        author_name=ANONYMOUS_NAME if anonymous else name,
        author_initials="" if anonymous else initials(name),
        author_avatar_url="" if anonymous else extra["author_avatar_url"],
        book_title=title or "",
        book_authors=authors or "",
        book_cover_url=cover or "",
        text=post.text,
        emotion=post.emotion,
        quote=post.quote,
        image_url=image_url,
        image_path=image_path,
        page=post.page if post.page is not None else -1,
        chapter=post.chapter,
        is_public=post.is_public,
        created_at=post.created_at.isoformat(),
        edited=post.updated_at > post.created_at,
        like_count=0 if anonymous else likes,
        comment_count=comments,
        liked_by_me=bool(liked) and not anonymous,
        is_mine=viewer_id is not None and post.user_id == viewer_id,
        hidden=post.hidden_at is not None,
        book_id=extra["shown_book_id"] or 0,
        review_id=post.review_id or 0,
        review_rating=extra["review_rating"] or 0.0,
        review_has_spoilers=bool(extra["review_has_spoilers"]),
        shielded=shield.shielded,
        shield_message=shield.message,
        viewer_page=shield.viewer_page,
        text_parts=mentions.parts(post.text),
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


def _page(
    session: Session, viewer_id: int | None, branches: list[list[Any]], cursor: str, limit: int, *, muted: bool = True
) -> FeedPage:
    limit = max(1, min(limit, FEED_PAGE))
    # Blocks, mutes, hiding and suspensions (services/privacy.py) go into every branch: still one statement.
    safe = privacy.content_visible(viewer_id, col(Post.user_id), col(Post.hidden_at), muted=muted)
    branches = [[*conditions, *safe] for conditions in branches]
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
    # Others' posts: public, by authors whose profile the viewer may see (services/privacy.py).
    # Circle posts live on their circle's page only, never in a feed.
    public = [col(Post.is_public).is_(True), privacy.can_see_author(viewer_id, col(Post.user_id)), _NOT_IN_CIRCLE]
    if tab == "everyone":
        branches: list[list[Any]] = [public]
        if viewer_id is not None:
            branches.append([col(Post.user_id) == viewer_id, col(Post.is_public).is_(False), _NOT_IN_CIRCLE])
        return _page(session, viewer_id, branches, cursor, limit)
    if viewer_id is None:
        return FeedPage(posts=[], next_cursor="")
    # Approved follows only: a pending request is no follow.
    followed = select(Follow.followee_id).where(col(Follow.follower_id) == viewer_id, privacy.accepted())
    branches = [[*public, col(Post.user_id).in_(followed)], [col(Post.user_id) == viewer_id, _NOT_IN_CIRCLE]]
    return _page(session, viewer_id, branches, cursor, limit)


def user_posts(
    *, session: Session, viewer_id: int | None, author_id: int, cursor: str = "", limit: int = FEED_PAGE
) -> FeedPage:
    mine = viewer_id is not None and viewer_id == author_id
    others = [col(Post.is_public).is_(True), privacy.can_see_author(viewer_id, col(Post.user_id))]
    conditions = [col(Post.user_id) == author_id, _NOT_IN_CIRCLE] + ([] if mine else others)
    # A profile is visited on purpose: a muted reader's own page still shows their posts.
    return _page(session, viewer_id, [conditions], cursor, limit, muted=False)


def circle_posts(
    *, session: Session, viewer_id: int | None, circle_id: int, cursor: str = "", limit: int = FEED_PAGE
) -> FeedPage:
    """A circle's posts, newest first (index (circle_id, created_at, id)); the
    audience rule (services/privacy.py ``can_see_circle``) decides who sees them, checked
    once for the circle (not per row), so the index walk stops after a page."""
    circle = aliased(Circle)
    circle_seen = sa.exists().where(col(circle.id) == circle_id, privacy.can_see_circle(viewer_id, circle))
    conditions = [col(Post.circle_id) == circle_id, circle_seen]
    return _page(session, viewer_id, [conditions], cursor, limit)


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
    one statement per page. Posts about a copy its reader hid from others are
    not listed: they would tell who has the book."""
    if kind not in BOOK_POST_KINDS:
        raise InvalidInput(f"Unknown list {kind!r}.", field="kind")
    if sort not in BOOK_POST_SORTS:
        raise InvalidInput(f"Unknown order {sort!r}.", field="sort")
    is_review = col(Post.review_id).is_not(None) if kind == "reviews" else col(Post.review_id).is_(None)
    entry = aliased(UserBook)
    copy_shown = sa.exists().where(col(entry.id) == col(Post.user_book_id), privacy.entry_shown(viewer_id, entry))
    about = [col(Post.book_id) == book_id, is_review, _NOT_IN_CIRCLE]
    about.append(sa.or_(col(Post.user_book_id).is_(None), copy_shown))
    branches = [[*about, col(Post.is_public).is_(True), privacy.can_see_author(viewer_id, col(Post.user_id))]]
    if viewer_id is not None:
        branches.append([*about, col(Post.user_id) == viewer_id, col(Post.is_public).is_(False)])
    if sort == "newest":
        return _page(session, viewer_id, branches, cursor, limit)
    return _liked_page(session, viewer_id, branches, cursor, limit)


def _liked_page(
    session: Session, viewer_id: int | None, branches: list[list[Any]], cursor: str, limit: int
) -> FeedPage:
    """Most liked first (then newest), paged by a (likes, date, id) keyset cursor."""
    limit = max(1, min(limit, FEED_PAGE))
    safe = privacy.content_visible(viewer_id, col(Post.user_id), col(Post.hidden_at))
    key = (col(Post.like_count), col(Post.created_at), col(Post.id))
    after = []
    if cursor:
        likes, when, post_id = _decode_liked(cursor)
        start = sa.tuple_(sa.literal(likes), sa.literal(when, UTCDateTime()), sa.literal(post_id))
        after = [sa.tuple_(*key) < start]
    matching = sa.or_(*(sa.and_(*conditions) for conditions in branches))
    query = _post_select(viewer_id).where(matching, *safe, *after).order_by(*(part.desc() for part in key))
    rows = session.exec(query.limit(limit + 1)).all()
    views = [_to_view(row, viewer_id) for row in rows[:limit]]
    next_cursor = ""
    if len(rows) > limit:
        last = rows[limit - 1][0]
        raw = f"{last.like_count}|{last.created_at.isoformat()}|{last.id}".encode()
        next_cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return FeedPage(posts=views, next_cursor=next_cursor)


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


def get_post(*, session: Session, viewer_id: int | None, post_id: int) -> PostView:
    row = session.exec(_post_select(viewer_id).where(col(Post.id) == post_id, visible_to(viewer_id))).first()
    if row is None:
        raise NotFound("That post does not exist.")
    return _to_view(row, viewer_id)
