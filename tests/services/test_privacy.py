"""Profile visibility, follow requests and hidden books (services/privacy.py):
visitor / stranger / pending follower / follower / owner × public / signed-in /
followers / private × every social service."""

import pytest
from sqlmodel import select

from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Follow, ProfileVisibility, User
from booktracker.services import auth, library, posts, privacy_settings, social
from booktracker.services.books import BookInput

ROLES = ("visitor", "stranger", "pending", "follower", "owner")
SEES = {
    "public": {"visitor", "stranger", "pending", "follower", "owner"},
    "signed-in": {"stranger", "pending", "follower", "owner"},
    "followers": {"follower", "owner"},
    "private": {"owner"},
}
MATRIX = [(visibility, role) for visibility in SEES for role in ROLES]


def reader(session, name):
    return auth.signup(
        session=session, email=f"{name.lower().replace(' ', '.')}@example.com", name=name, password="password 123"
    )


def reading(session, user, title, *, hidden=False):
    entry = library.add_to_library(
        session=session,
        user_id=user.id,
        book=BookInput(title=title, authors="A. Writer", total_pages=100),
        status="reading",
    ).user_book
    if hidden:
        library.update_entry(
            session=session, user_id=user.id, user_book_id=entry.id, changes=library.EntryChanges(hidden=True)
        )
    return entry


class World:
    """Olga (whose visibility varies) with one public post about a shown book,
    one about a hidden book, a follower (Fay), a pending request (Pam), a
    stranger (Sam); Olga follows Flo."""

    def __init__(self, session, visibility):
        self.olga, self.fay, self.pam, self.sam, self.flo = (
            reader(session, n) for n in ("Olga", "Fay", "Pam", "Sam", "Flo")
        )
        shown = reading(session, self.olga, "Shown Book")
        hidden = reading(session, self.olga, "Hidden Book", hidden=True)
        self.post = post(session, self.olga, "about the shown book", user_book_id=shown.id)
        self.hidden_post = post(session, self.olga, "about the hidden book", user_book_id=hidden.id)
        session.add_all(
            [
                Follow(follower_id=self.fay.id, followee_id=self.olga.id),
                Follow(follower_id=self.pam.id, followee_id=self.olga.id, pending=True),
                Follow(follower_id=self.olga.id, followee_id=self.flo.id),
            ]
        )
        self.olga.profile_visibility = visibility
        session.add(self.olga)
        session.commit()

    def viewer(self, role):
        return {"visitor": None, "stranger": self.sam, "pending": self.pam, "follower": self.fay, "owner": self.olga}[
            role
        ]


def post(session, user, text, **kwargs):
    return posts.create_post(session=session, user_id=user.id, data=posts.PostInput(text=text, **kwargs))


def ids(page):
    return [p.id for p in page.posts]


@pytest.mark.parametrize(("visibility", "role"), MATRIX)
def test_profile_lists_and_posts_obey_the_visibility(session, visibility, role):
    world = World(session, visibility)
    viewer = world.viewer(role)
    viewer_id = viewer.id if viewer else None
    allowed = role in SEES[visibility]

    view = social.profile(session=session, viewer_id=viewer_id, username="olga")
    assert view.visible is allowed and view.visibility == visibility
    author_posts = posts.user_posts(session=session, viewer_id=viewer_id, author_id=world.olga.id)
    if allowed:
        # Pending requests are no follows; a hidden book is no book to others.
        assert (view.followers, view.following) == (1, 1)
        assert view.books == (2 if role == "owner" else 1)
        titles = [r.book_title for r in view.currently_reading]
        assert sorted(titles) == (["Hidden Book", "Shown Book"] if role == "owner" else ["Shown Book"])
        assert [p.username for p in social.followers(session=session, viewer_id=viewer_id, username="olga")] == ["fay"]
        assert [p.username for p in social.following(session=session, viewer_id=viewer_id, username="olga")] == ["flo"]
        assert world.post.id in ids(author_posts)
    else:
        assert (view.followers, view.following, view.books, view.posts, view.bio) == (0, 0, 0, 0, "")
        assert view.currently_reading == [] and author_posts.posts == []
        for listing in (social.followers, social.following):
            with pytest.raises(NotFound, match=r"This profile is private\."):
                listing(session=session, viewer_id=viewer_id, username="olga")
    assert view.requested is (role == "pending")
    assert view.i_follow is (role == "follower")


