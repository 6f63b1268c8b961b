"""A shared book's public page: counts, rating distribution, friends, privacy, reviews and posts paged and sorted."""

import pytest
from sqlmodel import select

from booktracker.db import utcnow
from booktracker.errors import InvalidInput, NotFound
from booktracker.models import UserBook
from booktracker.services import book_pages, library, posts, privacy_settings, reviews, safety, social
from booktracker.services.books import BookInput
from booktracker.services.reviews import ReviewInput
from tests.services.conftest import reader

DUNE = BookInput(title="Dune", authors="Frank Herbert")


def shelve(session, user, status="finished", rating=None, book=DUNE):
    entry = library.add_to_library(session=session, user_id=user.id, book=book, status=status).user_book
    if rating is not None:
        entry.rating = rating
        session.add(entry)
        session.commit()
    return entry


def review(session, user, text="Loved it", **kwargs):
    entry = shelve(session, user)
    read_id = library.list_reads(session=session, user_id=user.id, user_book_id=entry.id)[0].id
    return reviews.write_review(
        session=session, user_id=user.id, read_id=read_id, data=ReviewInput(text=text, **kwargs)
    )


def test_counts_and_distribution(session, ann, bob):
    carl, dora, eve = (reader(session, n) for n in ("Carl", "Dora", "Eve"))
    book_id = shelve(session, ann, rating=4.75).book_id
    shelve(session, bob, rating=0.5)
    shelve(session, carl, status="reading", rating=5)
    shelve(session, dora, status="to-read")
    hidden = shelve(session, eve, rating=1)  # hidden from others: not counted
    hidden.hidden = True
    session.add(hidden)
    session.commit()
    page = book_pages.book_page(session=session, viewer_id=None, book_id=book_id)
    assert (page.title, page.authors) == ("Dune", "Frank Herbert")
    assert (page.want_to_read, page.reading, page.finished) == (1, 1, 2)
    assert page.rating_count == 3 and page.average_rating == pytest.approx((4.75 + 0.5 + 5) / 3, abs=0.01)
    assert page.distribution == [1, 0, 0, 1, 1]
    assert page.my_user_book_id == 0 and page.friends == []


def test_suspended_readers_are_not_counted(session, ann, bob):
    book_id = shelve(session, ann, rating=2).book_id
    shelve(session, bob, rating=4)
    bob.suspended_at = utcnow()
    session.add(bob)
    session.commit()
    page = book_pages.book_page(session=session, viewer_id=None, book_id=book_id)
    assert page.finished == 1 and page.distribution == [0, 1, 0, 0, 0]


def test_my_copy_and_friends_respect_privacy(session, ann, bob):
    carl, dora, eve = (reader(session, n) for n in ("Carl", "Dora", "Eve"))
    mine = shelve(session, ann, status="reading")
    for friend in (bob, carl, dora, eve):
        social.follow(session=session, user_id=ann.id, username=friend.username)
        shelve(session, friend)
    hidden = session.exec(select(UserBook).where(UserBook.user_id == carl.id)).one()
    hidden.hidden = True
    session.add(hidden)
    session.commit()
    safety.block(session=session, user_id=dora.id, username="ann")  # a block either way hides
    privacy_settings.set_profile_visibility(session=session, user_id=eve.id, visibility="private")
    page = book_pages.book_page(session=session, viewer_id=ann.id, book_id=mine.book_id)
    assert page.my_user_book_id == mine.id and page.my_status == "reading"
    assert [f.username for f in page.friends] == ["bob"]
    assert page.friends[0].status == "finished" and page.friends[0].initials == "B"


def test_unknown_book_and_refs(session):
    with pytest.raises(NotFound, match="Book not found"):
        book_pages.book_page(session=session, viewer_id=None, book_id=999)
    assert book_pages.parse_book_ref("123-the-hobbit") == 123
    assert book_pages.parse_book_ref("7") == 7
    for bad in ("", "abc", "-3", "12abc", None, "1" * 30):
        assert book_pages.parse_book_ref(bad) == 0


