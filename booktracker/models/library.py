"""Books and readers' libraries: shared books, entries with the reader's copy, reads, reviews, progress, shelves, goals, imports."""

from __future__ import annotations

import datetime
from typing import ClassVar

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from booktracker.models.base import fk, in_check, timestamp
from booktracker.models.vocabulary import READ_STATUSES, BookFormat, Ownership, ProgressUnit, ReadingStatus


class Book(SQLModel, table=True):
    """A book shared by all readers, deduplicated by ISBN, then title+author."""

    __tablename__: ClassVar[str] = "books"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    authors: str = Field(default="", max_length=500)
    isbn10: str | None = Field(default=None, max_length=10, index=True)
    isbn13: str | None = Field(default=None, max_length=13, unique=True, index=True)
    cover_url: str = Field(default="", max_length=1000)
    description: str = Field(default="", sa_type=sa.Text)
    total_pages: int | None = Field(default=None)
    publisher: str = Field(default="", max_length=200)
    published_date: str = Field(default="", max_length=20)
    language: str = Field(default="", max_length=16)
    # "The Expanse", "1" -- Goodreads writes them into titles ("Title (Series, #1)").
    series: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    series_position: str = Field(default="", max_length=20, sa_column_kwargs={"server_default": ""})
    original_year: int | None = Field(default=None)
    # Authors beyond the first, with their role where known:
    # [{"name": "Quentin Blake", "role": "Illustrator"}].
    contributors: list[dict[str, str]] = Field(
        default_factory=list, sa_type=sa.JSON, sa_column_kwargs={"server_default": "[]"}
    )
    # normalised "title|first author", the fallback key when there is no ISBN.
    dedupe_key: str = Field(max_length=400, index=True)
    created_at: datetime.datetime = timestamp()

    __table_args__ = (sa.CheckConstraint("total_pages IS NULL OR total_pages >= 0", name="ck_books_pages"),)


class UserBook(SQLModel, table=True):
    """One book in one reader's library, with that reader's progress."""

    __tablename__: ClassVar[str] = "user_books"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = fk("users.id", index=False)
    book_id: int = fk("books.id", ondelete="RESTRICT")
    status: str = Field(default=ReadingStatus.TO_READ.value, max_length=16)
    current_page: int = Field(default=0)
    rating: float | None = Field(default=None)
    private_notes: str = Field(default="", sa_type=sa.Text)
    format: str | None = Field(default=None, max_length=16)
    ownership: str = Field(default=Ownership.NONE.value, max_length=16)
    borrowed_from: str = Field(default="", max_length=120)
    loaned_to: str = Field(default="", max_length=120)
    # The reader's own copy: what they see and track, never the shared record
    # (a reader's input never changes another reader's book). Empty or None
    # means "as the shared book says".
    copy_title: str = Field(default="", max_length=300, sa_column_kwargs={"server_default": ""})
    copy_pages: int | None = Field(default=None)
    copy_isbn: str = Field(default="", max_length=13, sa_column_kwargs={"server_default": ""})
    copy_cover_url: str = Field(default="", max_length=1000, sa_column_kwargs={"server_default": ""})
    # Total length of an audiobook, in minutes.
    audio_minutes: int | None = Field(default=None)
    # How progress is entered for this book; minutes for audiobooks.
    progress_unit: str = Field(
        default=ProgressUnit.PAGES.value, max_length=8, sa_column_kwargs={"server_default": "pages"}
    )
    # A binding no format stands for (e.g. Goodreads' "Board book"), kept as written.
    binding: str = Field(default="", max_length=60, sa_column_kwargs={"server_default": ""})
    owned_copies: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    content_warnings: str = Field(default="", sa_type=sa.Text, sa_column_kwargs={"server_default": ""})
    # Kept out of the profile, feeds, friends-reading and anything shown to others.
    hidden: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # When the book went into the library (Goodreads' "Date Added" on import).
    created_at: datetime.datetime = timestamp()
    updated_at: datetime.datetime = timestamp()

    __table_args__ = (
        sa.UniqueConstraint("user_id", "book_id", name="uq_user_books_user_book"),
        # The library page filters by user (+status) and sorts by updated_at.
        sa.Index("ix_user_books_user_status_updated", "user_id", "status", "updated_at"),
        sa.Index("ix_user_books_user_updated", "user_id", "updated_at"),
        # Book pages count readers by status; recommendations look up by book.
        sa.Index("ix_user_books_book_status", "book_id", "status"),
        # Readers per book over the copies not hidden ("For you" ranks a loved author's books by
        # them, book pages count them): an index-only count, 72 -> 30 ms for a heavy reader's
        # "For you" on the big seed (bench/RESULTS.md, issue 14).
        sa.Index(
            "ix_user_books_book_shown",
            "book_id",
            postgresql_where=sa.text("hidden IS FALSE"),
            sqlite_where=sa.text("hidden IS 0"),
        ),
        sa.CheckConstraint(in_check("status", ReadingStatus), name="ck_user_books_status"),
        sa.CheckConstraint(in_check("format", BookFormat, nullable=True), name="ck_user_books_format"),
        sa.CheckConstraint(in_check("ownership", Ownership), name="ck_user_books_ownership"),
        sa.CheckConstraint("current_page >= 0", name="ck_user_books_page"),
        # Quarter stars (StoryGraph), so 0.25 to 5 in steps of 0.25 (checked in the service).
        sa.CheckConstraint("rating IS NULL OR (rating >= 0.25 AND rating <= 5)", name="ck_user_books_rating"),
        sa.CheckConstraint(in_check("progress_unit", ProgressUnit), name="ck_user_books_progress_unit"),
        sa.CheckConstraint("copy_pages IS NULL OR copy_pages > 0", name="ck_user_books_copy_pages"),
        sa.CheckConstraint("audio_minutes IS NULL OR audio_minutes > 0", name="ck_user_books_audio_minutes"),
        sa.CheckConstraint("owned_copies >= 0", name="ck_user_books_owned_copies"),
    )


