"""Every table of TrackMyRead, and the public views that may reach a browser.

Tables are plain ``SQLModel, table=True`` classes. Enumerations are stored as
short strings guarded by CHECK constraints, which migrate the same way on
SQLite and PostgreSQL. Public views (``*Public``) never carry secrets such as
the password hash.
"""

from __future__ import annotations

import datetime
from enum import Enum, StrEnum
from typing import ClassVar, Protocol

import sqlalchemy as sa
from sqlmodel import Field, SQLModel
from sqlmodel.main import OnDeleteType

from booktracker.db import UTCDateTime, utcnow


class ReadingStatus(StrEnum):
    TO_READ = "to-read"
    READING = "reading"
    FINISHED = "finished"
    PAUSED = "paused"
    DNF = "did-not-finish"


class BookFormat(StrEnum):
    HARDCOVER = "hardcover"
    PAPERBACK = "paperback"
    EBOOK = "ebook"
    KINDLE = "kindle"
    PDF = "pdf"
    AUDIOBOOK = "audiobook"


class ProgressUnit(StrEnum):
    """How a reader tracks a read: pages, percent, or minutes (audiobooks)."""

    PAGES = "pages"
    PERCENT = "percent"
    MINUTES = "minutes"


# A read is under way or over; "want to read" is a shelf, not a read.
READ_STATUSES = (ReadingStatus.READING, ReadingStatus.FINISHED, ReadingStatus.PAUSED, ReadingStatus.DNF)


class ProfileVisibility(StrEnum):
    """Who sees a reader's profile, posts, follows and current reads."""

    PUBLIC = "public"  # everyone, visitors included
    SIGNED_IN = "signed-in"  # readers with an account
    FOLLOWERS = "followers"  # approved followers (follows become requests)
    PRIVATE = "private"  # nobody but the reader


class ReportTarget(StrEnum):
    POST = "post"
    COMMENT = "comment"
    USER = "user"


class ReportReason(StrEnum):
    SPAM = "spam"
    HARASSMENT = "harassment"
    HATE = "hate"
    SPOILERS = "spoilers"
    SEXUAL = "sexual"
    OTHER = "other"


class ReportStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"  # a moderator acted on it
    DISMISSED = "dismissed"  # nothing wrong


class ModerationAction(StrEnum):
    HIDE = "hide"
    UNHIDE = "unhide"
    DELETE = "delete"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    DISMISS = "dismiss"


class Ownership(StrEnum):
    NONE = "none"
    OWNED = "owned"
    BORROWED = "borrowed"
    LOANED = "loaned"


# What readers see for each value, in enum order. Pages, selects, library tabs
# and charts all take their wording from here, so a new status, format or
# ownership is one edit beside its enum (tests/test_models.py checks that
# every member has its label). Keys are the enum members, which are also
# their stored strings, so these look up plain ``str`` values too.
STATUS_LABELS: dict[str, str] = {
    ReadingStatus.TO_READ: "Want to read",
    ReadingStatus.READING: "Reading",
    ReadingStatus.FINISHED: "Finished",
    ReadingStatus.PAUSED: "Paused",
    ReadingStatus.DNF: "Did not finish",
}
# The library's shelf tabs sit in one row: "Did not finish" is too wide there.
STATUS_TAB_LABELS: dict[str, str] = {**STATUS_LABELS, ReadingStatus.DNF: "DNF"}
# Radix colour scheme of each status badge.
STATUS_COLORS: dict[str, str] = {
    ReadingStatus.TO_READ: "gray",
    ReadingStatus.READING: "blue",
    ReadingStatus.FINISHED: "green",
    ReadingStatus.PAUSED: "amber",
    ReadingStatus.DNF: "red",
}
# How a read ends (the book page's buttons) and the date it ended (date
# fields; the reading history says "finished 12 Apr 2025" from it).
READ_END_ACTIONS: dict[str, str] = {
    ReadingStatus.FINISHED: "Finish",
    ReadingStatus.PAUSED: "Pause",
    ReadingStatus.DNF: "Did not finish",
}
READ_END_DATE_LABELS: dict[str, str] = {
    ReadingStatus.FINISHED: "Finished on",
    ReadingStatus.PAUSED: "Paused on",
    ReadingStatus.DNF: "Stopped on",
}
FORMAT_LABELS: dict[str, str] = {
    BookFormat.HARDCOVER: "Hardcover",
    BookFormat.PAPERBACK: "Paperback",
    BookFormat.EBOOK: "E-book",
    BookFormat.KINDLE: "Kindle",
    BookFormat.PDF: "PDF",
    BookFormat.AUDIOBOOK: "Audiobook",
}
# How progress is entered on the book page, per unit.
PROGRESS_UNIT_LABELS: dict[str, str] = {
    ProgressUnit.PAGES: "Pages",
    ProgressUnit.PERCENT: "Percent",
    ProgressUnit.MINUTES: "Time listened (h:mm)",
}
OWNERSHIP_LABELS: dict[str, str] = {
    Ownership.NONE: "Not owned",
    Ownership.OWNED: "Owned",
    Ownership.BORROWED: "Borrowed",
    Ownership.LOANED: "Loaned out",
}
# Who sees a reader's profile (the account page's select; services/privacy.py).
PROFILE_VISIBILITY_LABELS: dict[str, str] = {
    ProfileVisibility.PUBLIC: "Everyone, including visitors",
    ProfileVisibility.SIGNED_IN: "Signed-in readers only",
    ProfileVisibility.FOLLOWERS: "Followers I approve",
    ProfileVisibility.PRIVATE: "Only me",
}
REPORT_REASON_LABELS: dict[str, str] = {
    ReportReason.SPAM: "Spam",
    ReportReason.HARASSMENT: "Harassment or bullying",
    ReportReason.HATE: "Hate speech",
    ReportReason.SPOILERS: "Unmarked spoilers",
    ReportReason.SEXUAL: "Sexual content",
    ReportReason.OTHER: "Something else",
}


