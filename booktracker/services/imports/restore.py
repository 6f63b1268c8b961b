"""The JSON account backup read back into an EMPTY account (the import page
and the API); ``backup_export.account_backup`` writes it.

Everything of the reader's is in it: profile (name, bio), library entries with
their book, copy fields, reads, reviews, shelves and page history, empty
shelves, yearly goals, posts, comments on their own posts, and whom they
follow (by username). References inside the file are positions (an entry's
index in ``library``, a read's index in its entry's ``reads``, a post's index
in ``posts``), so exporting a restored account gives the same file again.
Comments on other readers' posts and likes belong to those posts; they are
listed for the reader but not restored. Images of posts stay where they are
(their URL is kept).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, Field, ValidationError
from sqlmodel import Session, col, func, select

from booktracker.db import utcnow
from booktracker.errors import Conflict, InvalidInput, NotFound
from booktracker.models import (
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
from booktracker.services import privacy, shelves
from booktracker.services import reviews as review_service
from booktracker.services.imports.rows import ImportRow
from booktracker.services.imports.writer import books_for, insert_rows

NAME = "trackmyread-export"
VERSION = 2


# ----------------------------------------------------------------- the file


class _ReadIn(BaseModel):
    status: str
    started_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    progress: int = Field(default=0, ge=0)
    format: str | None = None


class _ReviewIn(BaseModel):
    read: int | None = None
    rating: float | None = Field(default=None, ge=0.25, le=5)
    text: str = Field(default="", max_length=20_000)
    has_spoilers: bool = False
    is_public: bool = False
    created_at: datetime.datetime
    updated_at: datetime.datetime


class _ProgressIn(BaseModel):
    read: int | None = None
    from_page: int = 0
    to_page: int = 0
    pages_delta: int = 0
    minutes_delta: int = 0
    at: datetime.datetime


class _EntryIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    authors: str = Field(default="", max_length=500)
    isbn13: str | None = Field(default=None, max_length=13)
    total_pages: int | None = Field(default=None, ge=0)
    publisher: str = Field(default="", max_length=200)
    published_date: str = Field(default="", max_length=20)
    series: str = Field(default="", max_length=200)
    series_position: str = Field(default="", max_length=20)
    original_year: int | None = None
    contributors: list[dict[str, str]] = []
    status: str
    current_page: int = Field(default=0, ge=0)
    rating: float | None = Field(default=None, ge=0.25, le=5)
    format: str | None = None
    ownership: str = "none"
    borrowed_from: str = Field(default="", max_length=120)
    loaned_to: str = Field(default="", max_length=120)
    private_notes: str = Field(default="", max_length=10_000)
    copy_title: str = Field(default="", max_length=300)
    copy_pages: int | None = Field(default=None, gt=0)
    copy_isbn: str = Field(default="", max_length=13)
    copy_cover_url: str = Field(default="", max_length=1000)
    audio_minutes: int | None = Field(default=None, gt=0)
    progress_unit: str = "pages"
    binding: str = Field(default="", max_length=60)
    owned_copies: int = Field(default=0, ge=0)
    content_warnings: str = ""
    added_at: datetime.datetime
    updated_at: datetime.datetime
    shelves: list[str] = []
    reads: list[_ReadIn] = []
    reviews: list[_ReviewIn] = []
    progress: list[_ProgressIn] = []


class _PostIn(BaseModel):
    entry: int | None = None
    text: str = ""
    emotion: str = Field(default="", max_length=16)
    quote: str = ""
    image_url: str = Field(default="", max_length=1000)
    page: int | None = None
    chapter: str = Field(default="", max_length=100)
    public: bool = True
    created_at: datetime.datetime
    updated_at: datetime.datetime


class _CommentIn(BaseModel):
    post: int | None = None  # one of the reader's own posts; None: someone else's (not restored)
    text: str
    created_at: datetime.datetime


class _Backup(BaseModel):
    format: str
    version: int
    profile: dict[str, Any] = {}
    shelves: list[str] = []
    goals: list[dict[str, int | None]] = []
    library: list[_EntryIn] = []
    posts: list[_PostIn] = []
    comments: list[_CommentIn] = []
    following: list[str] = []


def load(data: bytes) -> dict:
    """The backup file, checked: InvalidInput naming the first bad field."""
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"The file is not a TrackMyRead backup (not JSON: {exc}).", field="file") from None
    if not isinstance(raw, dict) or raw.get("format") != NAME:
        raise InvalidInput("The file is not a TrackMyRead backup (JSON export).", field="file")
    if raw.get("version") != VERSION:
        raise InvalidInput(
            f"This backup is version {raw.get('version')}; this site reads version {VERSION}.", field="file"
        )
    try:
        return _Backup.model_validate(raw).model_dump()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(f"The backup is damaged at {where}: {first['msg']}.", field="file") from None


# ----------------------------------------------------------------- restore


def _has_data(session: Session, user_id: int) -> bool:
    checks = [
        select(func.count()).select_from(UserBook).where(UserBook.user_id == user_id),
        select(func.count()).select_from(Post).where(Post.user_id == user_id),
        select(func.count()).select_from(Tag).where(Tag.user_id == user_id),
        select(func.count()).select_from(ReadingGoal).where(ReadingGoal.user_id == user_id),
        select(func.count()).select_from(Follow).where(Follow.follower_id == user_id),
    ]
    return any(session.exec(check).one() for check in checks)


NOT_EMPTY = "A backup goes into an empty account: this one already has books, posts, shelves, goals or follows."


def preview(session: Session, user_id: int, backup: dict):
    from booktracker.services.imports.importer import ImportPreview

    if _has_data(session, user_id):
        raise Conflict(NOT_EMPTY, field="file")
    count = len(backup["library"])
    return ImportPreview(format=NAME, total=count, new=count, already_in_library=0, invalid=[])


def _ids(session: Session, model, rows: list[dict]) -> list[int]:
    """Ids of inserted rows in the rows' order (ascending ids in one INSERT)."""
    return sorted(row_id for (row_id,) in insert_rows(session, model, rows, model.id))