class Read(SQLModel, table=True):
    """One read-through of a library entry: a first read, a re-read, a DNF.

    Dates are calendar dates in the reader's time zone, and may be unknown
    (None): "I don't remember" is an answer. The entry's ``status`` and
    ``current_page`` mirror its latest read (kept by services/library), so the
    library page still costs 3 statements. Stats count finished reads by
    ``finished_on``; a finished read with no date counts toward no year.
    """

    __tablename__: ClassVar[str] = "reads"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = fk("users.id", index=False)
    user_book_id: int = fk("user_books.id")
    book_id: int = fk("books.id", index=False)
    status: str = Field(default=ReadingStatus.READING.value, max_length=16)
    started_on: datetime.date | None = Field(default=None)
    # The day it was finished, or stopped (did not finish / paused).
    ended_on: datetime.date | None = Field(default=None)
    # Progress of this read in the entry's progress unit (page, percent, minute).
    progress: int = Field(default=0)
    # The edition read, when it differs from the entry's copy (e.g. a re-read as audiobook).
    format: str | None = Field(default=None, max_length=16)
    created_at: datetime.datetime = timestamp()
    updated_at: datetime.datetime = timestamp()

    __table_args__ = (
        # Stats: finished reads of a reader by finish date.
        sa.Index("ix_reads_user_status_ended", "user_id", "status", "ended_on"),
        sa.CheckConstraint(
            "status IN (" + ", ".join(f"'{s.value}'" for s in READ_STATUSES) + ")", name="ck_reads_status"
        ),
        sa.CheckConstraint(in_check("format", BookFormat, nullable=True), name="ck_reads_format"),
        sa.CheckConstraint("progress >= 0", name="ck_reads_progress"),
        sa.CheckConstraint(
            "started_on IS NULL OR ended_on IS NULL OR ended_on >= started_on", name="ck_reads_dates_in_order"
        ),
    )


class Review(SQLModel, table=True):
    """A reader's review of a read (Goodreads' "My Review" + "Spoiler",
    StoryGraph's "Review"): never folded into private notes."""

    __tablename__: ClassVar[str] = "reviews"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = fk("users.id", index=False)
    user_book_id: int = fk("user_books.id")
    read_id: int | None = fk("reads.id", nullable=True, ondelete="SET NULL")
    book_id: int = fk("books.id")
    rating: float | None = Field(default=None)
    text: str = Field(default="", sa_type=sa.Text)
    has_spoilers: bool = Field(default=False)
    is_public: bool = Field(default=True)
    # The review's own date (an imported review keeps the date it was written).
    created_at: datetime.datetime = timestamp()
    updated_at: datetime.datetime = timestamp()

    __table_args__ = (
        sa.CheckConstraint("rating IS NULL OR (rating >= 0.25 AND rating <= 5)", name="ck_reviews_rating"),
        # The book page pages its public reviews newest first.
        sa.Index("ix_reviews_book_public_created", "book_id", "is_public", "created_at", "id"),
    )


