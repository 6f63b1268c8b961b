"""The library page state: six rows a page, filters reset the page."""

from booktracker.services import library
from booktracker.services.books import BookInput
from tests.states.helpers import new_session, sub


def test_library_state_pages_six_and_resets_page_on_filter(signed_up):
    from booktracker.pages.library import LibraryState

    state = sub(signed_up, LibraryState)
    user_id = state.current_user_id()
    for n in range(14):
        with new_session() as session:
            library.add_to_library(session=session, user_id=user_id, book=BookInput(title=f"Book {n:02}"))
    state.load()
    assert len(state.items) == 6 and state.total == 14 and state.window == [1, 2, 3]
    state.go_to_page(3)
    assert state.page_number == 3 and (state.first, state.last) == (13, 14)
    state.set_search("Book 1")
    assert state.page_number == 1 and state.total == 4
    state.clear_filters()
    assert state.search == "" and state.total == 14
