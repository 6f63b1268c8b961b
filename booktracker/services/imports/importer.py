"""One import of one export file into one reader's library.

An ``Importer`` parses the file once -- the preview and the run read the same
rows -- and owns the caches it matches rows with: the reader's library by
ISBN-13 and by title+author key, and the reader's tags, each loaded with one
query. It writes through the services' rules, so an imported book looks like
one the reader shelved by hand: status, start and finish dates and the page
history through ``library.apply_status`` (a finished book's pages are
recorded as read on the date it was finished), reviews as posts through
``posts.add_post`` (the checks a published post passes).

The run commits one transaction per batch and yields progress after each, so
a web page can run it as a background task; re-importing the same file
creates nothing new.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from booktracker.db import utcnow
from booktracker.errors import InvalidInput, ServiceError
from booktracker.models import Book, Ownership, Post, ReadingStatus, Tag, UserBook, UserBookTag
from booktracker.services import library, posts
from booktracker.services.books import BookInput, dedupe_key, find_or_create_book, normalize_isbn
from booktracker.services.imports.reader import read_rows
from booktracker.services.imports.rows import ImportRow, RowError

BATCH = 200
MAX_REPORTED_ERRORS = 500
TAG_MAX = 100
REVIEW_CHOICES = ("note", "private_post", "public_post", "skip")
REVIEW_POSTS = {"private_post": False, "public_post": True}  # choice -> is_public


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

    def fail(self, error: RowError) -> None:
        if len(self.failed) < MAX_REPORTED_ERRORS:
            self.failed.append(error)

    def copy(self) -> ImportProgress:
        return dataclasses.replace(self, failed=list(self.failed))


class _Redo(Exception):
    """A row failed after it wrote something: redo its batch row by row."""


def _keys(row: ImportRow) -> tuple[str | None, str]:
    try:
        _ten, isbn13 = normalize_isbn(row.isbn)
    except InvalidInput:
        isbn13 = None
    return isbn13, dedupe_key(row.title, row.authors)


class Importer:
    def __init__(self, *, user_id: int, data: bytes, review_as: str = "note") -> None:
        if review_as not in REVIEW_CHOICES:
            raise InvalidInput("Choose what to do with reviews.", field="review_as")
        self.user_id = user_id
        self.review_as = review_as
        self.format, rows = read_rows(data)
        self.rows: list[ImportRow | RowError] = list(rows)
        self._by_isbn: dict[str, int] = {}  # ISBN-13 -> the reader's entry id
        self._by_key: dict[str, int] = {}  # title+author key -> entry id
        self._tags: dict[str, int] = {}  # the reader's tag name -> id

    # ------------------------------------------------------------- caches

    def _load_library(self, session: Session) -> None:
        """The reader's entries by ISBN-13 and by title+author key, in one query."""
        self._by_isbn, self._by_key = {}, {}
        rows = session.exec(
            select(UserBook.id, Book.isbn13, Book.dedupe_key)
            .join(Book, col(Book.id) == col(UserBook.book_id))
            .where(col(UserBook.user_id) == self.user_id)
        )
        for entry_id, isbn13, key in rows:
            assert entry_id is not None  # stored rows have ids
            if isbn13:
                self._by_isbn[isbn13] = entry_id
            self._by_key.setdefault(key, entry_id)

    def _load_tags(self, session: Session) -> None:
        tags = session.exec(select(Tag.name, Tag.id).where(col(Tag.user_id) == self.user_id))
        self._tags = {name: tag_id for name, tag_id in tags if tag_id is not None}

    def _match(self, row: ImportRow) -> int | None:
        isbn13, key = _keys(row)
        return (self._by_isbn.get(isbn13) if isbn13 else None) or self._by_key.get(key)

    # ------------------------------------------------------------- preview

    def preview(self, session: Session) -> ImportPreview:
        """What the run would do, without writing."""
        self._load_library(session)
        new = existing = 0
        invalid: list[RowError] = []
        seen: set[str] = set()
        for row in self.rows:
            if isinstance(row, RowError):
                if len(invalid) < MAX_REPORTED_ERRORS:
                    invalid.append(row)
                continue
            isbn13, key = _keys(row)
            if self._match(row) is not None:
                existing += 1
            elif (isbn13 or key) not in seen:
                new += 1
            seen.add(isbn13 or key)
        return ImportPreview(
            format=self.format, total=len(self.rows), new=new, already_in_library=existing, invalid=invalid
        )

    # ------------------------------------------------------------- run

    def run(self, session_factory: Callable[[], Session], *, batch_size: int = BATCH) -> Iterator[ImportProgress]:
        """Import, one transaction per batch, yielding progress after each full batch and at the end."""
        progress = ImportProgress(done=0, total=len(self.rows), created=0, updated=0, failed=[])
        with session_factory() as session:
            self._load_library(session)
            self._load_tags(session)
        for start in range(0, len(self.rows), batch_size):
            batch = self.rows[start : start + batch_size]
            self._write_batch(session_factory, batch, progress)
            progress.done += len(batch)
            if len(batch) == batch_size:
                yield progress.copy()
        progress.finished = True
        yield progress

    def _write_batch(
        self, session_factory: Callable[[], Session], batch: list[ImportRow | RowError], progress: ImportProgress
    ) -> None:
        # Fast path: the whole batch in one transaction. If the database
        # refuses something, redo the batch row by row in savepoints so only
        # the bad rows fail, each reported by line.
        saved = (dict(self._by_isbn), dict(self._by_key), dict(self._tags), progress.copy())
        try:
            with session_factory() as session:
                for row in batch:
                    self._import_row(session, row, progress, savepoint=False)
                session.commit()
        except (IntegrityError, ValueError, _Redo):
            self._by_isbn, self._by_key, self._tags = saved[0], saved[1], saved[2]
            progress.created, progress.updated, progress.failed = saved[3].created, saved[3].updated, saved[3].failed
            with session_factory() as session:
                for row in batch:
                    self._import_row(session, row, progress, savepoint=True)
                session.commit()

    def _import_row(
        self, session: Session, row: ImportRow | RowError, progress: ImportProgress, *, savepoint: bool
    ) -> None:
        if isinstance(row, RowError):
            progress.fail(row)
            return
        wrote = False
        try:
            with session.begin_nested() if savepoint else contextlib.nullcontext():
                entry, book, created = self._entry_for(session, row)
                wrote = True
                self._apply(session, entry, book, row)
                session.flush()
                assert entry.id is not None  # flushed
                self._tag(session, entry.id, row.tags, created=created)
                if row.review and self.review_as in REVIEW_POSTS:
                    self._review_post(session, entry.id, row.review, created=created)
        except ServiceError as exc:
            if wrote and not savepoint:
                raise _Redo from exc  # the batch's transaction has half of this row
            progress.fail(RowError(row.line, exc.message))
            return
        except (IntegrityError, ValueError) as exc:
            if not savepoint:
                raise  # the batch is redone row by row (see _write_batch)
            progress.fail(RowError(row.line, str(exc).splitlines()[0]))
            return
        if created:
            progress.created += 1
            assert entry.id is not None
            if book.isbn13:
                self._by_isbn[book.isbn13] = entry.id
            self._by_key.setdefault(book.dedupe_key, entry.id)
        else:
            progress.updated += 1

    def _entry_for(self, session: Session, row: ImportRow) -> tuple[UserBook, Book, bool]:
        """The reader's entry for this row (and its book), and whether it is new."""
        entry_id = self._match(row)
        if entry_id is not None:
            entry = session.get(UserBook, entry_id)
            book = session.get(Book, entry.book_id) if entry is not None else None
            if entry is None or book is None:
                raise InvalidInput("The book was removed from your library during the import.")
            return entry, book, False
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
        assert book.id is not None  # flushed by find_or_create_book
        entry = UserBook(user_id=self.user_id, book_id=book.id, status=ReadingStatus.TO_READ.value)
        session.add(entry)
        return entry, book, True

    def _apply(self, session: Session, entry: UserBook, book: Book, row: ImportRow) -> None:
        if row.rating is not None:
            entry.rating = row.rating
        if row.format:
            entry.format = row.format
        if row.owned:
            entry.ownership = Ownership.OWNED.value
        notes = row.private_notes
        if self.review_as == "note" and row.review:
            notes = f"{notes}\n\nReview:\n{row.review}".strip() if notes else f"Review:\n{row.review}"
        if notes and notes not in (entry.private_notes or ""):
            entry.private_notes = f"{entry.private_notes}\n\n{notes}".strip() if entry.private_notes else notes
        if row.date_added:
            entry.created_at = row.date_added
        now = utcnow()
        finished = row.status == ReadingStatus.FINISHED.value
        if row.date_read and not finished and row.status != ReadingStatus.TO_READ.value:
            entry.started_at = entry.started_at or row.date_read  # paused or abandoned: read from then
        # The export's dates are when it happened: a book finished in 2019 is
        # finished (and its pages read) in 2019, not on the day of the import.
        at = (row.date_read or entry.finished_at or row.date_added or now) if finished else now
        library.apply_status(session, entry, book, row.status, at=at)
        entry.updated_at = now

    def _tag(self, session: Session, entry_id: int, names: list[str], *, created: bool) -> None:
        for name in {n[:TAG_MAX] for n in names if n.strip()}:
            tag_id = self._tags.get(name)
            if tag_id is None:
                tag = Tag(user_id=self.user_id, name=name)
                session.add(tag)
                session.flush()
                assert tag.id is not None
                tag_id = self._tags[name] = tag.id
            # A new entry has no tags yet: no need to look.
            if created or session.get(UserBookTag, (entry_id, tag_id)) is None:
                session.add(UserBookTag(user_book_id=entry_id, tag_id=tag_id))

    def _review_post(self, session: Session, entry_id: int, review: str, *, created: bool) -> None:
        # Long reviews are cut to what a post holds, as before posts were checked;
        # the cut text is what a re-import compares, so it finds the post again.
        text = review[: posts.TEXT_MAX].strip()
        if not created:
            exists = session.exec(
                select(Post.id).where(col(Post.user_book_id) == entry_id, col(Post.text) == text)
            ).first()
            if exists is not None:
                return
        data = posts.PostInput(text=text, user_book_id=entry_id, is_public=REVIEW_POSTS[self.review_as])
        posts.add_post(session=session, user_id=self.user_id, data=data)


def preview(*, session: Session, user_id: int, data: bytes) -> ImportPreview:
    """Count what importing ``data`` would do, without writing."""
    return Importer(user_id=user_id, data=data).preview(session)


def import_rows(
    *,
    session_factory: Callable[[], Session],
    user_id: int,
    data: bytes,
    review_as: str = "note",
    batch_size: int = BATCH,
) -> Iterator[ImportProgress]:
    """Import ``data``, one transaction per batch, yielding progress after each.

    A generator: nothing is parsed or written before the first ``next()``,
    so a bad file is refused there, where the caller reports progress."""
    yield from Importer(user_id=user_id, data=data, review_as=review_as).run(session_factory, batch_size=batch_size)
