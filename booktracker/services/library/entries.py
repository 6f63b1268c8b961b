"""One book in a reader's library: its page, status and details, removing it
(adding it: adding.py).

Every function takes the acting ``user_id`` and only ever touches that
reader's rows; someone else's id looks exactly like a missing one.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum

from sqlmodel import Session, col, delete, select

from booktracker.db import utcnow
from booktracker.errors import InvalidInput
from booktracker.models import (
    Book,
    BookFormat,
    Ownership,
    Post,
    Read,
    ReadingProgress,
    ReadingStatus,
    UserBook,
    UserBookDetail,
    saved_id,
)
from booktracker.services import reviews, shelves, storage
from booktracker.services.library import copies, reads
from booktracker.services.library.listing import to_library_item, valid_choice

PRIVATE_NOTES_MAX = 10_000
PERSON_MAX = 120
# Quarter stars, as StoryGraph rates (imports keep them exactly): 0.25, 0.5, ... 5.0.
RATINGS = tuple(step / 4 for step in range(1, 21))


# ----------------------------------------------------------------- one book


def get_detail(*, session: Session, user_id: int, user_book_id: int) -> UserBookDetail:
    entry, book = reads.owned_entry(session, user_id, user_book_id)
    history = reads.entry_reads(session, saved_id(entry))
    finished = sum(read.status == ReadingStatus.FINISHED.value for read in history)
    item = to_library_item(entry, book, finished)
    return UserBookDetail(
        **item.model_dump(),
        isbn13=copies.isbn13(entry, book),
        isbn10="" if entry.copy_isbn else book.isbn10 or "",
        publisher=book.publisher,
        published_date=book.published_date,
        description=book.description,
        private_notes=entry.private_notes,
        borrowed_from=entry.borrowed_from,
        loaned_to=entry.loaned_to,
        series=book.series,
        series_position=book.series_position,
        original_year=book.original_year or 0,
        contributors=[f"{c['name']} ({c['role']})" if c.get("role") else c["name"] for c in book.contributors or []],
        added_at=_as_utc(entry.created_at).isoformat(),
        copy_title=entry.copy_title,
        copy_pages=entry.copy_pages or 0,
        copy_isbn=entry.copy_isbn,
        copy_cover_url=entry.copy_cover_url,
        book_title=book.title,
        book_total_pages=book.total_pages or 0,
        hidden=entry.hidden,
        shelves=shelves.entry_shelves(session=session, user_book_id=saved_id(entry)),
        reviews=reviews.entry_reviews(session=session, user_book_id=saved_id(entry)),
        reads=reads.views(history),
    )


def _as_utc(value: datetime.datetime) -> datetime.datetime:
    """SQLite hands timestamps back without their zone; they are stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def _valid_status(status: str) -> str:
    return valid_choice(status, ReadingStatus, "status")


# The steps below only change the entry in the session; the caller validated
# everything first and commits once. They are the one place for these rules,
# shared by the book page, the API (update_entry) and imports.


def apply_status(
    session: Session,
    entry: UserBook,
    book: Book,
    status: str,
    *,
    at: datetime.datetime,
    today: datetime.date | None = None,
) -> Read | None:
    """Move the entry to a valid ``status`` as of ``at`` (the reader's day
    ``today``, UTC's when not given), through its reads: see
    ``reads.move_entry``. Returns the entry's current read."""
    current = reads.latest_read(session, entry)
    return reads.move_entry(session, entry, book, status, current, at=at, today=today or at.date())


def _apply_page(
    session: Session,
    entry: UserBook,
    book: Book,
    current_page: int,
    current: Read | None,
    *,
    at: datetime.datetime,
    today: datetime.date,
) -> None:
    """Move the current read to a valid page; the first page read starts a
    book still to read (a new read)."""
    if current_page > 0 and entry.status == ReadingStatus.TO_READ.value:
        current = reads.move_entry(session, entry, book, ReadingStatus.READING.value, current, at=at, today=today)
    elif current is None and entry.status != ReadingStatus.TO_READ.value:
        # An entry from before reads existed: its history starts here.
        current = reads.new_read(session, entry, status=entry.status, started_on=None, ended_on=None, today=today)
    old = entry.current_page
    # Place first: a new read is then inserted at its page (one statement, not two).
    entry.current_page = current_page
    if current is not None:
        current.progress, current.updated_at = current_page, at
    reads.record_progress(session, entry, book, current, old, current_page, at=at)