def restore(session: Session, user_id: int, backup: dict) -> None:
    """Everything in ``backup`` into this empty account, in one transaction."""
    if _has_data(session, user_id):
        raise Conflict(NOT_EMPTY, field="file")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such reader.")
    profile = backup["profile"]
    user.name = str(profile.get("name") or user.name)[:80]
    user.bio = str(profile.get("bio") or "")[:500]
    library = backup["library"]
    books, entry_ids = _restore_entries(session, user_id, library)
    _restore_history(session, user_id, library, books, entry_ids)
    names = list(dict.fromkeys([*backup["shelves"], *(s for e in library for s in e["shelves"])]))
    if names:
        tag_ids = shelves.ensure_shelves(session, user_id, names)
        shelves.put_many_on_shelves(
            session, [(entry_ids[n], tag_ids[s]) for n, e in enumerate(library) for s in e["shelves"]]
        )
    if backup["goals"]:
        session.execute(sa.insert(ReadingGoal), [g | {"user_id": user_id} for g in backup["goals"]])
    _restore_social(session, user_id, backup, entry_ids, books)
    user.created_at = user.created_at or utcnow()
    session.add(user)
    session.commit()


# What a library entry of the file holds besides the entry's own columns.
_NOT_ENTRY_COLUMNS = {
    "title",
    "authors",
    "isbn13",
    "total_pages",
    "publisher",
    "published_date",
    "series",
    "series_position",
    "original_year",
    "contributors",
    "added_at",
    "shelves",
    "reads",
    "reviews",
    "progress",
}