class ReadingProgress(SQLModel, table=True):
    """Every change of a reader's page in a book; stats and streaks read this."""

    __tablename__: ClassVar[str] = "reading_progress"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = fk("users.id", index=False)
    user_book_id: int = fk("user_books.id")
    book_id: int = fk("books.id", index=False)
    # The read this progress belongs to (None for history older than reads).
    read_id: int | None = fk("reads.id", nullable=True, ondelete="SET NULL")
    from_page: int = Field(default=0)
    to_page: int = Field(default=0)
    pages_delta: int = Field(default=0)
    # Audiobooks: minutes listened, counted apart from pages (stats show both;
    # no made-up pages-per-hour rate).
    minutes_delta: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    recorded_at: datetime.datetime = timestamp()

    __table_args__ = (sa.Index("ix_reading_progress_user_recorded", "user_id", "recorded_at"),)


class Tag(SQLModel, table=True):
    """A reader's own shelf (tag): create, rename, delete, several per book;
    imported Goodreads shelves, StoryGraph tags, moods and pace land here."""

    __tablename__: ClassVar[str] = "tags"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = fk("users.id", index=False)
    name: str = Field(max_length=100)

    __table_args__ = (sa.UniqueConstraint("user_id", "name", name="uq_tags_user_name"),)


class UserBookTag(SQLModel, table=True):
    __tablename__: ClassVar[str] = "user_book_tags"

    user_book_id: int = Field(foreign_key="user_books.id", ondelete="CASCADE", primary_key=True)
    tag_id: int = Field(foreign_key="tags.id", ondelete="CASCADE", primary_key=True, index=True)


class ReadingGoal(SQLModel, table=True):
    __tablename__: ClassVar[str] = "reading_goals"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = fk("users.id", index=False)
    year: int
    target_books: int | None = Field(default=None)
    target_pages: int | None = Field(default=None)

    __table_args__ = (sa.UniqueConstraint("user_id", "year", name="uq_reading_goals_user_year"),)


class BookSearchCache(SQLModel, table=True):
    """Metadata search results, so a repeated search makes no HTTP call."""

    __tablename__: ClassVar[str] = "book_search_cache"

    id: int | None = Field(default=None, primary_key=True)
    query_key: str = Field(max_length=400, unique=True, index=True)
    payload: str = Field(sa_type=sa.Text)
    fetched_at: datetime.datetime = timestamp()


class ImportJob(SQLModel, table=True):
    """One import between its preview and its end (services/imports/jobs).

    In a table, not in memory: production runs several workers, and the API's
    run and its progress polls may reach different ones. The uploaded file
    waits in a temp file (``file_path``) until the import finishes, is
    abandoned or expires; progress is written once per batch.
    """

    __tablename__: ClassVar[str] = "import_jobs"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = fk("users.id")
    # previewed → running → finished | failed; previewed → abandoned | expired.
    state: str = Field(default="previewed", max_length=16)
    format: str = Field(default="", max_length=40)
    file_name: str = Field(default="", max_length=255)
    file_path: str = Field(default="", max_length=1000)
    # What the preview found: new, already_in_library, invalid_count, duplicates, unknown_columns, notice.
    summary: dict = Field(default_factory=dict, sa_type=sa.JSON)
    review_as: str = Field(default="private", max_length=16)
    skip_invalid: bool = Field(default=True)
    total: int = Field(default=0)
    done: int = Field(default=0)
    created: int = Field(default=0)
    already: int = Field(default=0)
    failed: int = Field(default=0)
    # Lines that cannot be imported ({line, reason, duplicate}), at most imports.MAX_REPORTED_ERRORS.
    errors: list = Field(default_factory=list, sa_type=sa.JSON)
    # Why a run failed, for the reader.
    message: str = Field(default="", max_length=500)
    created_at: datetime.datetime = timestamp()
    updated_at: datetime.datetime = timestamp()

    __table_args__ = (
        sa.CheckConstraint(
            "state IN ('previewed', 'running', 'finished', 'failed', 'abandoned', 'expired')",
            name="ck_import_jobs_state",
        ),
    )
