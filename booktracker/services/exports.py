"""Exporting a reader's data: a Goodreads-compatible CSV of the library, and
everything of theirs as JSON (profile, library, progress, posts, comments)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from sqlmodel import Session, col, select

from booktracker.errors import NotFound
from booktracker.models import (
    Book,
    BookFormat,
    Comment,
    Ownership,
    Post,
    ReadingProgress,
    ReadingStatus,
    Tag,
    User,
    UserBook,
    UserBookTag,
    UserPublic,
    saved_id,
)

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
# Goodreads' words for our statuses and formats (its shelves and bindings).
SHELF_OF_STATUS: dict[str, str] = {
    ReadingStatus.TO_READ: "to-read",
    ReadingStatus.READING: "currently-reading",
    ReadingStatus.FINISHED: "read",
    ReadingStatus.PAUSED: "paused",
    ReadingStatus.DNF: "did-not-finish",
}
BINDING_OF_FORMAT: dict[str, str] = {
    BookFormat.HARDCOVER: "Hardcover",
    BookFormat.PAPERBACK: "Paperback",
    BookFormat.EBOOK: "ebook",
    BookFormat.KINDLE: "Kindle Edition",
    BookFormat.PDF: "PDF",
    BookFormat.AUDIOBOOK: "Audiobook",
}
CHUNK = 500


def _date(value) -> str:
    return value.strftime("%Y/%m/%d") if value else ""


def _tags_by_entry(session: Session, user_id: int) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = {}
    rows = session.exec(
        select(UserBookTag.user_book_id, Tag.name)
        .join(Tag, col(Tag.id) == UserBookTag.tag_id)
        .where(Tag.user_id == user_id)
    )
    for entry_id, name in rows:
        tags.setdefault(entry_id, []).append(name)
    return tags


def _rating(value: float | None) -> str:
    if not value:
        return "0"
    return str(int(value)) if value == int(value) else str(value)


def goodreads_csv(*, session: Session, user_id: int) -> Iterator[str]:
    """The library as Goodreads' export CSV, streamed in chunks of text."""
    tags = _tags_by_entry(session, user_id)
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
        first, _, rest = book.authors.partition(", ")
        shelf = SHELF_OF_STATUS[entry.status]
        shelves = sorted(tags.get(saved_id(entry), []))
        writer.writerow(
            [
                book.id,
                book.title,
                first,
                "",
                rest,
                f'="{book.isbn10}"' if book.isbn10 else '=""',
                f'="{book.isbn13}"' if book.isbn13 else '=""',
                _rating(entry.rating),
                "",
                book.publisher,
                BINDING_OF_FORMAT.get(entry.format or "", ""),
                book.total_pages or "",
                book.published_date[:4],
                book.published_date[:4],
                _date(entry.finished_at),
                _date(entry.created_at),
                ", ".join([*shelves, shelf]),
                "",
                shelf,
                "",
                "",
                entry.private_notes,
                1 if entry.status == ReadingStatus.FINISHED.value else 0,
                1 if entry.ownership == Ownership.OWNED.value else 0,
            ]
        )
        if count % CHUNK == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def user_data(*, session: Session, user_id: int) -> dict:
    """Everything that is the reader's, without secrets (no password hash)."""
    user = session.get(User, user_id)
    if user is None:  # only if the account was deleted meanwhile
        raise NotFound("No such reader.")
    tags = _tags_by_entry(session, user_id)
    library = [
        {
            "id": entry.id,
            "title": book.title,
            "authors": book.authors,
            "isbn13": book.isbn13,
            "isbn10": book.isbn10,
            "pages": book.total_pages,
            "status": entry.status,
            "current_page": entry.current_page,
            "rating": entry.rating,
            "format": entry.format,
            "ownership": entry.ownership,
            "borrowed_from": entry.borrowed_from,
            "loaned_to": entry.loaned_to,
            "private_notes": entry.private_notes,
            "started_at": _iso(entry.started_at),
            "finished_at": _iso(entry.finished_at),
            "added_at": _iso(entry.created_at),
            "tags": sorted(tags.get(saved_id(entry), [])),
        }
        for entry, book in session.exec(
            select(UserBook, Book)
            .join(Book, col(Book.id) == UserBook.book_id)
            .where(UserBook.user_id == user_id)
            .order_by(col(UserBook.id))
        )
    ]
    progress = [
        {
            "user_book_id": p.user_book_id,
            "from_page": p.from_page,
            "to_page": p.to_page,
            "pages_delta": p.pages_delta,
            "at": _iso(p.recorded_at),
        }
        for p in session.exec(
            select(ReadingProgress).where(ReadingProgress.user_id == user_id).order_by(col(ReadingProgress.id))
        )
    ]
    posts = [
        {
            "id": n.id,
            "user_book_id": n.user_book_id,
            "text": n.text,
            "emotion": n.emotion,
            "quote": n.quote,
            "image_url": n.image_url,
            "page": n.page,
            "chapter": n.chapter,
            "public": n.is_public,
            "created_at": _iso(n.created_at),
            "updated_at": _iso(n.updated_at),
        }
        for n in session.exec(select(Post).where(Post.user_id == user_id).order_by(col(Post.id)))
    ]
    comments = [
        {"id": c.id, "post_id": c.note_id, "text": c.text, "created_at": _iso(c.created_at)}
        for c in session.exec(select(Comment).where(Comment.user_id == user_id).order_by(col(Comment.id)))
    ]
    profile = UserPublic.model_validate(user, from_attributes=True).model_dump(mode="json") | {"email": user.email}
    return {
        "format": "trackmyread-export",
        "version": 1,
        "profile": profile,
        "library": library,
        "progress": progress,
        "posts": posts,
        "comments": comments,
    }
