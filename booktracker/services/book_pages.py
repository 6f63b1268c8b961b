"""A shared book's public page (``/book/<id>``, ``GET /api/v1/books/{id}``):
what the book is, what readers think of it, who of my friends read it, and
where it is in my library.

Privacy (services/privacy.py), decided here:
- counts (readers per status, the average rating and its distribution, the
  number of public reviews) are anonymous aggregates over every reader,
  private profiles included, but NOT over copies their readers hid from
  others ("Hide from others" keeps a book out of "the counts others see")
  nor over suspended readers;
- lists that name readers obey the visibility rule: friends who read it are
  approved followees whose profile the viewer may see, with the copy not
  hidden, no block either way and not suspended; reviews, posts and quotes
  come through the post pipeline (services/posts/feeds.py ``book_posts``),
  which applies audience, blocks, mutes, moderation and suspensions.

Cost: the book with its aggregates is one statement; a signed-in reader adds
one (their copy and their friends); each page of reviews or posts is one.
None grows with the number of readers or reviews.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Field, Session, SQLModel, col, func, select

from booktracker.errors import NotFound
from booktracker.models import Book, Follow, ReadingStatus, Review, User, UserBook
from booktracker.services import params, privacy
from booktracker.services.posts.cards import initials

FRIENDS_SHOWN = 12
STARS = (1, 2, 3, 4, 5)
_REF = re.compile(r"^(\d{1,18})(?:-.*)?$")


class FriendReader(SQLModel):
    """A followed reader who has the book (not hidden), with their status."""

    username: str
    name: str
    initials: str
    status: str


class BookPageView(SQLModel):
    """A shared book as everyone may see it, and the viewer's place in it."""

    id: int
    title: str
    authors: str
    cover_url: str
    description: str
    series: str  # "The Expanse #1", or ""
    year: str  # first published (original year, else the edition's), or ""
    pages: int  # 0 when unknown
    average_rating: float  # 0 when nobody rated it
    rating_count: int
    # Readers per star, 1★ to 5★; a quarter-star rating counts toward its whole star (4.75 → 4★, 0.5 → 1★).
    distribution: list[int] = Field(default_factory=lambda: [0, 0, 0, 0, 0])
    want_to_read: int = 0
    reading: int = 0
    finished: int = 0
    review_count: int = 0  # public reviews
    # The viewer's own copy (0 / "" when not in their library or logged out).
    my_user_book_id: int = 0
    my_status: str = ""
    friends: list[FriendReader] = Field(default_factory=list)


def parse_book_ref(ref: str | int | None) -> int:
    """The book id at the start of a ``/book/<ref>`` segment ("123-the-hobbit" → 123); 0 when there is none."""
    match = _REF.match(str(ref or "").strip())
    return int(match.group(1)) if match else 0


def _counted(entry=UserBook):
    """The copies counted on a book page: not hidden, reader not suspended."""
    reader = aliased(User)
    suspended = sa.exists().where(col(reader.id) == col(entry.user_id), col(reader.suspended_at).is_not(None))
    return sa.and_(col(entry.hidden).is_(False), ~suspended)


# The page's statements are built once and run with these parameters: building
# them (aliases, privacy subqueries) cost more than running them (bench/RESULTS.md).
# Statements built once, run with bound parameters (services/params.py).
_BOOK, _VIEWER = params.BOOK, params.VIEWER


def _aggregates(book_id: Any):
    """Counts over the book's counted copies in ONE pass (a derived table with
    conditional sums), and the number of public reviews, for the book's SELECT."""

    def count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return func.coalesce(func.sum(sa.case((condition, 1), else_=0)), 0)

    rating = col(UserBook.rating)
    stars = [
        # The whole star of a quarter-star rating; below 1 counts as 1.
        count_if(sa.and_(rating >= (0 if star == 1 else star), rating < star + 1)).label(f"star_{star}")
        for star in STARS
    ]
    stats = (
        sa.select(
            count_if(col(UserBook.status) == ReadingStatus.TO_READ.value).label("want"),
            count_if(col(UserBook.status) == ReadingStatus.READING.value).label("reading"),
            count_if(col(UserBook.status) == ReadingStatus.FINISHED.value).label("finished"),
            func.avg(rating).label("average"),
            func.count(rating).label("rated"),
            *stars,
        )
        .where(col(UserBook.book_id) == book_id, _counted())
        .subquery()
    )
    reviewed = aliased(UserBook)
    review_count = (
        sa.select(func.count())
        .select_from(Review)
        .join(reviewed, col(reviewed.id) == col(Review.user_book_id))
        .where(col(Review.book_id) == book_id, col(Review.is_public).is_(True), _counted(reviewed))
        .scalar_subquery()
    )
    return stats, review_count


