"""Importing a Goodreads or StoryGraph export CSV into a reader's library.

- The format is recognised from the header (current and older Goodreads
  headers, StoryGraph's); UTF-8 BOM, Windows line endings, quoted newlines
  and Goodreads' ``="…"`` ISBN quoting are handled.
- Lossless where TrackMyRead has a place: status, rating (quarter stars
  rounded to half), dates read and added, pages, binding/format, owned
  copies, private notes, the review (as a private note or as a post), custom
  shelves, tags and moods (as tags).
- ``preview`` counts what would happen without writing; ``import_rows``
  commits in batches and yields progress after each, so a web page can run
  it as a background task; re-importing the same file creates nothing new.
- Rows are streamed from the CSV; memory is bounded by the batch size.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime
import io
import math
import re
from collections.abc import Callable, Iterator

import sqlalchemy as sa
from dateutil import parser as date_parser
from sqlmodel import Session, select

from booktracker.db import utcnow
from booktracker.errors import InvalidInput, ServiceError
from booktracker.models import Book, Post, Tag, UserBook, UserBookTag
from booktracker.services.books import BookInput, dedupe_key, find_or_create_book, normalize_isbn, parse_pages

BATCH = 200
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_REPORTED_ERRORS = 500
STANDARD_SHELVES = {"read", "currently-reading", "to-read"}
GOODREADS_STATUS = {"read": "finished", "currently-reading": "reading", "to-read": "to-read"}
STORYGRAPH_STATUS = {
    "read": "finished",
    "currently-reading": "reading",
    "to-read": "to-read",
    "did-not-finish": "did-not-finish",
    "paused": "paused",
}
DNF_SHELVES = {"did-not-finish", "dnf", "abandoned", "gave-up"}
PAUSED_SHELVES = {"paused", "on-hold", "on-pause"}
FORMATS = [
    (re.compile(r"kindle", re.I), "kindle"),
    (re.compile(r"audio", re.I), "audiobook"),
    (re.compile(r"e-?book|digital|nook|epub", re.I), "ebook"),
    (re.compile(r"pdf", re.I), "pdf"),
    (re.compile(r"hard", re.I), "hardcover"),
    (re.compile(r"paper|mass market|softcover", re.I), "paperback"),
]
REVIEW_CHOICES = ("note", "private_post", "public_post", "skip")


@dataclasses.dataclass
class ImportRow:
    line: int
    title: str
    authors: str
    isbn: str
    pages: int | None
    status: str
    rating: float | None
    date_read: datetime.datetime | None
    date_added: datetime.datetime | None
    format: str | None
    owned: bool
    private_notes: str
    review: str
    tags: list[str]
    publisher: str
    year: str


@dataclasses.dataclass
class RowError:
    line: int
    reason: str


@dataclasses.dataclass
class ImportPreview:
    format: str
    total: int
    new: int
    already_in_library: int
    invalid: list[RowError]


@dataclasses.dataclass
class ImportProgress:
    done: int
    total: int
    created: int
    updated: int
    failed: list[RowError]
    finished: bool = False


# ----------------------------------------------------------------- parsing


def _text(data: bytes) -> io.StringIO:
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.", field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "The file is not UTF-8 text; export it again from Goodreads or StoryGraph.", field="file"
        ) from None
    # NUL characters are never meaningful in an export and PostgreSQL cannot store them.
    return io.StringIO(text.replace("\x00", ""), newline="")


def detect_format(header: list[str]) -> str:
    names = {h.strip() for h in header}
    if {"Title", "Exclusive Shelf"} <= names:
        return "goodreads"
    if {"Title", "Read Status"} <= names:
        return "storygraph"
    raise InvalidInput(
        "This is not a Goodreads or StoryGraph export: the header has neither 'Exclusive Shelf' nor 'Read Status'.",
        field="file",
    )


def _unquote(value: str) -> str:
    value = (value or "").strip()
    if value.startswith('="') and value.endswith('"'):
        value = value[2:-1]
    return value.strip()


def _date(value: str) -> datetime.datetime | None:
    value = _unquote(value)
    if not value:
        return None
    try:
        parsed = date_parser.parse(value, default=datetime.datetime(2000, 1, 1, 12, 0))
    except (ValueError, OverflowError):
        raise InvalidInput(f"'{value}' is not a date.") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def round_rating(value: str) -> float | None:
    value = _unquote(value)
    if not value:
        return None
    try:
        stars = float(value)
    except ValueError:
        raise InvalidInput(f"'{value}' is not a rating.") from None
    if stars == 0:
        return None
    if not 0 < stars <= 5:
        raise InvalidInput(f"Rating {value} is outside 0–5.")
    return min(5.0, max(1.0, math.floor(stars * 2 + 0.5) / 2))


def _format(value: str) -> str | None:
    for pattern, name in FORMATS:
        if pattern.search(value or ""):
            return name
    return None


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _goodreads_row(line: int, row: dict) -> ImportRow:
    exclusive = (row.get("Exclusive Shelf") or "to-read").strip().lower()
    if exclusive in GOODREADS_STATUS:
        status = GOODREADS_STATUS[exclusive]
    elif exclusive in DNF_SHELVES:
        status = "did-not-finish"
    elif exclusive in PAUSED_SHELVES:
        status = "paused"
    else:
        status = "to-read"  # a custom exclusive shelf: kept as a tag below
    mapped = exclusive in GOODREADS_STATUS or exclusive in DNF_SHELVES or exclusive in PAUSED_SHELVES
    shelves = [
        s for s in _split(row.get("Bookshelves", "")) if s.lower() not in STANDARD_SHELVES and s.lower() != exclusive
    ]
    if not mapped and exclusive:
        shelves.append(exclusive)
    authors = ", ".join(a for a in [(row.get("Author") or "").strip(), *_split(row.get("Additional Authors", ""))] if a)
    owned = (row.get("Owned Copies") or "0").strip()
    return ImportRow(
        line=line,
        title=(row.get("Title") or "").strip(),
        authors=authors,
        isbn=_unquote(row.get("ISBN13", "")) or _unquote(row.get("ISBN", "")),
        pages=parse_pages(row.get("Number of Pages") or None),
        status=status,
        rating=round_rating(row.get("My Rating", "")),
        date_read=_date(row.get("Date Read", "")),
        date_added=_date(row.get("Date Added", "")),
        format=_format(row.get("Binding", "")),
        owned=owned.isdigit() and int(owned) > 0,
        private_notes=(row.get("Private Notes") or "").strip(),
        review=(row.get("My Review") or "").strip(),
        tags=shelves,
        publisher=(row.get("Publisher") or "").strip(),
        year=(row.get("Original Publication Year") or row.get("Year Published") or "").strip(),
    )


def _storygraph_row(line: int, row: dict) -> ImportRow:
    status_text = (row.get("Read Status") or "to-read").strip().lower()
    if status_text not in STORYGRAPH_STATUS:
        raise InvalidInput(f"Unknown read status '{status_text}'.")
    isbn = _unquote(row.get("ISBN/UID", ""))
    try:
        normalize_isbn(isbn)
    except InvalidInput:
        isbn = ""  # StoryGraph puts its own ids here when there is no ISBN
    moods = [f"mood: {m}" for m in _split(row.get("Moods", ""))]
    return ImportRow(
        line=line,
        title=(row.get("Title") or "").strip(),
        authors=(row.get("Authors") or "").strip(),
        isbn=isbn,
        pages=None,
        status=STORYGRAPH_STATUS[status_text],
        rating=round_rating(row.get("Star Rating", "")),
        date_read=_date(row.get("Last Date Read", "")),
        date_added=_date(row.get("Date Added", "")),
        format=_format(row.get("Format", "")),
        owned=(row.get("Owned?") or "").strip().lower() in ("yes", "true", "owned"),
        private_notes="",
        review=(row.get("Review") or "").strip(),
        tags=_split(row.get("Tags", "")) + moods,
        publisher="",
        year="",
    )


def read_rows(data: bytes) -> tuple[str, Iterator[ImportRow | RowError]]:
    """The file's format and a stream of parsed rows (or per-line errors)."""
    reader = csv.reader(_text(data))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput("The file is empty.", field="file") from None
    kind = detect_format(header)
    parse = _goodreads_row if kind == "goodreads" else _storygraph_row
    names = [h.strip() for h in header]

    def rows() -> Iterator[ImportRow | RowError]:
        line = reader.line_num + 1
        for values in reader:
            start, line = line, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(names):
                yield RowError(start, f"{len(values)} fields where the header has {len(names)}.")
                continue
            try:
                row = parse(start, dict(zip(names, values, strict=False)))
                if not row.title:
                    raise InvalidInput("The title is missing.")
                if len(row.title) > 300:
                    raise InvalidInput("The title is longer than 300 characters.")
                yield row
            except ServiceError as exc:
                yield RowError(start, exc.message)

    return kind, rows()


