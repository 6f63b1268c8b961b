"""What a link preview and the sitemap may say about readers and books.

Both speak to the whole internet, so they see exactly what a logged-out
visitor sees (services/privacy.py with no viewer): a profile only when it is
public and its reader not suspended; a book only when some such reader shows
it (not hidden) in their library. Anything else gets no card -- the same
answer as for an unknown name, so a preview never tells that a private
profile exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from booktracker.models import Book, ReadingStatus, User, UserBook
from booktracker.services import privacy

DESCRIPTION_MAX = 200
# The sitemap protocol's limit per file is 50,000 URLs: half for each kind.
SITEMAP_MAX_EACH = 25_000


@dataclass(frozen=True)
class ProfileCard:
    username: str
    name: str
    image: str  # the avatar's URL, "" for none
    finished: int
    reading: int

    @property
    def description(self) -> str:
        books = "book" if self.finished == 1 else "books"
        return f"{self.finished} {books} finished, {self.reading} reading now on TrackMyRead."


@dataclass(frozen=True)
class BookCard:
    id: int
    title: str
    authors: str
    description: str
    image: str  # the cover's URL, "" for none


def _public_reader(user: type[User] | User = User) -> sa.ColumnElement[bool]:
    return sa.and_(privacy.can_see_profile(None, user), col(user.suspended_at).is_(None))


def _shown_by_a_public_reader(book_id: Any) -> sa.ColumnElement[bool]:
    entry, reader = aliased(UserBook), aliased(User)
    return (
        sa.exists()
        .where(col(entry.book_id) == book_id, privacy.entry_shown(None, entry), col(reader.id) == col(entry.user_id))
        .where(_public_reader(reader))
    )


def _count(user_id: Any, status: ReadingStatus) -> sa.ScalarSelect:
    entry = aliased(UserBook)
    return (
        select(sa.func.count())
        .where(col(entry.user_id) == user_id, col(entry.status) == status.value, privacy.entry_shown(None, entry))
        .scalar_subquery()
    )


def profile_card(*, session: Session, username: str) -> ProfileCard | None:
    """A public profile's preview (one statement), None when visitors can't see it."""
    # sa.select: five columns are more than sqlmodel's typed select() overloads take.
    row = session.execute(
        sa.select(
            col(User.username),
            col(User.name),
            col(User.avatar_url),
            _count(col(User.id), ReadingStatus.FINISHED),
            _count(col(User.id), ReadingStatus.READING),
        ).where(col(User.username) == username.strip().lower(), _public_reader())
    ).first()
    if row is None:
        return None
    username, name, avatar, finished, reading = row
    return ProfileCard(username=username, name=name, image=avatar, finished=finished or 0, reading=reading or 0)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1].rsplit(" ", 1)[0] + "…"


def book_card(*, session: Session, book_id: int) -> BookCard | None:
    """A book's preview (one statement), None unless a public reader shows it."""
    book = session.exec(select(Book).where(col(Book.id) == book_id, _shown_by_a_public_reader(col(Book.id)))).first()
    if book is None or book.id is None:
        return None
    description = _shorten(book.description) or (f"by {book.authors}" if book.authors else "")
    return BookCard(id=book.id, title=book.title, authors=book.authors, description=description, image=book.cover_url)


def sitemap(*, session: Session) -> tuple[list[str], list[tuple[int, str]]]:
    """The usernames of public profiles and the (id, title) of books they show (two statements)."""
    usernames = session.exec(
        select(User.username).where(_public_reader()).order_by(col(User.id)).limit(SITEMAP_MAX_EACH)
    ).all()
    books = session.exec(
        select(Book.id, Book.title)
        .where(_shown_by_a_public_reader(col(Book.id)))
        .order_by(col(Book.id))
        .limit(SITEMAP_MAX_EACH)
    ).all()
    return list(usernames), [(book_id or 0, title) for book_id, title in books]
