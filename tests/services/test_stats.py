"""Reading stats and goals from real rows, on both databases."""

import datetime
from types import SimpleNamespace

import pytest
from sqlmodel import select

from booktracker.models import Post, ReadingProgress, UserBook, saved_id
from booktracker.services import auth, library, stats
from booktracker.services.books import BookInput

NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)
D = datetime.date


@pytest.fixture
def ann(session):
    return auth.signup(session=session, email="ann@example.com", name="Ann", password="password 123")


def entry(session, user, title, pages, status="to-read"):
    row = library.add_to_library(
        session=session, user_id=user.id, book=BookInput(title=title, total_pages=pages), status=status
    ).user_book
    return SimpleNamespace(id=saved_id(row), book_id=row.book_id)  # stored: its id is an int


def progress(session, user, ub, delta, when):
    session.add(
        ReadingProgress(
            user_id=user.id,
            user_book_id=ub.id,
            book_id=ub.book_id,
            from_page=0,
            to_page=max(delta, 0),
            pages_delta=delta,
            recorded_at=when,
        )
    )
    session.commit()


def finished_without_history(session, ub, ended_on, pages):
    """A finished read with no progress rows (migrated or imported before reads)."""
    row = session.get(UserBook, ub.id)
    library.new_read(
        session, row, status="finished", started_on=None, ended_on=ended_on, progress=pages, today=NOW.date()
    )
    row.status, row.current_page = "finished", pages
    session.commit()


def test_new_reader_has_zero_everything(session, ann):
    result = stats.reading_stats(session=session, user_id=ann.id, now=NOW)
    assert (result.books_this_year, result.pages_read, result.current_streak, result.longest_streak) == (0, 0, 0, 0)
    assert result.avg_pages_per_day is None and result.avg_pages_per_book == 0
    assert len(result.pages_per_day) == 84 and sum(d.pages for d in result.pages_per_day) == 0
    assert result.finished_per_month == [0] * 12 and result.goal.kind == ""


def test_figures_from_real_rows(session, ann):
    day = lambda n: NOW - datetime.timedelta(days=n)  # noqa: E731
    reading = entry(session, ann, "Reading", 300)
    for n, pages in ((0, 20), (1, 30), (2, 10), (5, 40), (6, 15), (7, 5)):
        progress(session, ann, reading, pages, day(n))
    progress(session, ann, reading, -10, day(0))  # a correction is not "read"
    session.exec(select(UserBook).where(UserBook.id == reading.id)).one().status = "reading"
    session.commit()
    done = entry(session, ann, "Imported finished", 250)  # finished, no progress rows
    finished_without_history(session, done, datetime.date(2026, 3, 3), 250)
    session.get(UserBook, done.id).format = "ebook"
    old = entry(session, ann, "Last year", 100)
    finished_without_history(session, old, datetime.date(2025, 12, 31), 100)
    session.add_all(
        [
            Post(user_id=ann.id, text="a", emotion="😍"),
            Post(user_id=ann.id, text="b", emotion="😍"),
            Post(user_id=ann.id, text="c"),
        ]
    )
    session.commit()

    result = stats.reading_stats(session=session, user_id=ann.id, now=NOW)
    assert result.books_this_year == 1  # finished this year, not merely added
    assert result.finished_total == 2 and result.currently_reading == 1
    assert result.pages_read == 120 + 250 + 100  # positive progress + unlogged finished books
    assert result.posts_written == 3 and result.emotions == {"😍": 2}
    assert result.emotions_logged == 2  # the "Emotions logged" card: posts with an emotion, not all posts
    assert result.avg_pages_per_book == 175
    assert (result.current_streak, result.longest_streak) == (3, 3)
    assert result.avg_pages_per_day == 15  # 120 pages over the 8 days from the first to the last
    assert result.pages_per_day[-1].day == "2026-06-15" and result.pages_per_day[-1].pages == 20
    assert result.finished_per_month[2] == 1 and sum(result.finished_per_month) == 1
    assert result.formats == {"ebook": 1, "unknown": 2}
    assert result.statuses == {"reading": 1, "finished": 2}


