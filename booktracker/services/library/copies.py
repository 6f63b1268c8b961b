"""The reader's own copy of a book: what they see and how they count progress.

An entry's ``copy_*`` columns override the shared book for that reader only
(empty / None = as the book says). Everywhere a reader sees their own book the
effective value is used: here as SQL expressions (so a page still costs the
same statements) and as plain functions for rows already loaded.

Progress (``UserBook.current_page``, and the current read's ``progress``) is a
number in the entry's ``progress_unit``: a page, a percent (0-100) or a
minute of an audiobook. For stats, percent becomes pages when the page count
is known (``ReadingProgress.pages_delta``); audiobook time is counted
separately as minutes listened (``minutes_delta``), never turned into pages:
there is no honest pages-per-hour rate.
"""

from __future__ import annotations

import dataclasses
import re

import sqlalchemy as sa
from sqlmodel import col, func

from booktracker.errors import InvalidInput
from booktracker.models import Book, BookFormat, ProgressUnit, UserBook
from booktracker.services import books

AUDIO_MINUTES_MAX = 100 * 60  # 100 hours: the longest audiobooks are about 60
UNIT_NAMES = {
    ProgressUnit.PAGES.value: "page",
    ProgressUnit.PERCENT.value: "percent",
    ProgressUnit.MINUTES.value: "minute",
}


# ----------------------------------------------------------------- effective values in SQL


def title_sql() -> sa.ColumnElement[str]:
    return func.coalesce(func.nullif(col(UserBook.copy_title), ""), col(Book.title))


def cover_sql() -> sa.ColumnElement[str]:
    return func.coalesce(func.nullif(col(UserBook.copy_cover_url), ""), col(Book.cover_url))


def pages_sql() -> sa.ColumnElement[int]:
    return func.coalesce(col(UserBook.copy_pages), col(Book.total_pages))


def end_sql() -> sa.ColumnElement[int]:
    """The end of a read in the entry's unit (see unit_total); NULL when unknown."""
    return sa.case(
        (col(UserBook.progress_unit) == ProgressUnit.PERCENT.value, sa.literal(100)),
        (col(UserBook.progress_unit) == ProgressUnit.MINUTES.value, col(UserBook.audio_minutes)),
        else_=pages_sql(),
    )


# ----------------------------------------------------------------- effective values of loaded rows


def title(entry: UserBook, book: Book) -> str:
    return entry.copy_title or book.title


def cover(entry: UserBook, book: Book) -> str:
    return entry.copy_cover_url or book.cover_url


def pages(entry: UserBook, book: Book) -> int | None:
    return entry.copy_pages or book.total_pages or None


def isbn13(entry: UserBook, book: Book) -> str:
    return entry.copy_isbn or book.isbn13 or ""


def unit_total(unit: str, total_pages: int | None, audio_minutes: int | None) -> int | None:
    """The end of a read in ``unit``, or None when unknown."""
    if unit == ProgressUnit.PERCENT.value:
        return 100
    if unit == ProgressUnit.MINUTES.value:
        return audio_minutes or None
    return total_pages or None


def total(entry: UserBook, book: Book) -> int | None:
    return unit_total(entry.progress_unit, pages(entry, book), entry.audio_minutes)


def percent(entry: UserBook, book: Book) -> int:
    return percent_of(entry.current_page, total(entry, book))


def percent_of(done: int, end: int | None) -> int:
    """Whole percent; 100 only at the end (page 9,999 of 10,000 rounded to "100%", issue 15)."""
    if not end:
        return 0
    value = max(0, min(100, round(done * 100 / end)))
    return 99 if value == 100 and done < end else value


def as_pages(unit: str, value: int, total_pages: int | None) -> int:
    """Progress as pages for stats: percent converts when the page count is
    known, minutes never do (counted apart, see the module docstring)."""
    if unit == ProgressUnit.PAGES.value:
        return value
    if unit == ProgressUnit.PERCENT.value and total_pages:
        return round(value * total_pages / 100)
    return 0


def deltas(entry: UserBook, book: Book, old: int, new: int) -> tuple[int, int]:
    """(pages_delta, minutes_delta) of a move from ``old`` to ``new``."""
    if entry.progress_unit == ProgressUnit.MINUTES.value:
        return 0, new - old
    book_pages = pages(entry, book)
    return as_pages(entry.progress_unit, new, book_pages) - as_pages(entry.progress_unit, old, book_pages), 0


def valid_progress(unit: str, value: int, end: int | None) -> int:
    """A progress value in ``unit`` between 0 and the end, or InvalidInput."""
    limit = end if end is not None else books.PAGES_MAX
    if not 0 <= value <= limit:
        if unit == ProgressUnit.PERCENT.value:
            message = "Progress must be between 0 and 100 %."
        elif unit == ProgressUnit.MINUTES.value:
            message = (
                f"Time listened must be between 0:00 and {format_duration(end)}."
                if end is not None
                else "Time listened is too long."
            )
        elif end is not None:
            message = f"Current page must be between 0 and {end}."
        else:
            message = "Current page is too large."
        raise InvalidInput(message, field="current_page")
    return value


# ----------------------------------------------------------------- h:mm


