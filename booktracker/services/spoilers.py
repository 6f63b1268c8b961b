"""The spoiler shield: posts, quotes and comments anchored to a page or chapter
of a book are blurred for a reader who has not got there yet.

The rule (``shielded``), for one viewer and one anchored item:
- never for logged-out visitors, the viewer's own items, or a viewer who turned
  the shield off (``User.spoiler_shield``, Settings);
- never when the book is not in the viewer's library, nor when they finished it
  (now, or in an earlier read: a re-reader knows the ending);
- a page anchor is shielded when it lies past the viewer's position in pages:
  their current page; percent progress becomes pages when the page count is
  known (their copy's, else the book's); audiobook minutes too when both the
  length and the page count are known. When the position cannot be put in
  pages the item is shielded -- one click shows it, a spoiler cannot be unseen;
- a chapter-only anchor (no page) is shielded until the viewer finishes the
  book: chapters are free text ("12", "Epilogue", "Part II") and the library
  keeps no current chapter to compare with;
- a want-to-read, paused or abandoned copy counts where its progress stands.

Cost: no extra statement. ``join_copy`` left-joins the viewer's own copy of
each row's book (unique per reader and book) onto the page's own query and
``columns`` adds the few values the rule needs, read back by label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from booktracker.errors import NotFound
from booktracker.models import Book, ProgressUnit, Read, ReadingStatus, User, UserBook
from booktracker.services.library import copies

FINISHED = ReadingStatus.FINISHED.value
# The viewer's own copy of the row's book; an alias, as the queries join the author's copy too.
_MINE = aliased(UserBook, name="spoiler_copy")
_LABELS = ("sp_status", "sp_progress", "sp_unit", "sp_pages", "sp_minutes", "sp_finished", "sp_on")


@dataclass(frozen=True)
class Reading:
    """Where the viewer stands in their own copy of a book."""

    status: str
    progress: int  # in ``unit``
    unit: str = ProgressUnit.PAGES.value
    pages: int | None = None  # page count: the viewer's copy's, else the book's
    audio_minutes: int | None = None
    finished_before: bool = False
    shield_on: bool = True


@dataclass(frozen=True)
class Verdict:
    shielded: bool = False
    message: str = ""  # "You're on p. 120 — this is from p. 240."
    viewer_page: int = -1  # the viewer's position in pages, -1 when unknown or not shielded


NOT_SHIELDED = Verdict()


# ----------------------------------------------------------------- SQL


def join_copy(query: Any, viewer_id: int | None, book_id: Any) -> Any:
    """Left-join the viewer's copy of ``book_id`` (a column) onto ``query``."""
    if viewer_id is None:
        return query
    return query.outerjoin(_MINE, sa.and_(col(_MINE.user_id) == viewer_id, col(_MINE.book_id) == book_id))


def columns(viewer_id: int | None, book_pages: Any = None) -> list[Any]:
    """The labelled values ``reading`` reads back (NULLs for visitors: nothing to join).
    ``book_pages``: the shared book's page count where the query joins the book already
    (saves the planner a subquery); else a subquery finds it."""
    if viewer_id is None:
        return [sa.null().label(label) for label in _LABELS]
    # Aliases: the outer queries join books and users themselves.
    book, me = aliased(Book), aliased(User)
    if book_pages is None:
        book_pages = select(book.total_pages).where(col(book.id) == col(_MINE.book_id)).scalar_subquery()
    finished = sa.exists().where(col(Read.user_book_id) == col(_MINE.id), col(Read.status) == FINISHED)
    # Not correlated with the row: the database computes it once per statement.
    shield_on = select(me.spoiler_shield).where(col(me.id) == viewer_id).scalar_subquery()
    values = [
        col(_MINE.status),
        col(_MINE.current_page),
        col(_MINE.progress_unit),
        sa.func.coalesce(col(_MINE.copy_pages), book_pages),
        col(_MINE.audio_minutes),
        sa.case((col(_MINE.id).is_(None), sa.false()), else_=finished),
        shield_on,
    ]
    return [value.label(label) for value, label in zip(values, _LABELS, strict=True)]


def reading(row: Any) -> Reading | None:
    """The viewer's ``Reading`` from a row carrying ``columns``; None when the book
    is not in their library, for visitors, or when the query left the columns out."""
    values = row._mapping
    if values.get("sp_status") is None:
        return None
    return Reading(
        status=values["sp_status"],
        progress=values["sp_progress"] or 0,
        unit=values["sp_unit"] or ProgressUnit.PAGES.value,
        pages=values["sp_pages"],
        audio_minutes=values["sp_minutes"],
        finished_before=bool(values["sp_finished"]),
        shield_on=values["sp_on"] is None or bool(values["sp_on"]),
    )


# ----------------------------------------------------------------- the rule


def position_pages(current: Reading) -> int | None:
    """The viewer's position in pages, or None when it can't be told."""
    if current.unit == ProgressUnit.PAGES.value:
        return current.progress
    if current.unit == ProgressUnit.PERCENT.value and current.pages:
        return current.progress * current.pages // 100
    if current.unit == ProgressUnit.MINUTES.value and current.pages and current.audio_minutes:
        return current.progress * current.pages // current.audio_minutes
    return None


def shielded(current: Reading | None, *, page: int | None, chapter: str, own: bool) -> bool:
    if own or current is None or not current.shield_on:
        return False
    if current.status == FINISHED or current.finished_before:
        return False
    if page is None:
        return bool(chapter)
    at = position_pages(current)
    return at is None or page > at


def _where(current: Reading) -> str:
    if current.unit == ProgressUnit.PERCENT.value:
        return f"You're at {current.progress} %"
    if current.unit == ProgressUnit.MINUTES.value:
        return f"You've listened to {copies.format_duration(current.progress)}"
    if current.progress == 0:
        return "You haven't started it yet"
    return f"You're on p. {current.progress}"


def _anchor(page: int | None, chapter: str) -> str:
    if page is None:
        return f"this is from chapter {chapter}"
    return f"this is from p. {page}" + (f" (ch. {chapter})" if chapter else "")


def verdict(current: Reading | None, *, page: int | None, chapter: str, own: bool) -> Verdict:
    """The shield's answer for one item, with the message the card shows."""
    if not shielded(current, page=page, chapter=chapter, own=own):
        return NOT_SHIELDED
    assert current is not None  # shielded() needs a reading
    at = position_pages(current)
    return Verdict(
        shielded=True,
        message=f"{_where(current)} — {_anchor(page, chapter)}.",
        viewer_page=at if at is not None else -1,
    )


# ----------------------------------------------------------------- the setting


def set_shield(*, session: Session, user_id: int, on: bool) -> User:
    """Turn the reader's spoiler shield on or off (Settings, ``PATCH /api/v1/me``)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such reader.")
    user.spoiler_shield = bool(on)
    session.add(user)
    session.commit()
    return user