def test_streak_in_the_readers_time_zone(session, ann):
    ub = entry(session, ann, "Night owl", 500)
    # 23:30 in UTC-05:00 is 04:30 next day in UTC.
    for n in range(3):
        progress(session, ann, ub, 10, datetime.datetime(2026, 6, 12 + n, 4, 30, tzinfo=datetime.UTC))
    utc = stats.reading_stats(session=session, user_id=ann.id, now=NOW)
    new_york = stats.reading_stats(session=session, user_id=ann.id, now=NOW, offset_minutes=-300)
    assert utc.current_streak == 3  # UTC days 12-14; the 14th was yesterday
    assert new_york.current_streak == 0  # New York days 11-13: two days ago
    assert new_york.pages_per_day[-1].day == "2026-06-15"
    assert {d.day for d in new_york.pages_per_day if d.pages} == {"2026-06-11", "2026-06-12", "2026-06-13"}


def test_streak_function():
    d = datetime.date
    assert stats.streaks([], d(2026, 1, 5)) == (0, 0)
    assert stats.streaks([d(2026, 1, 1), d(2026, 1, 2), d(2026, 1, 4), d(2026, 1, 5)], d(2026, 1, 5)) == (2, 2)
    assert stats.streaks([d(2026, 1, 1), d(2026, 1, 2), d(2026, 1, 3)], d(2026, 1, 5)) == (0, 3)
    assert stats.streaks([d(2026, 1, 4)], d(2026, 1, 5)) == (1, 1)


def test_goal_on_track_and_behind(session, ann):
    stats.set_goal(session=session, user_id=ann.id, year=2026, books=24)
    result = stats.reading_stats(session=session, user_id=ann.id, now=NOW)
    expected = 24 * NOW.timetuple().tm_yday // 365
    assert result.goal.kind == "books" and result.goal.expected == expected
    assert not result.goal.on_track and result.goal.behind_by == expected
    stats.set_goal(session=session, user_id=ann.id, year=2026, pages=100)
    ub = entry(session, ann, "Quick", 500)
    progress(session, ann, ub, 120, NOW)
    result = stats.reading_stats(session=session, user_id=ann.id, now=NOW)
    assert (
        result.goal.kind == "pages" and result.goal.done == 120 and result.goal.on_track and result.goal.percent == 100
    )
    with pytest.raises(stats.InvalidInput):
        stats.set_goal(session=session, user_id=ann.id, year=2026, books=0)


