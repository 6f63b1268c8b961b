"""The public book page state (/book/<id>-<title>) and the review form on the reader's copy page."""

from booktracker.services import library, reviews
from booktracker.services.books import BookInput
from booktracker.services.reviews import ReviewInput
from tests.states.helpers import client_view, make_reader, new_session, open_book, route, sub, toasts

DUNE = BookInput(title="Dune", authors="Frank Herbert")


def _book_page(root, ref: str):
    from booktracker.pages.book_page import BookPageState

    route(root, "/book/[book_ref]", {"book_ref": ref})
    return sub(root, BookPageState)


def _bob_reviews(text="Spice!", **kwargs) -> int:
    bob = make_reader("Bob")
    assert bob.id is not None
    with new_session() as session:
        entry = library.add_to_library(session=session, user_id=bob.id, book=DUNE, status="finished").user_book
        read_id = library.list_reads(session=session, user_id=bob.id, user_book_id=entry.id)[0].id
        reviews.write_review(
            session=session, user_id=bob.id, read_id=read_id, data=ReviewInput(text=text, rating=4, **kwargs)
        )
    return entry.book_id


def test_visitor_sees_counts_reviews_and_can_switch_lists(root):
    book_id = _bob_reviews(has_spoilers=True)
    state = _book_page(root, f"{book_id}-dune")
    state.load()
    assert state.found == "found" and state.book.title == "Dune" and state.book.finished == 1
    assert [row.count for row in state.star_bars] == [0, 1, 0, 0, 0]  # 5★ first
    [review] = state.posts
    assert review.text == "Spice!" and review.review_has_spoilers and review.author_username == ""
    state.set_sort("liked")
    assert state.sort == "liked" and len(state.posts) == 1
    state.show_list("posts")
    assert state.list_kind == "posts" and state.posts == []
    assert "bob@example.com" not in client_view(state)


def test_bad_refs_show_book_not_found(root):
    for ref in ("999", "abc", ""):
        state = _book_page(root, ref)
        state.load()
        assert state.found == "missing" and state.posts == []


def test_signed_in_reader_adds_the_book_and_sees_her_copy(signed_up):
    book_id = _bob_reviews()
    state = _book_page(signed_up, str(book_id))
    state.load()
    assert state.book.my_user_book_id == 0
    assert toasts(state.add_to_library())[0][0] == "success"
    assert state.book.my_user_book_id > 0 and state.book.my_status == "to-read"
    assert state.book.want_to_read == 1


def test_review_form_on_my_copy_writes_edits_and_deletes(signed_up):
    state, _entry_id = open_book(signed_up, DUNE, status="finished")
    [row] = state.review_rows
    assert not row.has_review
    assert state.public_path == f"/book/{state.detail.book_id}-dune"  # the link to the public page
    state.open_review(row.read_id)
    state.save_review({"rating": "4.1", "text": "x"})
    assert "quarter steps" in state.review_error and state.reviewing_read_id == row.read_id
    state.save_review({"rating": "4.5", "text": "Loved it", "has_spoilers": "on", "is_public": "on"})
    [row] = state.review_rows
    assert row.has_review and row.rating == "4.5" and row.has_spoilers and row.is_public
    assert state.reviewing_read_id == 0
    # The public page shows it.
    page = _book_page(signed_up, str(state.detail.book_id))
    page.load()
    assert [p.text for p in page.posts] == ["Loved it"] and page.posts[0].is_mine
    state.open_review(row.read_id)
    state.delete_review()
    assert not state.review_rows[0].has_review
