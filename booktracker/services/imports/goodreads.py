"""Goodreads' library export: shelves, bindings and its columns.

Where each column goes (nothing a reader entered is dropped):

- Title → the book's title; its "(Series, #1)" suffix → Book.series / series_position.
- Author, Additional Authors → authors; "Name (Illustrator)" → Book.contributors.
- ISBN / ISBN13 (``="…"`` or empty) → the book, and the reader's copy ISBN.
- Number of Pages → the reader's copy (UserBook.copy_pages).
- Publisher, Year Published, Original Publication Year → the book (when new).
- My Rating → the entry's rating; My Review + Spoiler → a Review of the latest read.
- Exclusive Shelf → the status (read, currently-reading, to-read, and the usual
  names for did-not-finish and paused); a custom exclusive shelf becomes a
  shelf of that name, with status finished when the row says the book was read
  (Date Read or Read Count) and want-to-read otherwise.
- Bookshelves → shelves; Date Read and Read Count → that many reads (the extra
  ones with unknown dates); Date Added → when the entry was added.
- Binding → a format via BINDINGS; the text itself is kept in UserBook.binding
  unless it is our own word for that format.
- Owned Copies, Private Notes → the entry.
"""

from __future__ import annotations

import re

from booktracker.errors import InvalidInput
from booktracker.models import BookFormat, ReadingStatus
from booktracker.services.books import AUTHORS_MAX, normalize_isbn
from booktracker.services.imports.rows import (
    BINDING_MAX,
    PRIVATE_NOTES_MAX,
    REVIEW_MAX,
    ImportRow,
    ReadSpec,
    bounded,
    parse_count,
    parse_day,
    parse_pages,
    parse_rating,
    parse_year,
    shelf_names,
    split_list,
    split_people,
    split_series,
    unquote,
)

NAME = "goodreads"
REQUIRED_COLUMNS = {"Title", "Exclusive Shelf"}
# The columns we read, and those Goodreads computes (not the reader's input).
COLUMNS = {
    "Title",
    "Author",
    "Additional Authors",
    "ISBN",
    "ISBN13",
    "My Rating",
    "Publisher",
    "Binding",
    "Number of Pages",
    "Year Published",
    "Original Publication Year",
    "Date Read",
    "Date Added",
    "Bookshelves",
    "Exclusive Shelf",
    "My Review",
    "Spoiler",
    "Private Notes",
    "Read Count",
    "Owned Copies",
}
DERIVED_COLUMNS = {"Book Id", "Author l-f", "Average Rating", "Bookshelves with positions"}
STANDARD_SHELVES = {"read", "currently-reading", "to-read"}
# Keys are Goodreads' shelf names, values our statuses.
SHELF_STATUS = {
    "read": ReadingStatus.FINISHED.value,
    "currently-reading": ReadingStatus.READING.value,
    "to-read": ReadingStatus.TO_READ.value,
}
DNF_SHELVES = {"did-not-finish", "dnf", "abandoned", "gave-up"}
PAUSED_SHELVES = {"paused", "on-hold", "on-pause"}
# A binding (or StoryGraph format) names a format when it contains one of
# these words; the first match wins, so "Kindle Edition" is a Kindle book,
# not an ebook.
BINDINGS: list[tuple[re.Pattern[str], BookFormat]] = [
    (re.compile(r"kindle", re.I), BookFormat.KINDLE),
    (re.compile(r"audio|mp3|\bcd\b|cassette", re.I), BookFormat.AUDIOBOOK),
    (re.compile(r"e-?book|digital|nook|epub|electronic", re.I), BookFormat.EBOOK),
    (re.compile(r"pdf", re.I), BookFormat.PDF),
    (re.compile(r"hard|board|library binding|leather|bonded|turtleback|reli[ée]|gebunden", re.I), BookFormat.HARDCOVER),
    (
        re.compile(
            r"paper|mass market|soft|trade|pocket|poche|broch|taschenbuch|flexi|comic|graphic|spiral|unbound", re.I
        ),
        BookFormat.PAPERBACK,
    ),
]
# Our word for each format in an export (what the Binding column says).
BINDING_OF_FORMAT: dict[str, str] = {
    BookFormat.HARDCOVER: "Hardcover",
    BookFormat.PAPERBACK: "Paperback",
    BookFormat.EBOOK: "ebook",
    BookFormat.KINDLE: "Kindle Edition",
    BookFormat.PDF: "PDF",
    BookFormat.AUDIOBOOK: "Audiobook",
}
# Our statuses as Goodreads shelves (the export's Exclusive Shelf).
SHELF_OF_STATUS: dict[str, str] = {
    ReadingStatus.TO_READ: "to-read",
    ReadingStatus.READING: "currently-reading",
    ReadingStatus.FINISHED: "read",
    ReadingStatus.PAUSED: "paused",
    ReadingStatus.DNF: "did-not-finish",
}


