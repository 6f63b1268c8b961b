"""Imported reviews: public ones get their companion post (dated like the review), and
exports (Goodreads CSV, JSON backup) write reviews back so they round-trip."""

import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from booktracker.models import Post, Review
from booktracker.services import auth, exports, imports, posts

GOODREADS = (Path(__file__).parent.parent / "fixtures" / "goodreads_full.csv").read_bytes()


@pytest.fixture
def factory(db):
    return lambda: Session(db, expire_on_commit=False)


def run(factory, user, data, **kwargs):
    *_, last = imports.import_rows(session_factory=factory, user_id=user.id, data=data, **kwargs)
    return last


def signup(session, name):
    return auth.signup(session=session, email=f"{name}@example.com", name=name.title(), password="password 123")


def reviews_of(session, user):
    rows = session.exec(select(Review).where(Review.user_id == user.id).order_by(Review.text)).all()
    return [(r.text, r.has_spoilers, r.is_public, r.created_at, r.rating) for r in rows]


def test_public_imported_reviews_get_companion_posts_dated_like_them(session, factory):
    ann = signup(session, "ann")
    run(factory, ann, GOODREADS, review_as="public")
    made = session.exec(select(Review, Post).join(Post, Post.review_id == Review.id)).all()
    assert made and len(made) == len(session.exec(select(Review)).all())
    for review, post in made:
        assert post.created_at == review.created_at == post.updated_at and post.text == review.text
    shown = {p.review_id: p for p in posts.user_posts(session=session, viewer_id=None, author_id=ann.id).posts}
    assert {r.id for r, _p in made} == set(shown)
    spoiler = next(r for r, _p in made if r.has_spoilers)
    assert shown[spoiler.id].review_has_spoilers and not shown[spoiler.id].edited


def test_private_imported_reviews_have_no_post(session, factory):
    ann = signup(session, "ann")
    run(factory, ann, GOODREADS, review_as="private")
    assert session.exec(select(Review)).all() and session.exec(select(Post)).all() == []


def test_goodreads_export_round_trip_keeps_text_spoilers_and_dates(session, factory):
    ann, bob = signup(session, "ann"), signup(session, "bob")
    run(factory, ann, GOODREADS, review_as="public")
    exported = "".join(exports.goodreads_csv(session=session, user_id=ann.id))
    run(factory, bob, exported.encode(), review_as="public")  # the CSV has no public flag: the reader chooses
    session.expire_all()
    assert reviews_of(session, bob) == reviews_of(session, ann)
    assert len(session.exec(select(Post).where(Post.user_id == bob.id)).all()) == len(reviews_of(session, bob))


def test_json_backup_round_trip_keeps_reviews_and_their_posts(session, factory):
    ann, bob = signup(session, "ann"), signup(session, "bob")
    run(factory, ann, GOODREADS, review_as="public")
    backup = exports.user_data(session=session, user_id=ann.id)
    assert backup["posts"] == []  # companion posts are the reviews', not posts of their own
    run(factory, bob, json.dumps(backup).encode())
    session.expire_all()
    assert reviews_of(session, bob) == reviews_of(session, ann)
    restored = exports.user_data(session=session, user_id=bob.id)
    assert restored["library"] == backup["library"]
    assert len(session.exec(select(Post).where(Post.user_id == bob.id)).all()) == len(reviews_of(session, bob))