def _series(book: Book) -> str:
    if not book.series:
        return ""
    return f"{book.series} #{book.series_position}" if book.series_position else book.series


def _year(book: Book) -> str:
    if book.original_year:
        return str(book.original_year)
    head = book.published_date[:4]
    return head if head.isdigit() else ""


@functools.cache
def _friends_query():
    """Up to FRIENDS_SHOWN followees who have the book, latest change first."""
    viewer_id: Any = _VIEWER  # the privacy conditions take a value or a bound parameter
    entry = aliased(UserBook)
    friend = aliased(User)
    followed = select(Follow.followee_id).where(col(Follow.follower_id) == viewer_id, privacy.accepted())
    return (
        sa.select(col(friend.username), col(friend.name), col(entry.status))
        .select_from(entry)
        .join(friend, col(friend.id) == col(entry.user_id))
        .where(
            col(entry.book_id) == _BOOK,
            col(entry.user_id).in_(followed),
            col(entry.hidden).is_(False),
            privacy.can_see_profile(viewer_id, friend),
            privacy.can_list_person(viewer_id, friend),
        )
        .order_by(col(entry.updated_at).desc(), col(entry.id).desc())
        .limit(FRIENDS_SHOWN)
    )


def _mine(signed_in: bool) -> list[Any]:
    """The viewer's copy (id, status) as two scalar subqueries of the book's SELECT."""
    if not signed_in:
        return [sa.null(), sa.null()]
    own = [col(UserBook.user_id) == _VIEWER, col(UserBook.book_id) == _BOOK]
    return [select(UserBook.id).where(*own).scalar_subquery(), select(UserBook.status).where(*own).scalar_subquery()]


@functools.cache
def _page_query(signed_in: bool):
    stats, review_count = _aggregates(_BOOK)
    return (
        sa.select(Book, *_mine(signed_in), *stats.c, review_count).join(stats, sa.true()).where(col(Book.id) == _BOOK)
    )


def book_page(*, session: Session, viewer_id: int | None, book_id: int) -> BookPageView:
    """The book with its counts and the viewer's copy (1 statement), and signed in, friends (1 more)."""
    params = {"book_id": book_id, "viewer_id": viewer_id}
    row = session.execute(_page_query(viewer_id is not None), params).first()
    if row is None:
        raise NotFound("Book not found.")
    book, my_id, my_status, want, reading, finished, average, rated, *stars, reviews = row
    view = BookPageView(
        id=book_id,
        title=book.title,
        authors=book.authors,
        cover_url=book.cover_url,
        description=book.description,
        series=_series(book),
        year=_year(book),
        pages=book.total_pages or 0,
        average_rating=round(float(average), 2) if average is not None else 0.0,
        rating_count=rated or 0,
        distribution=[count or 0 for count in stars],
        want_to_read=want or 0,
        reading=reading or 0,
        finished=finished or 0,
        review_count=reviews or 0,
        my_user_book_id=my_id or 0,
        my_status=my_status or "",
    )
    if viewer_id is not None:
        friends = session.execute(_friends_query(), params).all()
        view.friends = [FriendReader(username=u, name=n, initials=initials(n), status=st) for u, n, st in friends]
    return view


def add_to_my_library(*, session: Session, user_id: int, book_id: int) -> int:
    """Put a shared book on the reader's "want to read" shelf (the book page's
    button); an existing copy is kept. The id of the reader's copy."""
    own = session.exec(select(UserBook.id).where(col(UserBook.user_id) == user_id, col(UserBook.book_id) == book_id))
    existing = own.first()
    if existing is not None:
        return existing
    if session.get(Book, book_id) is None:
        raise NotFound("Book not found.")
    entry = UserBook(user_id=user_id, book_id=book_id, status=ReadingStatus.TO_READ.value)
    session.add(entry)
    session.commit()
    return entry.id or 0
