"""The book detail page state: another reader's book stays out of reach;
progress, validation and status changes."""

from booktracker.services import auth, library
from booktracker.services.books import BookInput
from tests.states.helpers import events, new_session, open_book, route, sub


def test_book_detail_refuses_someone_elses_book(signed_up):
    from booktracker.pages.book_detail import BookDetailState

    with new_session() as session:
        bob = auth.signup(session=session, email="bob@example.com", name="Bob", password="password 123")
        assert bob.id is not None
        bobs = library.add_to_library(
            session=session, user_id=bob.id, book=BookInput(title="Secret", total_pages=10)
        ).user_book
        assert bobs.id is not None
    state = sub(signed_up, BookDetailState)
    route(signed_up, "/books/[user_book_id]", {"user_book_id": str(bobs.id)})
    state.load()
    assert state.status == "missing" and state.detail.title == ""
    # Even a handler called with a forged id changes nothing of Bob's.
    state.detail = state.detail.model_copy(update={"id": bobs.id})
    assert events(state.save_progress({"current_page": "5"}))[0][0] == "client_call"  # an error toast
    with new_session() as session:
        assert library.get_detail(session=session, user_id=bob.id, user_book_id=bobs.id).current_page == 0


def test_book_detail_progress_and_validation(signed_up):
    state, _ = open_book(signed_up, BookInput(title="Dune", total_pages=400))
    assert state.status == "found" and state.detail.title == "Dune"
    state.save_progress({"current_page": "200"})
    assert state.detail.percent == 50
    state.save_progress({"current_page": "999"})  # refused with a toast
    assert state.detail.current_page == 200
    state.change_status("finished")
    assert state.detail.current_page == 400 and state.detail.status == "finished"
    # The reading history follows a status chosen in the progress card.
    [read] = state.reads
    assert (read.status, read.number, state.finished_reads, state.open_read_status) == ("finished", 1, 1, "")


def test_book_detail_my_copy_and_progress_by_time(signed_up):
    state, _ = open_book(signed_up, BookInput(title="Dune", total_pages=400))
    state.save_copy({"copy_title": "Dune (Folio)", "copy_pages": "200", "progress_unit": "pages"})
    assert (state.detail.title, state.detail.total_pages, state.detail.copy_pages) == ("Dune (Folio)", 200, 200)
    state.save_copy({"copy_pages": "lots"})  # refused with a toast, nothing changed
    assert state.detail.copy_pages == 200
    state.save_copy({"progress_unit": "minutes", "audio_length": "11:42"})  # not an audiobook yet: refused
    assert state.detail.progress_unit == "pages"
    state.save_details({"format": "audiobook", "ownership": "none", "rating": "0", "private_notes": ""})
    state.save_copy({"copy_title": "Dune (Folio)", "progress_unit": "minutes", "audio_length": "11:42"})
    assert (state.detail.progress_unit, state.audio_length) == ("minutes", "11:42")
    state.save_progress({"current_page": "5:51"})
    assert (state.detail.current_page, state.progress_input, state.detail.percent) == (351, "5:51", 50)
    assert state.progress_summary == "5:51 of 11:42 listened · 50%"
    state.save_progress({"current_page": "12:00"})  # past the end: refused
    assert state.detail.current_page == 351


def test_hide_from_others_switch(signed_up):
    from booktracker.services import social
    from tests.states.helpers import toasts

    state, _ = open_book(signed_up, BookInput(title="Private Matter", total_pages=10), status="reading")
    assert state.detail.hidden is False
    assert toasts(state.set_hidden(True)) == [("success", "Hidden from others.")]
    assert state.detail.hidden is True
    with new_session() as session:
        seen = social.profile(session=session, viewer_id=None, username="ann")
        assert (seen.books, seen.currently_reading) == (0, [])
    state.set_hidden(False)
    with new_session() as session:
        assert social.profile(session=session, viewer_id=None, username="ann").books == 1


def test_book_page_shows_the_books_facts_and_when_it_was_added(signed_up):
    # Issue 15: no added date, publisher, year or ISBN-10 anywhere in the UI.
    from booktracker.models import Book

    book = BookInput(title="Matilda", isbn="0140327592", publisher="Puffin", published_date="2016-08-25")
    state, _ = open_book(signed_up, book)
    with new_session() as session:
        row = session.get(Book, state.detail.book_id)
        assert row is not None
        row.series, row.series_position, row.original_year = "Dahl Classics", "3", 1988
        row.contributors = [{"name": "Quentin Blake", "role": "Illustrator"}, {"name": "Someone Else"}]
        session.add(row)
        session.commit()
    state.load()
    facts = {fact.label: fact.value for fact in state.facts}
    assert facts.pop("Added")  # today, as "25 Nov 2026"
    assert facts == {
        "Series": "Dahl Classics #3",
        "Contributors": "Quentin Blake (Illustrator), Someone Else",
        "Publisher": "Puffin",
        "Published": "2016-08-25",
        "First published": "1988",
        "ISBN-13": "9780140327595",
        "ISBN-10": "0140327592",
    }


def test_a_book_with_no_facts_shows_only_when_it_was_added(signed_up):
    from booktracker.pages.book_facts import book_facts

    state, _ = open_book(signed_up, BookInput(title="Untitled notes"))
    assert [fact.label for fact in state.facts] == ["Added"]
    # The added day is the reader's: 23:30 UTC is already the next day in UTC+2.
    late = state.detail.model_copy(update={"added_at": "2026-03-03T23:30:00+00:00"})
    assert book_facts(late, 0)[0].value == "3 Mar 2026" and book_facts(late, 120)[0].value == "4 Mar 2026"


def test_book_detail_progress_summary_groups_thousands(signed_up):
    # Issue 15: a 10,000-page book read "Page 9999 of 10000".
    state, _ = open_book(signed_up, BookInput(title="The Long One", total_pages=10_000))
    state.save_progress({"current_page": "9999"})
    assert state.progress_summary == "Page 9,999 of 10,000 · 99%"
