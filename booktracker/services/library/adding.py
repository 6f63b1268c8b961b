"""Adding a book to a reader's library: from a search or what they typed,
or a shared book (its public page, a suggestion), with the first read's dates.
"""

from __future__ import annotations

import dataclasses
import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from booktracker.db import utcnow
from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Book, ReadingStatus, UserBook
from booktracker.services.books import BookInput, find_book_and_copy
from booktracker.services.library import reads
from booktracker.services.library.listing import valid_choice


@dataclasses.dataclass
class AddResult:
    user_book: UserBook
    created: bool


def add_to_library(
    *,
    session: Session,
    user_id: int,
    book: BookInput,
    status: str = ReadingStatus.TO_READ.value,
    from_catalogue: bool = False,
    started_on: datetime.date | None = None,
    ended_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> AddResult:
    """Put a book on the reader's shelf; an existing entry is returned as is.

    A book added as reading, finished, paused or did-not-finish gets its first
    read with ``started_on``/``ended_on`` (None: "I don't remember"; ``today``
    is the reader's day, UTC's when not given).

    ``from_catalogue``: only for book_search results (see books.find_book_and_copy);
    what a reader typed becomes their own copy, never the shared record.
    """
    status = valid_choice(status, ReadingStatus, "status")
    today = today or utcnow().date()
    _check_first_read(status, started_on, ended_on, today=today)
    record, copy = find_book_and_copy(session=session, data=book, from_catalogue=from_catalogue)
    existing = session.exec(select(UserBook).where(UserBook.user_id == user_id, UserBook.book_id == record.id)).first()
    if existing is not None:
        session.commit()
        return AddResult(existing, created=False)
    assert record.id is not None  # flushed by find_or_create_book
    entry = UserBook(user_id=user_id, book_id=record.id, status=ReadingStatus.TO_READ.value)
    copy.apply_to(entry)  # what the reader typed that differs from the shared record
    session.add(entry)
    if status != ReadingStatus.TO_READ.value:
        now = utcnow()
        first = reads.new_read(
            session, entry, status=ReadingStatus.READING.value, started_on=started_on, ended_on=None, today=today
        )
        if status != ReadingStatus.READING.value:
            reads.close_read(session, entry, record, first, status, ended_on, at=now, today=today)
        reads.mirror(entry, first, at=now)
    session.commit()
    session.refresh(entry)
    return AddResult(entry, created=True)


def add_shared_book(*, session: Session, user_id: int, book_id: int) -> AddResult:
    """Put a shared book (a book page, a suggestion) on the reader's want-to-read
    shelf; an existing entry is returned as is. Two statements when new."""
    book = session.get(Book, book_id)
    if book is None:
        raise NotFound("Book not found.")
    existing = session.exec(select(UserBook).where(UserBook.user_id == user_id, UserBook.book_id == book_id)).first()
    if existing is not None:
        return AddResult(existing, created=False)
    entry = UserBook(user_id=user_id, book_id=book_id, status=ReadingStatus.TO_READ.value)
    session.add(entry)
    try:
        session.commit()
    except IntegrityError:  # the same reader's other tab added it a moment ago
        session.rollback()
        return AddResult(
            session.exec(select(UserBook).where(UserBook.user_id == user_id, UserBook.book_id == book_id)).one(),
            created=False,
        )
    return AddResult(entry, created=True)


def _check_first_read(
    status: str, started_on: datetime.date | None, ended_on: datetime.date | None, *, today: datetime.date
) -> None:
    """The dates of a book's first read, checked before anything is stored."""
    if status == ReadingStatus.TO_READ.value and (started_on is not None or ended_on is not None):
        raise InvalidInput("A book you want to read has no read dates yet.", field="started_on")
    if status == ReadingStatus.READING.value and ended_on is not None:
        raise InvalidInput("A read under way has no end date yet.", field="ended_on")
    reads.validate_dates(started_on, ended_on, today=today)
