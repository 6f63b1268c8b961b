"""One import of one export file into one reader's library.

An ``Importer`` parses the file once -- the preview and the run read the same
rows -- and matches rows with the reader's library (by ISBN-13 and by title +
first author, one query). A book already in the library is left as the reader
keeps it (their edits win; re-importing a file creates nothing new); the
others are written by ``writer.write_batch``, a constant number of statements
per batch, one transaction per batch, with progress after each.

Bad lines: every row is validated when the file is parsed, before anything is
written. With ``skip_invalid`` (the page's "Skip lines with errors", on by
default as before) the good rows are imported and the bad ones reported by
line; without it a file with any bad line is refused whole, nothing written.
The same book twice in a file is imported once and its later lines reported,
never a reason to refuse. Only an outage can stop a run half way; running the
same file again then imports the rest.

A JSON account backup (our own export) goes to ``restore`` instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from booktracker.errors import InvalidInput
from booktracker.models import Book, UserBook
from booktracker.services.books import dedupe_key
from booktracker.services.imports import restore, writer
from booktracker.services.imports.reader import ParsedFile, parse_csv
from booktracker.services.imports.rows import ImportRow, RowError, book_key

BATCH = 500
MAX_REPORTED_ERRORS = 500
# What becomes of the reviews in the file: Review rows, public or only the reader's, or none.
REVIEW_CHOICES = ("private", "public", "skip")
FORMAT_NAMES = {"goodreads": "Goodreads", "storygraph": "StoryGraph", restore.NAME: "TrackMyRead backup"}


@dataclasses.dataclass
class ImportPreview:
    format: str
    total: int
    new: int
    already_in_library: int
    invalid: list[RowError]  # bad lines, then repeated books (duplicate=True), at most MAX_REPORTED_ERRORS
    invalid_count: int = 0
    duplicates: int = 0
    unknown_columns: list[str] = dataclasses.field(default_factory=list)
    notice: str = ""


@dataclasses.dataclass
class ImportProgress:
    done: int
    total: int
    created: int
    already: int
    failed: list[RowError]
    finished: bool = False

    def fail(self, error: RowError) -> None:
        if len(self.failed) < MAX_REPORTED_ERRORS:
            self.failed.append(error)

    def copy(self) -> ImportProgress:
        return dataclasses.replace(self, failed=list(self.failed))


def is_backup(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


class Importer:
    def __init__(self, *, user_id: int, data: bytes, review_as: str = "private", skip_invalid: bool = True) -> None:
        if review_as not in REVIEW_CHOICES:
            raise InvalidInput("Choose what to do with reviews.", field="review_as")
        self.user_id = user_id
        self.review_public = {"private": False, "public": True}.get(review_as)
        self.skip_invalid = skip_invalid
        self.backup: dict | None = None
        if is_backup(data):
            self.backup = restore.load(data)
            self.parsed = ParsedFile(format=restore.NAME, rows=[], unknown_columns=[])
        else:
            self.parsed = parse_csv(data)
        self.format = self.parsed.format
        self.rows = self.parsed.rows

    def _library_keys(self, session: Session) -> set[str]:
        """The reader's books by ISBN-13 (the shared one and their copy's) and title+author key."""
        keys: set[str] = set()
        rows = session.execute(
            sa.select(
                col(Book.isbn13),
                col(UserBook.copy_isbn),
                col(Book.dedupe_key),
                col(UserBook.copy_title),
                col(Book.authors),
            )
            .join(Book, col(Book.id) == col(UserBook.book_id))
            .where(col(UserBook.user_id) == self.user_id)
        )
        for isbn13, copy_isbn, key, copy_title, authors in rows:
            keys.update(k for k in (isbn13, copy_isbn, key) if k)
            if copy_title:
                keys.add(dedupe_key(copy_title, authors))
        return keys

    @staticmethod
    def _in_library(row: ImportRow, keys: set[str]) -> bool:
        return (bool(row.isbn) and row.isbn in keys) or book_key(row) in keys

    def preview(self, session: Session) -> ImportPreview:
        """What the run would do, without writing."""
        if self.backup is not None:
            return restore.preview(session, self.user_id, self.backup)
        keys = self._library_keys(session)
        good = [row for row in self.rows if isinstance(row, ImportRow)]
        already = sum(1 for row in good if self._in_library(row, keys))
        bad = [row for row in self.rows if isinstance(row, RowError) and not row.duplicate]
        repeated = [row for row in self.rows if isinstance(row, RowError) and row.duplicate]
        return ImportPreview(
            format=self.format,
            total=len(self.rows),
            new=len(good) - already,
            already_in_library=already,
            invalid=(bad + repeated)[:MAX_REPORTED_ERRORS],
            invalid_count=len(bad),
            duplicates=len(repeated),
            unknown_columns=self.parsed.unknown_columns,
            notice=self.parsed.notice,
        )

    def run(self, session_factory: Callable[[], Session], *, batch_size: int = BATCH) -> Iterator[ImportProgress]:
        """Import, one transaction per batch, yielding progress after each full batch and at the end."""
        if self.backup is not None:
            with session_factory() as session:
                restore.restore(session, self.user_id, self.backup)
            done = len(self.backup.get("library", []))
            yield ImportProgress(done=done, total=done, created=done, already=0, failed=[], finished=True)
            return
        bad = sum(1 for row in self.rows if isinstance(row, RowError) and not row.duplicate)
        if bad and not self.skip_invalid:
            raise InvalidInput(
                f"{bad} line{'s' if bad != 1 else ''} cannot be imported (listed below); nothing was imported. "
                "Correct them, or choose to skip lines with errors.",
                field="file",
            )
        progress = ImportProgress(done=0, total=len(self.rows), created=0, already=0, failed=[])
        with session_factory() as session:
            keys = self._library_keys(session)
        for start in range(0, len(self.rows), batch_size):
            batch = self.rows[start : start + batch_size]
            new: list[ImportRow] = []
            for row in batch:
                if isinstance(row, RowError):
                    progress.fail(row)
                elif self._in_library(row, keys):
                    progress.already += 1
                else:
                    new.append(row)
                    keys.update(k for k in (row.isbn, book_key(row)) if k)
            skipped = self._write(session_factory, new)
            progress.created += len(new) - len(skipped)
            progress.already += len(skipped)
            progress.done += len(batch)
            if len(batch) == batch_size:
                yield progress.copy()
        progress.finished = True
        yield progress

    def _write(self, session_factory: Callable[[], Session], rows: list[ImportRow]) -> list[ImportRow]:
        """Write one batch; the rows left out as already in the library."""
        if not rows:
            return []
        try:
            with session_factory() as session:
                skipped = writer.write_batch(session, self.user_id, rows, review_public=self.review_public)
                session.commit()
        except IntegrityError:
            # Another reader added one of these books to the catalogue a moment
            # ago (its ISBN is unique): the second try finds and uses theirs.
            with session_factory() as session:
                skipped = writer.write_batch(session, self.user_id, rows, review_public=self.review_public)
                session.commit()
        return skipped


def preview(*, session: Session, user_id: int, data: bytes) -> ImportPreview:
    """Count what importing ``data`` would do, without writing."""
    return Importer(user_id=user_id, data=data).preview(session)


def import_rows(
    *,
    session_factory: Callable[[], Session],
    user_id: int,
    data: bytes,
    review_as: str = "private",
    skip_invalid: bool = True,
    batch_size: int = BATCH,
) -> Iterator[ImportProgress]:
    """Import ``data``, one transaction per batch, yielding progress after each.

    A generator: nothing is parsed or written before the first ``next()``,
    so a bad file is refused there, where the caller reports progress."""
    importer = Importer(user_id=user_id, data=data, review_as=review_as, skip_invalid=skip_invalid)
    yield from importer.run(session_factory, batch_size=batch_size)
