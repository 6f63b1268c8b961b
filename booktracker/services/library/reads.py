"""The reads of a library entry: first reads, re-reads, did-not-finish.

A read has calendar dates in the reader's time zone (``today`` comes from the
caller, who knows the zone), either of which may be unknown. The entry's
``status`` and ``current_page`` mirror its latest read (the highest id), so
the library page never joins the reads; only "want to read" is a shelf with
no read of its own (the past reads stay). Every use case here is one commit,
and checks ownership: another reader's read looks exactly like a missing one.
"""

from __future__ import annotations

import datetime

from sqlmodel import Session, col, delete, select

from booktracker.db import utcnow
from booktracker.errors import Conflict, InvalidInput, NotFound
from booktracker.models import (
    READ_STATUSES,
    Book,
    BookFormat,
    Read,
    ReadingProgress,
    ReadingStatus,
    ReadView,
    UserBook,
    saved_id,
)
from booktracker.services.library import copies
from booktracker.services.library.read_dates import day_of, validate_dates

__all__ = [
    "ReadView",
    "delete_read",
    "end_read",
    "list_reads",
    "new_read",
    "start_read",
    "update_read",
]

READING = ReadingStatus.READING.value
FINISHED = ReadingStatus.FINISHED.value
PAUSED = ReadingStatus.PAUSED.value
TO_READ = ReadingStatus.TO_READ.value
# A paused read can be resumed or finished; a finished or abandoned one is over.
OPEN = (READING, PAUSED)
ENDINGS = (FINISHED, ReadingStatus.DNF.value, PAUSED)


def _valid_read_status(status: str) -> str:
    if status not in READ_STATUSES:
        allowed = ", ".join(s.value for s in READ_STATUSES)
        raise InvalidInput(f"A read's status must be one of: {allowed}.", field="status")
    return status


def _no_end_while_reading(status: str, ended_on: datetime.date | None) -> None:
    if status == READING and ended_on is not None:
        raise InvalidInput("A read under way has no end date yet.", field="ended_on")


# ----------------------------------------------------------------- rows


def new_read(
    session: Session,
    entry: UserBook,
    *,
    status: str,
    started_on: datetime.date | None,
    ended_on: datetime.date | None,
    progress: int = 0,
    format: str | None = None,
    today: datetime.date,
) -> Read:
    """A validated read of ``entry``, added to the session, not committed
    (the importer adds many in one transaction)."""
    _valid_read_status(status)
    started_on, ended_on = day_of(started_on), day_of(ended_on)
    _no_end_while_reading(status, ended_on)
    validate_dates(started_on, ended_on, today=today)
    if progress < 0:
        raise InvalidInput("Progress cannot be negative.", field="progress")
    if format and format not in {f.value for f in BookFormat}:
        raise InvalidInput(f"Format must be one of: {', '.join(f.value for f in BookFormat)}.", field="format")
    if entry.id is None:
        session.flush()  # a new entry needs its id
    read = Read(
        user_id=entry.user_id,
        user_book_id=saved_id(entry),
        book_id=entry.book_id,
        status=status,
        started_on=started_on,
        ended_on=ended_on,
        progress=progress,
        format=format or None,
    )
    session.add(read)
    return read


def latest_read(session: Session, entry: UserBook) -> Read | None:
    """The read the entry mirrors; None for a new entry or one never started."""
    if entry.id is None:
        return None
    return session.exec(
        select(Read).where(Read.user_book_id == entry.id).order_by(col(Read.id).desc()).limit(1)
    ).first()


def owned_entry(session: Session, user_id: int, user_book_id: int) -> tuple[UserBook, Book]:
    row = session.exec(
        select(UserBook, Book)
        .join(Book, col(Book.id) == col(UserBook.book_id))
        .where(col(UserBook.id) == user_book_id, col(UserBook.user_id) == user_id)
    ).first()
    if row is None:
        raise NotFound("That book is not in your library.")
    return row[0], row[1]


def _owned_read(session: Session, user_id: int, read_id: int) -> tuple[Read, UserBook, Book]:
    row = session.exec(
        select(Read, UserBook, Book)
        .join(UserBook, col(UserBook.id) == col(Read.user_book_id))
        .join(Book, col(Book.id) == col(UserBook.book_id))
        .where(col(Read.id) == read_id, col(Read.user_id) == user_id)
    ).first()
    if row is None:
        raise NotFound("That read is not in your library.")
    return row[0], row[1], row[2]


