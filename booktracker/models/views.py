"""The public views that may reach a browser (never a secret such as the password hash)."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


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
    # The year the work first came out (0 when unknown), and the people
    # beyond the first author: "Quentin Blake (Illustrator)".
    original_year: int = 0
    contributors: list[str] = Field(default_factory=list)
    # When the book went into the library: ISO UTC timestamp ("" when unknown).
    added_at: str = ""
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