def _restore_entries(session: Session, user_id: int, library: list[dict]) -> tuple[list, list[int]]:
    """The shared books (found or made) and the new entries' ids, in the file's order."""
    rows = [
        ImportRow(
            line=n,
            title=e["title"],
            authors=e["authors"],
            isbn=e["isbn13"] or "",
            status=e["status"],
            pages=e["total_pages"],
            publisher=e["publisher"],
            year=e["published_date"],
            series=e["series"],
            series_position=e["series_position"],
            original_year=e["original_year"],
            contributors=e["contributors"],
        )
        for n, e in enumerate(library)
    ]
    books = books_for(session, rows)
    entries = [
        {k: v for k, v in e.items() if k not in _NOT_ENTRY_COLUMNS}
        | {"user_id": user_id, "book_id": b[0], "created_at": e["added_at"]}
        for e, b in zip(library, books, strict=True)
    ]
    return books, _ids(session, UserBook, entries)


def _restore_history(session: Session, user_id: int, library: list[dict], books: list, entry_ids: list[int]) -> None:
    """Each entry's reads, then the reviews and page history that point at them
    (``read``: the position of the read among its entry's reads)."""
    read_rows = [
        (n, r | {"user_id": user_id, "user_book_id": entry_ids[n], "book_id": books[n][0]})
        for n, e in enumerate(library)
        for r in e["reads"]
    ]
    read_ids = _ids(session, Read, [r for _n, r in read_rows])
    per_entry: dict[int, list[int]] = {}
    for (n, _r), read_id in zip(read_rows, read_ids, strict=True):
        per_entry.setdefault(n, []).append(read_id)

    def read_of(n: int, index: int | None) -> int | None:
        return per_entry.get(n, [])[index] if index is not None and index < len(per_entry.get(n, [])) else None

    base = lambda n: {"user_id": user_id, "user_book_id": entry_ids[n], "book_id": books[n][0]}  # noqa: E731
    reviews = [
        base(n) | {k: x for k, x in v.items() if k != "read"} | {"read_id": read_of(n, v["read"])}
        for n, e in enumerate(library)
        for v in e["reviews"]
    ]
    if reviews:
        # Public reviews get their companion post again (feeds, book page), dated like the review.
        made = insert_rows(session, Review, reviews, Review.id)
        review_service.add_companion_posts(session, [row[0] for row in made])
    steps = [
        base(n)
        | {k: p[k] for k in ("from_page", "to_page", "pages_delta", "minutes_delta")}
        | {"read_id": read_of(n, p["read"]), "recorded_at": p["at"]}
        for n, e in enumerate(library)
        for p in e["progress"]
    ]
    if steps:
        insert_rows(session, ReadingProgress, steps)


def _restore_social(session: Session, user_id: int, backup: dict, entry_ids: list[int], books) -> None:
    posts = [
        {
            "user_id": user_id,
            "user_book_id": entry_ids[p["entry"]] if p["entry"] is not None else None,
            "book_id": books[p["entry"]][0] if p["entry"] is not None else None,
            "text": p["text"],
            "emotion": p["emotion"],
            "quote": p["quote"],
            "image_url": p["image_url"],
            "page": p["page"],
            "chapter": p["chapter"],
            "is_public": p["public"],
            "created_at": p["created_at"],
            "updated_at": p["updated_at"],
        }
        for p in backup["posts"]
    ]
    post_ids = _ids(session, Post, posts)
    comments = [
        {"note_id": post_ids[c["post"]], "user_id": user_id, "text": c["text"], "created_at": c["created_at"]}
        for c in backup["comments"]
        if c["post"] is not None and c["post"] < len(post_ids)
    ]
    if comments:
        session.execute(sa.insert(Comment), comments)
    wanted = [name for name in backup["following"] if isinstance(name, str)]
    if wanted:
        found = session.exec(
            select(User.id, User.profile_visibility).where(col(User.username).in_(wanted), col(User.id) != user_id)
        ).all()
        if found:
            # A follow of a followers-only or private profile is again a request it approves (services/privacy.py).
            follows = [
                {"follower_id": user_id, "followee_id": i, "pending": seen in privacy.NEEDS_APPROVAL}
                for i, seen in found
            ]
            session.execute(sa.insert(Follow), follows)
