"""Writing one batch of parsed rows: a constant number of statements per batch.

Every table gets one multi-row INSERT per batch (``RETURNING`` the ids the
next table needs), after one SELECT of the shared books the batch names:

    books (SELECT, INSERT) → entries → reads → reviews → page history
    → shelves (services/shelves: SELECT + INSERT) → shelf links (SELECT + INSERT)

so a 20,000-row file costs the same per batch as a 200-row one (about 5
statements per row before). Rows were validated when the file was parsed
(rows.py, the shared ``validate_dates``): nothing here decides whether a row is
good. The shared book is never changed by a reader's file: a book already in
the catalogue is used as it is, and what the file says differently (title,
pages, ISBN) goes to the entry's copy columns. Nothing here commits.
"""

from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from booktracker.db import utcnow
from booktracker.models import (
    Book,
    BookFormat,
    Ownership,
    ProgressUnit,
    Read,
    ReadingProgress,
    ReadingStatus,
    Review,
    UserBook,
)
from booktracker.services import reviews as review_service
from booktracker.services import shelves
from booktracker.services.books import normalize_isbn
from booktracker.services.imports.rows import ImportRow, book_key

# Plain strings: an enum member's .value is a descriptor call, nine times a row.
FINISHED = ReadingStatus.FINISHED.value
AUDIO = BookFormat.AUDIOBOOK.value
OWNED, NOT_OWNED = Ownership.OWNED.value, Ownership.NONE.value
MINUTES, PAGES = ProgressUnit.MINUTES.value, ProgressUnit.PAGES.value


