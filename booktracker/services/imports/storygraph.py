"""StoryGraph's export: read statuses, dates read, moods and its columns.

- Dates Read ("2023/01/02-2023/02/03, 2024/05/01-2024/05/20") → one finished
  read per range; a range with only a start is the current read. Read Count
  beyond the ranges adds finished reads with unknown dates; Last Date Read
  dates the latest read when there are no ranges.
- Star Rating in quarter stars, stored exactly; Review → a Review.
- Format (hardcover, paperback, digital, audio) → the format; Owned? → one copy.
- Tags → shelves; Moods and Pace → shelves "mood: dark", "pace: fast".
- Content Warnings and their description → UserBook.content_warnings.
- The character questions (Plot-Driven?, Loveable Characters?, …) have no
  place here: the preview lists them as not imported.
"""

from __future__ import annotations

import re

from booktracker.errors import InvalidInput
from booktracker.models import ReadingStatus
from booktracker.services.books import AUTHORS_MAX, normalize_isbn
from booktracker.services.imports.goodreads import binding_kept, format_of
from booktracker.services.imports.rows import (
    REVIEW_MAX,
    ImportRow,
    ReadSpec,
    bounded,
    parse_count,
    parse_day,
    parse_rating,
    shelf_names,
    split_list,
    split_people,
    unquote,
)

NAME = "storygraph"
REQUIRED_COLUMNS = {"Title", "Read Status"}
COLUMNS = {
    "Title",
    "Authors",
    "Contributors",
    "ISBN/UID",
    "Format",
    "Read Status",
    "Date Added",
    "Last Date Read",
    "Dates Read",
    "Read Count",
    "Moods",
    "Pace",
    "Star Rating",
    "Review",
    "Content Warnings",
    "Content Warning Description",
    "Tags",
    "Owned?",
}
DERIVED_COLUMNS: set[str] = set()
# Keys are StoryGraph's read statuses, values ours.
READ_STATUS = {
    "read": ReadingStatus.FINISHED.value,
    "currently-reading": ReadingStatus.READING.value,
    "to-read": ReadingStatus.TO_READ.value,
    "did-not-finish": ReadingStatus.DNF.value,
    "paused": ReadingStatus.PAUSED.value,
}
_DATE = r"\d{4}[/.-]\d{1,2}[/.-]\d{1,2}"
_RANGE = re.compile(rf"^(?P<start>{_DATE})?\s*(?P<dash>-)?\s*(?P<end>{_DATE})?$")


def _ranges(value: str) -> list[ReadSpec]:
    finished = ReadingStatus.FINISHED.value
    reads: list[ReadSpec] = []
    for part in split_list(value):
        match = _RANGE.match(part)
        if not match or not (match["start"] or match["end"]):
            raise InvalidInput(f"Dates Read '{part}' is not a date or a range of dates.")
        start = parse_day(match["start"], what="start date")
        end = parse_day(match["end"], what="finish date")
        if match["start"] and not match["dash"] and not match["end"]:
            start, end = None, start  # one date: the day it was finished
        if start and end and end < start:
            raise InvalidInput(f"Dates Read '{part}' ends before it starts.")
        reads.append(ReadSpec(finished if end else ReadingStatus.READING.value, started_on=start, ended_on=end))
    return sorted(reads, key=lambda r: (r.ended_on is None, r.ended_on or r.started_on))


def reads_of(status: str, count: int, dates_read: str, last_read) -> list[ReadSpec]:
    finished = ReadingStatus.FINISHED.value
    ranges = _ranges(dates_read)
    done = [r for r in ranges if r.status == finished]
    current = next((r for r in ranges if r.status != finished), None)
    if not done and last_read:
        done = [ReadSpec(finished, ended_on=last_read)]
    wanted = max(count, len(done), 1 if status == finished else 0)
    reads = [ReadSpec(finished) for _ in range(wanted - len(done))] + done
    if status in (ReadingStatus.READING.value, ReadingStatus.PAUSED.value, ReadingStatus.DNF.value):
        reads.append(ReadSpec(status, started_on=current.started_on if current else None))
    return reads


def parse_row(line: int, row: dict[str, str]) -> ImportRow:
    status_text = (row.get("Read Status") or "to-read").strip().lower()
    if status_text not in READ_STATUS:
        raise InvalidInput(f"Unknown read status '{status_text}'.")
    status = READ_STATUS[status_text]
    isbn = unquote(row.get("ISBN/UID"))
    try:
        isbn10, isbn13 = normalize_isbn(isbn)
    except InvalidInput:
        isbn10 = isbn13 = None  # StoryGraph puts its own ids here when there is no ISBN
    co_authors, contributors = split_people(row.get("Contributors"))
    authors = (row.get("Authors") or "").strip()
    contributors += [{"name": name, "role": ""} for name in co_authors]
    if len(authors) > AUTHORS_MAX:
        raise InvalidInput(f"The authors are longer than {AUTHORS_MAX} characters.")
    moods = [f"mood: {m.lower()}" for m in split_list(row.get("Moods"))]
    pace = [f"pace: {p.lower()}" for p in split_list(row.get("Pace"))]
    warnings = "\n\n".join(
        part
        for part in (
            (row.get("Content Warnings") or "").strip(),
            (row.get("Content Warning Description") or "").strip(),
        )
        if part
    )
    book_format = format_of(row.get("Format") or "")
    return ImportRow(
        line=line,
        title=(row.get("Title") or "").strip(),
        authors=authors,
        isbn=isbn13 or "",
        isbn10=isbn10,
        status=status,
        reads=reads_of(
            status,
            parse_count(row.get("Read Count"), what="Read Count"),
            row.get("Dates Read") or "",
            parse_day(row.get("Last Date Read"), what="last date read"),
        ),
        contributors=contributors,
        rating=parse_rating(row.get("Star Rating")),
        date_added=parse_day(row.get("Date Added"), what="date added"),
        format=book_format,
        binding=binding_kept("" if book_format else (row.get("Format") or ""), book_format),
        owned_copies=1 if (row.get("Owned?") or "").strip().lower() in ("yes", "true", "owned") else 0,
        review=bounded(row.get("Review"), REVIEW_MAX, "The review"),
        shelves=shelf_names(split_list(row.get("Tags")) + moods + pace),
        content_warnings=bounded(warnings, 10_000, "Content Warnings"),
    )
