"""The library page state: six rows a page, filters reset the page; shelves."""

from booktracker.models import saved_id
from booktracker.services import library
from booktracker.services.books import BookInput
from tests.states.helpers import new_session, sub, toasts


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


def test_a_search_with_no_match_keeps_the_counts_and_says_so(signed_up):
    from booktracker.pages.library import LibraryState

    state = sub(signed_up, LibraryState)
    user_id = state.current_user_id()
    state.load()
    assert (state.library_total, state.total) == (0, 0)  # "Your library is empty"
    for n in range(7):
        with new_session() as session:
            library.add_to_library(session=session, user_id=user_id, book=BookInput(title=f"Book {n:02}"))
    state.load()
    assert state.range_label == "1–6 of 7 books"
    state.set_search("Book 03")
    assert state.range_label == "1 book" and state.total == 1
    state.set_search("zzz no such book")
    # "No books match …" (not "Your library is empty"): the tab counts stay the library's.
    assert state.total == 0 and state.library_total == 7 and state.counts["all"] == 7
    assert state.counts["to-read"] == 7
    state.clear_search()
    assert state.search == "" and state.total == 7 and state.range_label == "1–6 of 7 books"


def test_range_label_plurals():
    from booktracker.components.pagination import count_label, range_label

    assert range_label(1, 1, 1, "book") == "1 book"
    assert range_label(1, 3, 3, "book") == "3 books"
    assert range_label(1, 6, 20, "book") == "1–6 of 20 books"
    assert range_label(19, 20, 20, "book") == "19–20 of 20 books"
    assert range_label(0, 0, 0, "book") == "0 books"
    assert count_label(1, "entry", "entries") == "1 entry" and count_label(2, "entry", "entries") == "2 entries"
    # Issue 15: thousands are grouped ("5000 books" read as a different number at a glance).
    assert range_label(25, 48, 5_000, "book") == "25–48 of 5,000 books"
    assert range_label(1_201, 1_224, 1_224, "book") == "1,201–1,224 of 1,224 books"


# ----------------------------------------------------------------- shelves


def _shelved_library(state):
    """Dune and Emma on "Loved", Emma also on "Classics", Ulysses on none."""
    from booktracker.services import shelves

    user_id = state.current_user_id()
    with new_session() as session:
        for title, names in (("Dune", ["Loved"]), ("Emma", ["Loved", "Classics"]), ("Ulysses", [])):
            entry = library.add_to_library(session=session, user_id=user_id, book=BookInput(title=title)).user_book
            shelves.set_entry_shelves(session=session, user_id=user_id, user_book_id=saved_id(entry), shelves=names)


def test_the_library_loads_its_shelves_with_counts_in_one_more_statement(signed_up, count_statements):
    from booktracker.pages.library import LibraryState

    state = sub(signed_up, LibraryState)
    _shelved_library(state)
    with count_statements() as counter:
        state.load()
    # The token check, the shelves with their counts, the tab counts, the rows.
    assert counter.count == 4
    assert [(s.name, s.count) for s in state.shelves] == [("Classics", 1), ("Loved", 2)]
    loved = str(state.shelves[1].id)
    with count_statements() as counter:
        state.set_shelf_filter(loved)
    assert counter.count == 3  # a filter change does not reload the shelves
    assert state.shelf_filter == loved and state.total == 2 and state.filtered
    assert sorted(item.title for item in state.items) == ["Dune", "Emma"]
    state.set_tab("to-read")
    assert state.counts["all"] == 2
    state.set_shelf_filter("99999")  # not one of the reader's shelves: every book
    assert state.shelf_filter == "any" and state.total == 3
    state.set_shelf_filter(loved)
    state.clear_filters()
    assert state.shelf_filter == "any" and state.total == 3


def test_manage_shelves_create_rename_delete(signed_up):
    from booktracker.pages.library import LibraryState

    state = sub(signed_up, LibraryState)
    _shelved_library(state)
    state.load()
    assert toasts(state.create_shelf({"name": "  To buy "})) == [("success", "Shelf “To buy” created.")]
    assert [s.name for s in state.shelves] == ["Classics", "Loved", "To buy"]
    # A refusal reaches the reader and changes nothing.
    assert toasts(state.create_shelf({"name": "loved"})) == [("error", "You already have a shelf called “Loved”.")]
    assert toasts(state.create_shelf({"name": " "}))[0][0] == "error"
    assert len(state.shelves) == 3

    loved = state.shelves[1]
    state.set_shelf_filter(str(loved.id))
    state.start_rename_shelf(loved.id)
    assert toasts(state.rename_shelf({"name": "classics"}))[0][0] == "error"
    assert state.renaming_shelf_id == loved.id  # the form stays open with its input
    assert toasts(state.rename_shelf({"name": "Favourites"})) == [("success", "Renamed to “Favourites”.")]
    assert state.renaming_shelf_id == 0 and [s.name for s in state.shelves] == ["Classics", "Favourites", "To buy"]
    assert state.total == 2  # still filtered by the renamed shelf

    state.ask_delete_shelf(loved.id)
    assert state.deleting_shelf_id == loved.id
    assert toasts(state.delete_shelf()) == [("success", "Shelf “Favourites” deleted; its books stay in your library.")]
    assert [s.name for s in state.shelves] == ["Classics", "To buy"]
    # The filter on the deleted shelf is dropped: every book shows, none was lost.
    assert state.shelf_filter == "any" and state.total == 3


def test_another_readers_shelf_cannot_be_renamed_or_deleted(signed_up):
    from booktracker.pages.library import LibraryState
    from booktracker.services import shelves
    from tests.states.helpers import make_reader

    bob_id = saved_id(make_reader("Bob"))
    with new_session() as session:
        bobs = shelves.create_shelf(session=session, user_id=bob_id, name="Bob's")
    state = sub(signed_up, LibraryState)
    state.load()
    state.start_rename_shelf(bobs.id)  # a forged id
    assert toasts(state.rename_shelf({"name": "Mine"})) == [("error", "That shelf does not exist.")]
    state.ask_delete_shelf(bobs.id)
    assert toasts(state.delete_shelf()) == [("error", "That shelf does not exist.")]
    with new_session() as session:
        assert [s.name for s in shelves.list_shelves(session=session, user_id=bob_id)] == ["Bob's"]
