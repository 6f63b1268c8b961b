"""One book in a reader's library: adding it, its page, status and details,
removing it.

Every function takes the acting ``user_id`` and only ever touches that
reader's rows; someone else's id looks exactly like a missing one.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum

from sqlmodel import Session, col, delete, select

from booktracker.db import utcnow
from booktracker.errors import InvalidInput, NotFound
from booktracker.models import (
    Book,
    BookFormat,
    Ownership,
    Post,
    ReadingProgress,
    ReadingStatus,
    UserBook,
    UserBookDetail,
)
from booktracker.services import storage
from booktracker.services.books import BookInput, find_or_create_book
from booktracker.services.library.listing import to_library_item, valid_choice

PRIVATE_NOTES_MAX = 10_000
PERSON_MAX = 120
RATINGS = tuple(step / 2 for step in range(2, 11))  # 1.0, 1.5, ... 5.0


# ----------------------------------------------------------------- adding


@dataclasses.dataclass
class AddResult:
    user_book: UserBook
    created: bool


def add_to_library(
    *,
    session: Session,
    user_id: int,
    book: BookInput,
    status: str = ReadingStatus.TO_READ.value,
) -> AddResult:
    """Put a book on the reader's shelf; an existing entry is returned as is."""
    status = _valid_status(status)
    record = find_or_create_book(session=session, data=book)
    existing = session.exec(select(UserBook).where(UserBook.user_id == user_id, UserBook.book_id == record.id)).first()
    if existing is not None:
        session.commit()
        return AddResult(existing, created=False)
    assert record.id is not None  # flushed by find_or_create_book
    entry = UserBook(user_id=user_id, book_id=record.id, status=ReadingStatus.TO_READ.value)
    session.add(entry)
    apply_status(session, entry, record, status, at=utcnow())
    session.commit()
    session.refresh(entry)
    return AddResult(entry, created=True)


# ----------------------------------------------------------------- one book


def _owned_entry(session: Session, user_id: int, user_book_id: int) -> tuple[UserBook, Book]:
    row = session.exec(
        select(UserBook, Book)
        .join(Book, col(Book.id) == col(UserBook.book_id))
        .where(col(UserBook.id) == user_book_id, col(UserBook.user_id) == user_id)
    ).first()
    if row is None:
        raise NotFound("That book is not in your library.")
    return row[0], row[1]


def _iso(value) -> str:
    return value.isoformat() if value else ""


def get_detail(*, session: Session, user_id: int, user_book_id: int) -> UserBookDetail:
    entry, book = _owned_entry(session, user_id, user_book_id)
    item = to_library_item(entry, book)
    return UserBookDetail(
        **item.model_dump(),
        isbn13=book.isbn13 or "",
        isbn10=book.isbn10 or "",
        publisher=book.publisher,
        published_date=book.published_date,
        description=book.description,
        private_notes=entry.private_notes,
        borrowed_from=entry.borrowed_from,
        loaned_to=entry.loaned_to,
        started_at=_iso(entry.started_at),
        finished_at=_iso(entry.finished_at),
    )


def _record_progress(session: Session, entry: UserBook, old: int, new: int, *, at: datetime.datetime) -> None:
    if old == new:
        return
    if entry.id is None:
        session.flush()  # a new entry (an import) needs its id for the history row
    assert entry.id is not None
    session.add(
        ReadingProgress(
            user_id=entry.user_id,
            user_book_id=entry.id,
            book_id=entry.book_id,
            from_page=old,
            to_page=new,
            pages_delta=new - old,
            recorded_at=at,
        )
    )


def _valid_status(status: str) -> str:
    return valid_choice(status, ReadingStatus, "status")


def _valid_page(book: Book, current_page: int) -> int:
    limit = book.total_pages if book.total_pages else None
    if current_page < 0 or (limit is not None and current_page > limit):
        bound = f"0 and {limit}" if limit is not None else "0 and the last page"
        raise InvalidInput(f"Current page must be between {bound}.", field="current_page")
    if limit is None and current_page > 100_000:
        raise InvalidInput("Current page is too large.", field="current_page")
    return current_page


# The steps below only change the entry in the session; the caller validated
# everything first and commits once. They are the one place for these rules,
# shared by the book page, the API (update_entry) and imports.


