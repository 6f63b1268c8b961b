"""The reader's copy page: a review per read ("Write a review" / "Edit review").

``ReviewsMixin`` is mixed into ``BookDetailState`` (pages/book_detail.py); its
components are in components/review_form.py. Every handler re-checks the
reader on the server; services/reviews.py refuses another reader's read.
A public review also shows on the book's public page, the reviewer's profile
and the feed (its companion post).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import reflex as rx

from booktracker.db import session_scope
from booktracker.errors import InvalidInput
from booktracker.pages.book_reads import read_rows
from booktracker.services import library, reviews
from booktracker.state import handle_errors

if TYPE_CHECKING:
    from booktracker.models import UserBookDetail


@dataclasses.dataclass
class ReviewRow:
    """One read with its review (if any), as the reviews card shows it."""

    read_id: int
    summary: str  # "Read 2 · started 3 Mar 2025 · finished 12 Apr 2025"
    has_review: bool
    rating: str  # "4.5", or "0" for none (the select's value)
    text: str
    has_spoilers: bool
    is_public: bool


def review_rows(detail: UserBookDetail) -> list[ReviewRow]:
    by_read = {}
    for review in reversed(detail.reviews):  # newest last: the newest of a read wins
        by_read[review.read_id] = review
    rows = []
    for read in read_rows(detail.reads):
        review = by_read.get(read.id)
        rows.append(
            ReviewRow(
                read_id=read.id,
                summary=read.summary,
                has_review=review is not None,
                rating=f"{review.rating:g}" if review is not None else "0",
                text=review.text if review is not None else "",
                has_spoilers=review.has_spoilers if review is not None else False,
                is_public=review.is_public if review is not None else True,
            )
        )
    return rows


class ReviewsMixin(rx.State, mixin=True):
    review_rows: rx.Field[list[ReviewRow]] = rx.field(default_factory=list)
    # The read whose review form is open (0: none).
    reviewing_read_id: rx.Field[int] = rx.field(0)
    review_error: rx.Field[str] = rx.field("")

    if TYPE_CHECKING:
        detail: rx.Field[UserBookDetail]

        def current_user_id(self) -> int: ...

        def _show(self, detail: UserBookDetail) -> None: ...

    def _show_reviews(self, detail: UserBookDetail) -> None:
        """Called by the page's ``_show`` whenever the entry is (re)loaded."""
        self.review_rows = review_rows(detail)

    @rx.event
    def open_review(self, read_id: int):
        self.reviewing_read_id, self.review_error = int(read_id), ""

    @rx.event
    def close_review(self):
        self.reviewing_read_id, self.review_error = 0, ""

    def _after_change(self, user_id: int) -> None:
        with session_scope() as session:
            self._show(library.get_detail(session=session, user_id=user_id, user_book_id=self.detail.id))
        self.reviewing_read_id, self.review_error = 0, ""

    @rx.event
    @handle_errors
    def save_review(self, form: dict):
        user_id = self.current_user_id()
        try:
            rating = float(form.get("rating", "0") or 0)
        except ValueError:
            rating = -1.0  # refused below with the rating's message
        data = reviews.ReviewInput(
            rating=rating,
            text=form.get("text", ""),
            has_spoilers=form.get("has_spoilers") == "on",
            is_public=form.get("is_public") == "on",
        )
        try:
            with session_scope() as session:
                saved = reviews.write_review(
                    session=session, user_id=user_id, read_id=self.reviewing_read_id, data=data
                )
        except InvalidInput as exc:
            self.review_error = exc.message  # the form keeps its input
            return None
        self._after_change(user_id)
        return rx.toast.success("Review saved." if not saved.is_public else "Review published.")

    @rx.event
    @handle_errors
    def delete_review(self):
        user_id = self.current_user_id()
        with session_scope() as session:
            reviews.delete_review(session=session, user_id=user_id, read_id=self.reviewing_read_id)
        self._after_change(user_id)
        return rx.toast.success("Review deleted.")
