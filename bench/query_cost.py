"""SQL statements and milliseconds to build each page for a heavy reader."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from bench.seed import HEAVY_USER_ID
from booktracker.models import User
from booktracker.services import auth, library, posts, social, stats


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


PAGES: dict[str, Callable[[Session, str], None]] = {
    "library (all, by title, page 7)": _library_page,
    "library (reading+ebook+search)": _library_search_page,
    "feed (everyone, 2 pages + friends)": _feed_page,
    "feed (following)": _following_feed_page,
    "profile (summary + posts)": _profile_page,
    "stats (heavy reader)": _stats_page,
}


def measure(engine: sa.Engine, *, runs: int = 40) -> list[PageCost]:
    with Session(engine) as session:
        token = auth.issue_token(session.get(User, HEAVY_USER_ID))
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
