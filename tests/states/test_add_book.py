"""The add-book page state (/books/add): search results picked by index from
what the server found, manual entry with errors beside the form."""

import dataclasses
import datetime

import pytest

from booktracker.services import book_search
from tests.states.helpers import client_view, new_session, redirects, route, sub, toasts
from tests.support.fake_book_apis import FakeBookApis


@pytest.fixture
def apis(monkeypatch, db):
    with FakeBookApis() as fake:
        # Configuration, not a mock: the real client talks HTTP to the fake.
        monkeypatch.setattr(book_search, "GOOGLE_BOOKS_URL", f"{fake.base}/books/v1/volumes")
        monkeypatch.setattr(book_search, "OPEN_LIBRARY_URL", f"{fake.base}/search.json")
        yield fake


def _add_book(root):
    from booktracker.pages.add_book import AddBookState

    route(root, "/books/add")
    return sub(root, AddBookState)


def _detail(state, path: str):
    """The library entry a redirect to /books/<id> points at."""
    from booktracker.services import library

    with new_session() as session:
        return library.get_detail(
            session=session, user_id=state.current_user_id(), user_book_id=int(path.rsplit("/", 1)[1])
        )


def test_needs_a_login(root):
    state = _add_book(root)
    assert redirects(state.load()) == ["/login?next=/books/add"]
    assert redirects(state.search({"query": "Dune"})) == ["/login?next=/books/add"]
    assert redirects(state.pick(0)) == ["/login?next=/books/add"]
    assert redirects(state.add({"title": "Dune"})) == ["/login?next=/books/add"]


def test_a_pick_adds_what_the_server_found_not_what_the_page_says(signed_up, apis):
    state = _add_book(signed_up)
    state.search({"query": "Dune"})
    assert state.searched and state.search_error == ""
    assert 0 < len(state.results) <= book_search.MAX_RESULTS
    real_title = state.results[0].title
    # A forged result in the page's list changes nothing: the pick reads the
    # server-side copy (a backend var, never sent to the browser).
    first = state.results[0]
    fields = {f.name: getattr(first, f.name) for f in dataclasses.fields(book_search.BookResult)}
    state.results = [book_search.BookResult(**{**fields, "title": "Forged"})]
    assert "results" in client_view(state) and "_found" not in client_view(state)
    result = state.pick(0)
    [path] = redirects(result)
    assert path.startswith("/books/") and toasts(result) == [("success", "Added to your library.")]
    assert _detail(state, path).title == real_title
    assert toasts(state.pick(0)) == [("info", "That book is already in your library.")]
    assert toasts(state.pick(99)) == [("error", "That search result is gone; search again.")]


def test_search_unavailable_is_explained_beside_the_form(signed_up, apis):
    state = _add_book(signed_up)
    state.search({"query": "Dune"})
    apis.google_status = apis.open_library_status = 500
    state.search({"query": "something new"})
    assert state.search_error and state.results == [] and state._found == []
    assert toasts(state.pick(0)) == [("error", "That search result is gone; search again.")]


def test_manual_entry_keeps_the_form_on_errors(signed_up):
    state = _add_book(signed_up)
    assert state.add({"title": "", "authors": "Nobody"}) is None
    assert state.error
    assert state.add({"title": "Emma", "total_pages": "lots"}) is None
    assert state.error
    today = state._today().isoformat()
    form = {"title": "Emma", "authors": "Jane Austen", "total_pages": "474", "status": "reading", "started_on": today}
    result = state.add(form)
    [path] = redirects(result)
    assert state.error == "" and toasts(result) == [("success", "Added to your library.")]
    detail = _detail(state, path)
    assert (detail.title, detail.total_pages, detail.status) == ("Emma", 474, "reading")


def test_a_book_read_last_year_keeps_its_dates(signed_up):
    state = _add_book(signed_up)
    state.load()
    assert state.today_iso  # UTC's day until the browser answers
    state.set_clock(-60)  # the browser is in UTC+1
    assert state.offset_minutes == 60
    state.choose_status("finished")
    assert state.status_choice == "finished"
    last_year = state._today().year - 1
    form = {"title": "Emma", "status": "finished", "started_on": f"{last_year}-01-05", "ended_on": f"{last_year}-02-01"}
    [path] = redirects(state.add(form))
    [read] = _detail(state, path).reads
    assert (read.status, read.started_on, read.ended_on) == ("finished", f"{last_year}-01-05", f"{last_year}-02-01")


def test_first_read_dates_are_checked_beside_their_field(signed_up):
    state = _add_book(signed_up)
    state.load()
    today = state._today()
    form = {"title": "Emma", "status": "reading", "started_on": ""}
    assert state.add(form) is None
    assert (
        state.error_field == "started_on" and state.error == "Enter the date you started, or tick “I don't remember”."
    )
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assert state.add({**form, "started_on": tomorrow}) is None
    assert state.error_field == "started_on" and "future" in state.error
    backwards = {**form, "status": "finished", "started_on": today.isoformat(), "ended_on": "2001-01-01"}
    assert state.add(backwards) is None
    assert state.error_field == "ended_on" and "before the start" in state.error
    assert state.add({**form, "status": "did-not-finish", "started_on": today.isoformat(), "ended_on": ""}) is None
    assert state.error == "Enter the date you stopped, or tick “I don't remember”."
    # "I don't remember" for both dates: a read with unknown dates.
    unknown = {**form, "status": "finished", "started_on_unknown": "on", "ended_on": "", "ended_on_unknown": True}
    [path] = redirects(state.add(unknown))
    [read] = _detail(state, path).reads
    assert (read.status, read.started_on, read.ended_on) == ("finished", "", "")


def test_want_to_read_asks_no_dates(signed_up):
    state = _add_book(signed_up)
    state.choose_status("nonsense")
    assert state.status_choice == "to-read"
    [path] = redirects(state.add({"title": "Persuasion", "status": "to-read", "started_on": "garbage"}))
    assert _detail(state, path).reads == []