def test_reviews_list_obeys_privacy_and_sorts(session, ann, bob):
    carl, dora = reader(session, "Carl"), reader(session, "Dora")
    first = review(session, ann, text="First")
    second = review(session, bob, text="Second")
    review(session, carl, text="Private one", is_public=False)
    review(session, dora, text="Blocked one")
    safety.block(session=session, user_id=dora.id, username="ann")
    book_id = shelve(session, ann).book_id
    post_of = {p.review_id: p for p in posts.feed(session=session, viewer_id=ann.id).posts}
    posts.like(session=session, user_id=carl.id, post_id=post_of[first.id].id)
    newest = posts.book_posts(session=session, viewer_id=ann.id, book_id=book_id)
    assert [p.text for p in newest.posts] == ["Second", "First"]
    liked = posts.book_posts(session=session, viewer_id=ann.id, book_id=book_id, sort="liked")
    assert [p.text for p in liked.posts] == ["First", "Second"]
    # Visitors: no blocked-by-ann filter, Dora's review shows; Carl's private one never.
    visitor = posts.book_posts(session=session, viewer_id=None, book_id=book_id)
    assert {p.text for p in visitor.posts} == {"First", "Second", "Blocked one"}
    # Posts about the book are a separate list; reviews are not in it.
    assert posts.book_posts(session=session, viewer_id=ann.id, book_id=book_id, kind="posts").posts == []
    assert book_pages.book_page(session=session, viewer_id=None, book_id=book_id).review_count == 3
    del second
    with pytest.raises(InvalidInput):
        posts.book_posts(session=session, viewer_id=None, book_id=book_id, sort="oldest")
    with pytest.raises(InvalidInput):
        posts.book_posts(session=session, viewer_id=None, book_id=book_id, sort="liked", cursor="bad")


def test_posts_about_a_hidden_copy_are_not_listed(session, ann, bob):
    entry = shelve(session, bob)
    posts.create_post(session=session, user_id=bob.id, data=posts.PostInput(text="A quote", user_book_id=entry.id))
    listed = posts.book_posts(session=session, viewer_id=ann.id, book_id=entry.book_id, kind="posts")
    assert [p.text for p in listed.posts] == ["A quote"] and listed.posts[0].book_id == entry.book_id
    entry.hidden = True
    session.add(entry)
    session.commit()
    assert posts.book_posts(session=session, viewer_id=ann.id, book_id=entry.book_id, kind="posts").posts == []
    mine = posts.book_posts(session=session, viewer_id=bob.id, book_id=entry.book_id, kind="posts")
    assert [p.text for p in mine.posts] == ["A quote"]


@pytest.mark.parametrize("sort", ["newest", "liked"])
def test_paging_walks_every_review_once(session, sort):
    readers = [reader(session, f"R{i}") for i in range(25)]
    for index, person in enumerate(readers):
        review(session, person, text=f"review {index}")
    book_id = session.exec(select(UserBook.book_id)).first()
    seen, cursor = [], ""
    while True:
        page = posts.book_posts(session=session, viewer_id=None, book_id=book_id, sort=sort, cursor=cursor, limit=10)
        seen += [p.text for p in page.posts]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(f"review {i}" for i in range(25))


@pytest.mark.parametrize("count", [1, 30])
def test_book_page_costs_constant_statements(session, count_statements, ann, count):
    """Visitor: 1 statement (book + counts) + 2 per list page (ids, cards; 1 when empty); signed in: + 1 (friends)."""
    for index in range(count):
        person = reader(session, f"R{index}")
        social.follow(session=session, user_id=ann.id, username=person.username)
        review(session, person, text=f"review {index}", rating=4)
        shelve(session, person, book=BookInput(title="Other", authors="X"))
    book_id = session.exec(select(UserBook.book_id)).first()
    with count_statements() as counter:
        book_pages.book_page(session=session, viewer_id=None, book_id=book_id)
        posts.book_posts(session=session, viewer_id=None, book_id=book_id)
    assert counter.count == 3
    with count_statements() as counter:
        page = book_pages.book_page(session=session, viewer_id=ann.id, book_id=book_id)
        posts.book_posts(session=session, viewer_id=ann.id, book_id=book_id, sort="liked")
        posts.book_posts(session=session, viewer_id=ann.id, book_id=book_id, kind="posts")
    assert counter.count == 5  # the "posts" list is empty: its ids only
    assert page.finished == count and len(page.friends) == min(count, book_pages.FRIENDS_SHOWN)
