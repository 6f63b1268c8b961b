"""The shared book catalogue: validation, ISBNs and deduplication.

Who may write what (issues 11/12): the shared ``Book`` row is seen by every
reader of that book, so one reader's input never changes it. It is filled by
the catalogue lookups (``book_search``: Google Books / Open Library, trusted),
which may also fill fields still empty later but never overwrite; or, for a
book nobody looked up, created from the first reader's identity fields
(title, authors, ISBN, publisher, year, language). A reader's own title,
page count, ISBN and cover go to their entry's copy (``ReaderCopy``), shown
only as theirs.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from booktracker.errors import InvalidInput
from booktracker.models import Book, UserBook

TITLE_MAX, AUTHORS_MAX, URL_MAX = 300, 500, 1000
PAGES_MAX = 100_000


# ----------------------------------------------------------------- ISBN


def _isbn10_check(digits9: str) -> str:
    total = sum((10 - i) * int(d) for i, d in enumerate(digits9))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def _isbn13_check(digits12: str) -> str:
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits12))
    return str((10 - total % 10) % 10)


def normalize_isbn(raw: str | None) -> tuple[str | None, str | None]:
    """Return ``(isbn10, isbn13)`` for a typed or imported ISBN.

    Accepts hyphens, spaces and Goodreads' ``="..."`` quoting. Raises
    InvalidInput for a malformed ISBN; returns ``(None, None)`` for blank.
    """
    text = (raw or "").strip().removeprefix("=").strip('"').upper()
    text = re.sub(r"[\s-]", "", text)
    if not text:
        return None, None
    if re.fullmatch(r"\d{9}[\dX]", text):
        if _isbn10_check(text[:9]) != text[9]:
            raise InvalidInput(f"ISBN-10 {raw!r} has a wrong check digit.", field="isbn")
        core = "978" + text[:9]
        return text, core + _isbn13_check(core)
    if re.fullmatch(r"\d{13}", text):
        if _isbn13_check(text[:12]) != text[12]:
            raise InvalidInput(f"ISBN-13 {raw!r} has a wrong check digit.", field="isbn")
        isbn10 = text[3:12] + _isbn10_check(text[3:12]) if text.startswith("978") else None
        return isbn10, text
    raise InvalidInput(f"{raw!r} is not an ISBN (10 or 13 digits).", field="isbn")


# ----------------------------------------------------------------- dedupe key


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def dedupe_key(title: str, authors: str) -> str:
    first_author = re.split(r",|;|&| and ", authors, maxsplit=1)[0] if authors else ""
    return f"{_fold(title)}|{_fold(first_author)}"[:400]


# ----------------------------------------------------------------- input


@dataclasses.dataclass
class BookInput:
    title: str
    authors: str = ""
    isbn: str = ""
    cover_url: str = ""
    total_pages: int | None = None
    description: str = ""
    publisher: str = ""
    published_date: str = ""
    language: str = ""


def parse_pages(raw: str | int | None, *, field: str = "total_pages") -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        pages = int(str(raw).strip())
    except ValueError:
        raise InvalidInput("Pages must be a whole number.", field=field) from None
    if not 0 <= pages <= PAGES_MAX:
        raise InvalidInput(f"Pages must be between 0 and {PAGES_MAX:,}.", field=field)
    return pages


# The hosts book_search's covers come from. Any other address would make every
# reader's browser fetch a URL a stranger chose (tracking, abuse).
COVER_HOSTS = ("books.google.com", "covers.openlibrary.org")
COVER_HOST_SUFFIXES = (".googleusercontent.com",)
COVER_REFUSED = "Covers can come from Google Books or Open Library, or be uploaded."


def validate_cover_url(url: str) -> str:
    """An https cover from a catalogue host we know, or ""; else InvalidInput."""
    url = url.strip()
    if not url:
        return ""
    # The catalogues still hand out some http:// thumbnails; the same file is on https.
    if url.startswith("http://"):
        url = "https://" + url[len("http://") :]
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    known = host in COVER_HOSTS or host.endswith(COVER_HOST_SUFFIXES)
    if parts.scheme != "https" or not known or parts.username or parts.port or len(url) > URL_MAX:
        raise InvalidInput(COVER_REFUSED, field="cover_url")
    return url


def _clean(data: BookInput) -> tuple[BookInput, str | None, str | None]:
    title = " ".join(data.title.split())
    authors = " ".join(data.authors.split())
    if not title:
        raise InvalidInput("Enter the book's title.", field="title")
    if len(title) > TITLE_MAX:
        raise InvalidInput(f"Title must be at most {TITLE_MAX} characters.", field="title")
    if len(authors) > AUTHORS_MAX:
        raise InvalidInput(f"Authors must be at most {AUTHORS_MAX} characters.", field="authors")
    isbn10, isbn13 = normalize_isbn(data.isbn)
    cleaned = dataclasses.replace(
        data,
        title=title,
        authors=authors,
        cover_url=validate_cover_url(data.cover_url),
        total_pages=parse_pages(data.total_pages),
        publisher=data.publisher.strip()[:200],
        published_date=data.published_date.strip()[:20],
        language=data.language.strip()[:16],
    )
    return cleaned, isbn10, isbn13


def _fill_missing(book: Book, data: BookInput, isbn10: str | None, isbn13: str | None) -> None:
    """Enrich an existing record with what the catalogue knows and it lacks
    (catalogue data only: a reader's input goes to their copy)."""
    if isbn13 and not book.isbn13:
        book.isbn13, book.isbn10 = isbn13, isbn10
    for name in ("cover_url", "description", "publisher", "published_date", "language", "authors"):
        if getattr(data, name) and not getattr(book, name):
            setattr(book, name, getattr(data, name))
    if data.total_pages and not book.total_pages:
        book.total_pages = data.total_pages


def _find_existing(*, session: Session, key: str, isbn13: str | None) -> Book | None:
    if isbn13:
        book = session.exec(select(Book).where(Book.isbn13 == isbn13)).first()
        if book is not None:
            return book
    # Same title and author: the same book unless both carry different ISBNs
    # (then they are different editions).
    query = select(Book).where(Book.dedupe_key == key).order_by(col(Book.id))
    for book in session.exec(query.limit(5)):
        if not isbn13 or not book.isbn13:
            return book
    return None


@dataclasses.dataclass(frozen=True)
class ReaderCopy:
    """What a reader's input says about their copy where it differs from the
    shared record: the entry's ``copy_*`` columns (empty = as the book says)."""

    title: str = ""
    pages: int | None = None
    isbn: str = ""
    cover_url: str = ""

    def apply_to(self, entry: UserBook) -> None:
        """Store this copy on a new entry (library.add_to_library, imports)."""
        entry.copy_title, entry.copy_pages = self.title, self.pages
        entry.copy_isbn, entry.copy_cover_url = self.isbn, self.cover_url


def _reader_copy(book: Book, data: BookInput, isbn13: str | None) -> ReaderCopy:
    return ReaderCopy(
        title=data.title if data.title != book.title else "",
        pages=data.total_pages if data.total_pages and data.total_pages != book.total_pages else None,
        isbn=isbn13 if isbn13 and isbn13 != book.isbn13 else "",
        cover_url=data.cover_url if data.cover_url and data.cover_url != book.cover_url else "",
    )


def find_book_and_copy(*, session: Session, data: BookInput, from_catalogue: bool = False) -> tuple[Book, ReaderCopy]:
    """The shared record for this book (reused, or created) and the reader's copy.

    ``from_catalogue`` is for book_search results only (server-side data from
    Google Books / Open Library): they create the record in full and fill its
    empty fields. Anything a reader typed or imported creates a record from
    its identity fields only and never changes an existing one; what differs
    is returned as the reader's copy. Does not commit: the caller's unit of
    work decides. Callers that make an entry (library, imports) must store
    it with ``copy.apply_to(entry)``.
    """
    data, isbn10, isbn13 = _clean(data)
    key = dedupe_key(data.title, data.authors)
    book = _find_existing(session=session, key=key, isbn13=isbn13)
    if book is not None:
        if from_catalogue:
            _fill_missing(book, data, isbn10, isbn13)
            session.add(book)
        return book, _reader_copy(book, data, isbn13)
    book = Book(
        title=data.title,
        authors=data.authors,
        isbn10=isbn10,
        isbn13=isbn13,
        publisher=data.publisher,
        published_date=data.published_date,
        language=data.language,
        dedupe_key=key,
    )
    if from_catalogue:
        book.cover_url, book.description, book.total_pages = data.cover_url, data.description, data.total_pages
    try:
        with session.begin_nested():
            session.add(book)
            session.flush()
    except IntegrityError:
        # Another request created the same ISBN a moment ago: use theirs.
        existing = _find_existing(session=session, key=key, isbn13=isbn13)
        if existing is None:
            raise
        book = existing
    return book, _reader_copy(book, data, isbn13)


def find_or_create_book(*, session: Session, data: BookInput, from_catalogue: bool = False) -> Book:
    """The shared record alone (see find_book_and_copy; the copy is dropped)."""
    return find_book_and_copy(session=session, data=data, from_catalogue=from_catalogue)[0]
