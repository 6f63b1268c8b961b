"""SQL statements and milliseconds to build each page for a heavy reader."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from bench.seed import HEAVY_USER_ID
from booktracker.models import Comment, User
from booktracker.services import auth, book_pages, library, notifications, posts, recommendations, social, stats
from booktracker.services.posts import commonplace


@dataclass
class PageCost:
    page: str
    statements: int
    p50_ms: float
    p95_ms: float


def _library_page(session: Session, token: str) -> None:
    user = auth.check_token(session=session, token=token).user
    library.list_library(session=session, user_id=user.id, query=library.LibraryQuery(tab="all", sort="title", page=7))


def _library_search_page(session: Session, token: str) -> None:
    user = auth.check_token(session=session, token=token).user
    library.list_library(
        session=session,
        user_id=user.id,
        query=library.LibraryQuery(tab="reading", format="ebook", search="number 1", page=1),
    )


def _feed_page(session: Session, token: str) -> None:
    user = auth.check_token(session=session, token=token).user
    first = posts.feed(session=session, viewer_id=user.id)
    posts.feed(session=session, viewer_id=user.id, cursor=first.next_cursor)
    social.friends_reading(session=session, user_id=user.id)


def _following_feed_page(session: Session, token: str) -> None:
    user = auth.check_token(session=session, token=token).user
    posts.feed(session=session, viewer_id=user.id, tab="following")


def _profile_page(session: Session, token: str) -> None:
    user = auth.check_token(session=session, token=token).user
    profile = social.profile(session=session, viewer_id=user.id, username="reader2")
    posts.user_posts(session=session, viewer_id=user.id, author_id=profile.id)


def _stats_page(session: Session, token: str) -> None:
    user = auth.check_token(session=session, token=token).user
    stats.reading_stats(session=session, user_id=user.id)


def _for_you_page(session: Session, token: str) -> None:
    user = auth.check_token(session=session, token=token).user
    recommendations.for_you(session=session, user_id=user.id)


# One of the heavy reader's books: its page has readers, friends among them and posts.
BOOK_PAGE_ID = 1


def _book_page(session: Session, token: str) -> None:
    """/book/<id> signed in: token, book + counts + my copy, friends, reviews (most liked), posts."""
    user = auth.check_token(session=session, token=token).user
    book_pages.book_page(session=session, viewer_id=user.id, book_id=BOOK_PAGE_ID)
    posts.book_posts(session=session, viewer_id=user.id, book_id=BOOK_PAGE_ID, sort="liked")
    posts.book_posts(session=session, viewer_id=user.id, book_id=BOOK_PAGE_ID, kind="posts")


def _book_page_visitor(session: Session, token: str) -> None:
    """/book/<id> logged out: book + counts, and the newest reviews."""
    book_pages.book_page(session=session, viewer_id=None, book_id=BOOK_PAGE_ID)
    posts.book_posts(session=session, viewer_id=None, book_id=BOOK_PAGE_ID)


# The heavy reader's first library entry (bench/seed.py gives them books 1..N first).
MY_BOOK_ENTRY_ID = 1


def _my_book_page(session: Session, token: str) -> None:
    """/books/<entry> (my copy): token, the entry, my commonplace book (services/posts/commonplace.py)."""
    user = auth.check_token(session=session, token=token).user
    library.get_detail(session=session, user_id=user.id, user_book_id=MY_BOOK_ENTRY_ID)
    commonplace.my_book_posts(session=session, user_id=user.id, user_book_id=MY_BOOK_ENTRY_ID)


# The post bench/seed.py gives 1,000 comments (found in measure, outside the counted runs).
_BUSY_POST: list[int] = [0]


def _comments(session: Session, token: str) -> None:
    """A post with 1,000 comments (bench/seed.py): the newest page with their first
    replies, the earlier page, the rest of one thread's replies."""
    user = auth.check_token(session=session, token=token).user
    post_id = _BUSY_POST[0]  # looked up once, before the measured runs (measure)
    first = posts.comment_page(session=session, viewer_id=user.id, post_id=post_id)
    posts.comment_page(session=session, viewer_id=user.id, post_id=post_id, cursor=first.next_cursor)
    last = first.comments[-1]
    posts.comment_page(
        session=session, viewer_id=user.id, post_id=post_id, parent_id=last.parent_id, cursor=posts.reply_cursor(last)
    )


def _notifications_page(session: Session, token: str) -> None:
    """/notifications: token, the nav badge's count, the first page of groups and the next."""
    user = auth.check_token(session=session, token=token).user
    notifications.unread_count(session=session, user_id=user.id)
    first = notifications.page(session=session, user_id=user.id)
    notifications.page(session=session, user_id=user.id, cursor=first.next_cursor)


PAGES: dict[str, Callable[[Session, str], None]] = {
    "library (all, by title, page 7)": _library_page,
    "library (reading+ebook+search)": _library_search_page,
    "feed (everyone, 2 pages + friends)": _feed_page,
    "feed (following)": _following_feed_page,
    "profile (summary + posts)": _profile_page,
    "stats (heavy reader)": _stats_page,
    "for you (heavy reader, 298 friends)": _for_you_page,
    "book page (signed in: counts, friends, reviews, posts)": _book_page,
    "book page (visitor: counts, reviews)": _book_page_visitor,
    "my book (entry + commonplace book)": _my_book_page,
    "comments (1,000 on a post: newest + earlier page + replies)": _comments,
    "notifications (heavy reader, ~20k: badge + 2 pages)": _notifications_page,
}


def measure(engine: sa.Engine, *, runs: int = 40) -> list[PageCost]:
    with Session(engine) as session:
        token = auth.issue_token(session.get(User, HEAVY_USER_ID))
        _BUSY_POST[0] = session.execute(sa.select(sa.func.min(Comment.note_id))).scalar() or 0
    results = []
    for name, build in PAGES.items():
        statements: list[str] = []

        def count(*args, statements=statements, **kwargs):
            statements.append(args[2])

        timings = []
        for run in range(runs + 3):
            with Session(engine) as session:
                if run == 0:
                    sa.event.listen(engine, "before_cursor_execute", count)
                started = time.perf_counter()
                build(session, token)
                elapsed = (time.perf_counter() - started) * 1000
                if run == 0:
                    sa.event.remove(engine, "before_cursor_execute", count)
            if run >= 3:  # warm-up runs fill caches and the pool
                timings.append(elapsed)
        timings.sort()
        results.append(
            PageCost(
                page=name,
                statements=len(statements),
                p50_ms=statistics.median(timings),
                p95_ms=timings[int(len(timings) * 0.95) - 1],
            )
        )
    return results
