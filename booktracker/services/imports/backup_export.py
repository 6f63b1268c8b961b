"""The JSON account backup, written (``account_backup``): what ``restore`` reads
back into an empty account. The file's shape and what is in it are described
in ``restore``; references inside it are positions, so exporting a restored
account gives the same file again.
"""

from __future__ import annotations

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
    reads: dict[int, list[Read]] = {}
    for read in session.exec(select(Read).where(Read.user_id == user_id).order_by(col(Read.id))):
        reads.setdefault(read.user_book_id, []).append(read)
    read_position = {r.id: n for rs in reads.values() for n, r in enumerate(rs)}
    reviews: dict[int, list[Review]] = {}
    for review in session.exec(select(Review).where(Review.user_id == user_id).order_by(col(Review.id))):
        reviews.setdefault(review.user_book_id, []).append(review)
    history: dict[int, list[ReadingProgress]] = {}
    query = select(ReadingProgress).where(ReadingProgress.user_id == user_id).order_by(col(ReadingProgress.id))
    for step in session.exec(query):
        history.setdefault(step.user_book_id, []).append(step)
    library = []
    for entry, book in entries:
        entry_id = entry.id or 0
        library.append(
            {
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
                **{
                    name: getattr(entry, name)
                    for name in (
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
                },
                "added_at": _iso(entry.created_at),
                "updated_at": _iso(entry.updated_at),
                "shelves": sorted(tags.get(entry_id, [])),
                "reads": [
                    {
                        "status": r.status,
                        "started_on": _iso(r.started_on),
                        "ended_on": _iso(r.ended_on),
                        "progress": r.progress,
                        "format": r.format,
                    }
                    for r in reads.get(entry_id, [])
                ],
                "reviews": [
                    {
                        "read": read_position.get(v.read_id),
                        "rating": v.rating,
                        "text": v.text,
                        "has_spoilers": v.has_spoilers,
                        "is_public": v.is_public,
                        "created_at": _iso(v.created_at),
                        "updated_at": _iso(v.updated_at),
                    }
                    for v in reviews.get(entry_id, [])
                ],
                "progress": [
                    {
                        "read": read_position.get(p.read_id),
                        "from_page": p.from_page,
                        "to_page": p.to_page,
                        "pages_delta": p.pages_delta,
                        "minutes_delta": p.minutes_delta,
                        "at": _iso(p.recorded_at),
                    }
                    for p in history.get(entry_id, [])
                ],
            }
        )
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
