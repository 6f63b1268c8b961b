"""Reading statistics and the annual goal, from SQL aggregates.

Nothing here loads a reader's rows one by one: every figure is a COUNT, SUM
or GROUP BY; the largest result is the list of distinct reading days (for
streaks), one row per day.

Days are counted in the reader's time zone, given as a UTC offset in minutes
(what a browser reports), so a late-evening session counts for that evening.

Books finished are READS finished, by their own calendar date
(``Read.ended_on``, already the reader's day): a book back-filled as finished
last year counts for last year, a re-read finished this year counts this
year, and a finished read of unknown date counts toward no year. Audiobook
time is counted as minutes listened, apart from pages (no invented
pages-per-hour rate).
"""

from __future__ import annotations

import calendar
import datetime
import math
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import Select

from booktracker.db import utcnow
from booktracker.errors import InvalidInput
from booktracker.models import Book, Post, ProgressUnit, Read, ReadingGoal, ReadingProgress, ReadingStatus, UserBook
from booktracker.services.library import copies
from booktracker.services.library.read_dates import validate_offset

HEATMAP_DAYS = 84  # 12 weeks
FINISHED = ReadingStatus.FINISHED.value


@dataclass
class DayPages:
    day: str  # ISO date
    pages: int


@dataclass
class Goal:
    year: int
    kind: str  # "books" | "pages" | "" (no goal)
    target: int
    done: int
    percent: int
    expected: int  # where the reader should be today to be on track
    on_track: bool
    behind_by: int


@dataclass
class Stats:
    year: int
    books_this_year: int  # reads finished this year, re-reads included
    currently_reading: int
    finished_total: int  # books finished at least once
    pages_read: int
    posts_written: int
    emotions_logged: int  # posts with an emotion (the "Emotions logged" card)
    avg_pages_per_book: int
    current_streak: int
    longest_streak: int
    avg_pages_per_day: float | None  # None until reading spans two days (see pages_per_day)
    goal: Goal  # always computed: kind "" when the reader set none
    pages_per_day: list[DayPages] = field(default_factory=list)
    finished_per_month: list[int] = field(default_factory=list)
    formats: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    emotions: dict[str, int] = field(default_factory=dict)
    rereads: int = 0  # finished reads beyond each book's first
    minutes_listened: int = 0  # audiobooks, counted apart from pages


def _local_day(session: Session, column, offset_minutes: int):
    """SQL for the reader's calendar day of a UTC timestamp column."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(column + sa.text(f"interval '{int(offset_minutes)} minutes'"))
    return func.date(column, f"{int(offset_minutes):+d} minutes")


def _month(session: Session, column):
    """SQL for the month (1-12) of a DATE column."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.cast(sa.extract("month", column), sa.Integer)
    return sa.cast(func.strftime("%m", column), sa.Integer)


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def streaks(days: list[datetime.date], today: datetime.date) -> tuple[int, int]:
    """(current, longest) runs of consecutive days. The current streak is
    alive if its last day is today or yesterday."""
    longest = run = 0
    previous = None
    for day in sorted(set(days)):
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    current = run if previous is not None and (today - previous).days <= 1 else 0
    return current, longest


