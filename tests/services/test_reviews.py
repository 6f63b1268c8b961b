"""Reviews of reads: writing, editing, deleting, owner checks, and the companion post of a public review."""

import datetime

import pytest
from sqlmodel import select

from booktracker.db import utcnow
from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Comment, Like, Post, Review, UserBook
from booktracker.services import library, posts, reviews
from booktracker.services.books import BookInput
from booktracker.services.reviews import ReviewInput


def finished_read(session, user, title="Dune"):
    entry = library.add_to_library(
        session=session, user_id=user.id, book=BookInput(title=title, authors="Frank Herbert"), status="finished"
    ).user_book
    read = library.list_reads(session=session, user_id=user.id, user_book_id=entry.id)[0]
    return entry, read.id


def companion(session, review_id):
    return session.exec(select(Post).where(Post.review_id == review_id)).first()


def test_public_review_gets_a_companion_post_in_feeds(session, ann, bob):
    entry, read_id = finished_read(session, ann)
    view = reviews.write_review(
        session=session,
        user_id=ann.id,
        read_id=read_id,
        data=ReviewInput(rating=4.5, text="Spice must flow.", has_spoilers=True),
    )
    assert view.rating == 4.5 and view.read_id == read_id and view.has_spoilers and view.is_public
    post = companion(session, view.id)
    assert post is not None and post.created_at == post.updated_at and post.text == "Spice must flow."
    shown = posts.feed(session=session, viewer_id=bob.id).posts[0]
    assert shown.review_id == view.id and shown.review_rating == 4.5 and shown.review_has_spoilers
    assert shown.book_id == entry.book_id and not shown.edited
    assert posts.user_posts(session=session, viewer_id=None, author_id=ann.id).posts[0].review_id == view.id
    # An unrated entry takes the review's rating.
    assert session.get(UserBook, entry.id).rating == 4.5


def test_edit_updates_the_post_and_private_removes_it_with_likes_and_comments(session, ann, bob):
    _entry, read_id = finished_read(session, ann)
    first = reviews.write_review(session=session, user_id=ann.id, read_id=read_id, data=ReviewInput(text="Good"))
    post = companion(session, first.id)
    posts.like(session=session, user_id=bob.id, post_id=post.id)
    posts.add_comment(session=session, user_id=bob.id, post_id=post.id, text="Agreed")
    edited = reviews.write_review(session=session, user_id=ann.id, read_id=read_id, data=ReviewInput(text="Great"))
    assert edited.id == first.id  # one review per read
    view = posts.get_post(session=session, viewer_id=bob.id, post_id=post.id)
    assert view.text == "Great" and view.edited and view.like_count == 1
    reviews.write_review(
        session=session, user_id=ann.id, read_id=read_id, data=ReviewInput(text="Great", is_public=False)
    )
    assert companion(session, first.id) is None
    assert session.exec(select(Like)).all() == [] and session.exec(select(Comment)).all() == []
    # Public again: a new post.
    reviews.write_review(session=session, user_id=ann.id, read_id=read_id, data=ReviewInput(text="Great"))
    assert companion(session, first.id) is not None


def test_delete_review_removes_its_post_and_deleting_the_post_removes_the_review(session, ann):
    _entry, read_id = finished_read(session, ann)
    view = reviews.write_review(session=session, user_id=ann.id, read_id=read_id, data=ReviewInput(rating=3))
    reviews.delete_review(session=session, user_id=ann.id, read_id=read_id)
    assert session.get(Review, view.id) is None and companion(session, view.id) is None
    with pytest.raises(NotFound):
        reviews.delete_review(session=session, user_id=ann.id, read_id=read_id)
    again = reviews.write_review(session=session, user_id=ann.id, read_id=read_id, data=ReviewInput(rating=3))
    post = companion(session, again.id)
    with pytest.raises(InvalidInput):  # the post's text is the review's
        posts.edit_post(session=session, user_id=ann.id, post_id=post.id, data=posts.PostInput(text="x"))
    posts.delete_post(session=session, user_id=ann.id, post_id=post.id)
    session.expire_all()
    assert session.get(Review, again.id) is None


def test_only_the_owner_writes_or_deletes(session, ann, bob):
    _entry, read_id = finished_read(session, ann)
    reviews.write_review(session=session, user_id=ann.id, read_id=read_id, data=ReviewInput(text="Mine"))
    with pytest.raises(NotFound, match="not in your library"):
        reviews.write_review(session=session, user_id=bob.id, read_id=read_id, data=ReviewInput(text="Not mine"))
    with pytest.raises(NotFound):
        reviews.delete_review(session=session, user_id=bob.id, read_id=read_id)
    assert session.exec(select(Review)).one().text == "Mine"


@pytest.mark.parametrize(
    "data, field, message",
    [
        (ReviewInput(rating=4.1, text="x"), "rating", "quarter steps"),
        (ReviewInput(rating=6, text="x"), "rating", "quarter steps"),
        (ReviewInput(text="   \u200b "), "text", "Write a review or give a rating"),
        (ReviewInput(text="x" * 20_001), "text", "at most 20,000"),
    ],
)
def test_bad_input_is_refused_with_its_field(session, ann, data, field, message):
    _entry, read_id = finished_read(session, ann)
    with pytest.raises(InvalidInput, match=message) as caught:
        reviews.write_review(session=session, user_id=ann.id, read_id=read_id, data=data)
    assert caught.value.field == field


def test_companion_posts_in_one_statement_keep_the_review_date(session, ann, count_statements):
    """Imports: one INSERT … SELECT for a batch, dated like each review, private ones skipped."""
    ids = []
    when = utcnow() - datetime.timedelta(days=400)
    for index, public in enumerate([True, True, False]):
        entry, read_id = finished_read(session, ann, title=f"Book {index}")
        review = Review(
            user_id=ann.id,
            user_book_id=entry.id,
            read_id=read_id,
            book_id=entry.book_id,
            text=f"r{index}",
            is_public=public,
            created_at=when,
            updated_at=when,
        )
        session.add(review)
        session.commit()
        ids.append(review.id)
    with count_statements() as counter:
        reviews.add_companion_posts(session, ids)
    session.commit()
    assert counter.count == 1
    made = session.exec(select(Post).order_by(Post.review_id)).all()
    assert [p.review_id for p in made] == ids[:2]
    assert all(p.created_at == when and p.updated_at == when for p in made)
    reviews.add_companion_posts(session, ids)  # never twice
    session.commit()
    assert len(session.exec(select(Post)).all()) == 2