@pytest.mark.parametrize(("visibility", "role"), MATRIX)
def test_feeds_get_post_likes_and_comments_obey_the_visibility(session, visibility, role):
    world = World(session, visibility)
    viewer = world.viewer(role)
    viewer_id = viewer.id if viewer else None
    allowed = role in SEES[visibility]

    everyone = posts.feed(session=session, viewer_id=viewer_id)
    assert (world.post.id in ids(everyone)) is allowed
    following = posts.feed(session=session, viewer_id=viewer_id, tab="following")
    # Only an approved follower (and the author) gets it in Following.
    assert (world.post.id in ids(following)) is (allowed and role in ("follower", "owner"))
    if allowed:
        assert posts.get_post(session=session, viewer_id=viewer_id, post_id=world.post.id).id == world.post.id
    else:
        with pytest.raises(NotFound):
            posts.get_post(session=session, viewer_id=viewer_id, post_id=world.post.id)
    if viewer_id is None:
        return
    if allowed:
        assert posts.like(session=session, user_id=viewer_id, post_id=world.post.id) == 1
        posts.add_comment(session=session, user_id=viewer_id, post_id=world.post.id, text="nice")
        assert len(posts.list_comments(session=session, viewer_id=viewer_id, post_id=world.post.id)) == 1
    else:
        with pytest.raises(NotFound):
            posts.like(session=session, user_id=viewer_id, post_id=world.post.id)
        with pytest.raises(NotFound):
            posts.add_comment(session=session, user_id=viewer_id, post_id=world.post.id, text="nice")
        with pytest.raises(NotFound):
            posts.list_comments(session=session, viewer_id=viewer_id, post_id=world.post.id)


@pytest.mark.parametrize(("visibility", "role"), MATRIX)
def test_search_and_friends_reading_obey_the_visibility(session, visibility, role):
    world = World(session, visibility)
    viewer = world.viewer(role)
    if viewer is None:
        return  # searching and friends-reading need an account (API: 401, tests/api/test_api_privacy.py)
    found = [p.username for p in social.search_people(session=session, viewer_id=viewer.id, text="olga")]
    # Private profiles are listed to nobody else; followers-only ones are, with their name only.
    assert found == ([] if visibility == "private" and role != "owner" else ["olga"])
    friends = [r.book_title for r in social.friends_reading(session=session, user_id=viewer.id)]
    # Approved follows of visible profiles only, never a hidden book.
    assert friends == (["Shown Book"] if role == "follower" and visibility != "private" else [])


@pytest.mark.parametrize("role", ["stranger", "follower", "owner"])
def test_a_post_about_a_hidden_book_shows_no_book_to_others(session, role):
    world = World(session, "public")
    viewer = world.viewer(role)
    seen = posts.get_post(session=session, viewer_id=viewer.id, post_id=world.hidden_post.id)
    assert seen.book_title == ("Hidden Book" if role == "owner" else "")
    assert seen.book_authors == ("A. Writer" if role == "owner" else "")
    shown = posts.get_post(session=session, viewer_id=viewer.id, post_id=world.post.id)
    assert shown.book_title == "Shown Book"


def test_visitors_feed_stays_anonymised(session):
    world = World(session, "public")
    [first, *_] = [p for p in posts.feed(session=session, viewer_id=None).posts if p.id == world.post.id]
    assert (first.author_name, first.author_username) == (posts.ANONYMOUS_NAME, "")


# ----------------------------------------------------------------- follow requests


@pytest.mark.parametrize("visibility", ["followers", "private"])
def test_following_a_followers_only_or_private_profile_is_a_request(session, visibility):
    olga, sam = reader(session, "Olga"), reader(session, "Sam")
    privacy_settings.set_profile_visibility(session=session, user_id=olga.id, visibility=visibility)
    assert social.follow(session=session, user_id=sam.id, username="olga") == "requested"
    assert social.follow(session=session, user_id=sam.id, username="olga") == "requested"  # asking again
    assert social.profile(session=session, viewer_id=olga.id, username="olga").followers == 0
    assert [p.username for p in privacy_settings.follow_requests(session=session, user_id=olga.id)] == ["sam"]

    privacy_settings.approve_follow(session=session, user_id=olga.id, username="sam")
    assert privacy_settings.follow_requests(session=session, user_id=olga.id) == []
    view = social.profile(session=session, viewer_id=sam.id, username="olga")
    assert view.i_follow and not view.requested and view.visible is (visibility == "followers")
    assert social.profile(session=session, viewer_id=olga.id, username="olga").followers == 1


def test_declining_removes_the_request_and_unknown_requests_are_refused(session):
    olga, sam = reader(session, "Olga"), reader(session, "Sam")
    privacy_settings.set_profile_visibility(session=session, user_id=olga.id, visibility="followers")
    social.follow(session=session, user_id=sam.id, username="olga")
    privacy_settings.decline_follow(session=session, user_id=olga.id, username="sam")
    assert session.exec(select(Follow)).all() == []
    for answer in (privacy_settings.approve_follow, privacy_settings.decline_follow):
        with pytest.raises(NotFound, match="No follow request"):
            answer(session=session, user_id=olga.id, username="sam")