def _in_check(column: str, enum: type[Enum], nullable: bool = False) -> str:
    values = ", ".join(f"'{member.value}'" for member in enum)
    check = f"{column} IN ({values})"
    return f"{column} IS NULL OR {check}" if nullable else check


def _timestamp(index: bool = False) -> datetime.datetime:
    return Field(
        default_factory=utcnow,
        sa_type=UTCDateTime,
        sa_column_kwargs={"nullable": False},
        index=index,
    )


def _optional_timestamp() -> datetime.datetime | None:
    return Field(default=None, sa_type=UTCDateTime, nullable=True)


def _fk(target: str, *, nullable: bool = False, index: bool = True, ondelete: OnDeleteType = "CASCADE"):
    if nullable:
        return Field(default=None, foreign_key=target, ondelete=ondelete, nullable=True, index=index)
    return Field(foreign_key=target, ondelete=ondelete, index=index)


class _Row(Protocol):
    id: int | None


def saved_id(row: _Row) -> int:
    """The id of a row that is in the database (loaded, flushed or committed).

    Table models type ``id`` as ``int | None`` because a new row has none until
    it is inserted; code holding a stored row narrows it here, once.
    """
    if row.id is None:
        raise ValueError(f"this {type(row).__name__} has no id: it was never flushed")
    return row.id


# --------------------------------------------------------------------------- users


class User(SQLModel, table=True):
    # ClassVar: SQLModel declares __tablename__ as a declared_attr, which a plain
    # string does not type-check against (fastapi/sqlmodel#98); same table name.
    __tablename__: ClassVar[str] = "users"

    id: int | None = Field(default=None, primary_key=True)
    # Stored lower-cased so uniqueness is case-insensitive on every backend.
    email: str = Field(max_length=320, unique=True, index=True)
    username: str = Field(max_length=30, unique=True, index=True)
    name: str = Field(max_length=80)
    bio: str = Field(default="", max_length=500)
    password_hash: str = Field(max_length=100)
    # Bumped on logout / password change: every older token stops working.
    token_version: int = Field(default=0)
    profile_visibility: str = Field(
        default=ProfileVisibility.PUBLIC.value, max_length=16, sa_column_kwargs={"server_default": "public"}
    )
    # Set by a moderator: the reader's tokens stop working at the next event.
    suspended_at: datetime.datetime | None = _optional_timestamp()
    # When the reader proved the address (None: not yet verified).
    email_verified_at: datetime.datetime | None = _optional_timestamp()
    # Two-factor sign-in (TOTP): the shared secret once confirmed with a code,
    # and the last time step used, so a code is never accepted twice.
    totp_secret: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    totp_enabled_at: datetime.datetime | None = _optional_timestamp()
    totp_last_step: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime.datetime = _timestamp()

    __table_args__ = (
        sa.CheckConstraint(_in_check("profile_visibility", ProfileVisibility), name="ck_users_profile_visibility"),
    )