def views(reads: list[Read]) -> list[ReadView]:
    """Reads as the browser sees them, newest first (``reads`` in any order)."""
    ordered = sorted(reads, key=saved_id, reverse=True)
    return [_view(read, is_current=n == 0) for n, read in enumerate(ordered)]


def _view(read: Read, *, is_current: bool) -> ReadView:
    return ReadView(
        id=saved_id(read),
        status=read.status,
        started_on=read.started_on.isoformat() if read.started_on else "",
        ended_on=read.ended_on.isoformat() if read.ended_on else "",
        progress=read.progress,
        format=read.format or "",
        is_current=is_current,
    )


def entry_reads(session: Session, user_book_id: int) -> list[Read]:
    return list(session.exec(select(Read).where(Read.user_book_id == user_book_id).order_by(col(Read.id).desc())))


# ----------------------------------------------------------------- the rules every change goes through


def record_progress(
    session: Session, entry: UserBook, book: Book, read: Read | None, old: int, new: int, *, at: datetime.datetime
) -> None:
    """A history row for a move from ``old`` to ``new`` (in the entry's unit)."""
    if old == new:
        return
    if entry.id is None or (read is not None and read.id is None):
        session.flush()  # the history row needs their ids
    pages_delta, minutes_delta = copies.deltas(entry, book, old, new)
    session.add(
        ReadingProgress(
            user_id=entry.user_id,
            user_book_id=saved_id(entry),
            book_id=entry.book_id,
            read_id=read.id if read is not None else None,
            from_page=old,
            to_page=new,
            pages_delta=pages_delta,
            minutes_delta=minutes_delta,
            recorded_at=at,
        )
    )


def _read_on(day: datetime.date | None, *, at: datetime.datetime, today: datetime.date) -> datetime.datetime:
    """When the pages of a read ended on ``day`` were read: now for today,
    noon UTC of that day for a back-filled read (its local day in every zone
    within ±12 h), so last year's book adds no pages to today's streak."""
    if day is None or day == today:
        return at
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def close_read(
    session: Session,
    entry: UserBook,
    book: Book,
    read: Read,
    status: str,
    ended_on: datetime.date | None,
    *,
    at: datetime.datetime,
    today: datetime.date,
) -> None:
    """End ``read`` as finished / did-not-finish / paused on ``ended_on``.

    Finishing reaches the last page, recorded as progress on the day it was
    finished; with an unknown day nothing is recorded (stats count those
    pages from the read itself, see services/stats.py)."""
    end = copies.total(entry, book)
    if status == FINISHED and end and read.progress != end:
        if ended_on is not None:
            record_progress(session, entry, book, read, read.progress, end, at=_read_on(ended_on, at=at, today=today))
        read.progress = end
    read.status, read.ended_on, read.updated_at = status, ended_on, at


def mirror(entry: UserBook, read: Read | None, *, at: datetime.datetime) -> None:
    """The entry shows its latest read; no read left means back to "want to read"."""
    entry.status = read.status if read is not None else TO_READ
    entry.current_page = read.progress if read is not None else 0
    entry.updated_at = at


def move_entry(
    session: Session,
    entry: UserBook,
    book: Book,
    status: str,
    current: Read | None,
    *,
    at: datetime.datetime,
    today: datetime.date,
) -> Read | None:
    """Apply a status chosen for the whole entry to its reads; returns the
    current read afterwards.

    Starting a book on the want-to-read shelf, or one that was finished or
    abandoned, starts a NEW read today (a re-read keeps the earlier ones); a
    paused read resumes. Finishing, abandoning or pausing ends the open read
    today (a finished book marked did-not-finish only changes how it ended);
    with no open read, a read of unknown start is recorded. Back to "want to
    read" keeps every read, and pauses one under way.
    """
    if status == entry.status:
        return current
    shelved = entry.status == TO_READ or current is None
    if status == TO_READ:
        if current is not None and current.status == READING:
            close_read(session, entry, book, current, PAUSED, today, at=at, today=today)
        entry.status, entry.updated_at = TO_READ, at
        return current
    if status == READING:
        if not shelved and current is not None and current.status == PAUSED:
            current.status, current.ended_on, current.updated_at = READING, None, at
        else:
            current = new_read(session, entry, status=READING, started_on=today, ended_on=None, today=today)
    else:
        _valid_read_status(status)
        if shelved or current is None:
            current = new_read(session, entry, status=READING, started_on=None, ended_on=None, today=today)
            close_read(session, entry, book, current, status, today, at=at, today=today)
        else:
            # An open read ends today; a closed one keeps the day it ended.
            ended_on = today if current.status in OPEN else current.ended_on
            close_read(session, entry, book, current, status, ended_on, at=at, today=today)
    mirror(entry, current, at=at)
    return current