def at_noon(day: datetime.date) -> datetime.datetime:
    """A calendar date as a time: noon UTC is the same day in nearly every zone."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


# Rows per INSERT statement: 1,000 rows of ~20 columns stay under SQLite's
# 32,766 parameters; a batch of 500 books is one statement per table.
ROWS_PER_STATEMENT = 1000


def insert_rows(session: Session, model: Any, rows: list[dict[str, Any]], *returning: Any) -> list[Any]:
    """Multi-row INSERT ... VALUES statements (at most ROWS_PER_STATEMENT rows each), with RETURNING.

    Core "insertmanyvalues": the rows go as parameter sets of one compiled,
    cached single-row INSERT that the engine sends as multi-row statements.
    ``sa.insert(table).values([...])`` sends the same SQL but compiles a new
    statement per batch, one bind parameter at a time: that compile was 80 %
    of an import's time (bench/imports.py). Not the ORM's bulk insert: that
    one sends a row at a time on SQLite when RETURNING must follow the rows'
    order, and splits rows by which values are None. Callers match returned
    rows by their columns, not by position. Every row has the same keys.
    """
    if not rows:
        return []
    statement = sa.insert(model.__table__)
    if not returning:
        session.execute(statement, rows, execution_options={"insertmanyvalues_page_size": ROWS_PER_STATEMENT})
        return []
    result = session.execute(
        statement.returning(*returning),
        rows,
        execution_options={"insertmanyvalues_page_size": ROWS_PER_STATEMENT},
    )
    return list(result.all())


# ----------------------------------------------------------------- books


def _new_book(row: ImportRow) -> dict[str, Any]:
    # The parsers kept the ISBN-10 (normalize_isbn was a tenth of the CPU, twice per row).
    isbn10, isbn13 = (row.isbn10, row.isbn or None) if row.isbn10 or not row.isbn else normalize_isbn(row.isbn)
    return {
        "title": row.title,
        "authors": row.authors,
        "isbn10": isbn10,
        "isbn13": isbn13,
        "total_pages": row.pages,
        "publisher": row.publisher,
        "published_date": row.year,
        "series": row.series,
        "series_position": row.series_position,
        "original_year": row.original_year,
        "contributors": row.contributors,
        "dedupe_key": book_key(row),
    }


def books_for(session: Session, rows: list[ImportRow]) -> list[tuple[int, str, int | None, str | None]]:
    """(id, title, pages, isbn13) of each row's shared book: found (one SELECT)
    or created (one INSERT), matched as services/books does: by ISBN-13, else by
    title + first author unless both carry different ISBNs."""
    keys = [book_key(row) for row in rows]
    isbns = {row.isbn for row in rows if row.isbn}
    found = session.execute(
        sa.select(col(Book.id), col(Book.title), col(Book.total_pages), col(Book.isbn13), col(Book.dedupe_key))
        .where(sa.or_(col(Book.isbn13).in_(isbns), col(Book.dedupe_key).in_(set(keys))))
        .order_by(col(Book.id))
    ).all()
    by_isbn = {b[3]: b for b in found if b[3]}
    by_key: dict[str, list[Any]] = {}
    for b in found:
        by_key.setdefault(b[4], []).append(b)

    def match(row: ImportRow, key: str):
        if row.isbn and row.isbn in by_isbn:
            return by_isbn[row.isbn]
        return next((b for b in by_key.get(key, []) if not row.isbn or not b[3]), None)

    matches = [match(row, key) for row, key in zip(rows, keys, strict=True)]
    # Books new to the catalogue, once each (two rows may name one new book).
    pending: dict[str, int] = {}
    new_rows: list[dict[str, Any]] = []
    slots: list[int | None] = []
    for row, key, found_book in zip(rows, keys, matches, strict=True):
        if found_book is not None:
            slots.append(None)
            continue
        slot = pending.get(row.isbn) if row.isbn else None
        slot = slot if slot is not None else pending.get(key)
        if slot is None:
            slot = len(new_rows)
            new_rows.append(_new_book(row))
        if row.isbn:
            pending.setdefault(row.isbn, slot)
        pending.setdefault(key, slot)
        slots.append(slot)
    made_ids = {
        (isbn13, key): book_id
        for book_id, isbn13, key in insert_rows(session, Book, new_rows, Book.id, Book.isbn13, Book.dedupe_key)
    }
    new_ids = [made_ids[(made["isbn13"], made["dedupe_key"])] for made in new_rows]
    out = []
    for found_book, slot in zip(matches, slots, strict=True):
        if found_book is not None:
            out.append((found_book[0], found_book[1], found_book[2], found_book[3]))
        else:
            assert slot is not None
            made = new_rows[slot]
            out.append((new_ids[slot], made["title"], made["total_pages"], made["isbn13"]))
    return out


# ----------------------------------------------------------------- entries


def _entry(user_id: int, row: ImportRow, book: tuple[int, str, int | None, str | None], now) -> dict[str, Any]:
    book_id, title, pages, isbn13 = book
    last = row.reads[-1] if row.reads else None
    finished = row.status == FINISHED
    audio = row.format == AUDIO
    return {
        "user_id": user_id,
        "book_id": book_id,
        "status": row.status,
        "current_page": (row.pages or pages or 0) if finished and not audio else 0,
        "rating": row.rating,
        "private_notes": row.private_notes,
        "format": row.format,
        "ownership": OWNED if row.owned_copies else NOT_OWNED,
        # The reader's copy: what the file says where it differs from the shared book.
        "copy_title": row.title if row.title != title else "",
        "copy_pages": row.pages if row.pages and row.pages != pages else None,
        "copy_isbn": row.isbn if row.isbn and row.isbn != isbn13 else "",
        "progress_unit": MINUTES if audio else PAGES,
        "binding": row.binding,
        "owned_copies": row.owned_copies,
        "content_warnings": row.content_warnings,
        "created_at": at_noon(row.date_added) if row.date_added else now,
        "updated_at": at_noon(last.ended_on) if last and last.ended_on else now,
    }


def write_batch(
    session: Session, user_id: int, rows: list[ImportRow], *, review_public: bool | None
) -> list[ImportRow]:
    """Insert these rows with their reads, reviews, page history and shelves;
    no commit. Rows whose shared book is already in the reader's library (or
    on an earlier row of the batch: the file named it two ways) are left out
    and returned. ``review_public`` None skips reviews."""
    if not rows:
        return []
    now = utcnow()
    rows, books, skipped = _new_to_library(session, user_id, rows)
    made = insert_rows(
        session,
        UserBook,
        [_entry(user_id, r, b, now) for r, b in zip(rows, books, strict=True)],
        UserBook.id,
        UserBook.book_id,
    )
    entry_of_book = {book_id: entry_id for entry_id, book_id in made}
    entry_ids = [entry_of_book[book[0]] for book in books]
    read_rows, read_ids, latest = _insert_reads(session, user_id, rows, books, entry_ids, now)
    _reviews(session, user_id, rows, books, entry_ids, latest, review_public)
    _page_history(session, read_rows, read_ids)
    _shelve(session, user_id, rows, entry_ids)
    return skipped


def _new_to_library(session: Session, user_id: int, rows: list[ImportRow]) -> tuple[list, list, list[ImportRow]]:
    """(rows to insert, their shared books, rows left out): a book already in
    the library, or named on an earlier row of the batch, is left out."""
    all_books = books_for(session, rows)
    taken = set(
        session.exec(
            select(UserBook.book_id).where(
                col(UserBook.user_id) == user_id, col(UserBook.book_id).in_({b[0] for b in all_books})
            )
        ).all()
    )
    kept: list[ImportRow] = []
    books: list[tuple[int, str, int | None, str | None]] = []
    skipped: list[ImportRow] = []
    for row, book in zip(rows, all_books, strict=True):
        if book[0] in taken:
            skipped.append(row)
            continue
        taken.add(book[0])
        kept.append(row)
        books.append(book)
    return kept, books, skipped


def _insert_reads(
    session: Session, user_id: int, rows: list[ImportRow], books: list, entry_ids: list[int], now: datetime.datetime
) -> tuple[list[dict[str, Any]], list[int], dict[int, int]]:
    """Every row's reads: (the read rows, their ids, each row's latest read id by row index)."""
    read_rows: list[dict[str, Any]] = []
    owners: list[int] = []  # index into rows, per read
    for index, (row, book, entry_id) in enumerate(zip(rows, books, entry_ids, strict=True)):
        pages = row.pages or book[2] or 0
        audio = row.format == AUDIO
        for read in row.reads:
            progress = pages if read.status == FINISHED and not audio else 0
            read_rows.append(
                {
                    "user_id": user_id,
                    "user_book_id": entry_id,
                    "book_id": book[0],
                    "status": read.status,
                    "started_on": read.started_on,
                    "ended_on": read.ended_on,
                    "progress": progress,
                    "format": row.format,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            owners.append(index)
    # An entry's reads get ascending ids in the order they are listed.
    made_reads: dict[int, list[int]] = {}
    for read_id, entry_id in sorted(insert_rows(session, Read, read_rows, Read.id, Read.user_book_id)):
        made_reads.setdefault(entry_id, []).append(read_id)
    read_ids = [made_reads[entry_id].pop(0) for entry_id in (read["user_book_id"] for read in read_rows)]
    latest: dict[int, int] = {}  # row index -> its latest read's id
    for index, read_id in zip(owners, read_ids, strict=True):
        latest[index] = read_id
    return read_rows, read_ids, latest


def _reviews(session, user_id, rows, books, entry_ids, latest, review_public) -> None:
    if review_public is None:
        return
    reviews = []
    for index, (row, book, entry_id) in enumerate(zip(rows, books, entry_ids, strict=True)):
        if not row.review:
            continue
        dated = next((r.ended_on for r in reversed(row.reads) if r.ended_on), None) or row.date_added
        when = at_noon(dated) if dated else utcnow()
        reviews.append(
            {
                "user_id": user_id,
                "user_book_id": entry_id,
                "read_id": latest.get(index),
                "book_id": book[0],
                "rating": row.rating,
                "text": row.review,
                "has_spoilers": row.has_spoilers,
                "is_public": review_public,
                "created_at": when,
                "updated_at": when,
            }
        )
    if reviews and review_public:
        # Public reviews get their companion post (feeds, book page), dated like the review: one more statement.
        made = insert_rows(session, Review, reviews, Review.id)
        review_service.add_companion_posts(session, [row[0] for row in made])
    elif reviews:
        insert_rows(session, Review, reviews)


def _page_history(session: Session, read_rows: list[dict[str, Any]], read_ids: list[int]) -> None:
    """A dated finished read records its pages as read on the day it ended, as
    finishing a book by hand does (stats' pages and streaks see it)."""
    history = [
        {
            "user_id": read["user_id"],
            "user_book_id": read["user_book_id"],
            "book_id": read["book_id"],
            "read_id": read_id,
            "from_page": 0,
            "to_page": read["progress"],
            "pages_delta": read["progress"],
            "minutes_delta": 0,
            "recorded_at": at_noon(read["ended_on"]),
        }
        for read, read_id in zip(read_rows, read_ids, strict=True)
        if read["status"] == FINISHED and read["ended_on"] and read["progress"]
    ]
    if history:
        insert_rows(session, ReadingProgress, history)


def _shelve(session: Session, user_id: int, rows: list[ImportRow], entry_ids: list[int]) -> None:
    names = [name for row in rows for name in row.shelves]
    if not names:
        return
    ids = shelves.ensure_shelves(session, user_id, names)
    links = [(entry_id, ids[name]) for row, entry_id in zip(rows, entry_ids, strict=True) for name in row.shelves]
    shelves.put_many_on_shelves(session, links)