class LoginAttempt(SQLModel, table=True):
    """One login try, kept to throttle password guessing (see services/throttle)."""

    __tablename__: ClassVar[str] = "login_attempts"

    id: int | None = Field(default=None, primary_key=True)
    # The normalised email as typed, whether or not such an account exists.
    email: str = Field(max_length=320)
    ip: str = Field(default="", max_length=64)
    succeeded: bool = Field(default=False)
    created_at: datetime.datetime = _timestamp()

    __table_args__ = (
        sa.Index("ix_login_attempts_email_created", "email", "created_at"),
        sa.Index("ix_login_attempts_ip_created", "ip", "created_at"),
    )


class AccountTokenPurpose(StrEnum):
    PASSWORD_RESET = "password-reset"
    VERIFY_EMAIL = "verify-email"
    CHANGE_EMAIL = "change-email"


class AccountToken(SQLModel, table=True):
    """A single-use emailed link (reset, verification, email change), stored
    only as a hash, bound to the password it was issued under."""

    __tablename__: ClassVar[str] = "account_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _fk("users.id")
    purpose: str = Field(max_length=16)
    # SHA-256 of the token in the link; the token itself is never stored.
    token_hash: str = Field(max_length=64, unique=True, index=True)
    # A digest of the password hash when issued: a password change since
    # then makes the link void.
    password_stamp: str = Field(default="", max_length=64)
    # For an email change: the address to verify.
    new_email: str = Field(default="", max_length=320)
    created_at: datetime.datetime = _timestamp()
    expires_at: datetime.datetime = _timestamp()
    used_at: datetime.datetime | None = _optional_timestamp()

    __table_args__ = (sa.CheckConstraint(_in_check("purpose", AccountTokenPurpose), name="ck_account_tokens_purpose"),)


class RecoveryCode(SQLModel, table=True):
    """One of ten single-use two-factor recovery codes, stored hashed."""

    __tablename__: ClassVar[str] = "recovery_codes"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _fk("users.id")
    code_hash: str = Field(max_length=100)
    used_at: datetime.datetime | None = _optional_timestamp()
    created_at: datetime.datetime = _timestamp()


class UserSession(SQLModel, table=True):
    """One sign-in on one device: its id travels in the token (``sid``), so
    logging out ends this device only and each session can be revoked."""

    __tablename__: ClassVar[str] = "user_sessions"

    id: str = Field(primary_key=True, max_length=32)
    user_id: int = _fk("users.id")
    # "Firefox on Linux" -- shown in the session list, from the User-Agent.
    device: str = Field(default="", max_length=120)
    ip: str = Field(default="", max_length=64)
    created_at: datetime.datetime = _timestamp()
    last_seen_at: datetime.datetime = _timestamp()
    revoked_at: datetime.datetime | None = _optional_timestamp()


class UserPublic(SQLModel):
    """What other readers (and the browser) may see of an account."""

    id: int
    username: str
    name: str
    bio: str
    created_at: datetime.datetime


# --------------------------------------------------------------------------- books


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
    created_at: datetime.datetime = _timestamp()

    __table_args__ = (sa.CheckConstraint("total_pages IS NULL OR total_pages >= 0", name="ck_books_pages"),)