# ----------------------------------------------------------------- matching


def _keys(row: ImportRow) -> tuple[str | None, str]:
    try:
        _ten, isbn13 = normalize_isbn(row.isbn)
    except InvalidInput:
        isbn13 = None
    return isbn13, dedupe_key(row.title, row.authors)


def _library_index(session: Session, user_id: int) -> tuple[dict[str, int], dict[str, int]]:
    """The reader's entries by ISBN-13 and by title+author key, in one query."""
    by_isbn, by_key = {}, {}
    rows = session.exec(
        select(UserBook.id, Book.isbn13, Book.dedupe_key)
        .join(Book, Book.id == UserBook.book_id)
        .where(UserBook.user_id == user_id)
    )
    for entry_id, isbn13, key in rows:
        if isbn13:
            by_isbn[isbn13] = entry_id
        by_key.setdefault(key, entry_id)
    return by_isbn, by_key


def preview(*, session: Session, user_id: int, data: bytes) -> ImportPreview:
    kind, rows = read_rows(data)
    by_isbn, by_key = _library_index(session, user_id)
    total = new = existing = 0
    invalid: list[RowError] = []
    seen: set[str] = set()
    for row in rows:
        total += 1
        if isinstance(row, RowError):
            if len(invalid) < MAX_REPORTED_ERRORS:
                invalid.append(row)
            continue
        isbn13, key = _keys(row)
        if (isbn13 and isbn13 in by_isbn) or key in by_key:
            existing += 1
        elif (isbn13 or key) not in seen:
            new += 1
        seen.add(isbn13 or key)
    return ImportPreview(format=kind, total=total, new=new, already_in_library=existing, invalid=invalid)


