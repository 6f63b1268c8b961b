"""The "For you" page state (/for-you): suggestions with reasons, add to Want to read."""

from sqlmodel import Session

from booktracker.db import get_engine
from booktracker.services import library, social
from booktracker.services.books import BookInput
from tests.states.helpers import client_view, make_reader, redirects, route, sub, toasts


def _for_you(root):
    from booktracker.pages.for_you import ForYouState

    route(root, "/for-you")
    return sub(root, ForYouState)


def test_needs_a_login(root):
    state = _for_you(root)
    assert redirects(state.load()) == ["/login?next=/for-you"]
    assert redirects(state.add(1)) == ["/login?next=/for-you"]


def test_shows_friends_picks_and_adds_one(signed_up):
    bob = make_reader("Bob")
    with Session(get_engine(), expire_on_commit=False) as session:
        entry = library.add_to_library(
            session=session, user_id=bob.id, book=BookInput(title="Bob's pick", authors="A. Writer"), status="finished"
        ).user_book
        entry.rating = 5.0
        session.add(entry)
        session.commit()
    state = _for_you(signed_up)
    with Session(get_engine()) as session:
        social.follow(session=session, user_id=state.current_user_id(), username="bob")

    state.load()

    [suggestion] = state.suggestions
    assert suggestion.title == "Bob's pick" and suggestion.because == "Bob rated it 5★"
    assert "Bob's pick" in client_view(state)
    assert toasts(state.add(suggestion.book_id)) == [("success", "Added to Want to read.")]
    assert state.added == [suggestion.book_id]
    assert toasts(state.add(suggestion.book_id)) == [("info", "Already in your library.")]
    state.load()  # now in the library: no longer suggested
    assert state.suggestions == [] and state.loaded


def test_adding_an_unknown_book_says_so(signed_up):
    state = _for_you(signed_up)
    state.load()
    assert toasts(state.add(10**6)) == [("error", "Book not found.")]
    assert state.added == []
