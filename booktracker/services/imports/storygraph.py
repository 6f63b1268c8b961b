"""StoryGraph's export: read statuses, moods and its columns."""

from __future__ import annotations

from booktracker.errors import InvalidInput
from booktracker.models import ReadingStatus
from booktracker.services.books import normalize_isbn
from booktracker.services.imports.goodreads import format_of
from booktracker.services.imports.rows import ImportRow, parse_date, round_rating, split_list, unquote

NAME = "storygraph"
REQUIRED_COLUMNS = {"Title", "Read Status"}
# Keys are StoryGraph's read statuses, values ours.
READ_STATUS = {
    "read": ReadingStatus.FINISHED.value,
    "currently-reading": ReadingStatus.READING.value,
    "to-read": ReadingStatus.TO_READ.value,
    "did-not-finish": ReadingStatus.DNF.value,
    "paused": ReadingStatus.PAUSED.value,
}


def parse_row(line: int, row: dict[str, str]) -> ImportRow:
    status_text = (row.get("Read Status") or "to-read").strip().lower()
    if status_text not in READ_STATUS:
        raise InvalidInput(f"Unknown read status '{status_text}'.")
    isbn = unquote(row.get("ISBN/UID", ""))
    try:
        normalize_isbn(isbn)
    except InvalidInput:
        isbn = ""  # StoryGraph puts its own ids here when there is no ISBN
    moods = [f"mood: {m}" for m in split_list(row.get("Moods", ""))]
    return ImportRow(
        line=line,
        title=(row.get("Title") or "").strip(),
        authors=(row.get("Authors") or "").strip(),
        isbn=isbn,
        pages=None,
        status=READ_STATUS[status_text],
        rating=round_rating(row.get("Star Rating", "")),
        date_read=parse_date(row.get("Last Date Read", "")),
        date_added=parse_date(row.get("Date Added", "")),
        format=format_of(row.get("Format", "")),
        owned=(row.get("Owned?") or "").strip().lower() in ("yes", "true", "owned"),
        private_notes="",
        review=(row.get("Review") or "").strip(),
        tags=split_list(row.get("Tags", "")) + moods,
        publisher="",
        year="",
    )