def apply_status(session: Session, entry: UserBook, book: Book, status: str, *, at: datetime.datetime) -> None:
    """Move the entry to a valid ``status`` as of ``at``: reading and finishing
    start the book, finishing jumps to the last page (recorded as progress),
    re-opening a finished book forgets its finish date."""
    if status in (ReadingStatus.READING.value, ReadingStatus.FINISHED.value):
        entry.started_at = entry.started_at or at
    if status == ReadingStatus.FINISHED.value:
        entry.finished_at = at
        if book.total_pages:
            _record_progress(session, entry, entry.current_page, book.total_pages, at=at)
            entry.current_page = book.total_pages
    elif entry.status == ReadingStatus.FINISHED.value:
        entry.finished_at = None  # re-opened: no longer finished
    entry.status = status


def _apply_page(session: Session, entry: UserBook, current_page: int, *, at: datetime.datetime) -> None:
    """Move to a valid page; the first page read starts a book still to read."""
    _record_progress(session, entry, entry.current_page, current_page, at=at)
    entry.current_page = current_page
    if current_page > 0 and entry.status == ReadingStatus.TO_READ.value:
        entry.status = ReadingStatus.READING.value
    if entry.status == ReadingStatus.READING.value and entry.started_at is None:
        entry.started_at = at


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
        raise InvalidInput("Rating must be 1 to 5 stars in half steps.", field="rating")
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
class EntryChanges:
    """What a client asked to change in one entry. ``None`` keeps a field as it
    is -- except ``rating``, where ``None`` (or 0) clears the rating, so only
    ``KEEP`` keeps it. ``format=""`` sets the format to unknown."""

    status: str | None = None
    current_page: int | None = None
    rating: float | _Keep | None = KEEP
    private_notes: str | None = None
    format: str | None = None
    ownership: str | None = None
    borrowed_from: str | None = None
    loaned_to: str | None = None

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


def update_entry(*, session: Session, user_id: int, user_book_id: int, changes: EntryChanges) -> UserBookDetail:
    """Change status, page and details together, all or nothing: everything is
    validated before the first change, and the whole update is one commit (a
    bad format must not leave a new status behind)."""
    entry, book = _owned_entry(session, user_id, user_book_id)
    status = _valid_status(changes.status) if changes.status is not None else None
    page = _valid_page(book, changes.current_page) if changes.current_page is not None else None
    details = changes.details(entry)
    columns = _valid_details(details) if details is not None else None
    if status is None and page is None and columns is None:
        return get_detail(session=session, user_id=user_id, user_book_id=user_book_id)

    now = utcnow()
    # Status before page: {"status": "finished", "current_page": 10} ends on page 10.
    if status is not None:
        apply_status(session, entry, book, status, at=now)
    if page is not None:
        _apply_page(session, entry, page, at=now)
    for name, value in (columns or {}).items():
        setattr(entry, name, value)
    entry.updated_at = now
    session.add(entry)
    session.commit()
    return get_detail(session=session, user_id=user_id, user_book_id=user_book_id)


# The book page changes one thing at a time; these are update_entry with one field.


def update_progress(*, session: Session, user_id: int, user_book_id: int, current_page: int) -> UserBookDetail:
    changes = EntryChanges(current_page=current_page)
    return update_entry(session=session, user_id=user_id, user_book_id=user_book_id, changes=changes)


def set_status(*, session: Session, user_id: int, user_book_id: int, status: str) -> UserBookDetail:
    changes = EntryChanges(status=status)
    return update_entry(session=session, user_id=user_id, user_book_id=user_book_id, changes=changes)


def update_details(*, session: Session, user_id: int, user_book_id: int, update: DetailsUpdate) -> UserBookDetail:
    """Replace all the details (the book page's form sends them all)."""
    changes = EntryChanges(**dataclasses.asdict(update))
    return update_entry(session=session, user_id=user_id, user_book_id=user_book_id, changes=changes)


def remove_from_library(*, session: Session, user_id: int, user_book_id: int) -> None:
    """Delete the entry with its posts and progress, then the posts' stored images.

    The images go only after the commit (a failed delete keeps posts whose
    images still show); failing to delete one is logged, not raised.
    """
    entry, _book = _owned_entry(session, user_id, user_book_id)
    of_entry = col(Post.user_book_id) == entry.id
    image_keys = list(session.exec(select(Post.image_key).where(of_entry, col(Post.image_key) != "")))
    # Explicit deletes: SQLite only cascades when the pragma is on, and the
    # ORM must not try to null the foreign keys.
    session.exec(delete(Post).where(of_entry))
    session.exec(delete(ReadingProgress).where(col(ReadingProgress.user_book_id) == entry.id))
    session.delete(entry)
    session.commit()
    storage.delete_all_quietly(image_keys)