class UserBook(SQLModel, table=True):
    """One book in one reader's library, with that reader's progress."""

    __tablename__: ClassVar[str] = "user_books"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _fk("users.id", index=False)
    book_id: int = _fk("books.id", ondelete="RESTRICT")
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
    created_at: datetime.datetime = _timestamp()
    updated_at: datetime.datetime = _timestamp()

    __table_args__ = (
        sa.UniqueConstraint("user_id", "book_id", name="uq_user_books_user_book"),
        # The library page filters by user (+status) and sorts by updated_at.
        sa.Index("ix_user_books_user_status_updated", "user_id", "status", "updated_at"),
        sa.Index("ix_user_books_user_updated", "user_id", "updated_at"),
        sa.CheckConstraint(_in_check("status", ReadingStatus), name="ck_user_books_status"),
        sa.CheckConstraint(_in_check("format", BookFormat, nullable=True), name="ck_user_books_format"),
        sa.CheckConstraint(_in_check("ownership", Ownership), name="ck_user_books_ownership"),
        sa.CheckConstraint("current_page >= 0", name="ck_user_books_page"),
        # Quarter stars (StoryGraph), so 0.25 to 5 in steps of 0.25 (checked in the service).
        sa.CheckConstraint("rating IS NULL OR (rating >= 0.25 AND rating <= 5)", name="ck_user_books_rating"),
        sa.CheckConstraint(_in_check("progress_unit", ProgressUnit), name="ck_user_books_progress_unit"),
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
    user_id: int = _fk("users.id", index=False)
    user_book_id: int = _fk("user_books.id")
    book_id: int = _fk("books.id", index=False)
    status: str = Field(default=ReadingStatus.READING.value, max_length=16)
    started_on: datetime.date | None = Field(default=None)
    # The day it was finished, or stopped (did not finish / paused).
    ended_on: datetime.date | None = Field(default=None)
    # Progress of this read in the entry's progress unit (page, percent, minute).
    progress: int = Field(default=0)
    # The edition read, when it differs from the entry's copy (e.g. a re-read as audiobook).
    format: str | None = Field(default=None, max_length=16)
    created_at: datetime.datetime = _timestamp()
    updated_at: datetime.datetime = _timestamp()

    __table_args__ = (
        # Stats: finished reads of a reader by finish date.
        sa.Index("ix_reads_user_status_ended", "user_id", "status", "ended_on"),
        sa.CheckConstraint(
            "status IN (" + ", ".join(f"'{s.value}'" for s in READ_STATUSES) + ")", name="ck_reads_status"
        ),
        sa.CheckConstraint(_in_check("format", BookFormat, nullable=True), name="ck_reads_format"),
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
    user_id: int = _fk("users.id", index=False)
    user_book_id: int = _fk("user_books.id")
    read_id: int | None = _fk("reads.id", nullable=True, ondelete="SET NULL")
    book_id: int = _fk("books.id")
    rating: float | None = Field(default=None)
    text: str = Field(default="", sa_type=sa.Text)
    has_spoilers: bool = Field(default=False)
    is_public: bool = Field(default=True)
    # The review's own date (an imported review keeps the date it was written).
    created_at: datetime.datetime = _timestamp()
    updated_at: datetime.datetime = _timestamp()

    __table_args__ = (
        sa.CheckConstraint("rating IS NULL OR (rating >= 0.25 AND rating <= 5)", name="ck_reviews_rating"),
    )


class ReadingProgress(SQLModel, table=True):
    """Every change of a reader's page in a book; stats and streaks read this."""

    __tablename__: ClassVar[str] = "reading_progress"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _fk("users.id", index=False)
    user_book_id: int = _fk("user_books.id")
    book_id: int = _fk("books.id", index=False)
    # The read this progress belongs to (None for history older than reads).
    read_id: int | None = _fk("reads.id", nullable=True, ondelete="SET NULL")
    from_page: int = Field(default=0)
    to_page: int = Field(default=0)
    pages_delta: int = Field(default=0)
    # Audiobooks: minutes listened, counted apart from pages (stats show both;
    # no made-up pages-per-hour rate).
    minutes_delta: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    recorded_at: datetime.datetime = _timestamp()

    __table_args__ = (sa.Index("ix_reading_progress_user_recorded", "user_id", "recorded_at"),)


class Tag(SQLModel, table=True):
    """A reader's own shelf (tag): create, rename, delete, several per book;
    imported Goodreads shelves, StoryGraph tags, moods and pace land here."""

    __tablename__: ClassVar[str] = "tags"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _fk("users.id", index=False)
    name: str = Field(max_length=100)

    __table_args__ = (sa.UniqueConstraint("user_id", "name", name="uq_tags_user_name"),)


class UserBookTag(SQLModel, table=True):
    __tablename__: ClassVar[str] = "user_book_tags"

    user_book_id: int = Field(foreign_key="user_books.id", ondelete="CASCADE", primary_key=True)
    tag_id: int = Field(foreign_key="tags.id", ondelete="CASCADE", primary_key=True, index=True)


class ReadingGoal(SQLModel, table=True):
    __tablename__: ClassVar[str] = "reading_goals"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _fk("users.id", index=False)
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
    fetched_at: datetime.datetime = _timestamp()


class ImportJob(SQLModel, table=True):
    """One import between its preview and its end (services/imports/jobs).

    In a table, not in memory: production runs several workers, and the API's
    run and its progress polls may reach different ones. The uploaded file
    waits in a temp file (``file_path``) until the import finishes, is
    abandoned or expires; progress is written once per batch.
    """

    __tablename__: ClassVar[str] = "import_jobs"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _fk("users.id")
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
    created_at: datetime.datetime = _timestamp()
    updated_at: datetime.datetime = _timestamp()

    __table_args__ = (
        sa.CheckConstraint(
            "state IN ('previewed', 'running', 'finished', 'failed', 'abandoned', 'expired')",
            name="ck_import_jobs_state",
        ),
    )


# --------------------------------------------------------------------------- social


class Post(SQLModel, table=True):
    """A post: a thought about a read, with emotion, quote, image, page.

    The table keeps its first name, ``notes`` (and columns ``note_id``).
    """

    __tablename__: ClassVar[str] = "notes"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _fk("users.id", index=False)
    user_book_id: int | None = _fk("user_books.id", nullable=True)
    book_id: int | None = _fk("books.id", nullable=True, ondelete="SET NULL")
    text: str = Field(default="", sa_type=sa.Text)
    emotion: str = Field(default="", max_length=16)
    quote: str = Field(default="", sa_type=sa.Text)
    image_url: str = Field(default="", max_length=1000)
    # Storage back-end key (local file name or Cloudinary public_id) for deletion.
    image_key: str = Field(default="", max_length=300)
    page: int | None = Field(default=None)
    chapter: str = Field(default="", max_length=100)
    is_public: bool = Field(default=True)
    # Kept with every like and unlike (services/posts.py): counting the likes
    # of popular posts on each feed page cost ~45 ms per page (bench/RESULTS.md).
    like_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Hidden by a moderator (the author still sees it, marked so).
    hidden_at: datetime.datetime | None = _optional_timestamp()
    created_at: datetime.datetime = _timestamp()
    updated_at: datetime.datetime = _timestamp()

    __table_args__ = (
        sa.Index("ix_notes_public_created", "is_public", "created_at", "id"),
        sa.Index("ix_notes_user_created", "user_id", "created_at", "id"),
    )


class Like(SQLModel, table=True):
    __tablename__: ClassVar[str] = "likes"

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    note_id: int = Field(foreign_key="notes.id", ondelete="CASCADE", primary_key=True, index=True)
    created_at: datetime.datetime = _timestamp()


class Comment(SQLModel, table=True):
    __tablename__: ClassVar[str] = "comments"

    id: int | None = Field(default=None, primary_key=True)
    note_id: int = _fk("notes.id", index=False)
    user_id: int = _fk("users.id")
    text: str = Field(sa_type=sa.Text)
    hidden_at: datetime.datetime | None = _optional_timestamp()
    created_at: datetime.datetime = _timestamp()

    __table_args__ = (sa.Index("ix_comments_note_created", "note_id", "created_at"),)


class Follow(SQLModel, table=True):
    __tablename__: ClassVar[str] = "follows"

    follower_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    followee_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True, index=True)
    # A follow request to a followers-only profile, until the followee approves.
    pending: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    created_at: datetime.datetime = _timestamp()

    __table_args__ = (sa.CheckConstraint("follower_id <> followee_id", name="ck_follows_not_self"),)


# --------------------------------------------------------------------------- safety


class Block(SQLModel, table=True):
    """The blocked reader can't see, follow, mention, comment on or like
    anything of the blocker's, and the blocker doesn't see them."""

    __tablename__: ClassVar[str] = "blocks"

    blocker_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    blocked_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True, index=True)
    created_at: datetime.datetime = _timestamp()

    __table_args__ = (sa.CheckConstraint("blocker_id <> blocked_id", name="ck_blocks_not_self"),)


