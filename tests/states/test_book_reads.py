"""The book page's reading history (pages/book_reads.py, mixed into
BookDetailState): reads listed newest first with their dates, a re-read
started and ended, any read's dates corrected, a read deleted; refusals
reach the reader beside the form or as a toast; another reader's read is
out of reach."""

import datetime

import pytest

from booktracker.pages.book_reads import day_text
from booktracker.services import library
from booktracker.services.books import BookInput
from tests.states.helpers import make_reader, new_session, redirects, route, sub, toasts

LAST_YEAR = datetime.date.today().year - 1
STARTED, FINISHED = datetime.date(LAST_YEAR, 3, 3), datetime.date(LAST_YEAR, 4, 12)


def _today() -> datetime.date:
    return library.reader_today(0)


def _add(user_id: int, title: str = "Dune", **kwargs) -> int:
    with new_session() as session:
        entry = library.add_to_library(
            session=session, user_id=user_id, book=BookInput(title=title, total_pages=400), today=_today(), **kwargs
        ).user_book
    assert entry.id is not None
    return entry.id


@pytest.fixture
def page(signed_up):
    """Ann's book page for Dune, finished last year (3 Mar – 12 Apr)."""
    from booktracker.pages.book_detail import BookDetailState

    state = sub(signed_up, BookDetailState)
    entry_id = _add(state.current_user_id(), status="finished", started_on=STARTED, ended_on=FINISHED)
    route(signed_up, "/books/[user_book_id]", {"user_book_id": str(entry_id)})
    state.load()
    assert state.status == "found"
    return state


def _summaries(state) -> list[str]:
    return [row.summary for row in state.reads]


def test_the_history_shows_every_read_with_its_dates(page):
    assert _summaries(page) == [f"Read 1 · started 3 Mar {LAST_YEAR} · finished 12 Apr {LAST_YEAR}"]
    assert page.finished_reads == 1 and page.open_read_status == ""
    assert page.today_iso == _today().isoformat()


def test_the_browser_says_what_day_it_is(page):
    page.set_clock(-120)  # getTimezoneOffset() in UTC+2
    assert page.offset_minutes == 120
    assert page.today_iso == library.reader_today(120).isoformat()
    page.set_clock(99_999)  # nonsense is ignored
    page.set_clock(None)
    assert page.offset_minutes == 120


def test_a_re_read_is_started_and_finished_and_counted(page):
    page.open_read_form("start")
    result = page.submit_read({"started_on": _today().isoformat()})
    assert toasts(result) == [("success", "Read 2 started.")]
    assert page.read_form == "" and page.detail.status == "reading" and page.detail.current_page == 0
    assert page.open_read_status == "reading" and page.finished_reads == 1
    assert _summaries(page)[0] == f"Read 2 · started {day_text(_today().isoformat())}"

    # A second start while reading is refused, with a toast.
    page.open_read_form("start")
    [(level, message)] = toasts(page.submit_read({"started_on": _today().isoformat()}))
    assert level == "error" and "reading this book already" in message

    page.open_read_form("finished")
    result = page.submit_read({"ended_on": _today().isoformat()})
    assert toasts(result) == [("success", "Moved to Finished.")]
    assert page.detail.status == "finished" and page.detail.current_page == 400
    assert page.finished_reads == 2 and page.open_read_status == "" and len(page.reads) == 2
    assert page.reads[1].summary.startswith("Read 1 · started 3 Mar")  # the first read is kept


def test_ending_a_read_refuses_impossible_dates_beside_the_field(page):
    page.open_read_form("start")
    page.submit_read({"started_on": _today().isoformat()})
    page.open_read_form("did-not-finish")
    yesterday = _today() - datetime.timedelta(days=1)
    assert page.submit_read({"ended_on": yesterday.isoformat()}) is None
    assert page.read_error_field == "ended_on" and "before the start" in page.read_error
    assert page.read_form == "did-not-finish"  # the form stays open with its input
    tomorrow = _today() + datetime.timedelta(days=1)
    assert page.submit_read({"ended_on": tomorrow.isoformat()}) is None
    assert page.read_error_field == "ended_on" and "future" in page.read_error
    assert page.submit_read({"ended_on": ""}) is None
    assert page.read_error == "Enter the date you stopped, or tick “I don't remember”."
    assert page.submit_read({"ended_on": "31/02/2024"}) is None
    assert page.read_error_field == "ended_on" and "is not a date" in page.read_error
    assert page.detail.status == "reading"  # nothing changed
    # "I don't remember" ends it with no date.
    result = page.submit_read({"ended_on": "", "ended_on_unknown": True})
    assert toasts(result) == [("success", "Moved to Did not finish.")]
    assert _summaries(page)[0].endswith("stopped, date unknown") and page.detail.status == "did-not-finish"


