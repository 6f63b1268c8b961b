""" "For you": books to read next, each with the reason it is suggested.

Three sources, one SQL statement each (so three statements whatever the
size of the library or of the circle of friends):

- **friends' picks** -- books readers you follow rated 4 stars or more, or
  finished in the last 90 days;
- **authors you love** -- other books by authors of books you rated 4 stars
  or more, the most-read first;
- **buddy reads** -- books on your want-to-read shelf that a friend also
  wants to read (the one source that suggests a book already on your shelf:
  what it suggests is reading it together).

The first two leave out every book already in your library. Friends are
approved follows whose profile you may see, not blocked either way, not
suspended and not muted, and only their entries they did not hide (the same
rules as everywhere: services/privacy.py). A book suggested by an earlier
source is not repeated by a later one.
"""

from __future__ import annotations

import datetime
import functools
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Field, Session, SQLModel, col, func, select

from booktracker.db import utcnow
from booktracker.models import Book, Follow, Read, ReadingStatus, User, UserBook, saved_id
from booktracker.services import params, privacy

RECENT_DAYS = 90  # "finished recently"
LOVED_RATING = 4.0  # 4 stars or more
PER_SOURCE = 12  # suggestions per source on the page (and in the API)


class Reason(StrEnum):
    FRIENDS = "friends"
    AUTHOR = "author"
    BUDDY = "buddy"


class Suggestion(SQLModel):
    """One suggested book and why, as the page and ``GET /api/v1/recommendations`` show it."""

    book_id: int
    title: str
    authors: str
    cover_url: str
    reason: str  # a Reason value
    # "Ann and 2 other friends rated it 4★ or more" -- ready to show.
    because: str
    friend_names: list[str] = Field(default_factory=list)


def _friends_of(user_id: Any) -> tuple[Any, Any, list[sa.ColumnElement[bool]]]:
    """A follows alias, a users alias for the friend, and the conditions that
    make the friend's entries count for ``user_id``."""
    follow = aliased(Follow)
    friend = aliased(User)
    conditions = [
        col(follow.follower_id) == user_id,
        privacy.accepted(follow),
        col(friend.id) == col(follow.followee_id),
        privacy.can_see_profile(user_id, friend),
        privacy.not_hidden_between(user_id, col(friend.id)),
        privacy.not_muted(user_id, col(friend.id)),
        col(friend.suspended_at).is_(None),
    ]
    return follow, friend, conditions


def _not_in_library(user_id: Any, book_id: Any) -> sa.ColumnElement[bool]:
    mine = aliased(UserBook)
    return ~sa.exists().where(col(mine.user_id) == user_id, col(mine.book_id) == book_id)


def _names(value: str | None) -> list[str]:
    """The aggregated friend names (sorted, at most three shown)."""
    return sorted({name for name in (value or "").split("\x1f") if name})[:3]


def _friends_phrase(names: list[str], count: int) -> str:
    if not names:
        return "Friends"
    others = count - 1
    if others <= 0:
        return names[0]
    return f"{names[0]} and {others} other friend{'s' if others > 1 else ''}"


def _name_list(friend: Any) -> Any:
    """All friends' display names in one aggregated string: SQLAlchemy's
    ``aggregate_strings`` is group_concat on SQLite, string_agg on PostgreSQL."""
    return func.aggregate_strings(col(friend.name), "\x1f")


@functools.cache
def _friends_picks_statement() -> Any:
    """Built once, run with bound parameters (services/params.py): building the privacy
    conditions of the three sources cost ~30 ms of Python a page (bench/RESULTS.md, issue 14)."""
    user_id, cutoff = params.VIEWER, sa.bindparam("cutoff", type_=sa.Date)
    follow, friend, conditions = _friends_of(user_id)
    entry = aliased(UserBook)
    finished_recently = sa.exists().where(
        col(Read.user_book_id) == col(entry.id),
        col(Read.user_id) == col(entry.user_id),
        col(Read.status) == ReadingStatus.FINISHED.value,
        col(Read.ended_on) >= cutoff,
    )
    picks = (
        sa.select(
            col(entry.book_id).label("book_id"),
            func.count(sa.distinct(col(entry.user_id))).label("friends"),
            func.max(col(entry.rating)).label("best"),
            _name_list(friend).label("names"),
            func.max(col(entry.updated_at)).label("latest"),
        )
        .select_from(follow)
        .join(entry, col(entry.user_id) == col(follow.followee_id))
        .join(friend, col(friend.id) == col(follow.followee_id))
        .where(
            *conditions,
            col(entry.hidden).is_(False),
            sa.or_(col(entry.rating) >= LOVED_RATING, finished_recently),
            _not_in_library(user_id, col(entry.book_id)),
        )
        .group_by(col(entry.book_id))
        .order_by(sa.desc("friends"), sa.desc("best"), sa.desc("latest"), col(entry.book_id))
        .limit(PER_SOURCE)
        .subquery()
    )
    return (
        select(Book, picks.c.friends, picks.c.best, picks.c.names)
        .join(picks, picks.c.book_id == col(Book.id))
        .order_by(picks.c.friends.desc(), picks.c.best.desc().nulls_last(), picks.c.latest.desc(), col(Book.id))
    )