class Mute(SQLModel, table=True):
    """The muter stops seeing the muted reader; the muted reader is not told."""

    __tablename__: ClassVar[str] = "mutes"

    muter_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    muted_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True, index=True)
    created_at: datetime.datetime = _timestamp()

    __table_args__ = (sa.CheckConstraint("muter_id <> muted_id", name="ck_mutes_not_self"),)


class Report(SQLModel, table=True):
    """A reader's report of a post, a comment or a reader, for the moderators."""

    __tablename__: ClassVar[str] = "reports"

    id: int | None = Field(default=None, primary_key=True)
    reporter_id: int = _fk("users.id")
    target_kind: str = Field(max_length=16)
    target_id: int
    # The reader the reported content belongs to (kept if the content goes).
    target_user_id: int | None = _fk("users.id", nullable=True, ondelete="SET NULL")
    reason: str = Field(max_length=16)
    details: str = Field(default="", sa_type=sa.Text)
    status: str = Field(default=ReportStatus.OPEN.value, max_length=16)
    created_at: datetime.datetime = _timestamp()
    resolved_at: datetime.datetime | None = _optional_timestamp()
    resolved_by: int | None = _fk("users.id", nullable=True, index=False, ondelete="SET NULL")

    __table_args__ = (
        sa.Index("ix_reports_status_created", "status", "created_at"),
        sa.CheckConstraint(_in_check("target_kind", ReportTarget), name="ck_reports_target_kind"),
        sa.CheckConstraint(_in_check("reason", ReportReason), name="ck_reports_reason"),
        sa.CheckConstraint(_in_check("status", ReportStatus), name="ck_reports_status"),
    )


