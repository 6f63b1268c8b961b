"""Follows, followers, reader search, friends currently reading and profile edits."""

import pytest

from booktracker.errors import Conflict, InvalidInput, NotFound
from booktracker.services import library, social
from booktracker.services.books import BookInput
from tests.services.conftest import reader


@pytest.fixture
def ann(session):
    return reader(session, "Ann Lee")  # a name of two words


def test_follow_rules_lists_and_search(session, ann, bob):
    with pytest.raises(InvalidInput):
        social.follow(session=session, user_id=ann.id, username=ann.username)
    with pytest.raises(NotFound):
        social.follow(session=session, user_id=ann.id, username="nobody")
    social.follow(session=session, user_id=ann.id, username="bob")
    assert [p.username for p in social.followers(session=session, viewer_id=None, username="bob")] == [ann.username]
    assert [p.username for p in social.following(session=session, viewer_id=bob.id, username=ann.username)] == ["bob"]
    found = social.search_people(session=session, viewer_id=ann.id, text="bo")
    assert [(p.username, p.i_follow) for p in found] == [("bob", True)]
    assert social.search_people(session=session, viewer_id=ann.id, text="%") == []
    social.unfollow(session=session, user_id=ann.id, username="bob")
    assert social.profile(session=session, viewer_id=ann.id, username="bob").followers == 0


def test_friends_currently_reading(session, ann, bob):
    entry = library.add_to_library(
        session=session, user_id=bob.id, book=BookInput(title="Emma", total_pages=200)
    ).user_book
    library.update_progress(session=session, user_id=bob.id, user_book_id=entry.id, current_page=50)
    assert social.friends_reading(session=session, user_id=ann.id) == []
    social.follow(session=session, user_id=ann.id, username="bob")
    [reading] = social.friends_reading(session=session, user_id=ann.id)
    assert (reading.username, reading.book_title, reading.percent) == ("bob", "Emma", 25)
    profile = social.profile(session=session, viewer_id=None, username="bob")
    assert profile.books == 1 and [r.book_title for r in profile.currently_reading] == ["Emma"]


@pytest.mark.parametrize(
    "name, username, field",
    [
        ("\u200b\u200b", "ann", "name"),
        ("\u3164", "ann", "name"),
        ("Ann\u202eLee", "ann", "name"),
        ("Ann", "ann\u2066x", "username"),
    ],
)
def test_profile_names_need_visible_characters_and_no_bidi_controls(session, ann, name, username, field):
    with pytest.raises(InvalidInput) as caught:
        social.update_profile(session=session, user_id=ann.id, name=name, username=username, bio="")
    assert caught.value.field == field


def test_profile_keeps_joiners_in_names_and_strips_bidi_controls_from_the_bio(session, ann):
    user = social.update_profile(
        session=session, user_id=ann.id, name="Ann 👩\u200d💻 زهرا\u200cی", username="ann", bio="\u202eI read.\u202c"
    )
    assert user.name == "Ann 👩\u200d💻 زهرا\u200cی" and user.bio == "I read."


def test_update_profile(session, ann, bob):
    user = social.update_profile(session=session, user_id=ann.id, name=" Ann  Lee ", username="Ann_L", bio="I read.")
    assert (user.name, user.username, user.bio) == ("Ann Lee", "ann_l", "I read.")
    with pytest.raises(Conflict):
        social.update_profile(session=session, user_id=ann.id, name="Ann", username="BOB", bio="")
    with pytest.raises(InvalidInput):
        social.update_profile(session=session, user_id=ann.id, name="Ann", username="a b", bio="")
    with pytest.raises(InvalidInput):
        social.update_profile(session=session, user_id=ann.id, name="Ann", username="ann", bio="x" * 501)
