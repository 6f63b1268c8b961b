"""Reviews of a reader's reads (the Review table), as the book page and
``GET /api/v1/library/{id}`` show them. Imports write them (Goodreads' "My
Review" + "Spoiler", StoryGraph's "Review"); they are never folded into the
private notes.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from booktracker.models import Review, ReviewView, saved_id


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
