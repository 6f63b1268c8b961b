"""Exporting a reader's data: a Goodreads-compatible CSV of the library, and
everything of theirs as JSON (``imports.backup_export.account_backup``, which the importer
accepts back into an empty account).

The CSV is what ``imports.goodreads`` reads back: importing it into an empty
account and exporting again gives the same file, byte for byte (tests). What
Goodreads' columns cannot carry (start dates, the dates of earlier reads,
several reviews, progress history) is in the JSON backup.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from sqlmodel import Session, col, select

from booktracker.models import Book, Ownership, Read, ReadingStatus, Review, Tag, UserBook, UserBookTag
from booktracker.services.books import normalize_isbn
from booktracker.services.imports.goodreads import BINDING_OF_FORMAT, SHELF_OF_STATUS
from booktracker.services.imports.rows import with_series

GOODREADS_HEADER = [
    "Book Id",
    "Title",
    "Author",
    "Author l-f",
    "Additional Authors",
    "ISBN",
    "ISBN13",
    "My Rating",
    "Average Rating",
    "Publisher",
    "Binding",
    "Number of Pages",
    "Year Published",
    "Original Publication Year",
    "Date Read",
    "Date Added",
    "Bookshelves",
    "Bookshelves with positions",
    "Exclusive Shelf",
    "My Review",
    "Spoiler",
    "Private Notes",
    "Read Count",
    "Owned Copies",
]
CHUNK = 500
FINISHED = ReadingStatus.FINISHED.value
STOPPED = (ReadingStatus.PAUSED.value, ReadingStatus.DNF.value)


def _date(value) -> str:
    return value.strftime("%Y/%m/%d") if value else ""


def tags_by_entry(session: Session, user_id: int) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = {}
    rows = session.exec(
        select(UserBookTag.user_book_id, Tag.name)
        .join(Tag, col(Tag.id) == UserBookTag.tag_id)
        .where(Tag.user_id == user_id)
    )
    for entry_id, name in rows:
        tags.setdefault(entry_id, []).append(name)
    return tags


def _reads_by_entry(session: Session, user_id: int) -> dict[int, list[Read]]:
    reads: dict[int, list[Read]] = {}
    for read in session.exec(select(Read).where(Read.user_id == user_id).order_by(col(Read.id))):
        reads.setdefault(read.user_book_id, []).append(read)
    return reads


def _review_by_entry(session: Session, user_id: int) -> dict[int, Review]:
    """The latest review of each entry (Goodreads has one per book)."""
    reviews: dict[int, Review] = {}
    query = select(Review).where(Review.user_id == user_id).order_by(col(Review.created_at), col(Review.id))
    for review in session.exec(query):
        reviews[review.user_book_id] = review
    return reviews


def _rating(value: float | None) -> str:
    if not value:
        return "0"
    return str(int(value)) if value == int(value) else str(value)


def _date_read(status: str, reads: list[Read]):
    """Goodreads' one Date Read: when the latest finished read ended, or, for a
    book paused or abandoned, when it was stopped (what the importer reads back)."""
    if status in STOPPED and reads:
        return reads[-1].ended_on
    finished = [r for r in reads if r.status == FINISHED]
    return finished[-1].ended_on if finished else None


def _people(book: Book) -> tuple[str, str]:
    first, _, rest = book.authors.partition(", ")
    others = [*(name for name in rest.split(", ") if name)]
    others += [f"{c['name']} ({c['role']})" if c.get("role") else c["name"] for c in book.contributors or []]
    return first, ", ".join(others)


def _isbns(entry: UserBook, book: Book) -> tuple[str, str]:
    if entry.copy_isbn:
        isbn10, isbn13 = normalize_isbn(entry.copy_isbn)
        return isbn10 or "", isbn13 or ""
    return book.isbn10 or "", book.isbn13 or ""


def goodreads_row(entry: UserBook, book: Book, reads: list[Read], review: Review | None, shelves: list[str]) -> list:
    first, others = _people(book)
    shelf = SHELF_OF_STATUS[entry.status]
    isbn10, isbn13 = _isbns(entry, book)
    owned = entry.owned_copies or (1 if entry.ownership == Ownership.OWNED.value else 0)
    return [
        book.id,
        with_series(entry.copy_title or book.title, book.series, book.series_position),
        first,
        "",
        others,
        f'="{isbn10}"',
        f'="{isbn13}"',
        _rating(entry.rating),
        "",
        book.publisher,
        entry.binding or BINDING_OF_FORMAT.get(entry.format or "", ""),
        entry.copy_pages or book.total_pages or "",
        book.published_date[:4],
        book.original_year if book.original_year is not None else "",
        _date(_date_read(entry.status, reads)),
        _date(entry.created_at),
        ", ".join([*sorted(shelves), shelf]),
        "",
        shelf,
        review.text if review else "",
        "true" if review and review.has_spoilers else "",
        entry.private_notes,
        sum(1 for r in reads if r.status == FINISHED),
        owned,
    ]


def goodreads_csv(*, session: Session, user_id: int) -> Iterator[str]:
    """The library as Goodreads' export CSV, streamed in chunks of text: four statements."""
    tags = tags_by_entry(session, user_id)
    reads = _reads_by_entry(session, user_id)
    reviews = _review_by_entry(session, user_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(GOODREADS_HEADER)
    rows = session.exec(
        select(UserBook, Book)
        .join(Book, col(Book.id) == UserBook.book_id)
        .where(UserBook.user_id == user_id)
        .order_by(col(UserBook.id))
    )
    for count, (entry, book) in enumerate(rows, start=1):
        entry_id = entry.id or 0
        writer.writerow(
            goodreads_row(entry, book, reads.get(entry_id, []), reviews.get(entry_id), tags.get(entry_id, []))
        )
        if count % CHUNK == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def user_data(*, session: Session, user_id: int) -> dict:
    """Everything that is the reader's, without secrets: the JSON backup."""
    from booktracker.services.imports.backup_export import account_backup  # it uses tags_by_entry from here

    return account_backup(session=session, user_id=user_id)
