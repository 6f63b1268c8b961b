"""Blocking and muting: what each reader still sees, and what the queries cost."""

import pytest

from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Follow
from booktracker.services import auth, posts, safety, social
from booktracker.services.posts import PostInput


def reader(session, name):
    return auth.signup(session=session, email=f"{name.lower()}@example.com", name=name, password="password 123")


@pytest.fixture
def ann(session):
    return reader(session, "Ann")


@pytest.fixture
def bob(session):
    return reader(session, "Bob")


@pytest.fixture
def cat(session):
    return reader(session, "Cat")


def say(session, user, text):
    return posts.create_post(session=session, user_id=user.id, data=PostInput(text=text))


def feed_texts(session, viewer_id, tab="everyone"):
    return [p.text for p in posts.feed(session=session, viewer_id=viewer_id, tab=tab).posts]


def test_block_hides_both_readers_from_each_other_and_removes_follows(session, ann, bob, cat):
    social.follow(session=session, user_id=ann.id, username="bob")
    social.follow(session=session, user_id=bob.id, username="ann")
    ann_post, bob_post = say(session, ann, "ann says"), say(session, bob, "bob says")
    say(session, cat, "cat says")
    safety.block(session=session, user_id=ann.id, username="bob")

    # Follows are gone both ways, and can't come back.
    assert session.get(Follow, (ann.id, bob.id)) is None and session.get(Follow, (bob.id, ann.id)) is None
    with pytest.raises(NotFound):
        social.follow(session=session, user_id=bob.id, username="ann")
    with pytest.raises(InvalidInput, match="Unblock them first"):
        social.follow(session=session, user_id=ann.id, username="bob")
    # Bob: Ann doesn't exist; her posts can't be seen, liked or commented on.
    with pytest.raises(NotFound):
        social.profile(session=session, viewer_id=bob.id, username="ann")
    with pytest.raises(NotFound):
        social.followers(session=session, viewer_id=bob.id, username="ann")
    assert feed_texts(session, bob.id) == ["cat says", "bob says"]
    for attempt in (
        lambda: posts.get_post(session=session, viewer_id=bob.id, post_id=ann_post.id),
        lambda: posts.like(session=session, user_id=bob.id, post_id=ann_post.id),
        lambda: posts.add_comment(session=session, user_id=bob.id, post_id=ann_post.id, text="hi"),
        lambda: posts.list_comments(session=session, viewer_id=bob.id, post_id=ann_post.id),
    ):
        with pytest.raises(NotFound):
            attempt()
    assert social.search_people(session=session, viewer_id=bob.id, text="ann") == []
    # Ann doesn't see Bob either: feeds, his posts, search; his profile only to unblock.
    assert feed_texts(session, ann.id) == ["cat says", "ann says"]
    with pytest.raises(NotFound):
        posts.like(session=session, user_id=ann.id, post_id=bob_post.id)
    assert social.search_people(session=session, viewer_id=ann.id, text="bob") == []
    seen = social.profile(session=session, viewer_id=ann.id, username="bob")
    assert seen.i_block and not seen.i_mute
    assert posts.user_posts(session=session, viewer_id=ann.id, author_id=bob.id).posts == []
    # Others are not affected; unblocking restores everything but the follows.
    assert feed_texts(session, cat.id) == ["cat says", "bob says", "ann says"]
    assert [v.username for v in safety.blocked_readers(session=session, user_id=ann.id)] == ["bob"]
    safety.unblock(session=session, user_id=ann.id, username="bob")
    assert feed_texts(session, bob.id) == ["cat says", "bob says", "ann says"]
    assert social.profile(session=session, viewer_id=bob.id, username="ann").followers == 0


