"""Reads of a library entry (services/library/reads.py): re-reads, past dates,
validation and ownership, on both databases."""

import datetime
from types import SimpleNamespace

import pytest
from sqlmodel import col, select

from booktracker.errors import Conflict, InvalidInput, NotFound
from booktracker.models import ReadingProgress, UserBook, saved_id
from booktracker.services import auth, library
from booktracker.services.books import BookInput

D = datetime.date
TODAY = D(2026, 6, 15)


@pytest.fixture
def ann(session):
    return auth.signup(session=session, email="ann@example.com", name="Ann", password="password 123")


@pytest.fixture
def bob(session):
    return auth.signup(session=session, email="bob@example.com", name="Bob", password="password 123")


def add(session, user, title="Dune", status="to-read", pages=400, **dates):
    book = BookInput(title=title, total_pages=pages)
    result = library.add_to_library(session=session, user_id=user.id, book=book, status=status, today=TODAY, **dates)
    return SimpleNamespace(id=saved_id(result.user_book))  # a stored entry: its id is an int


def history(session, user, entry):
    reads = library.list_reads(session=session, user_id=user.id, user_book_id=entry.id)
    return [(r.status, r.started_on, r.ended_on, r.progress, r.is_current) for r in reads]


@pytest.mark.parametrize(
    "started_on, ended_on, field, message",
    [
        (D(2026, 3, 2), D(2026, 3, 1), "ended_on", "The end date cannot be before the start date."),
        (D(2026, 6, 16), None, "started_on", "The start date cannot be in the future."),
        (None, D(2026, 6, 16), "ended_on", "The end date cannot be in the future."),
        (D(999, 12, 31), None, "started_on", "The start date must be in the year 1000 or later."),
        (None, D(1, 1, 1), "ended_on", "The end date must be in the year 1000 or later."),
    ],
)
def test_impossible_dates_are_refused_with_their_field(session, ann, started_on, ended_on, field, message):
    with pytest.raises(InvalidInput) as refused:
        library.validate_dates(started_on, ended_on, today=TODAY)
    assert (refused.value.field, refused.value.message) == (field, message)
    # Adding a finished book with them stores nothing at all.
    with pytest.raises(InvalidInput) as again:
        add(session, ann, status="finished", started_on=started_on, ended_on=ended_on)
    assert again.value.field == field
    session.rollback()
    assert session.exec(select(UserBook)).all() == []


def test_unknown_dates_and_today_pass():
    library.validate_dates(None, None, today=TODAY)
    library.validate_dates(TODAY, TODAY, today=TODAY)


@pytest.mark.parametrize(
    "status, dates, field",
    [
        ("reading", {"ended_on": D(2026, 1, 1)}, "ended_on"),
        ("to-read", {"started_on": D(2026, 1, 1)}, "started_on"),
        ("lost", {}, "status"),
    ],
)
def test_dates_that_do_not_fit_the_status_are_refused(session, ann, status, dates, field):
    with pytest.raises(InvalidInput) as refused:
        add(session, ann, status=status, **dates)
    assert refused.value.field == field


def test_reader_today_follows_the_offset_and_refuses_impossible_zones():
    utc = datetime.datetime.now(datetime.UTC)
    assert library.reader_today(14 * 60) == (utc + datetime.timedelta(hours=14)).date()
    assert library.reader_today(-12 * 60) == (utc - datetime.timedelta(hours=12)).date()
    with pytest.raises(InvalidInput) as refused:
        library.reader_today(15 * 60)
    assert refused.value.field == "tz_offset"


def test_adding_with_dates_makes_the_first_read(session, ann):
    finished = add(session, ann, status="finished", started_on=D(2025, 2, 1), ended_on=D(2025, 3, 1))
    assert history(session, ann, finished) == [("finished", "2025-02-01", "2025-03-01", 400, True)]
    # Its pages were read on the day it was finished, not today.
    recorded = session.exec(select(ReadingProgress.recorded_at, ReadingProgress.pages_delta)).one()
    assert (recorded[0].date(), recorded[1]) == (D(2025, 3, 1), 400)
    forgotten = add(session, ann, "Emma", status="did-not-finish")  # "I don't remember"
    assert history(session, ann, forgotten) == [("did-not-finish", "", "", 0, True)]
    reading = add(session, ann, "Ulysses", status="reading", started_on=D(2026, 6, 1))
    assert history(session, ann, reading) == [("reading", "2026-06-01", "", 0, True)]
    assert session.get(UserBook, reading.id).status == "reading"