@dataclasses.dataclass
class DetailsUpdate:
    rating: float | None
    private_notes: str
    format: str  # "" for unknown
    ownership: str
    borrowed_from: str = ""
    loaned_to: str = ""


def validate_rating(rating: float | None) -> float | None:
    if rating is None or rating == 0:
        return None
    if rating not in RATINGS:
        raise InvalidInput("Rating must be 0.25 to 5 stars in quarter steps.", field="rating")
    return float(rating)


def _valid_details(update: DetailsUpdate) -> dict[str, object]:
    """The entry's columns for these details, or InvalidInput."""
    rating = validate_rating(update.rating)
    if len(update.private_notes) > PRIVATE_NOTES_MAX:
        raise InvalidInput(f"Private notes must be at most {PRIVATE_NOTES_MAX:,} characters.", field="private_notes")
    book_format = valid_choice(update.format, BookFormat, "format") if update.format else None
    ownership = valid_choice(update.ownership or Ownership.NONE.value, Ownership, "ownership")
    borrowed_from = update.borrowed_from.strip() if ownership == Ownership.BORROWED.value else ""
    loaned_to = update.loaned_to.strip() if ownership == Ownership.LOANED.value else ""
    if len(borrowed_from) > PERSON_MAX or len(loaned_to) > PERSON_MAX:
        raise InvalidInput(f"Names must be at most {PERSON_MAX} characters.", field="ownership")
    return {
        "rating": rating,
        "private_notes": update.private_notes,
        "format": book_format,
        "ownership": ownership,
        "borrowed_from": borrowed_from,
        "loaned_to": loaned_to,
    }