# ----------------------------------------------------------------- importing


def _apply(entry: UserBook, row: ImportRow, review_as: str, book_pages: int | None) -> None:
    entry.status = row.status
    if row.rating is not None:
        entry.rating = row.rating
    if row.format:
        entry.format = row.format
    if row.owned:
        entry.ownership = "owned"
    notes = row.private_notes
    if review_as == "note" and row.review:
        notes = f"{notes}\n\nReview:\n{row.review}".strip() if notes else f"Review:\n{row.review}"
    if notes and notes not in (entry.private_notes or ""):
        entry.private_notes = f"{entry.private_notes}\n\n{notes}".strip() if entry.private_notes else notes
    if row.date_added:
        entry.created_at = row.date_added
    if row.status == "finished":
        entry.finished_at = row.date_read or entry.finished_at or row.date_added or utcnow()
        entry.current_page = book_pages or entry.current_page
    elif row.date_read and row.status != "to-read":
        entry.started_at = entry.started_at or row.date_read
    entry.updated_at = utcnow()


def import_rows(
    *,
    session_factory: Callable[[], Session],
    user_id: int,
    data: bytes,
    review_as: str = "note",
    batch_size: int = BATCH,
) -> Iterator[ImportProgress]:
    """Import, one transaction per batch, yielding progress after each."""
    if review_as not in REVIEW_CHOICES:
        raise InvalidInput("Choose what to do with reviews.", field="review_as")
    total = sum(1 for _ in read_rows(data)[1])
    _kind, rows = read_rows(data)
    progress = ImportProgress(done=0, total=total, created=0, updated=0, failed=[])
    with session_factory() as session:
        by_isbn, by_key = _library_index(session, user_id)
        tags = {t.name: t.id for t in session.exec(select(Tag).where(Tag.user_id == user_id))}
    batch: list[ImportRow | RowError] = []

    def flush() -> None:
        # Fast path: the whole batch in one transaction. If the database
        # refuses something, redo the batch row by row in savepoints so only
        # the bad rows fail, each reported by line.
        snapshot = (
            dict(by_isbn),
            dict(by_key),
            dict(tags),
            dataclasses.replace(progress, failed=list(progress.failed)),
        )
        try:
            with session_factory() as session:
                for row in batch:
                    _import_one(session, user_id, row, review_as, by_isbn, by_key, tags, progress, savepoint=False)
                session.commit()
        except (sa.exc.IntegrityError, ValueError):
            by_isbn.clear(), by_key.clear(), tags.clear()
            by_isbn.update(snapshot[0]), by_key.update(snapshot[1]), tags.update(snapshot[2])
            progress.created, progress.updated, progress.failed = (
                snapshot[3].created,
                snapshot[3].updated,
                snapshot[3].failed,
            )
            with session_factory() as session:
                for row in batch:
                    _import_one(session, user_id, row, review_as, by_isbn, by_key, tags, progress, savepoint=True)
                session.commit()
        progress.done += len(batch)
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= batch_size:
            flush()
            yield dataclasses.replace(progress, failed=list(progress.failed))
    if batch:
        flush()
    progress.finished = True
    yield progress


