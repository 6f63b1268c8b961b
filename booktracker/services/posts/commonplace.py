"""A reader's commonplace book of one book: all their own posts, quotes and
notes about it, in the book's order -- page, then chapter, then date.

Through the one post pipeline (cards.py ``card_select``/``to_view``), so the
cards are the same as everywhere; one statement per page. Paged by number
(OFFSET): a reader's posts about one book are few, and the order is the
book's, not time's, so a keyset cursor would buy nothing.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from booktracker.models import Post, UserBook
from booktracker.services import params
from booktracker.services.posts.cards import PostView, card_select, to_view

COMMONPLACE_PAGE = 20


@dataclass
class CommonplacePage:
    posts: list[PostView]
    page: int  # 1-based
    has_more: bool


def book_order() -> list[Any]:
    """Page (none last), then chapter (none last; "2" before "10": shorter first), then date."""
    chapter = col(Post.chapter)
    return [
        col(Post.page).is_(None),
        col(Post.page),
        chapter == "",
        func.length(chapter),
        chapter,
        col(Post.created_at),
        col(Post.id),
    ]


def my_book_posts(
    *, session: Session, user_id: int, user_book_id: int, page: int = 1, limit: int = COMMONPLACE_PAGE
) -> CommonplacePage:
    """The reader's posts about the book of their library entry ``user_book_id``
    (none when the entry is not theirs): those written from the entry, and any
    other of theirs about the same book."""
    page, limit = max(1, page), max(1, min(limit, COMMONPLACE_PAGE))
    values = {"viewer_id": user_id, "entry_id": user_book_id, "limit": limit + 1, "offset": (page - 1) * limit}
    rows = session.exec(_statement(), params=values).all()
    return CommonplacePage(posts=[to_view(row, user_id) for row in rows[:limit]], page=page, has_more=len(rows) > limit)


@functools.cache
def _statement() -> Any:
    """Built once, run with bound parameters (services/params.py)."""
    user_id, user_book_id = params.VIEWER, sa.bindparam("entry_id", type_=sa.Integer)
    # Aliased: the pipeline joins the author's copy (user_books) itself.
    entry = aliased(UserBook)
    book_id = (
        select(entry.book_id).where(col(entry.id) == user_book_id, col(entry.user_id) == user_id).scalar_subquery()
    )
    return (
        card_select(user_id)
        .where(
            col(Post.user_id) == user_id,
            sa.or_(col(Post.user_book_id) == user_book_id, col(Post.book_id) == book_id),
            # The entry must be the reader's: another reader's id finds nothing.
            book_id.is_not(None),
        )
        .order_by(*book_order())
        .offset(sa.bindparam("offset", type_=sa.Integer))
        .limit(params.LIMIT)
    )