class _Keep(enum.Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP


@dataclasses.dataclass(frozen=True)
class EntryChanges(copies.CopyChanges):
    """What a client asked to change in one entry. ``None`` keeps a field as it
    is -- except ``rating``, where ``None`` (or 0) clears the rating, so only
    ``KEEP`` keeps it. ``format=""`` sets the format to unknown. The reader's
    copy fields (``copy_title`` ... ``progress_unit``) are copies.CopyChanges':
    "" / 0 goes back to the shared book."""

    status: str | None = None
    current_page: int | None = None
    rating: float | _Keep | None = KEEP
    private_notes: str | None = None
    format: str | None = None
    ownership: str | None = None
    borrowed_from: str | None = None
    loaned_to: str | None = None
    # Hidden from others (profile, feeds, friends-reading, shared counts: services/privacy.py).
    hidden: bool | None = None

    def copy(self) -> copies.CopyChanges:
        return copies.CopyChanges(
            **{field.name: getattr(self, field.name) for field in dataclasses.fields(copies.CopyChanges)}
        )

    def details(self, entry: UserBook) -> DetailsUpdate | None:
        """The entry's details with these changes, or None when none was asked."""
        sent = (self.private_notes, self.format, self.ownership, self.borrowed_from, self.loaned_to)
        if isinstance(self.rating, _Keep) and all(value is None for value in sent):
            return None
        return DetailsUpdate(
            rating=entry.rating if isinstance(self.rating, _Keep) else self.rating,
            private_notes=_either(self.private_notes, entry.private_notes),
            format=_either(self.format, entry.format or ""),
            ownership=_either(self.ownership, entry.ownership),
            borrowed_from=_either(self.borrowed_from, entry.borrowed_from),
            loaned_to=_either(self.loaned_to, entry.loaned_to),
        )


def _either(new: str | None, old: str) -> str:
    return old if new is None else new


def update_entry(
    *,
    session: Session,
    user_id: int,
    user_book_id: int,
    changes: EntryChanges,
    today: datetime.date | None = None,
) -> UserBookDetail:
    """Change status, page and details together, all or nothing: everything is
    validated before the first change, and the whole update is one commit (a
    bad format must not leave a new status behind). ``today`` is the reader's
    day (UTC's when not given): a read started or ended now is dated with it."""
    entry, book = reads.owned_entry(session, user_id, user_book_id)
    status = _valid_status(changes.status) if changes.status is not None else None
    details = changes.details(entry)
    columns = _valid_details(details) if details is not None else None
    # The copy after the format change, if any (minutes are for audiobooks),
    # and the page checked against the copy's new end.
    copy_columns, moved = None, entry.current_page
    if changes.copy().asked() or columns is not None:
        book_format = columns["format"] if columns is not None else entry.format
        copy_columns = copies.valid_copy(entry, changes.copy(), book_format=str(book_format or "") or None)
        moved = copies.converted_progress(entry, book, copy_columns)
    page = None
    if changes.current_page is not None:
        unit = str((copy_columns or {}).get("progress_unit", entry.progress_unit))
        end = copies.end_after(entry, book, copy_columns or {})
        page = copies.valid_progress(unit, changes.current_page, end)
    if status is None and page is None and columns is None and copy_columns is None and changes.hidden is None:
        return get_detail(session=session, user_id=user_id, user_book_id=user_book_id)

    now = utcnow()
    today = today or now.date()
    current = (
        reads.latest_read(session, entry)
        if status is not None or page is not None or moved != entry.current_page
        else None
    )
    # The copy first: a new unit or page count is what the status and page below mean.
    for name, value in (copy_columns or {}).items():
        setattr(entry, name, value)
    # A unit switch converts the place held (page 50 of 200 is 25 %); not reading, so no history.
    if current is not None and entry.status != ReadingStatus.TO_READ.value:
        current.progress = moved  # the read the entry mirrors holds the same place
    entry.current_page = moved
    # Status before page: {"status": "finished", "current_page": 10} ends on page 10.
    if status is not None:
        current = reads.move_entry(session, entry, book, status, current, at=now, today=today)
    if page is not None:
        _apply_page(session, entry, book, page, current, at=now, today=today)
    for name, value in (columns or {}).items():
        setattr(entry, name, value)
    if changes.hidden is not None:
        entry.hidden = changes.hidden
    entry.updated_at = now
    session.add(entry)
    session.commit()
    return get_detail(session=session, user_id=user_id, user_book_id=user_book_id)


# The book page changes one thing at a time; these are update_entry with one field.


def update_progress(
    *, session: Session, user_id: int, user_book_id: int, current_page: int, today: datetime.date | None = None
) -> UserBookDetail:
    changes = EntryChanges(current_page=current_page)
    return update_entry(session=session, user_id=user_id, user_book_id=user_book_id, changes=changes, today=today)


def set_status(
    *, session: Session, user_id: int, user_book_id: int, status: str, today: datetime.date | None = None
) -> UserBookDetail:
    changes = EntryChanges(status=status)
    return update_entry(session=session, user_id=user_id, user_book_id=user_book_id, changes=changes, today=today)


def update_details(*, session: Session, user_id: int, user_book_id: int, update: DetailsUpdate) -> UserBookDetail:
    """Replace all the details (the book page's form sends them all)."""
    changes = EntryChanges(**dataclasses.asdict(update))
    return update_entry(session=session, user_id=user_id, user_book_id=user_book_id, changes=changes)


def remove_from_library(*, session: Session, user_id: int, user_book_id: int) -> None:
    """Delete the entry with its posts and progress, then the posts' stored images.

    The images go only after the commit (a failed delete keeps posts whose
    images still show); failing to delete one is logged, not raised.
    """
    entry, _book = reads.owned_entry(session, user_id, user_book_id)
    of_entry = col(Post.user_book_id) == entry.id
    image_keys = list(session.exec(select(Post.image_key).where(of_entry, col(Post.image_key) != "")))
    # Explicit deletes: SQLite only cascades when the pragma is on, and the
    # ORM must not try to null the foreign keys.
    session.exec(delete(Post).where(of_entry))
    session.exec(delete(ReadingProgress).where(col(ReadingProgress.user_book_id) == entry.id))
    session.exec(delete(Read).where(col(Read.user_book_id) == entry.id))
    session.delete(entry)
    session.commit()
    storage.delete_all_quietly(image_keys)