def test_an_accepted_follow_cannot_be_declined_as_a_request(session):
    olga, sam = reader(session, "Olga"), reader(session, "Sam")
    assert social.follow(session=session, user_id=sam.id, username="olga") == "following"
    with pytest.raises(NotFound):
        privacy_settings.decline_follow(session=session, user_id=olga.id, username="sam")


@pytest.mark.parametrize("visibility", ["public", "signed-in"])
def test_opening_the_profile_approves_every_waiting_request(session, visibility):
    olga, sam, pam = reader(session, "Olga"), reader(session, "Sam"), reader(session, "Pam")
    privacy_settings.set_profile_visibility(session=session, user_id=olga.id, visibility="followers")
    for who in (sam, pam):
        social.follow(session=session, user_id=who.id, username="olga")
    user = privacy_settings.set_profile_visibility(session=session, user_id=olga.id, visibility=visibility)
    assert user.profile_visibility == visibility
    assert not any(f.pending for f in session.exec(select(Follow)).all())
    assert social.profile(session=session, viewer_id=olga.id, username="olga").followers == 2


def test_closing_the_profile_keeps_existing_followers(session):
    olga, fay = reader(session, "Olga"), reader(session, "Fay")
    social.follow(session=session, user_id=fay.id, username="olga")
    privacy_settings.set_profile_visibility(session=session, user_id=olga.id, visibility="followers")
    assert social.profile(session=session, viewer_id=fay.id, username="olga").visible


def test_an_unknown_visibility_is_refused_with_its_field(session):
    olga = reader(session, "Olga")
    with pytest.raises(InvalidInput) as refused:
        privacy_settings.set_profile_visibility(session=session, user_id=olga.id, visibility="friends")
    assert refused.value.field == "profile_visibility" and "public" in refused.value.message
    assert session.get(User, olga.id).profile_visibility == ProfileVisibility.PUBLIC


def test_a_restricted_profile_shows_the_name_only_where_search_lists_it(session):
    olga, sam = reader(session, "Olga Smith"), reader(session, "Sam")
    privacy_settings.set_profile_visibility(session=session, user_id=olga.id, visibility="followers")
    olga_username = session.get(User, olga.id).username
    assert social.profile(session=session, viewer_id=sam.id, username=olga_username).name == "Olga Smith"
    assert social.profile(session=session, viewer_id=None, username=olga_username).name == olga_username
    privacy_settings.set_profile_visibility(session=session, user_id=olga.id, visibility="private")
    assert social.profile(session=session, viewer_id=sam.id, username=olga_username).name == olga_username


# ----------------------------------------------------------------- statement counts


@pytest.mark.parametrize("visibility", ["followers", "private", "signed-in"])
def test_feed_and_profile_cost_the_same_with_a_non_public_author(session, count_statements, visibility):
    world = World(session, visibility)
    for i in range(30):
        post(session, world.olga, f"post {i}")
    with count_statements() as counter:
        everyone = posts.feed(session=session, viewer_id=world.fay.id)
    assert counter.count == (2 if everyone.posts else 1)  # the ids, then their cards
    with count_statements() as counter:
        following = posts.feed(session=session, viewer_id=world.fay.id, tab="following")
    assert counter.count == (2 if following.posts else 1)
    with count_statements() as counter:
        social.profile(session=session, viewer_id=world.fay.id, username="olga")
        posts.user_posts(session=session, viewer_id=world.fay.id, author_id=world.olga.id)
    # user lookup + counts + currently reading, then the posts page (ids, cards; as for public
    # profiles); a profile the viewer may not see skips currently reading and has no cards.
    assert counter.count == (3 if visibility == "private" else 5)


def test_restoring_a_backup_cannot_skip_the_approval(session):
    """A backup's "following" list is follows the reader asked for: to a
    followers-only or private profile they are requests again."""
    from booktracker.services import exports
    from booktracker.services.imports import restore

    olga, flo, eve = reader(session, "Olga"), reader(session, "Flo"), reader(session, "Eve")
    privacy_settings.set_profile_visibility(session=session, user_id=olga.id, visibility="followers")
    backup = exports.user_data(session=session, user_id=eve.id) | {"following": ["olga", "flo"]}
    restore.restore(session, eve.id, backup)
    session.commit()
    assert social.profile(session=session, viewer_id=eve.id, username="olga").visible is False
    assert social.profile(session=session, viewer_id=eve.id, username="flo").i_follow is True
    assert [p.username for p in privacy_settings.follow_requests(session=session, user_id=olga.id)] == ["eve"]
    assert flo.id is not None
