"""The book page's shelves: chips with remove, and the "Add to shelf" picker."""

from booktracker.models import saved_id
from booktracker.services import library, shelves
from booktracker.services.books import BookInput
from tests.states.helpers import make_reader, new_session, open_book, toasts


def _open_book(root, title="Dune"):
    state, entry_id = open_book(root, BookInput(title=title))
    return state, state.current_user_id(), entry_id


def test_add_from_the_picker_create_and_add_and_remove(signed_up):
    state, user_id, _entry_id = _open_book(signed_up)
    with new_session() as session:
        loved = shelves.create_shelf(session=session, user_id=user_id, name="Loved")
        shelves.create_shelf(session=session, user_id=user_id, name="Classics")
    assert state.detail.shelves == []

    state.set_shelf_picker_open(True)
    assert [s.name for s in state.shelf_choices] == ["Classics", "Loved"]
    assert toasts(state.add_to_shelf(loved.id)) == [("success", "Added to “Loved”.")]
    assert state.detail.shelves == ["Loved"] and not state.shelf_picker_open
    state.set_shelf_picker_open(True)
    assert [s.name for s in state.shelf_choices] == ["Classics"]  # the ones the book is not on

    assert toasts(state.add_to_new_shelf({"name": " Sci-fi "})) == [("success", "Added to the new shelf “Sci-fi”.")]
    assert state.detail.shelves == ["Loved", "Sci-fi"]
    # Refusals reach the reader and change nothing.
    state.set_shelf_picker_open(True)
    assert toasts(state.add_to_new_shelf({"name": "LOVED"})) == [("error", "You already have a shelf called “Loved”.")]
    assert toasts(state.add_to_new_shelf({"name": "x" * 101}))[0][0] == "error"
    assert state.shelf_picker_open and state.detail.shelves == ["Loved", "Sci-fi"]

    assert toasts(state.remove_from_shelf("Loved")) == [("success", "Removed from “Loved”.")]
    assert state.detail.shelves == ["Sci-fi"]
    # The page shows the same after a reload; the shelf itself stays.
    state.load()
    assert state.detail.shelves == ["Sci-fi"]
    with new_session() as session:
        assert [s.name for s in shelves.list_shelves(session=session, user_id=user_id)] == [
            "Classics",
            "Loved",
            "Sci-fi",
        ]


def test_another_readers_shelf_or_book_is_out_of_reach(signed_up):
    state, user_id, entry_id = _open_book(signed_up)
    bob_id = saved_id(make_reader("Bob"))
    with new_session() as session:
        bobs_shelf = shelves.create_shelf(session=session, user_id=bob_id, name="Bob's")
        book = BookInput(title="Secret")
        bobs_book = saved_id(library.add_to_library(session=session, user_id=bob_id, book=book).user_book)
        shelves.set_entry_shelves(session=session, user_id=bob_id, user_book_id=bobs_book, shelves=["Bob's"])
    state.set_shelf_picker_open(True)
    assert state.shelf_choices == []  # Bob's shelves are not offered
    assert toasts(state.add_to_shelf(bobs_shelf.id)) == [("error", "That shelf does not exist.")]
    # A forged entry id: Bob's book is untouched.
    state.detail = state.detail.model_copy(update={"id": bobs_book})
    assert toasts(state.remove_from_shelf("Bob's"))[0][0] == "error"
    assert toasts(state.add_to_new_shelf({"name": "Mine"}))[0][0] == "error"
    with new_session() as session:
        assert shelves.entry_shelves(session=session, user_book_id=bobs_book) == ["Bob's"]
        assert shelves.entry_shelves(session=session, user_book_id=entry_id) == []
        assert shelves.list_shelves(session=session, user_id=user_id) == []
