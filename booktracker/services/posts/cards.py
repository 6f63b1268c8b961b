"""A post's card -- what a reader (or a logged-out visitor) sees of one post --
and the one pipeline every list goes through: the card's SELECT (author,
book as the author's copy shows it, counts, the viewer's like, review stars,
the spoiler shield's columns), the row-to-view step, and one post by id.
Lists (feeds.py, commonplace.py) choose the posts; this module draws them.
"""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, func, select
from sqlmodel.sql.expression import Select

from booktracker.errors import NotFound
from booktracker.models import Book, Comment, Like, Post, Review, User, UserBook
from booktracker.services import mentions, params, privacy, spoilers
from booktracker.services.library import copies
from booktracker.services.storage import StoredImage, delivery

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


def initials(name: str) -> str:
    parts = [p for p in name.split() if p]
    letters = "".join(p[0] for p in parts[:2]) if parts else "?"
    return letters.upper()


def visible_to(viewer_id: int | None) -> sa.ColumnElement[bool]:
    """The visibility rule as a WHERE condition (shared with likes and comments):
    audience, blocks, a moderator's hiding, suspensions (services/privacy.py);
    mutes only thin out feeds."""
    return privacy.can_see_post(viewer_id)


def _book_shown(viewer_id: Any, value: Any) -> Any:
    """A post about a book its author hid from others shows no book to them (services/privacy.py)."""
    shown = sa.or_(col(UserBook.id).is_(None), privacy.entry_shown(viewer_id))
    return sa.case((shown, value), else_=sa.null())


def card_select(viewer_id: Any):
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


def to_view(row: Any, viewer_id: int | None) -> PostView:
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


@functools.cache
def _cards_statement(signed_in: bool) -> Any:
    """The cards of posts already chosen by id, for every list.

    Two statements a page -- the ids, then their cards by primary key --
    rather than one: PostgreSQL planned the single statement's join of the
    ids with the card's joins and subqueries in 18 ms, the two in 4, and the
    page took 39 -> 22 ms (everyone) and 44 -> 25 ms (following) on the big
    seed (bench/RESULTS.md, issue 14). Visibility was decided by the ids.
    """
    return card_select(params.viewer(signed_in)).where(col(Post.id).in_(sa.bindparam("ids", expanding=True)))


def cards(session: Session, viewer_id: int | None, ids: list[int]) -> list[Any]:
    """The rows of ``ids``' cards, in the order of ``ids`` (none for an empty page)."""
    if not ids:
        return []
    rows = session.exec(_cards_statement(viewer_id is not None), params={"viewer_id": viewer_id, "ids": ids}).all()
    by_id = {row[0].id: row for row in rows}
    return [by_id[post_id] for post_id in ids if post_id in by_id]


@functools.cache
def _one_post_statement(signed_in: bool) -> Any:
    viewer = params.viewer(signed_in)
    return card_select(viewer).where(col(Post.id) == params.POST, visible_to(viewer))


def get_post(*, session: Session, viewer_id: int | None, post_id: int) -> PostView:
    values = {"viewer_id": viewer_id, "post_id": post_id}
    row = session.exec(_one_post_statement(viewer_id is not None), params=values).first()
    if row is None:
        raise NotFound("That post does not exist.")
    return to_view(row, viewer_id)