@pytest.mark.parametrize("rows", [10, 2000])
def test_stats_cost_constant_statements(session, ann, count_statements, rows):
    ub = entry(session, ann, "Long", 100000)
    for n in range(rows // 10):
        add_with_dates(session, ann, f"Done {n}", 100, "finished", ended_on=D(2026, 1 + n % 6, 1))
    session.add_all(
        ReadingProgress(
            user_id=ann.id,
            user_book_id=ub.id,
            book_id=ub.book_id,
            pages_delta=3,
            recorded_at=NOW - datetime.timedelta(hours=7 * i),
        )
        for i in range(rows)
    )
    session.commit()
    with count_statements() as counter:
        stats.reading_stats(session=session, user_id=ann.id, now=NOW)
    assert counter.count == 7


def add_with_dates(session, user, title, pages, status, **dates):
    book = BookInput(title=title, total_pages=pages)
    entry = library.add_to_library(
        session=session, user_id=user.id, book=book, status=status, today=NOW.date(), **dates
    ).user_book
    return SimpleNamespace(id=saved_id(entry), book_id=entry.book_id)  # stored: its id is an int


def test_a_book_finished_last_year_counts_last_year(session, ann):
    # The first bug: back-filled books counted as finished today.
    add_with_dates(session, ann, "Back-filled", 300, "finished", started_on=D(2025, 2, 1), ended_on=D(2025, 3, 1))
    this_year = stats.reading_stats(session=session, user_id=ann.id, now=NOW)
    assert (this_year.books_this_year, this_year.finished_total, this_year.pages_read) == (0, 1, 300)
    assert this_year.finished_per_month == [0] * 12 and this_year.current_streak == 0
    assert sum(d.pages for d in this_year.pages_per_day) == 0  # not read today either
    last_year = stats.reading_stats(session=session, user_id=ann.id, now=NOW.replace(year=2025))
    assert last_year.books_this_year == 1 and last_year.finished_per_month[2] == 1


def test_a_finished_read_of_unknown_date_counts_toward_no_year(session, ann):
    stats.set_goal(session=session, user_id=ann.id, year=2026, books=10)
    add_with_dates(session, ann, "Long ago", 200, "finished")
    result = stats.reading_stats(session=session, user_id=ann.id, now=NOW)
    assert (result.books_this_year, result.finished_total, result.goal.done) == (0, 1, 0)
    assert result.pages_read == 200 and sum(result.finished_per_month) == 0


def test_rereads_count_in_the_year_they_are_finished(session, ann):
    ub = add_with_dates(session, ann, "Favourite", 100, "finished", ended_on=D(2024, 5, 1))
    for status in ("reading", "finished"):
        library.set_status(session=session, user_id=ann.id, user_book_id=ub.id, status=status, today=NOW.date())
    library.start_read(session=session, user_id=ann.id, user_book_id=ub.id, started_on=D(2026, 1, 2), today=NOW.date())
    library.end_read(
        session=session, user_id=ann.id, user_book_id=ub.id, status="finished", ended_on=D(2026, 2, 2), today=NOW.date()
    )
    result = stats.reading_stats(session=session, user_id=ann.id, now=NOW)
    assert (result.books_this_year, result.finished_total, result.rereads) == (2, 1, 2)
    assert result.finished_per_month[1] == 1 and result.finished_per_month[NOW.month - 1] == 1
    assert result.pages_read == 300


def test_audiobook_minutes_are_counted_apart_from_pages(session, ann):
    ub = entry(session, ann, "Heard", 300)
    row = session.get(UserBook, ub.id)
    row.format, row.progress_unit, row.audio_minutes = "audiobook", "minutes", 600
    session.commit()
    library.update_progress(session=session, user_id=ann.id, user_book_id=ub.id, current_page=90)
    library.update_progress(session=session, user_id=ann.id, user_book_id=ub.id, current_page=150)
    result = stats.reading_stats(session=session, user_id=ann.id)
    assert (result.minutes_listened, result.pages_read) == (150, 0)


def test_pages_per_day_spreads_a_back_filled_read_over_its_days(session, ann):
    # Issue 15: "Pages per day 994.0" after adding one finished book.
    add_with_dates(session, ann, "Brick", 994, "finished", started_on=D(2026, 6, 1), ended_on=D(2026, 6, 10))
    result = stats.reading_stats(session=session, user_id=ann.id, now=NOW)
    assert result.avg_pages_per_day == 99  # 994 pages over 1 to 10 June


def test_one_day_of_reading_is_no_rate(session, ann):
    add_with_dates(session, ann, "Brick", 994, "finished", ended_on=D(2026, 6, 10))
    assert stats.reading_stats(session=session, user_id=ann.id, now=NOW).avg_pages_per_day is None


def test_pages_per_day_runs_to_the_last_activity_not_today():
    d = datetime.date
    # 30 pages over 3 days, a month ago: 10 a day, not 30 over the month since.
    assert stats.average_pages_per_day({d(2026, 5, 1): 10, d(2026, 5, 3): 20}, None) == 10
    assert stats.average_pages_per_day({d(2026, 5, 1): 10, d(2026, 5, 3): 5}, None) == 5.0
    assert stats.average_pages_per_day({d(2026, 5, 3): 20}, d(2026, 5, 2)) == 10
    assert stats.average_pages_per_day({d(2026, 5, 3): 7}, d(2026, 5, 1)) == 2.3
    assert stats.average_pages_per_day({}, None) is None
