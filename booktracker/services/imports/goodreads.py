"""Goodreads' library export: shelves, bindings and its columns."""

from __future__ import annotations

import re

from booktracker.models import BookFormat, ReadingStatus
from booktracker.services.books import parse_pages
from booktracker.services.imports.rows import ImportRow, parse_date, round_rating, split_list, unquote

NAME = "goodreads"
REQUIRED_COLUMNS = {"Title", "Exclusive Shelf"}
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
    (re.compile(r"audio", re.I), BookFormat.AUDIOBOOK),
    (re.compile(r"e-?book|digital|nook|epub", re.I), BookFormat.EBOOK),
    (re.compile(r"pdf", re.I), BookFormat.PDF),
    (re.compile(r"hard", re.I), BookFormat.HARDCOVER),
    (re.compile(r"paper|mass market|softcover", re.I), BookFormat.PAPERBACK),
]


def format_of(binding: str) -> str | None:
    for pattern, book_format in BINDINGS:
        if pattern.search(binding or ""):
            return book_format.value
    return None


def _status(exclusive: str) -> str | None:
    """Our status for an exclusive shelf, or None for a custom one."""
    if exclusive in SHELF_STATUS:
        return SHELF_STATUS[exclusive]
    if exclusive in DNF_SHELVES:
        return ReadingStatus.DNF.value
    if exclusive in PAUSED_SHELVES:
        return ReadingStatus.PAUSED.value
    return None


def parse_row(line: int, row: dict[str, str]) -> ImportRow:
    exclusive = (row.get("Exclusive Shelf") or "to-read").strip().lower()
    status = _status(exclusive)
    shelves = [
        s
        for s in split_list(row.get("Bookshelves", ""))
        if s.lower() not in STANDARD_SHELVES and s.lower() != exclusive
    ]
    if status is None and exclusive:
        shelves.append(exclusive)  # a custom exclusive shelf is kept as a tag
    authors = ", ".join(
        a for a in [(row.get("Author") or "").strip(), *split_list(row.get("Additional Authors", ""))] if a
    )
    owned = (row.get("Owned Copies") or "0").strip()
    return ImportRow(
        line=line,
        title=(row.get("Title") or "").strip(),
        authors=authors,
        isbn=unquote(row.get("ISBN13", "")) or unquote(row.get("ISBN", "")),
        pages=parse_pages(row.get("Number of Pages") or None),
        status=status or ReadingStatus.TO_READ.value,
        rating=round_rating(row.get("My Rating", "")),
        date_read=parse_date(row.get("Date Read", "")),
        date_added=parse_date(row.get("Date Added", "")),
        format=format_of(row.get("Binding", "")),
        owned=owned.isdigit() and int(owned) > 0,
        private_notes=(row.get("Private Notes") or "").strip(),
        review=(row.get("My Review") or "").strip(),
        tags=shelves,
        publisher=(row.get("Publisher") or "").strip(),
        year=(row.get("Original Publication Year") or row.get("Year Published") or "").strip(),
    )