def parse_duration(raw: str | int | None, *, field: str = "audio_minutes") -> int | None:
    """Minutes from "h:mm" (or a bare number of minutes); None for blank."""
    if raw is None:
        return None
    if isinstance(raw, int):
        return raw
    text = raw.strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,3}):([0-5]\d)|(\d{1,5})", text)
    if match is None:
        raise InvalidInput("Enter the time as hours:minutes, e.g. 11:42.", field=field)
    if match.group(3) is not None:
        return int(match.group(3))
    return int(match.group(1)) * 60 + int(match.group(2))


def format_duration(minutes: int | None) -> str:
    if minutes is None:
        return ""
    return f"{minutes // 60}:{minutes % 60:02d}"


# ----------------------------------------------------------------- editing the copy


@dataclasses.dataclass(frozen=True)
class CopyChanges:
    """A change to the reader's copy; ``None`` keeps a field. An empty string
    (or 0 for the numbers) goes back to what the shared book says."""

    copy_title: str | None = None
    copy_pages: int | None = None
    copy_isbn: str | None = None
    copy_cover_url: str | None = None
    audio_minutes: int | None = None
    progress_unit: str | None = None

    def asked(self) -> bool:
        """Whether any copy field is to change (on a subclass too: only these fields count)."""
        return any(getattr(self, field.name) is not None for field in dataclasses.fields(CopyChanges))


def valid_copy(entry: UserBook, changes: CopyChanges, *, book_format: str | None) -> dict[str, object]:
    """The entry's copy columns after ``changes``, or InvalidInput.

    ``book_format`` is the entry's format after the same update: minutes are
    only for audiobooks.
    """
    columns: dict[str, object] = {}
    if changes.copy_title is not None:
        text = " ".join(changes.copy_title.split())
        if len(text) > books.TITLE_MAX:
            raise InvalidInput(f"Title must be at most {books.TITLE_MAX} characters.", field="copy_title")
        columns["copy_title"] = text
    if changes.copy_pages is not None:
        if not 0 <= changes.copy_pages <= books.PAGES_MAX:
            raise InvalidInput(f"Pages must be between 1 and {books.PAGES_MAX:,}.", field="copy_pages")
        columns["copy_pages"] = changes.copy_pages or None
    if changes.copy_isbn is not None:
        try:
            _isbn10, isbn13 = books.normalize_isbn(changes.copy_isbn)
        except InvalidInput as exc:
            raise InvalidInput(exc.message, field="copy_isbn") from None
        columns["copy_isbn"] = isbn13 or ""
    if changes.copy_cover_url is not None:
        try:
            columns["copy_cover_url"] = books.validate_cover_url(changes.copy_cover_url)
        except InvalidInput as exc:
            raise InvalidInput(exc.message, field="copy_cover_url") from None
    if changes.audio_minutes is not None:
        if not 0 <= changes.audio_minutes <= AUDIO_MINUTES_MAX:
            raise InvalidInput("An audiobook's length must be between 0:01 and 100:00.", field="audio_minutes")
        columns["audio_minutes"] = changes.audio_minutes or None
    unit = changes.progress_unit if changes.progress_unit is not None else entry.progress_unit
    if unit not in UNIT_NAMES:
        raise InvalidInput("Track progress in pages, percent or minutes.", field="progress_unit")
    if unit == ProgressUnit.MINUTES.value and book_format != BookFormat.AUDIOBOOK.value:
        field = "progress_unit" if changes.progress_unit is not None else "format"
        raise InvalidInput(
            "Minutes are for audiobooks: set the format to audiobook, or track pages or percent.", field=field
        )
    columns["progress_unit"] = unit
    return columns


def end_after(entry: UserBook, book: Book, columns: dict[str, object]) -> int | None:
    """The end of the read in its unit once the copy ``columns`` are applied."""
    new_pages = columns.get("copy_pages", entry.copy_pages) or book.total_pages or None
    new_minutes = columns.get("audio_minutes", entry.audio_minutes)
    assert new_minutes is None or isinstance(new_minutes, int)
    assert new_pages is None or isinstance(new_pages, int)
    return unit_total(str(columns.get("progress_unit", entry.progress_unit)), new_pages, new_minutes)


def converted_progress(entry: UserBook, book: Book, columns: dict[str, object]) -> int:
    """The entry's progress in its unit after the copy ``columns`` are applied.

    Switching units converts through the fraction read (page 50 of 200 is
    25 %); when an end is unknown that cannot be done, and the reader is asked
    rather than losing their place. A shorter page count or length must still
    hold the current position.
    """
    new_unit = str(columns.get("progress_unit", entry.progress_unit))
    new_end = end_after(entry, book, columns)
    value = entry.current_page
    if new_unit != entry.progress_unit and value:
        old_end = end_after(entry, book, {**columns, "progress_unit": entry.progress_unit})
        if old_end is None or new_end is None:
            raise InvalidInput(
                f"To switch from {UNIT_NAMES[entry.progress_unit]}s to {UNIT_NAMES[new_unit]}s, "
                "first enter the book's length (pages or h:mm), or set your progress to 0.",
                field="progress_unit",
            )
        value = round(value * new_end / old_end)
    if new_end is not None and value > new_end:
        where = format_duration(value) if new_unit == ProgressUnit.MINUTES.value else str(value)
        raise InvalidInput(
            f"Your progress ({where}) is past that end: lower your progress first.",
            field="audio_minutes" if new_unit == ProgressUnit.MINUTES.value else "copy_pages",
        )
    return value