def reading_stats(
    *, session: Session, user_id: int, offset_minutes: int = 0, now: datetime.datetime | None = None
) -> Stats:
    offset = validate_offset(offset_minutes)
    now = now or utcnow()
    local_now = now + datetime.timedelta(minutes=offset)
    today, year = local_now.date(), local_now.year
    finished_reads = sa.and_(col(Read.user_id) == user_id, col(Read.status) == FINISHED)
    # ended_on is the reader's own calendar day: no time zone shift here.
    this_year = sa.and_(
        finished_reads,
        col(Read.ended_on) >= datetime.date(year, 1, 1),
        col(Read.ended_on) < datetime.date(year + 1, 1, 1),
    )
    headline = _headline(session, user_id, finished_reads, this_year)
    pages_by_day = _pages_by_day(session, user_id, offset)
    current, longest = streaks(list(pages_by_day), today)
    first_start = headline.first_start
    per_day = average_pages_per_day(pages_by_day, _as_date(first_start) if first_start is not None else None)
    month = _month(session, Read.ended_on)
    per_month = dict(session.exec(select(month, func.count()).where(this_year).group_by(month)).all())
    formats, statuses, emotions = _breakdowns(session, user_id)
    pages_this_year = sum(p for d, p in pages_by_day.items() if d.year == year)
    return Stats(
        year=year,
        books_this_year=headline.books_this_year,
        currently_reading=headline.reading_now,
        finished_total=headline.finished_total,
        pages_read=int(headline.progress_pages) + int(headline.unlogged_pages),
        posts_written=headline.posts,
        emotions_logged=int(headline.emotions_logged),
        avg_pages_per_book=round(headline.avg_pages) if headline.avg_pages else 0,
        current_streak=current,
        longest_streak=longest,
        avg_pages_per_day=per_day,
        goal=_goal(session, user_id, year, today, headline.books_this_year, pages_this_year),
        pages_per_day=_heatmap(pages_by_day, today),
        finished_per_month=[int(per_month.get(m, 0)) for m in range(1, 13)],
        formats=formats,
        statuses=statuses,
        emotions=emotions,
        rereads=int(headline.finished_reads_total) - int(headline.finished_total),
        minutes_listened=int(headline.minutes_listened),
    )


_HEADLINE = (
    "books_this_year",
    "reading_now",
    "finished_total",
    "finished_reads_total",
    "progress_pages",
    "unlogged_pages",
    "posts",
    "emotions_logged",
    "avg_pages",
    "first_start",
    "minutes_listened",
)


def _headline(
    session: Session, user_id: int, finished_reads: sa.ColumnElement[bool], this_year: sa.ColumnElement[bool]
) -> Any:
    """The headline numbers in one statement, as a row with the _HEADLINE names."""
    mine = col(UserBook.user_id) == user_id
    finished_once = sa.exists().where(col(Read.user_book_id) == col(UserBook.id), col(Read.status) == FINISHED)
    delta = col(ReadingProgress.pages_delta)
    positive = sa.case((delta > 0, delta), else_=0)
    minutes = col(ReadingProgress.minutes_delta)
    read_has_progress = sa.exists().where(col(ReadingProgress.read_id) == col(Read.id))

    def scalar(query):
        return query.scalar_subquery()

    # sqlmodel's select() is typed for at most four columns; Select is what it builds.
    columns = (
        scalar(select(func.count()).select_from(Read).where(this_year)),
        scalar(select(func.count()).select_from(UserBook).where(mine, UserBook.status == ReadingStatus.READING.value)),
        scalar(select(func.count(sa.distinct(col(Read.user_book_id)))).where(finished_reads)),
        scalar(select(func.count()).select_from(Read).where(finished_reads)),
        scalar(select(func.coalesce(func.sum(positive), 0)).where(ReadingProgress.user_id == user_id)),
        # Finished reads with no pages logged in them count their copy's
        # pages: a finish with a known day is logged on that day
        # (services/library/reads.py), so these are finishes of unknown
        # day and rows older than reads. Audiobooks count minutes, not pages.
        scalar(
            select(func.coalesce(func.sum(copies.pages_sql()), 0))
            .select_from(Read)
            .join(UserBook, col(UserBook.id) == col(Read.user_book_id))
            .join(Book, col(Book.id) == col(UserBook.book_id))
            .where(finished_reads, col(UserBook.progress_unit) != ProgressUnit.MINUTES.value, ~read_has_progress)
        ),
        scalar(select(func.count()).select_from(Post).where(Post.user_id == user_id)),
        scalar(select(func.count()).select_from(Post).where(Post.user_id == user_id, Post.emotion != "")),
        scalar(
            select(func.avg(copies.pages_sql()))
            .select_from(UserBook)
            .join(Book, col(Book.id) == col(UserBook.book_id))
            .where(mine, finished_once, copies.pages_sql() > 0)
        ),
        # A read's pages are read from its start: a finished book added
        # with its dates logs its pages on the day it ended.
        scalar(
            select(func.min(Read.started_on)).where(
                col(Read.user_id) == user_id, col(Read.started_on).is_not(None), read_has_progress
            )
        ),
        scalar(
            select(func.coalesce(func.sum(sa.case((minutes > 0, minutes), else_=0)), 0)).where(
                ReadingProgress.user_id == user_id
            )
        ),
    )
    return session.exec(Select(*(c.label(name) for c, name in zip(columns, _HEADLINE, strict=True)))).one()