def test_pausing_offers_finishing_not_pausing_again(page):
    page.open_read_form("start")
    page.submit_read({"started_on": "", "started_on_unknown": "on"})
    assert _summaries(page)[0] == "Read 2 · dates unknown"
    page.open_read_form("paused")
    page.submit_read({"ended_on": _today().isoformat()})
    assert page.open_read_status == "paused" and page.detail.status == "paused"
    page.open_read_form("nonsense")
    assert page.read_form == ""
    [(level, message)] = toasts(page.submit_read({"ended_on": _today().isoformat()}))
    assert level == "error" and message == "Choose how the read ended."


def test_any_read_s_dates_can_be_corrected(page):
    [row] = page.reads
    page.edit_read(row.id)
    assert page.editing_read_id == row.id
    # Finish before start: refused beside the field, nothing saved.
    assert page.save_read({"started_on": f"{LAST_YEAR}-05-01", "ended_on": f"{LAST_YEAR}-04-12"}) is None
    assert page.read_error_field == "ended_on" and page.editing_read_id == row.id
    result = page.save_read({"started_on": "", "started_on_unknown": True, "ended_on": f"{LAST_YEAR}-04-20"})
    assert toasts(result) == [("success", "Dates saved.")]
    assert page.editing_read_id == 0 and page.read_error == ""
    assert _summaries(page) == [f"Read 1 · start date unknown · finished 20 Apr {LAST_YEAR}"]
    page.edit_read(row.id)
    page.cancel_read_form()
    assert page.editing_read_id == 0


def test_a_read_is_deleted_after_confirming(page):
    page.open_read_form("start")
    page.submit_read({"started_on": _today().isoformat()})
    newest = page.reads[0]
    page.ask_delete_read(newest.id)
    assert page.deleting_read_id == newest.id
    page.set_delete_read_open(False)  # "Cancel" closes the dialog, deleting nothing
    assert page.deleting_read_id == 0 and len(page.reads) == 2
    page.ask_delete_read(newest.id)
    assert toasts(page.delete_read()) == [("success", "Read deleted.")]
    assert len(page.reads) == 1 and page.detail.status == "finished" and page.deleting_read_id == 0


def test_another_reader_s_read_is_refused(page):
    bob = make_reader("Bob")
    assert bob.id is not None
    bobs_entry = _add(bob.id, "Secret", status="finished", started_on=STARTED, ended_on=FINISHED)
    with new_session() as session:
        [bobs_read] = library.list_reads(session=session, user_id=bob.id, user_book_id=bobs_entry)

    page.edit_read(bobs_read.id)
    result = page.save_read({"started_on": "", "started_on_unknown": True, "ended_on": _today().isoformat()})
    assert toasts(result) == [("error", "That read is not in your library.")]
    page.ask_delete_read(bobs_read.id)
    assert toasts(page.delete_read()) == [("error", "That read is not in your library.")]
    with new_session() as session:
        assert library.list_reads(session=session, user_id=bob.id, user_book_id=bobs_entry) == [bobs_read]


def test_reads_need_a_login(page, signed_up):
    page.auth_token = ""
    page.open_read_form("start")
    assert redirects(page.submit_read({"started_on": _today().isoformat()}))[0].startswith("/login?next=")
    page.edit_read(page.reads[0].id)
    assert redirects(page.save_read({"started_on": "", "started_on_unknown": True}))[0].startswith("/login")
    assert redirects(page.delete_read())[0].startswith("/login")