def friends_picks(*, session: Session, user_id: int, today: datetime.date | None = None) -> list[Suggestion]:
    """Books friends rated highly or finished recently, most friends first: one statement."""
    today = today or utcnow().date()
    values = {"viewer_id": user_id, "cutoff": today - datetime.timedelta(days=RECENT_DAYS)}
    rows = session.exec(_friends_picks_statement(), params=values).all()
    suggestions = []
    for book, count, best, names in rows:
        shown = _names(names)
        verb = f"rated it {best:g}★" if best is not None and best >= LOVED_RATING else "finished it recently"
        if count > 1:
            verb = "loved it" if best is not None and best >= LOVED_RATING else "finished it recently"
        suggestions.append(_suggestion(book, Reason.FRIENDS, f"{_friends_phrase(shown, count)} {verb}", shown))
    return suggestions


@functools.cache
def _loved_authors_statement() -> Any:
    user_id = params.VIEWER
    loved_book = aliased(Book)
    loved_entry = aliased(UserBook)
    loved_authors = (
        select(col(loved_book.authors))
        .join(loved_entry, col(loved_entry.book_id) == col(loved_book.id))
        .where(
            col(loved_entry.user_id) == user_id,
            col(loved_entry.rating) >= LOVED_RATING,
            col(loved_book.authors) != "",
        )
        .distinct()
    )
    readers = aliased(UserBook)
    popularity = (
        select(func.count())
        .where(col(readers.book_id) == col(Book.id), col(readers.hidden).is_(False))
        .correlate(Book)
        .scalar_subquery()
    )
    return (
        select(Book, popularity.label("readers"))
        .where(col(Book.authors).in_(loved_authors), _not_in_library(user_id, col(Book.id)))
        .order_by(popularity.desc(), col(Book.title), col(Book.id))
        .limit(PER_SOURCE)
    )


def by_loved_authors(*, session: Session, user_id: int) -> list[Suggestion]:
    """Other books by authors of books the reader rated 4★+, most-read first: one statement."""
    rows = session.exec(_loved_authors_statement(), params={"viewer_id": user_id}).all()
    return [_suggestion(book, Reason.AUTHOR, f"You rated {book.authors} highly") for book, _ in rows]


@functools.cache
def _buddy_reads_statement() -> Any:
    user_id = params.VIEWER
    follow, friend, conditions = _friends_of(user_id)
    mine = aliased(UserBook)
    theirs = aliased(UserBook)
    to_read = ReadingStatus.TO_READ.value
    shared = (
        sa.select(
            col(mine.book_id).label("book_id"),
            func.count(sa.distinct(col(theirs.user_id))).label("friends"),
            _name_list(friend).label("names"),
        )
        .select_from(mine)
        .join(theirs, sa.and_(col(theirs.book_id) == col(mine.book_id), col(theirs.status) == to_read))
        .join(follow, col(follow.followee_id) == col(theirs.user_id))
        .join(friend, col(friend.id) == col(theirs.user_id))
        .where(col(mine.user_id) == user_id, col(mine.status) == to_read, col(theirs.hidden).is_(False), *conditions)
        .group_by(col(mine.book_id))
        .order_by(sa.desc("friends"), col(mine.book_id))
        .limit(PER_SOURCE)
        .subquery()
    )
    return (
        select(Book, shared.c.friends, shared.c.names)
        .join(shared, shared.c.book_id == col(Book.id))
        .order_by(shared.c.friends.desc(), col(Book.id))
    )


def buddy_reads(*, session: Session, user_id: int) -> list[Suggestion]:
    """Books on the reader's want-to-read shelf a friend also wants to read: one statement."""
    rows = session.exec(_buddy_reads_statement(), params={"viewer_id": user_id}).all()
    suggestions = []
    for book, count, names in rows:
        shown = _names(names)
        because = f"You and {_friends_phrase(shown, count)} both want to read it: read it together?"
        suggestions.append(_suggestion(book, Reason.BUDDY, because, shown))
    return suggestions


def _suggestion(book: Book, reason: Reason, because: str, names: list[str] | None = None) -> Suggestion:
    return Suggestion(
        book_id=saved_id(book),
        title=book.title,
        authors=book.authors,
        cover_url=book.cover_url,
        reason=reason.value,
        because=because,
        friend_names=names or [],
    )


def for_you(*, session: Session, user_id: int, today: datetime.date | None = None) -> list[Suggestion]:
    """Every source in order, a book only once: three statements."""
    seen: set[int] = set()
    result: list[Suggestion] = []
    sources = (
        friends_picks(session=session, user_id=user_id, today=today),
        by_loved_authors(session=session, user_id=user_id),
        buddy_reads(session=session, user_id=user_id),
    )
    for source in sources:
        for suggestion in source:
            if suggestion.book_id not in seen:
                seen.add(suggestion.book_id)
                result.append(suggestion)
    return result