def test_a_reread_keeps_the_first_read(session, ann):
    entry = add(session, ann, status="finished", started_on=D(2024, 1, 2), ended_on=D(2024, 2, 3))
    started = library.start_read(session=session, user_id=ann.id, user_book_id=entry.id, started_on=None, today=TODAY)
    assert (started.status, started.started_on, started.is_current) == ("reading", "", True)
    with pytest.raises(Conflict):  # one read under way at a time
        library.start_read(session=session, user_id=ann.id, user_book_id=entry.id, started_on=TODAY, today=TODAY)
    library.update_progress(session=session, user_id=ann.id, user_book_id=entry.id, current_page=120, today=TODAY)
    library.end_read(
        session=session, user_id=ann.id, user_book_id=entry.id, status="finished", ended_on=TODAY, today=TODAY
    )
    assert history(session, ann, entry) == [
        ("finished", "", "2026-06-15", 400, True),
        ("finished", "2024-01-02", "2024-02-03", 400, False),
    ]
    detail = library.get_detail(session=session, user_id=ann.id, user_book_id=entry.id)
    assert (detail.status, detail.current_page, detail.read_count) == ("finished", 400, 2)
    progress = session.exec(select(ReadingProgress.pages_delta).order_by(col(ReadingProgress.id))).all()
    assert progress == [400, 120, 280]  # every progress row belongs to its read
    assert len(set(session.exec(select(ReadingProgress.read_id)).all())) == 2


def test_status_changes_move_the_reads(session, ann):
    entry = add(session, ann)
    assert history(session, ann, entry) == []

    def status(value):
        library.set_status(session=session, user_id=ann.id, user_book_id=entry.id, status=value, today=TODAY)
        return history(session, ann, entry)

    assert status("reading") == [("reading", "2026-06-15", "", 0, True)]
    assert status("paused") == [("paused", "2026-06-15", "2026-06-15", 0, True)]
    assert status("reading") == [("reading", "2026-06-15", "", 0, True)]  # resumed, same read
    assert status("finished")[0] == ("finished", "2026-06-15", "2026-06-15", 400, True)
    assert status("did-not-finish")[0][:3] == ("did-not-finish", "2026-06-15", "2026-06-15")  # how it ended
    assert len(status("reading")) == 2  # a re-read
    assert status("to-read")[0][0] == "paused"  # back on the shelf: the reads stay
    assert session.get(UserBook, entry.id).status == "to-read"
    assert [r[0] for r in status("finished")] == ["finished", "paused", "did-not-finish"]


def test_first_page_starts_a_read(session, ann):
    entry = add(session, ann)
    library.update_progress(session=session, user_id=ann.id, user_book_id=entry.id, current_page=30, today=TODAY)
    assert history(session, ann, entry) == [("reading", "2026-06-15", "", 30, True)]


def test_editing_a_past_reads_dates(session, ann):
    entry = add(session, ann, status="finished", started_on=D(2024, 1, 2), ended_on=D(2024, 2, 3))
    library.start_read(session=session, user_id=ann.id, user_book_id=entry.id, started_on=TODAY, today=TODAY)
    first = library.list_reads(session=session, user_id=ann.id, user_book_id=entry.id)[1]
    edited = library.update_read(
        session=session, user_id=ann.id, read_id=first.id, started_on=None, ended_on=D(2023, 12, 30), today=TODAY
    )
    assert (edited.status, edited.started_on, edited.ended_on, edited.is_current) == (
        "finished",
        "",
        "2023-12-30",
        False,
    )
    assert session.get(UserBook, entry.id).status == "reading"  # the entry still shows the re-read
    with pytest.raises(InvalidInput) as refused:
        library.update_read(
            session=session,
            user_id=ann.id,
            read_id=first.id,
            started_on=D(2024, 1, 2),
            ended_on=D(2023, 12, 30),
            today=TODAY,
        )
    assert refused.value.field == "ended_on"
    with pytest.raises(InvalidInput) as refused:  # only the latest read can be under way
        library.update_read(
            session=session,
            user_id=ann.id,
            read_id=first.id,
            started_on=None,
            ended_on=None,
            today=TODAY,
            status="reading",
        )
    assert refused.value.field == "status"