def test_blocked_readers_comments_disappear_from_the_blockers_posts(session, ann, bob, cat):
    post = say(session, cat, "cat says")
    posts.add_comment(session=session, user_id=bob.id, post_id=post.id, text="from bob")
    posts.add_comment(session=session, user_id=ann.id, post_id=post.id, text="from ann")
    safety.block(session=session, user_id=ann.id, username="bob")
    ann_sees = [c.text for c in posts.list_comments(session=session, viewer_id=ann.id, post_id=post.id)]
    bob_sees = [c.text for c in posts.list_comments(session=session, viewer_id=bob.id, post_id=post.id)]
    cat_sees = [c.text for c in posts.list_comments(session=session, viewer_id=cat.id, post_id=post.id)]
    assert ann_sees == ["from ann"] and bob_sees == ["from bob"] and cat_sees == ["from bob", "from ann"]


def test_mute_hides_posts_and_comments_from_the_muter_only(session, ann, bob, cat):
    social.follow(session=session, user_id=ann.id, username="bob")
    bob_post, cat_post = say(session, bob, "bob says"), say(session, cat, "cat says")
    posts.add_comment(session=session, user_id=bob.id, post_id=cat_post.id, text="from bob")
    safety.mute(session=session, user_id=ann.id, username="bob")
    safety.mute(session=session, user_id=ann.id, username="bob")  # again: nothing changes

    assert feed_texts(session, ann.id) == ["cat says"]
    assert feed_texts(session, ann.id, "following") == []
    assert posts.list_comments(session=session, viewer_id=ann.id, post_id=cat_post.id) == []
    # Bob is not told: he still sees, and can like and comment on, everything.
    assert feed_texts(session, bob.id) == ["cat says", "bob says"]
    assert social.profile(session=session, viewer_id=bob.id, username="ann").is_me is False
    # Ann can still open his post and his profile on purpose; she still follows him.
    assert posts.get_post(session=session, viewer_id=ann.id, post_id=bob_post.id).text == "bob says"
    assert social.profile(session=session, viewer_id=ann.id, username="bob").i_mute
    assert social.profile(session=session, viewer_id=bob.id, username="ann").followers == 0
    assert [v.username for v in safety.muted_readers(session=session, user_id=ann.id)] == ["bob"]
    safety.unmute(session=session, user_id=ann.id, username="bob")
    assert feed_texts(session, ann.id) == ["cat says", "bob says"]


def test_cannot_block_or_mute_yourself_or_an_unknown_reader(session, ann):
    with pytest.raises(InvalidInput, match="yourself"):
        safety.block(session=session, user_id=ann.id, username="ann")
    with pytest.raises(InvalidInput, match="yourself"):
        safety.mute(session=session, user_id=ann.id, username="ann")
    with pytest.raises(NotFound):
        safety.block(session=session, user_id=ann.id, username="nobody")


def test_blocks_and_mutes_cost_no_extra_statement(session, ann, bob, cat, count_statements):
    """Feed page 2 statements (ids, cards); comments 2 (the post, the list); profile 3."""
    social.follow(session=session, user_id=ann.id, username="cat")
    post = say(session, cat, "cat says")
    for i in range(25):
        say(session, bob if i % 2 else cat, f"post {i}")
    posts.add_comment(session=session, user_id=bob.id, post_id=post.id, text="hello")
    safety.block(session=session, user_id=ann.id, username="bob")
    safety.mute(session=session, user_id=cat.id, username="bob")
    for viewer in (ann.id, cat.id, None):
        with count_statements() as counter:
            page = posts.feed(session=session, viewer_id=viewer)
        assert counter.count == 2 and page.posts
        with count_statements() as counter:
            more = posts.feed(session=session, viewer_id=viewer, cursor=page.next_cursor)
        assert counter.count == (2 if more.posts else 1)
    with count_statements() as counter:
        posts.feed(session=session, viewer_id=ann.id, tab="following")
    assert counter.count == 2
    with count_statements() as counter:
        posts.list_comments(session=session, viewer_id=cat.id, post_id=post.id)
    assert counter.count == 2
    with count_statements() as counter:
        social.profile(session=session, viewer_id=ann.id, username="cat")
    assert counter.count == 3  # the reader, the counts and flags, the books being read
    with count_statements() as counter:
        posts.user_posts(session=session, viewer_id=ann.id, author_id=cat.id)
    assert counter.count == 2
