"""Reviews of a reader's reads (the Review table), as the book page and
``GET /api/v1/library/{id}`` show them. Imports write them (Goodreads' "My
Review" + "Spoiler", StoryGraph's "Review"); they are never folded into the
private notes.

Writing: one review per read, owner-checked. A PUBLIC review has a companion
post (``Post.review_id``) that carries it through the post pipeline (feeds,
profile, book page; likes and comments): created, updated and removed with the
review in the same transaction. Imports make theirs with the same
``add_companion_posts``.
"""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from sqlmodel import Session, col, select

from booktracker.db import utcnow
from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Comment, Like, Post, Read, Review, ReviewView, UserBook, saved_id
from booktracker.services import events
from booktracker.services import text as texts


def to_review_view(review: Review) -> ReviewView:
    return ReviewView(
        id=saved_id(review),
        read_id=review.read_id or 0,
        rating=review.rating or 0.0,
        text=review.text,
        has_spoilers=review.has_spoilers,
        is_public=review.is_public,
        created_at=review.created_at.isoformat(),
    )


def entry_reviews(*, session: Session, user_book_id: int) -> list[ReviewView]:
    """The reviews of one (already authorised) entry, newest first: one statement."""
    reviews = session.exec(
        select(Review)
        .where(col(Review.user_book_id) == user_book_id)
        .order_by(col(Review.created_at).desc(), col(Review.id).desc())
    ).all()
    return [to_review_view(review) for review in reviews]


# ----------------------------------------------------------------- writing

REVIEW_MAX = 20_000  # as imports accept (services/imports/rows.py)


@dataclasses.dataclass
class ReviewInput:
    rating: float | None = None  # None or 0: no rating; else 0.25..5 in quarter steps
    text: str = ""
    has_spoilers: bool = False
    is_public: bool = True


def _clean(data: ReviewInput) -> ReviewInput:
    from booktracker.services.library import validate_rating  # library imports this module

    text = texts.strip_bidi_controls(data.text or "")
    text = text.strip() if texts.has_visible(text) else ""
    if len(text) > REVIEW_MAX:
        raise InvalidInput(f"A review can be at most {REVIEW_MAX:,} characters.", field="text")
    rating = validate_rating(data.rating)
    if not text and rating is None:
        raise InvalidInput("Write a review or give a rating.", field="text")
    return ReviewInput(rating=rating, text=text, has_spoilers=bool(data.has_spoilers), is_public=bool(data.is_public))


def _owned_read(session: Session, user_id: int, read_id: int) -> tuple[Read, Review | None]:
    """The reader's read and its review (the newest, if an import left several): one statement."""
    row = session.exec(
        select(Read, Review)
        .outerjoin(Review, col(Review.read_id) == col(Read.id))
        .where(col(Read.id) == read_id, col(Read.user_id) == user_id)
        .order_by(col(Review.created_at).desc(), col(Review.id).desc())
    ).first()
    if row is None:
        raise NotFound("That read is not in your library.")
    return row[0], row[1]


def add_companion_posts(session: Session, review_ids: list[int]) -> None:
    """The post that carries each PUBLIC review among ``review_ids`` (likes,
    comments, feeds), in ONE statement: used by ``write_review`` and by imports
    (a batch of reviews). Dated like its review, with ``updated_at`` equal, so
    an imported review keeps its date and is not "edited". Does not commit."""
    if not review_ids:
        return
    has_post = sa.exists().where(col(Post.review_id) == col(Review.id))
    rows = sa.select(
        col(Review.user_id),
        col(Review.user_book_id),
        col(Review.book_id),
        col(Review.text),
        sa.literal(""),
        sa.literal(""),
        sa.literal(""),
        sa.literal(""),
        sa.literal(""),
        sa.true(),
        col(Review.id),
        sa.literal(0),
        col(Review.created_at),
        col(Review.created_at),
    ).where(col(Review.id).in_(review_ids), col(Review.is_public).is_(True), ~has_post)
    columns = ["user_id", "user_book_id", "book_id", "text", "emotion", "quote", "image_url", "image_key"]
    columns += ["chapter", "is_public", "review_id", "like_count", "created_at", "updated_at"]
    session.execute(sa.insert(Post).from_select(columns, rows))


def _drop_companion(session: Session, review_id: int) -> None:
    """A review made private, or deleted: its post goes with its likes and comments."""
    post_ids = select(Post.id).where(col(Post.review_id) == review_id)
    session.execute(sa.delete(Like).where(col(Like.note_id).in_(post_ids)))
    session.execute(sa.delete(Comment).where(col(Comment.note_id).in_(post_ids)))
    session.execute(sa.delete(Post).where(col(Post.review_id) == review_id))


def write_review(*, session: Session, user_id: int, read_id: int, data: ReviewInput) -> ReviewView:
    """Write or edit the review of one of the reader's reads (one per read).

    A public review has a companion post, created, changed or removed here in
    the same transaction; making it private removes the post with its likes
    and comments. A rated review gives an unrated library entry its rating
    (one rating per reader and book, which the book page averages).
    """
    clean = _clean(data)
    read, review = _owned_read(session, user_id, read_id)
    now = utcnow()
    new = review is None
    if review is None:
        review = Review(user_id=user_id, user_book_id=read.user_book_id, read_id=read_id, book_id=read.book_id)
        review.created_at = review.updated_at = now
    else:
        review.updated_at = now
    was_public = not new and review.is_public
    review.rating, review.text = clean.rating, clean.text
    review.has_spoilers, review.is_public = clean.has_spoilers, clean.is_public
    session.add(review)
    session.flush()
    review_id = saved_id(review)
    if clean.is_public:
        # An edit shows as "edited" on the post; a new post is dated like the review.
        session.execute(sa.update(Post).where(col(Post.review_id) == review_id).values(text=clean.text, updated_at=now))
        add_companion_posts(session, [review_id])
    elif was_public:
        _drop_companion(session, review_id)
    if clean.rating is not None:
        session.execute(
            sa.update(UserBook)
            .where(col(UserBook.id) == read.user_book_id, col(UserBook.rating).is_(None))
            .values(rating=clean.rating)
        )
    session.commit()
    if clean.is_public and not was_public:
        post_id = session.exec(select(Post.id).where(col(Post.review_id) == review_id)).first()
        if post_id is not None:
            events.emit(events.PostPublished(post_id=post_id, author_id=user_id, is_public=True))
    return to_review_view(review)


def delete_review(*, session: Session, user_id: int, read_id: int) -> None:
    """Delete the review of one of the reader's reads, with its companion post."""
    _read, review = _owned_read(session, user_id, read_id)
    if review is None:
        raise NotFound("That read has no review.")
    _drop_companion(session, saved_id(review))
    session.execute(sa.delete(Review).where(col(Review.id) == saved_id(review)))
    session.commit()