def format_of(binding: str) -> str | None:
    for pattern, book_format in BINDINGS:
        if pattern.search(binding or ""):
            return book_format.value
    return None


def binding_kept(binding: str, book_format: str | None) -> str:
    """The binding text to keep beside the format: all of it unless it is our own word."""
    binding = bounded(binding, BINDING_MAX, "Binding")
    return "" if book_format and binding == BINDING_OF_FORMAT.get(book_format) else binding


def _status(exclusive: str) -> str | None:
    """Our status for an exclusive shelf, or None for a custom one."""
    if exclusive in SHELF_STATUS:
        return SHELF_STATUS[exclusive]
    if exclusive in DNF_SHELVES:
        return ReadingStatus.DNF.value
    if exclusive in PAUSED_SHELVES:
        return ReadingStatus.PAUSED.value
    return None


def reads_of(status: str, count: int, date_read) -> list[ReadSpec]:
    """The reads a row stands for: ``count`` finished ones, the latest on
    ``date_read``, the others with unknown dates, then the current read when
    the book is being read, paused or abandoned (stopped on ``date_read``)."""
    finished = ReadingStatus.FINISHED.value
    stopped = status in (ReadingStatus.PAUSED.value, ReadingStatus.DNF.value)
    if status == finished or (date_read and not stopped):
        count = max(count, 1)
    reads = [ReadSpec(finished) for _ in range(count)]
    if reads and not stopped:
        reads[-1].ended_on = date_read
    if status == ReadingStatus.READING.value:
        reads.append(ReadSpec(status))
    elif stopped:
        reads.append(ReadSpec(status, ended_on=date_read))
    return reads


def parse_row(line: int, row: dict[str, str]) -> ImportRow:
    exclusive = (row.get("Exclusive Shelf") or "to-read").strip().lower()
    date_read = parse_day(row.get("Date Read"), what="date read")
    count = parse_count(row.get("Read Count"), what="Read Count")
    status = _status(exclusive)
    shelves = [
        s for s in split_list(row.get("Bookshelves")) if s.lower() not in STANDARD_SHELVES and s.lower() != exclusive
    ]
    if status is None:
        shelves.append(exclusive)  # a custom exclusive shelf is kept as a shelf
        read = date_read is not None or count > 0
        status = ReadingStatus.FINISHED.value if read else ReadingStatus.TO_READ.value
    co_authors, contributors = split_people(row.get("Additional Authors"))
    authors = ", ".join(a for a in [(row.get("Author") or "").strip(), *co_authors] if a)
    if len(authors) > AUTHORS_MAX:
        raise InvalidInput(f"The authors are longer than {AUTHORS_MAX} characters.")
    isbn = unquote(row.get("ISBN13")) or unquote(row.get("ISBN"))
    isbn10, isbn13 = normalize_isbn(isbn)
    title, series, position = split_series(row.get("Title") or "")
    binding = (row.get("Binding") or "").strip()
    book_format = format_of(binding)
    return ImportRow(
        line=line,
        title=title,
        authors=authors,
        isbn=isbn13 or "",
        isbn10=isbn10,
        status=status,
        reads=reads_of(status, count, date_read),
        series=series[:200],
        series_position=position[:20],
        contributors=contributors,
        pages=parse_pages(row.get("Number of Pages")),
        rating=parse_rating(row.get("My Rating")),
        date_added=parse_day(row.get("Date Added"), what="date added"),
        format=book_format,
        binding=binding_kept(binding, book_format),
        owned_copies=parse_count(row.get("Owned Copies"), what="Owned Copies"),
        private_notes=bounded(row.get("Private Notes"), PRIVATE_NOTES_MAX, "Private Notes"),
        review=bounded(row.get("My Review"), REVIEW_MAX, "The review"),
        has_spoilers=(row.get("Spoiler") or "").strip().lower() in ("true", "yes", "1"),
        shelves=shelf_names(shelves),
        publisher=(row.get("Publisher") or "").strip()[:200],
        year=(row.get("Year Published") or "").strip()[:20],
        original_year=parse_year(row.get("Original Publication Year")),
    )