class ModerationLog(SQLModel, table=True):
    """Every moderator action, with its note: the audit log."""

    __tablename__: ClassVar[str] = "moderation_log"

    id: int | None = Field(default=None, primary_key=True)
    # Kept when the moderator's account goes: the log outlives its authors.
    moderator_id: int | None = _fk("users.id", nullable=True, ondelete="SET NULL")
    action: str = Field(max_length=16)
    target_kind: str = Field(max_length=16)
    target_id: int
    report_id: int | None = _fk("reports.id", nullable=True, index=False, ondelete="SET NULL")
    note: str = Field(default="", sa_type=sa.Text)
    created_at: datetime.datetime = _timestamp(index=True)

    __table_args__ = (
        sa.CheckConstraint(_in_check("action", ModerationAction), name="ck_moderation_log_action"),
        sa.CheckConstraint(_in_check("target_kind", ReportTarget), name="ck_moderation_log_target_kind"),
    )


# --------------------------------------------------------------------------- views


class LibraryItem(SQLModel):
    """One row of the library page, as the browser sees it."""

    id: int
    book_id: int
    title: str
    authors: str
    cover_url: str
    status: str
    current_page: int
    total_pages: int
    percent: int
    rating: float
    format: str
    ownership: str
    # Finished reads of this book ("3 reads"); a re-read under way is not counted yet.
    read_count: int = 0
    # title, cover_url and total_pages above are the reader's copy where set
    # (services/library/copies.py); current_page is in this unit.
    progress_unit: str = "pages"
    audio_minutes: int = 0  # an audiobook's length; 0 when unknown


class ReadView(SQLModel):
    """One read of a library entry, as browsers and API clients see it."""

    id: int
    status: str
    started_on: str  # ISO "YYYY-MM-DD", or "" when unknown
    ended_on: str  # ISO, or "" when unknown or still reading
    progress: int  # in the entry's progress unit
    format: str  # "" when the read used the entry's own copy
    is_current: bool  # the latest read, which the entry's status mirrors


class ReviewView(SQLModel):
    """A review of a read (the Review table), as browsers and API clients see it."""

    id: int
    read_id: int  # 0 when it is attached to no particular read
    rating: float  # 0 for no rating
    text: str
    has_spoilers: bool
    is_public: bool
    created_at: str  # ISO date-time: the review's own date


class UserBookDetail(LibraryItem):
    """The book detail page: a library item plus the reader's own fields."""

    # The reader's shelves (tags) holding this book, A to Z.
    shelves: list[str] = Field(default_factory=list)
    # Reviews of this book's reads, newest first (with the spoiler flag).
    reviews: list[ReviewView] = Field(default_factory=list)
    # The shared book's series ("The Expanse", "1"), "" when none.
    series: str = ""
    series_position: str = ""
    # The reader's own copy as they entered it ("" / 0 = as the shared book
    # says), and the shared values it overrides, for the "My copy" form.
    copy_title: str = ""
    copy_pages: int = 0
    copy_isbn: str = ""
    copy_cover_url: str = ""
    book_title: str = ""
    book_total_pages: int = 0
    # Kept from everyone else: profile, feeds, friends-reading, shared counts (services/privacy.py).
    hidden: bool = False

    isbn13: str
    isbn10: str
    publisher: str
    published_date: str
    description: str
    private_notes: str
    borrowed_from: str
    loaned_to: str
    reads: list[ReadView]  # newest first
