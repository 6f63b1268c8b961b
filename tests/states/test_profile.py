"""The profile page state (/u/<username>): the right reader's posts a page
at a time, follow, followers/following, and editing one's own profile."""

from booktracker.services import posts, social
from tests.states.helpers import client_view, make_reader, new_session, redirects, route, sub, toasts


def _profile(root, username: str):
    from booktracker.pages.profile import ProfileState

    route(root, "/u/[username]", {"username": username})
    return sub(root, ProfileState)


def test_loads_that_readers_public_posts_a_page_at_a_time(signed_up):
    bob, cy = make_reader("Bob"), make_reader("Cy")
    assert bob.id is not None and cy.id is not None
    with new_session() as session:
        for n in range(posts.FEED_PAGE + 3):
            posts.create_post(session=session, user_id=bob.id, data=posts.PostInput(text=f"bob {n}"))
        posts.create_post(session=session, user_id=bob.id, data=posts.PostInput(text="secret", is_public=False))
        posts.create_post(session=session, user_id=cy.id, data=posts.PostInput(text="cy's"))
    state = _profile(signed_up, "bob")
    state.load()
    assert state.found == "found" and state.profile.username == "bob" and not state.profile.is_me
    assert len(state.posts) == posts.FEED_PAGE and state.next_cursor
    state.load_more()
    assert len(state.posts) == posts.FEED_PAGE + 3 and state.next_cursor == ""
    assert {p.author_username for p in state.posts} == {"bob"}
    assert "secret" not in {p.text for p in state.posts}
    assert state.profile.posts == posts.FEED_PAGE + 3  # the count a visitor sees leaves out the private one
    assert "bob@example.com" not in client_view(state)


def test_own_profile_and_a_missing_one(signed_up):
    state = _profile(signed_up, "ann")
    state.load()
    assert state.found == "found" and state.profile.is_me
    state = _profile(signed_up, "nobody_here")
    state.load()
    assert state.found == "missing" and state.profile.username == ""


def test_logged_out_visitors_see_the_profile_without_being_sent_away(root):
    bob = make_reader("Bob")
    assert bob.id is not None
    with new_session() as session:
        posts.create_post(session=session, user_id=bob.id, data=posts.PostInput(text="hello world"))
    state = _profile(root, "bob")
    assert redirects(state.load()) == []
    assert state.found == "found" and [p.text for p in state.posts] == ["hello world"]
    # Following needs a login, and comes back here afterwards.
    assert redirects(state.toggle_follow()) == ["/login?next=/u/bob"]


def test_follow_and_the_people_tabs(signed_up):
    make_reader("Bob")
    state = _profile(signed_up, "bob")
    state.load()
    state.toggle_follow()
    assert state.profile.i_follow and state.profile.followers == 1
    state.set_people_tab("followers")
    assert [p.username for p in state.people] == ["ann"]
    state.set_people_tab("following")
    assert state.people == []
    state.set_people_tab("anything else")
    assert state.people_tab == "posts"
    state.toggle_follow()
    assert not state.profile.i_follow and state.profile.followers == 0


def test_following_a_reader_that_vanished_is_an_error_toast(signed_up):
    make_reader("Bob")
    state = _profile(signed_up, "bob")
    state.load()
    state.profile = state.profile.model_copy(update={"username": "gone_now"})
    assert [level for level, _ in toasts(state.toggle_follow())] == ["error"]


def test_saving_the_profile_keeps_the_form_on_errors(signed_up):
    make_reader("Bob")
    state = _profile(signed_up, "ann")
    state.load()
    state.set_editing_profile(True)
    assert state.save_profile({"name": "Ann", "username": "X!", "bio": ""}) is None
    assert "Username" in state.profile_error and state.editing_profile
    assert state.save_profile({"name": "Ann", "username": "bob", "bio": ""}) is None
    assert state.profile_error == "That username is taken." and state.editing_profile
    with new_session() as session:
        assert social.profile(session=session, viewer_id=None, username="ann").bio == ""

    result = state.save_profile({"name": "Ann B", "username": "ann_b", "bio": "Reads a lot"})
    assert redirects(result) == ["/u/ann_b"] and toasts(result) == [("success", "Profile saved.")]
    assert (state.user_name, state.username, state.editing_profile) == ("Ann B", "ann_b", False)


def test_saving_without_a_login_goes_to_the_login_page(root):
    make_reader("Bob")
    state = _profile(root, "bob")
    assert redirects(state.save_profile({"name": "X", "username": "bob", "bio": ""})) == ["/login?next=/u/bob"]


def _visibility(user_id: int, visibility: str) -> None:
    from booktracker.services import privacy_settings

    with new_session() as session:
        privacy_settings.set_profile_visibility(session=session, user_id=user_id, visibility=visibility)


def test_a_private_profile_says_so_to_visitors_and_readers(root):
    bob = make_reader("Bob")
    assert bob.id is not None
    with new_session() as session:
        posts.create_post(session=session, user_id=bob.id, data=posts.PostInput(text="bob's secret"))
    _visibility(bob.id, "signed-in")
    state = _profile(root, "bob")
    assert redirects(state.load()) == []  # not a 500, not sent away: "This profile is private"
    assert state.found == "found" and not state.profile.visible and state.posts == []
    assert state.profile.followers == 0 and "bob's secret" not in client_view(state)
    state.set_people_tab("followers")
    assert state.people_tab == "posts" and state.people == []


def test_following_a_followers_only_profile_asks_and_approval_opens_it(signed_up):
    from booktracker.services import privacy_settings

    bob = make_reader("Bob")
    assert bob.id is not None
    with new_session() as session:
        posts.create_post(session=session, user_id=bob.id, data=posts.PostInput(text="for followers"))
    _visibility(bob.id, "followers")
    state = _profile(signed_up, "bob")
    state.load()
    assert not state.profile.visible and state.posts == []
    assert toasts(state.toggle_follow()) == [("info", "Follow request sent: they approve or decline it.")]
    assert state.profile.requested and not state.profile.i_follow
    with new_session() as session:
        privacy_settings.approve_follow(session=session, user_id=bob.id, username="ann")
    state.load()
    assert state.profile.visible and [p.text for p in state.posts] == ["for followers"]
    state.toggle_follow()  # unfollow: the profile closes again, posts go with it
    assert not state.profile.visible and state.posts == []


def test_withdrawing_a_request(signed_up):
    bob = make_reader("Bob")
    assert bob.id is not None
    _visibility(bob.id, "private")
    state = _profile(signed_up, "bob")
    state.load()
    state.toggle_follow()
    assert state.profile.requested
    state.toggle_follow()
    assert not state.profile.requested and not state.profile.i_follow
