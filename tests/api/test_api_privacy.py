"""Profile visibility over the API: visitor / stranger / pending follower /
follower / owner × public / signed-in / followers / private × every social
route; PATCH /me, follow requests and the per-book "hidden" switch."""

import pytest
from fastapi.testclient import TestClient

from booktracker.api.app import build_api
from booktracker.db import session_scope
from booktracker.models import Follow

ROLES = ("visitor", "stranger", "pending", "follower", "owner")
SEES = {
    "public": {"visitor", "stranger", "pending", "follower", "owner"},
    "signed-in": {"stranger", "pending", "follower", "owner"},
    "followers": {"follower", "owner"},
    "private": {"owner"},
}
MATRIX = [(visibility, role) for visibility in SEES for role in ROLES]
API = "/api/v1"


@pytest.fixture
def client(db):
    return TestClient(build_api())


def signup(client, name):
    response = client.post(
        f"{API}/auth/signup", json={"email": f"{name}@example.com", "name": name.title(), "password": "long enough pw"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return {"Authorization": f"Bearer {body['access_token']}"}, body["user"]["id"]


class World:
    """Olga with a public post about a book she is reading; Fay follows her,
    Pam's request waits, Sam is a stranger."""

    def __init__(self, client, visibility):
        (self.olga, olga_id), (self.fay, fay_id), (self.pam, pam_id), (self.sam, _) = (
            signup(client, name) for name in ("olga", "fay", "pam", "sam")
        )
        entry = client.post(
            f"{API}/library", headers=self.olga, json={"title": "Dune", "total_pages": 400, "status": "reading"}
        )
        assert entry.status_code == 201, entry.text
        created = client.post(
            f"{API}/posts", headers=self.olga, data={"text": "olga's post", "user_book_id": str(entry.json()["id"])}
        )
        assert created.status_code == 201, created.text
        self.post_id = created.json()["id"]
        # First: going public approves waiting requests.
        changed = client.patch(f"{API}/me", headers=self.olga, json={"profile_visibility": visibility})
        assert changed.status_code == 200 and changed.json()["profile_visibility"] == visibility
        with session_scope() as session:
            session.add(Follow(follower_id=fay_id, followee_id=olga_id))
            session.add(Follow(follower_id=pam_id, followee_id=olga_id, pending=True))
            session.commit()
        self.headers = {
            "visitor": {},
            "stranger": self.sam,
            "pending": self.pam,
            "follower": self.fay,
            "owner": self.olga,
        }


@pytest.mark.parametrize(("visibility", "role"), MATRIX)
def test_every_social_route_obeys_the_visibility(client, visibility, role):
    world = World(client, visibility)
    headers = world.headers[role]
    allowed = role in SEES[visibility]
    signed_in = role != "visitor"

    profile = client.get(f"{API}/users/olga", headers=headers)
    assert profile.status_code == 200 and profile.json()["visible"] is allowed
    assert profile.json()["followers"] == (1 if allowed else 0)  # the pending request never counts
    assert bool(profile.json()["currently_reading"]) is allowed
    for path in ("/users/olga/posts", "/users/olga/followers", "/users/olga/following"):
        response = client.get(API + path, headers=headers)
        if allowed:
            assert response.status_code == 200, (path, response.text)
        else:
            assert response.status_code == 404, path
            assert response.json()["error"]["message"] == "This profile is private."

    feed = [p["id"] for p in client.get(f"{API}/feed", headers=headers).json()["posts"]]
    assert (world.post_id in feed) is allowed
    following = [p["id"] for p in client.get(f"{API}/feed?tab=following", headers=headers).json()["posts"]]
    assert (world.post_id in following) is (allowed and role in ("follower", "owner"))
    assert client.get(f"{API}/posts/{world.post_id}", headers=headers).status_code == (200 if allowed else 404)

    like = client.put(f"{API}/posts/{world.post_id}/like", headers=headers)
    comment = client.post(f"{API}/posts/{world.post_id}/comments", headers=headers, json={"text": "hi"})
    comments = client.get(f"{API}/posts/{world.post_id}/comments", headers=headers)
    if not signed_in:
        assert (like.status_code, comment.status_code, comments.status_code) == (401, 401, 401)
    else:
        assert like.status_code == (200 if allowed else 404)
        assert comment.status_code == (201 if allowed else 404)
        assert comments.status_code == (200 if allowed else 404)

    search = client.get(f"{API}/users?q=olga", headers=headers)
    friends = client.get(f"{API}/me/friends-reading", headers=headers)
    if not signed_in:
        assert (search.status_code, friends.status_code) == (401, 401)
    else:
        listed = visibility != "private" or role == "owner"
        assert [p["username"] for p in search.json()] == (["olga"] if listed else [])
        shows = role == "follower" and visibility != "private"
        assert [r["book_title"] for r in friends.json()] == (["Dune"] if shows else [])


def test_followers_of_a_non_public_profile_are_not_for_visitors(client):
    """The finding: GET /users/<name>/followers with no token was 200 for everyone."""
    olga, _ = signup(client, "olga")
    for visibility in ("signed-in", "followers", "private"):
        client.patch(f"{API}/me", headers=olga, json={"profile_visibility": visibility})
        assert client.get(f"{API}/users/olga/followers").status_code == 404


def test_follow_requests_over_the_api(client):
    olga, _ = signup(client, "olga")
    sam, _ = signup(client, "sam")
    pam, _ = signup(client, "pam")
    client.patch(f"{API}/me", headers=olga, json={"profile_visibility": "followers"})
    assert client.put(f"{API}/users/olga/follow", headers=sam).json() == {"status": "requested"}
    assert client.put(f"{API}/users/olga/follow", headers=pam).json() == {"status": "requested"}
    waiting = client.get(f"{API}/me/follow-requests", headers=olga)
    assert [p["username"] for p in waiting.json()] == ["pam", "sam"]
    assert client.get(f"{API}/users/olga", headers=sam).json()["requested"] is True

    assert client.post(f"{API}/me/follow-requests/sam/approve", headers=olga).status_code == 204
    assert client.post(f"{API}/me/follow-requests/pam/decline", headers=olga).status_code == 204
    assert client.get(f"{API}/me/follow-requests", headers=olga).json() == []
    assert client.get(f"{API}/users/olga", headers=sam).json()["visible"] is True
    assert client.get(f"{API}/users/olga", headers=pam).json()["visible"] is False
    missing = client.post(f"{API}/me/follow-requests/pam/approve", headers=olga)
    assert missing.status_code == 404 and missing.json()["error"]["message"] == "No follow request from that reader."
    assert client.get(f"{API}/me/follow-requests").status_code == 401


def test_going_public_approves_waiting_requests(client):
    olga, _ = signup(client, "olga")
    sam, _ = signup(client, "sam")
    client.patch(f"{API}/me", headers=olga, json={"profile_visibility": "private"})
    client.put(f"{API}/users/olga/follow", headers=sam)
    client.patch(f"{API}/me", headers=olga, json={"profile_visibility": "public"})
    assert client.get(f"{API}/me/follow-requests", headers=olga).json() == []
    assert client.get(f"{API}/users/olga", headers=sam).json()["i_follow"] is True


def test_patch_me_changes_only_what_is_sent_and_refuses_unknown_visibilities(client):
    olga, _ = signup(client, "olga")
    client.patch(f"{API}/me", headers=olga, json={"name": "Olga", "username": "olga", "bio": "Reader"})
    changed = client.patch(f"{API}/me", headers=olga, json={"profile_visibility": "signed-in"})
    assert changed.status_code == 200
    assert (changed.json()["bio"], changed.json()["profile_visibility"]) == ("Reader", "signed-in")
    refused = client.patch(f"{API}/me", headers=olga, json={"bio": "changed", "profile_visibility": "friends"})
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "profile_visibility"
    me = client.get(f"{API}/me", headers=olga).json()
    assert (me["bio"], me["profile_visibility"]) == ("Reader", "signed-in")  # nothing changed


def test_a_hidden_book_leaves_the_profile_counts_and_posts(client):
    olga, _ = signup(client, "olga")
    sam, _ = signup(client, "sam")
    entry = client.post(f"{API}/library", headers=olga, json={"title": "Secret", "status": "reading"}).json()
    post = client.post(f"{API}/posts", headers=olga, data={"text": "hm", "user_book_id": str(entry["id"])}).json()
    hidden = client.patch(f"{API}/library/{entry['id']}", headers=olga, json={"hidden": True})
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True
    seen = client.get(f"{API}/users/olga", headers=sam).json()
    assert (seen["books"], seen["currently_reading"]) == (0, [])
    assert client.get(f"{API}/posts/{post['id']}", headers=sam).json()["book_title"] == ""
    assert client.get(f"{API}/posts/{post['id']}", headers=olga).json()["book_title"] == "Secret"
    assert client.get(f"{API}/users/olga", headers=olga).json()["books"] == 1