# ----------------------------------------------------------------- use cases


def list_reads(*, session: Session, user_id: int, user_book_id: int) -> list[ReadView]:
    owned_entry(session, user_id, user_book_id)
    return views(entry_reads(session, user_book_id))


def start_read(
    *, session: Session, user_id: int, user_book_id: int, started_on: datetime.date | None, today: datetime.date
) -> ReadView:
    """Start a new read (a re-read, or the first one): earlier reads are kept."""
    entry, _book = owned_entry(session, user_id, user_book_id)
    current = latest_read(session, entry)
    if current is not None and current.status == READING:
        raise Conflict("You are reading this book already: finish or stop that read first.", field="status")
    read = new_read(session, entry, status=READING, started_on=started_on, ended_on=None, today=today)
    mirror(entry, read, at=utcnow())
    session.commit()
    return _view(read, is_current=True)


def end_read(
    *,
    session: Session,
    user_id: int,
    user_book_id: int,
    status: str,
    ended_on: datetime.date | None,
    today: datetime.date,
) -> ReadView:
    """End the open read as finished / did-not-finish / paused on ``ended_on``
    (with no open read, one of unknown start is recorded)."""
    if status not in ENDINGS:
        raise InvalidInput("A read ends as finished, did-not-finish or paused.", field="status")
    entry, book = owned_entry(session, user_id, user_book_id)
    current = latest_read(session, entry)
    if current is None or current.status not in OPEN or entry.status == TO_READ:
        validate_dates(None, ended_on, today=today)
        current = new_read(session, entry, status=READING, started_on=None, ended_on=None, today=today)
    else:
        validate_dates(current.started_on, ended_on, today=today)
    now = utcnow()
    close_read(session, entry, book, current, status, day_of(ended_on), at=now, today=today)
    mirror(entry, current, at=now)
    session.commit()
    return _view(current, is_current=True)


def update_read(
    *,
    session: Session,
    user_id: int,
    read_id: int,
    started_on: datetime.date | None,
    ended_on: datetime.date | None,
    today: datetime.date,
    status: str | None = None,
) -> ReadView:
    """Correct any read's dates (None = unknown) and, optionally, its status."""
    read, entry, book = _owned_read(session, user_id, read_id)
    started_on, ended_on = day_of(started_on), day_of(ended_on)
    new_status = _valid_read_status(status) if status is not None else read.status
    latest = latest_read(session, entry)
    is_current = latest is not None and latest.id == read.id
    if new_status == READING and not is_current:
        raise InvalidInput("Only the latest read can be under way.", field="status")
    _no_end_while_reading(new_status, ended_on)
    validate_dates(started_on, ended_on, today=today)
    now = utcnow()
    read.started_on = started_on
    if new_status in ENDINGS and new_status != read.status:
        close_read(session, entry, book, read, new_status, ended_on, at=now, today=today)
    else:
        read.status, read.ended_on, read.updated_at = new_status, ended_on, now
    if is_current and (status is not None or entry.status != TO_READ):
        mirror(entry, read, at=now)
    session.commit()
    return _view(read, is_current=is_current)


def delete_read(*, session: Session, user_id: int, read_id: int) -> None:
    """Forget a read and the pages logged in it; the entry then mirrors the
    latest read left, or goes back to "want to read"."""
    read, entry, _book = _owned_read(session, user_id, read_id)
    latest = latest_read(session, entry)
    was_current = latest is not None and latest.id == read.id
    session.exec(delete(ReadingProgress).where(col(ReadingProgress.read_id) == read.id))
    session.delete(read)
    session.flush()
    if was_current and entry.status != TO_READ:
        mirror(entry, latest_read(session, entry), at=utcnow())
    session.commit()