def _import_one(session, user_id, row, review_as, by_isbn, by_key, tags, progress, *, savepoint: bool) -> None:
    if isinstance(row, RowError):
        _fail(progress, row)
        return
    isbn13, key = _keys(row)
    try:
        with session.begin_nested() if savepoint else contextlib.nullcontext():
            entry_id = by_isbn.get(isbn13) if isbn13 else None
            entry_id = entry_id or by_key.get(key)
            if entry_id is not None:
                entry = session.get(UserBook, entry_id)
                book = session.get(Book, entry.book_id)
                created = False
            else:
                book = find_or_create_book(
                    session=session,
                    data=BookInput(
                        title=row.title,
                        authors=row.authors,
                        isbn=row.isbn,
                        total_pages=row.pages,
                        publisher=row.publisher,
                        published_date=row.year,
                    ),
                )
                entry = UserBook(user_id=user_id, book_id=book.id)
                session.add(entry)
                created = True
            _apply(entry, row, review_as, book.total_pages)
            session.flush()
            _tag(session, user_id, entry.id, row.tags, tags)
            if review_as in ("private_post", "public_post") and row.review:
                _review_post(session, user_id, entry, row.review, public=review_as == "public_post")
    except ServiceError as exc:  # invalid data, found before anything is written
        _fail(progress, RowError(row.line, exc.message))
        return
    except (sa.exc.IntegrityError, ValueError) as exc:
        if not savepoint:
            raise  # the batch is redone row by row (see import_rows)
        _fail(progress, RowError(row.line, str(exc).splitlines()[0]))
        return
    if created:
        progress.created += 1
        if book.isbn13:
            by_isbn[book.isbn13] = entry.id
        by_key.setdefault(book.dedupe_key, entry.id)
    else:
        progress.updated += 1


def _fail(progress: ImportProgress, error: RowError) -> None:
    if len(progress.failed) < MAX_REPORTED_ERRORS:
        progress.failed.append(error)


def _tag(session: Session, user_id: int, entry_id: int, names: list[str], cache: dict[str, int]) -> None:
    for name in {n[:100] for n in names if n.strip()}:
        if name not in cache:
            tag = Tag(user_id=user_id, name=name)
            session.add(tag)
            session.flush()
            cache[name] = tag.id
        if session.get(UserBookTag, (entry_id, cache[name])) is None:
            session.add(UserBookTag(user_book_id=entry_id, tag_id=cache[name]))


def _review_post(session: Session, user_id: int, entry: UserBook, review: str, *, public: bool) -> None:
    exists = session.exec(select(Post.id).where(Post.user_book_id == entry.id, Post.text == review)).first()
    if exists is None:
        session.add(
            Post(user_id=user_id, user_book_id=entry.id, book_id=entry.book_id, text=review[:5000], is_public=public)
        )
