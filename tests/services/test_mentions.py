"""@mentions (services/mentions.py): parsing into text and links, and who is told."""

import pytest
from sqlmodel import select

from booktracker.models import Notification, NotificationKind
from booktracker.services import mentions, posts, privacy_settings, safety, social
from booktracker.services.mentions import TextPart
from tests.services.conftest import reader

MENTION = NotificationKind.MENTION.value


# ----------------------------------------------------------------- parsing


def test_usernames_are_found_once_lower_cased_and_emails_are_not_mentions():
    text = "@Ann and @bob_2, again @ann; mail ann@example.com, @@x @no @toolong" + "x" * 30
    assert mentions.usernames(text) == ["ann", "bob_2"]


def test_text_splits_into_plain_parts_and_mentions():
    assert mentions.parts("no mention here") == []
    assert mentions.parts("ann@example.com") == []
    assert mentions.parts("Hi @Ann, see p. 3") == [
        TextPart(text="Hi "),
        TextPart(text="@Ann", username="ann"),
        TextPart(text=", see p. 3"),
    ]
    assert mentions.parts("@bob") == [TextPart(text="@bob", username="bob")]


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script> @ann", "[x](javascript:alert(1)) @ann", '@ann <a href="javascript:x">y</a>'],
)
def test_markup_stays_literal_text(text):
    """Only @name becomes a link; everything else is a plain part, as typed (never HTML)."""
    found = mentions.parts(text)
    assert "".join(part.text for part in found) == text
    assert [part.username for part in found if part.username] == ["ann"]
    assert all("javascript" not in part.username and "<" not in part.username for part in found)


# ----------------------------------------------------------------- who is told


@pytest.fixture
def ann(session):
    return reader(session, "Ann")


@pytest.fixture
def bob(session):
    return reader(session, "Bob")


def told(session, post_id=None):
    query = select(Notification.user_id).where(Notification.kind == MENTION)
    if post_id is not None:
        query = query.where(Notification.post_id == post_id)
    return sorted(session.exec(query).all())


def publish(session, user, text, **kwargs):
    return posts.publish(session=session, user_id=user.id, data=posts.PostInput(text=text, **kwargs))


def test_a_post_tells_the_readers_it_mentions(session, ann, bob):
    carl = reader(session, "Carl")
    view = publish(session, ann, "Reading with @bob and @Carl, not @nobody nor @ann")
    assert told(session, view.id) == sorted([bob.id, carl.id])
    assert [p.username for p in view.text_parts if p.username] == ["bob", "carl", "nobody", "ann"]


def test_a_private_post_tells_nobody(session, ann, bob):
    publish(session, ann, "secret @bob", is_public=False)
    assert told(session) == []


def test_followers_only_author_tells_only_approved_followers(session, ann, bob):
    carl = reader(session, "Carl")
    privacy_settings.set_profile_visibility(session=session, user_id=ann.id, visibility="followers")
    social.follow(session=session, user_id=bob.id, username="ann")  # a request, not approved
    publish(session, ann, "hi @bob @carl")
    assert told(session) == []
    privacy_settings.approve_follow(session=session, user_id=ann.id, username="bob")
    publish(session, ann, "again @bob @carl")
    assert told(session) == [bob.id]
    assert carl.id not in told(session)


def test_blocked_and_suspended_readers_are_not_told(session, ann, bob):
    from booktracker.db import utcnow
    from booktracker.models import User

    carl = reader(session, "Carl")
    safety.block(session=session, user_id=bob.id, username="ann")
    user = session.get(User, carl.id)
    assert user is not None
    user.suspended_at = utcnow()
    session.add(user)
    session.commit()
    publish(session, ann, "@bob @carl")
    assert told(session) == []


def test_an_edit_tells_only_readers_newly_mentioned(session, ann, bob):
    carl = reader(session, "Carl")
    view = publish(session, ann, "with @bob")
    posts.edit_post(session=session, user_id=ann.id, post_id=view.id, data=posts.PostInput(text="with @bob and @carl"))
    assert told(session, view.id) == sorted([bob.id, carl.id])  # Bob once
    private = publish(session, ann, "quiet @bob", is_public=False)
    posts.edit_post(session=session, user_id=ann.id, post_id=private.id, data=posts.PostInput(text="quiet @bob"))
    assert bob.id in told(session, private.id)  # now public: Bob was never told before


def test_a_comment_tells_the_readers_it_mentions(session, ann, bob):
    carl = reader(session, "Carl")
    view = publish(session, ann, "A post")
    comment = posts.add_comment(session=session, user_id=bob.id, post_id=view.id, text="@carl look, and @ann")
    rows = session.exec(select(Notification).where(Notification.kind == MENTION)).all()
    # Ann, the post's author, hears of the comment already (kind comment): no second notification.
    assert {(n.user_id, n.comment_id) for n in rows} == {(carl.id, comment.id)}
    assert [p.username for p in comment.text_parts if p.username] == ["carl", "ann"]
    listed = posts.list_comments(session=session, viewer_id=ann.id, post_id=view.id)
    assert [p.text for p in listed[0].text_parts] == ["@carl", " look, and ", "@ann"]


def test_resolving_mentions_is_one_statement(session, count_statements, ann):
    names = [reader(session, f"R{i}") for i in range(5)]
    post = publish(session, ann, "x")
    from booktracker.models import Post

    stored = session.get(Post, post.id)
    assert stored is not None
    with count_statements() as counter:
        found = mentions.recipients(session, stored, [u.username for u in names] + ["ghost"])
    assert counter.count == 1 and sorted(found) == sorted(u.id for u in names)
    with count_statements() as counter:
        assert mentions.recipients(session, stored, []) == []
    assert counter.count == 0


def test_at_most_ten_readers_are_told_per_post(session, ann):
    many = [reader(session, f"Reader {i}") for i in range(12)]
    view = publish(session, ann, " ".join(f"@{u.username}" for u in many))
    assert len(told(session, view.id)) == mentions.MAX_NOTIFIED
