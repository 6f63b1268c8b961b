"""The JSON account backup, written (``account_backup``): what ``restore`` reads
back into an empty account. The file's shape and what is in it are described
in ``restore``; references inside it are positions, so exporting a restored
account gives the same file again.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlmodel import Session, col, select

from booktracker.errors import NotFound
from booktracker.models import (
    Book,
    Comment,
    Follow,
    Post,
    Read,
    ReadingGoal,
    ReadingProgress,
    Review,
    Tag,
    User,
    UserBook,
)
from booktracker.services.imports.restore import NAME, VERSION


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def account_backup(*, session: Session, user_id: int) -> dict:
    from booktracker.services.exports import tags_by_entry  # the CSV export's helper

    user = session.get(User, user_id)
    if user is None:  # only if the account was deleted meanwhile
        raise NotFound("No such reader.")
    tags = tags_by_entry(session, user_id)
    entries = session.exec(
        select(UserBook, Book)
        .join(Book, col(Book.id) == UserBook.book_id)
        .where(UserBook.user_id == user_id)
        .order_by(col(UserBook.id))
    ).all()
    position = {entry.id: n for n, (entry, _book) in enumerate(entries)}
    reads = _by_entry(session, Read, user_id)
    rows = _EntryRows(
        reads=reads,
        reviews=_by_entry(session, Review, user_id),
        history=_by_entry(session, ReadingProgress, user_id),
        read_position={r.id: n for rs in reads.values() for n, r in enumerate(rs)},
    )
    library = [_library_entry(entry, book, sorted(tags.get(entry.id or 0, [])), rows) for entry, book in entries]
    goals = session.exec(
        select(ReadingGoal).where(ReadingGoal.user_id == user_id).order_by(col(ReadingGoal.year))
    ).all()
    return {
        "format": NAME,
        "version": VERSION,
        "profile": {
            "username": user.username,
            "email": user.email,
            "name": user.name,
            "bio": user.bio,
            "created_at": _iso(user.created_at),
        },
        "shelves": sorted(session.exec(select(Tag.name).where(Tag.user_id == user_id)).all()),
        "goals": [{"year": g.year, "target_books": g.target_books, "target_pages": g.target_pages} for g in goals],
        "library": library,
        **_writing_and_follows(session, user_id, position),
    }


# The entry's own columns, as they are named in the file.
_ENTRY_COLUMNS = (
    "status",
    "current_page",
    "rating",
    "format",
    "ownership",
    "borrowed_from",
    "loaned_to",
    "private_notes",
    "copy_title",
    "copy_pages",
    "copy_isbn",
    "copy_cover_url",
    "audio_minutes",
    "progress_unit",
    "binding",
    "owned_copies",
    "content_warnings",
)


@dataclasses.dataclass
class _EntryRows:
    """The reader's reads, reviews and progress history, by library entry."""

    reads: dict[int, list[Read]]
    reviews: dict[int, list[Review]]
    history: dict[int, list[ReadingProgress]]
    read_position: dict[int | None, int]  # a read's place among its entry's reads


def _by_entry(session: Session, model: Any, user_id: int) -> dict[int, list[Any]]:
    """The reader's rows of ``model`` grouped by library entry, oldest first."""
    grouped: dict[int, list[Any]] = {}
    for row in session.exec(select(model).where(model.user_id == user_id).order_by(col(model.id))):
        grouped.setdefault(row.user_book_id, []).append(row)
    return grouped


def _library_entry(entry: UserBook, book: Book, shelves: list[str], rows: _EntryRows) -> dict:
    entry_id, at_read = entry.id or 0, rows.read_position.get
    return {
        "title": book.title,
        "authors": book.authors,
        "isbn13": book.isbn13,
        "total_pages": book.total_pages,
        "publisher": book.publisher,
        "published_date": book.published_date,
        "series": book.series,
        "series_position": book.series_position,
        "original_year": book.original_year,
        "contributors": book.contributors or [],
        **{name: getattr(entry, name) for name in _ENTRY_COLUMNS},
        "added_at": _iso(entry.created_at),
        "updated_at": _iso(entry.updated_at),
        "shelves": shelves,
        "reads": [
            {
                "status": r.status,
                "started_on": _iso(r.started_on),
                "ended_on": _iso(r.ended_on),
                "progress": r.progress,
                "format": r.format,
            }
            for r in rows.reads.get(entry_id, [])
        ],
        "reviews": [
            {
                "read": at_read(v.read_id),
                "rating": v.rating,
                "text": v.text,
                "has_spoilers": v.has_spoilers,
                "is_public": v.is_public,
                "created_at": _iso(v.created_at),
                "updated_at": _iso(v.updated_at),
            }
            for v in rows.reviews.get(entry_id, [])
        ],
        "progress": [
            {
                "read": at_read(p.read_id),
                "from_page": p.from_page,
                "to_page": p.to_page,
                "pages_delta": p.pages_delta,
                "minutes_delta": p.minutes_delta,
                "at": _iso(p.recorded_at),
            }
            for p in rows.history.get(entry_id, [])
        ],
    }


def _writing_and_follows(session: Session, user_id: int, position: dict) -> dict:
    """The reader's posts (``entry``: the position of the book in ``library``),
    comments (``post``: the position of the post) and the usernames they follow."""
    # A review's companion post is not a post of its own: restoring the review makes it again.
    mine = (col(Post.user_id) == user_id, col(Post.review_id).is_(None))
    posts = session.exec(select(Post).where(*mine).order_by(col(Post.id))).all()
    post_position = {p.id: n for n, p in enumerate(posts)}
    comments = session.exec(select(Comment).where(Comment.user_id == user_id).order_by(col(Comment.id))).all()
    following = session.exec(
        select(User.username)
        .join(Follow, col(Follow.followee_id) == User.id)
        .where(Follow.follower_id == user_id)
        .order_by(col(User.username))
    ).all()
    return {
        "posts": [
            {
                "entry": position.get(p.user_book_id),
                "text": p.text,
                "emotion": p.emotion,
                "quote": p.quote,
                "image_url": p.image_url,
                "page": p.page,
                "chapter": p.chapter,
                "public": p.is_public,
                "created_at": _iso(p.created_at),
                "updated_at": _iso(p.updated_at),
            }
            for p in posts
        ],
        "comments": [
            {"post": post_position.get(c.note_id), "text": c.text, "created_at": _iso(c.created_at)} for c in comments
        ],
        "following": list(following),
    }
