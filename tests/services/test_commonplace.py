"""The commonplace book (services/posts/commonplace.py): a reader's own posts
about one book in page order, paged, in one statement."""

from booktracker.services import library, posts
from booktracker.services.books import BookInput
from booktracker.services.posts import commonplace
from tests.services.conftest import reader

DUNE = BookInput(title="Dune", authors="Frank Herbert", total_pages=400)


def _post(session, user, entry_id, text, page=None, chapter="", **kwargs):
    data = posts.PostInput(text=text, user_book_id=entry_id, page=page, chapter=chapter, **kwargs)
    return posts.create_post(session=session, user_id=user.id, data=data)


def test_page_then_chapter_then_date_and_only_mine_about_this_book(session, ann, bob):
    entry = library.add_to_library(session=session, user_id=ann.id, book=DUNE).user_book
    other = library.add_to_library(session=session, user_id=ann.id, book=BookInput(title="Emma")).user_book
    bobs = library.add_to_library(session=session, user_id=bob.id, book=DUNE).user_book
    for text, page, chapter in [
        ("no anchor", None, ""),
        ("ch 10", None, "10"),
        ("ch 2", None, "2"),
        ("p 300", 300, ""),
        ("p 12 second", 12, ""),
        ("p 12 ch 1", 12, "1"),
    ]:
        _post(session, ann, entry.id, text, page, chapter)
    _post(session, ann, entry.id, "private", 50, is_public=False)
    _post(session, ann, other.id, "about Emma", 1)
    _post(session, bob, bobs.id, "Bob's", 5)
    found = commonplace.my_book_posts(session=session, user_id=ann.id, user_book_id=entry.id)
    assert [p.text for p in found.posts] == [
        "p 12 ch 1",
        "p 12 second",
        "private",
        "p 300",
        "ch 2",
        "ch 10",
        "no anchor",
    ]
    assert not found.has_more and all(p.is_mine and not p.shielded for p in found.posts)
    # Another reader's entry id finds nothing of theirs, nor of mine.
    assert commonplace.my_book_posts(session=session, user_id=ann.id, user_book_id=bobs.id).posts == []


def test_paged_in_one_statement(session, count_statements, ann):
    entry = library.add_to_library(session=session, user_id=ann.id, book=DUNE).user_book
    for n in range(commonplace.COMMONPLACE_PAGE + 3):
        _post(session, ann, entry.id, f"n{n:02}", page=n)
    with count_statements() as counter:
        first = commonplace.my_book_posts(session=session, user_id=ann.id, user_book_id=entry.id)
    assert counter.count == 1 and first.has_more and len(first.posts) == commonplace.COMMONPLACE_PAGE
    with count_statements() as counter:
        second = commonplace.my_book_posts(session=session, user_id=ann.id, user_book_id=entry.id, page=2)
    assert counter.count == 1 and [p.text for p in second.posts] == ["n20", "n21", "n22"] and not second.has_more


def test_a_third_reader_is_not_involved(session):
    carl = reader(session, "Carl")
    assert commonplace.my_book_posts(session=session, user_id=carl.id, user_book_id=12345).posts == []