def _pages_by_day(session: Session, user_id: int, offset: int) -> dict[datetime.date, int]:
    """Pages read on each of the reader's days that has some."""
    delta = col(ReadingProgress.pages_delta)
    positive = sa.case((delta > 0, delta), else_=0)
    day = _local_day(session, ReadingProgress.recorded_at, offset)
    daily = session.exec(
        select(day.label("day"), func.sum(positive))
        .where(ReadingProgress.user_id == user_id)
        .group_by(day)
        .having(func.sum(positive) > 0)
    ).all()
    return {_as_date(d): int(p) for d, p in daily}


def _heatmap(pages_by_day: dict[datetime.date, int], today: datetime.date) -> list[DayPages]:
    window_start = today - datetime.timedelta(days=HEATMAP_DAYS - 1)
    days = [window_start + datetime.timedelta(days=i) for i in range(HEATMAP_DAYS)]
    return [DayPages(day=day.isoformat(), pages=pages_by_day.get(day, 0)) for day in days]


def _breakdowns(session: Session, user_id: int) -> tuple[dict, dict, dict]:
    """The library by format and by shelf, and the twelve emotions posted most."""
    mine = col(UserBook.user_id) == user_id
    unknown = func.coalesce(UserBook.format, "unknown")
    formats = dict(session.exec(select(unknown, func.count()).where(mine).group_by(unknown)).all())
    statuses = dict(session.exec(select(UserBook.status, func.count()).where(mine).group_by(UserBook.status)).all())
    emotions = dict(
        session.exec(
            select(Post.emotion, func.count())
            .where(Post.user_id == user_id, Post.emotion != "")
            .group_by(Post.emotion)
            .order_by(func.count().desc())
            .limit(12)
        ).all()
    )
    return formats, statuses, emotions


def average_pages_per_day(pages_by_day: dict[datetime.date, int], first_start: datetime.date | None) -> float | None:
    """Pages read over the days from the first reading activity (a day with
    pages, or the start of a read with pages logged) to the last day with
    pages. None when that is a single day: one day's pages are no rate.
    Whole pages from 10 a day up, one decimal below."""
    if not pages_by_day:
        return None
    first, last = min(pages_by_day), max(pages_by_day)
    if first_start is not None and first_start < first:
        first = first_start
    days = (last - first).days + 1
    if days < 2:
        return None
    rate = sum(pages_by_day.values()) / days
    return float(round(rate)) if rate >= 10 else round(rate, 1)


# ----------------------------------------------------------------- goals


def set_goal(*, session: Session, user_id: int, year: int, books: int | None = None, pages: int | None = None) -> None:
    if (books is None) == (pages is None):
        raise InvalidInput("Set a goal in books or in pages.", field="goal")
    target = books if books is not None else pages
    assert target is not None  # exactly one of them, checked above
    if not 1 <= target <= (1000 if books is not None else 1_000_000):
        raise InvalidInput("That goal is out of range.", field="goal")
    goal = session.exec(select(ReadingGoal).where(ReadingGoal.user_id == user_id, ReadingGoal.year == year)).first()
    goal = goal or ReadingGoal(user_id=user_id, year=year)
    goal.target_books, goal.target_pages = books, pages
    session.add(goal)
    session.commit()


def _goal(session: Session, user_id: int, year: int, today: datetime.date, books: int, pages: int) -> Goal:
    row = session.exec(select(ReadingGoal).where(ReadingGoal.user_id == user_id, ReadingGoal.year == year)).first()
    if row is None:
        return Goal(year=year, kind="", target=0, done=0, percent=0, expected=0, on_track=True, behind_by=0)
    kind, target, done = ("books", row.target_books, books) if row.target_books else ("pages", row.target_pages, pages)
    target = target or 1  # set_goal stores one target of at least 1
    days_in_year = 366 if calendar.isleap(year) else 365
    expected = math.floor(target * today.timetuple().tm_yday / days_in_year)
    return Goal(
        year=year,
        kind=kind,
        target=target,
        done=done,
        percent=copies.percent_of(done, target),
        expected=expected,
        on_track=done >= expected,
        behind_by=max(0, expected - done),
    )