def test_finishing_the_current_read_through_its_dates(session, ann):
    entry = add(session, ann, status="reading", started_on=D(2026, 5, 1))
    current = library.list_reads(session=session, user_id=ann.id, user_book_id=entry.id)[0]
    library.update_read(
        session=session,
        user_id=ann.id,
        read_id=current.id,
        started_on=D(2026, 5, 1),
        ended_on=D(2026, 5, 20),
        today=TODAY,
        status="finished",
    )
    detail = library.get_detail(session=session, user_id=ann.id, user_book_id=entry.id)
    assert (detail.status, detail.current_page, detail.reads[0].ended_on) == ("finished", 400, "2026-05-20")


def test_delete_a_read(session, ann):
    entry = add(session, ann, status="finished", started_on=D(2024, 1, 2), ended_on=D(2024, 2, 3))
    library.start_read(session=session, user_id=ann.id, user_book_id=entry.id, started_on=TODAY, today=TODAY)
    library.update_progress(session=session, user_id=ann.id, user_book_id=entry.id, current_page=50, today=TODAY)
    current, first = library.list_reads(session=session, user_id=ann.id, user_book_id=entry.id)
    library.delete_read(session=session, user_id=ann.id, read_id=current.id)
    # The entry mirrors the read left; the deleted read's pages are gone with it.
    assert (session.get(UserBook, entry.id).status, session.get(UserBook, entry.id).current_page) == ("finished", 400)
    assert session.exec(select(ReadingProgress.pages_delta)).all() == [400]
    library.delete_read(session=session, user_id=ann.id, read_id=first.id)
    row = session.get(UserBook, entry.id)
    assert (row.status, row.current_page) == ("to-read", 0) and history(session, ann, entry) == []


def test_another_readers_reads_look_missing_and_stay_unchanged(session, ann, bob):
    entry = add(session, ann, status="finished", started_on=D(2024, 1, 2), ended_on=D(2024, 2, 3))
    read_id = library.list_reads(session=session, user_id=ann.id, user_book_id=entry.id)[0].id
    attempts = [
        lambda: library.list_reads(session=session, user_id=bob.id, user_book_id=entry.id),
        lambda: library.start_read(
            session=session, user_id=bob.id, user_book_id=entry.id, started_on=None, today=TODAY
        ),
        lambda: library.end_read(
            session=session, user_id=bob.id, user_book_id=entry.id, status="finished", ended_on=None, today=TODAY
        ),
        lambda: library.update_read(
            session=session, user_id=bob.id, read_id=read_id, started_on=None, ended_on=None, today=TODAY
        ),
        lambda: library.delete_read(session=session, user_id=bob.id, read_id=read_id),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    assert history(session, ann, entry) == [("finished", "2024-01-02", "2024-02-03", 400, True)]


def test_end_read_without_an_open_read_records_one_of_unknown_start(session, ann):
    entry = add(session, ann)
    ended = library.end_read(
        session=session, user_id=ann.id, user_book_id=entry.id, status="did-not-finish", ended_on=None, today=TODAY
    )
    assert (ended.status, ended.started_on, ended.ended_on) == ("did-not-finish", "", "")
    with pytest.raises(InvalidInput) as refused:
        library.end_read(
            session=session, user_id=ann.id, user_book_id=entry.id, status="reading", ended_on=None, today=TODAY
        )
    assert refused.value.field == "status"


def test_library_page_shows_read_counts_in_two_statements(session, ann, count_statements):
    entry = add(session, ann, status="finished", ended_on=D(2024, 2, 3))
    library.set_status(session=session, user_id=ann.id, user_book_id=entry.id, status="reading", today=TODAY)
    library.set_status(session=session, user_id=ann.id, user_book_id=entry.id, status="finished", today=TODAY)
    add(session, ann, "Emma")
    with count_statements() as counter:
        page = library.list_library(session=session, user_id=ann.id, query=library.LibraryQuery(sort="title"))
    assert counter.count == 2
    assert [(i.title, i.read_count) for i in page.items] == [("Dune", 2), ("Emma", 0)]
