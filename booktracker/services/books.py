"""The shared book catalogue: validation, ISBNs and deduplication."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from booktracker.errors import InvalidInput
from booktracker.models import Book

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


def validate_cover_url(url: str) -> str:
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > URL_MAX:
        raise InvalidInput("Cover URL must be an http(s) address.", field="cover_url")
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
    """Enrich an existing record with what the new input knows and it lacks."""
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


def find_or_create_book(*, session: Session, data: BookInput) -> Book:
    """Reuse the catalogue record for this book, creating it only if new.

    Does not commit: the caller's unit of work decides.
    """
    data, isbn10, isbn13 = _clean(data)
    key = dedupe_key(data.title, data.authors)
    book = _find_existing(session=session, key=key, isbn13=isbn13)
    if book is not None:
        _fill_missing(book, data, isbn10, isbn13)
        session.add(book)
        return book
    book = Book(
        title=data.title,
        authors=data.authors,
        isbn10=isbn10,
        isbn13=isbn13,
        cover_url=data.cover_url,
        description=data.description,
        total_pages=data.total_pages,
        publisher=data.publisher,
        published_date=data.published_date,
        language=data.language,
        dedupe_key=key,
    )
    try:
        with session.begin_nested():
            session.add(book)
            session.flush()
    except IntegrityError:
        # Another request created the same ISBN a moment ago: use theirs.
        existing = _find_existing(session=session, key=key, isbn13=isbn13)
        if existing is None:
            raise
        return existing
    return book
