"""/api/v1/circles: the authorization matrix over HTTP (visitor / stranger /
pending / member / curator / owner / blocked × each route, private and
public circles), the error contract, and a whole circle's life."""

from __future__ import annotations

import pytest

from booktracker.models import User
from booktracker.services import auth
from tests.services.test_circles import World as ServiceWorld

ROLES = ("visitor", "stranger", "pending", "member", "curator", "owner", "blocked")
RUNNERS = {"curator", "owner"}
MEMBERS = {"member", "curator", "owner"}
EVERYONE = set(ROLES) - {"blocked"}


def signup(client, name: str) -> tuple[dict, int]:
    response = client.post(
        "/api/v1/auth/signup", json={"email": f"{name}@example.com", "name": name.title(), "password": "long enough pw"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return {"Authorization": f"Bearer {body['access_token']}"}, body["user"]["id"]


class World(ServiceWorld):
    """The services' world (tests/services/test_circles.py), with a token per role."""

    def __init__(self, client, session, *, public: bool):
        super().__init__(session, public=public)
        self.client, self.public, self.id = client, public, self.circle_id
        self.headers = {"visitor": {}}
        for role in ROLES[1:]:
            user = session.get(User, self.viewer(role))
            self.headers[role] = {"Authorization": f"Bearer {auth.sign_in(session=session, user=user)}"}
        self.rex, self.mia = self.rex.id, self.mia.id


def _call(world: World, action: str, role: str):
    c, cid, h = world.client, world.id, world.headers[role]
    base = f"/api/v1/circles/{cid}"
    return {
        "get": lambda: c.get(base, headers=h),
        "members": lambda: c.get(f"{base}/members", headers=h),
        "posts": lambda: c.get(f"{base}/posts", headers=h),
        "leaderboard": lambda: c.get(f"{base}/leaderboard", headers=h),
        "activity": lambda: c.get(f"{base}/activity", headers=h),
        "checkpoints": lambda: c.get(f"{base}/checkpoints", headers=h),
        "post": lambda: c.post(f"{base}/posts", headers=h, data={"text": "hello"}),
        "requests": lambda: c.get(f"{base}/requests", headers=h),
        "approve": lambda: c.post(f"{base}/requests/{world.rex}/approve", headers=h),
        "goal": lambda: c.put(f"{base}/goal", headers=h, json={"kind": "pages", "target": 500}),
        "checkpoint": lambda: c.post(
            f"{base}/checkpoints", headers=h, json={"label": "Ch 1-5", "due_on": "2026-12-04"}
        ),
        "edit": lambda: c.patch(base, headers=h, json={"name": "Renamed", "is_public": world.public}),
        "remove": lambda: c.delete(f"{base}/members/{world.mia}", headers=h),
        "invite": lambda: c.get(f"{base}/invite", headers=h),
        "rotate": lambda: c.post(f"{base}/invite/rotate", headers=h),
        "role": lambda: c.put(f"{base}/members/{world.mia}/role", headers=h, json={"role": "curator"}),
        "delete": lambda: c.delete(base, headers=h),
    }[action]()


READS = ("get", "members", "posts", "leaderboard", "activity", "checkpoints")
# action: (who may on a private circle, who may on a public one)
ALLOWED = {
    "get": (MEMBERS | {"stranger", "pending"}, EVERYONE),
    **dict.fromkeys(READS[1:], (MEMBERS, EVERYONE)),
    "post": (MEMBERS, MEMBERS),
    **dict.fromkeys(("requests", "approve", "goal", "checkpoint", "edit", "remove", "invite"), (RUNNERS, RUNNERS)),
    **{a: ({"owner"}, {"owner"}) for a in ("rotate", "role", "delete")},
}
# Public circles differ in what they show, not in who runs them: their reads and posting only.
MATRIX = [(False, action, role) for action in ALLOWED for role in ROLES] + [
    (True, action, role) for action in (*READS, "post") for role in ROLES
]


@pytest.mark.parametrize(("public", "action", "role"), MATRIX)
def test_authorization_matrix(client, session, public, action, role):
    world = World(client, session, public=public)
    response = _call(world, action, role)
    if role in ALLOWED[action][1 if public else 0]:
        assert response.status_code < 300, response.text
        return
    body = response.json()
    assert set(body["error"]) == {"code", "message", "field"}
    if role == "visitor" and action not in READS:
        assert response.status_code == 401
    elif role in ("blocked", "visitor"):
        assert response.status_code == 404  # the circle does not exist for them
    else:
        assert response.status_code in (403, 404), response.text


def test_a_private_circle_from_request_to_post(client):
    ann, _ = signup(client, "ann")
    bob, bob_id = signup(client, "bob")
    cid = client.post("/api/v1/circles", headers=ann, json={"name": "Nightstand", "is_public": False}).json()["id"]
    assert client.post(f"/api/v1/circles/{cid}/request", headers=bob).json() == {"role": "pending"}
    assert [r["user_id"] for r in client.get(f"/api/v1/circles/{cid}/requests", headers=ann).json()] == [bob_id]
    assert client.post(f"/api/v1/circles/{cid}/requests/{bob_id}/approve", headers=ann).status_code == 204
    posted = client.post(f"/api/v1/circles/{cid}/posts", headers=bob, data={"text": "Page 40 already", "page": "40"})
    assert posted.status_code == 201
    listed = client.get(f"/api/v1/circles/{cid}/posts", headers=ann).json()["posts"]
    assert [p["text"] for p in listed] == ["Page 40 already"]
    # Never in a feed, and nothing for a visitor.
    assert client.get("/api/v1/feed", headers=ann).json()["posts"] == []
    assert client.get(f"/api/v1/posts/{posted.json()['id']}").status_code == 404
    assert client.get(f"/api/v1/circles/{cid}/posts").status_code == 404
    # The owner can't leave; rotating the code stops the old one.
    assert client.post(f"/api/v1/circles/{cid}/leave", headers=ann).status_code == 409
    old = client.get(f"/api/v1/circles/{cid}/invite", headers=ann).json()["code"]
    client.post(f"/api/v1/circles/{cid}/invite/rotate", headers=ann)
    cat, _ = signup(client, "cat")
    refused = client.post(f"/api/v1/circles/join/{old}", headers=cat)
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    mine = client.get("/api/v1/circles", headers=bob, params={"tab": "mine"}).json()
    assert [c["my_role"] for c in mine["circles"]] == ["member"]
    bad = client.post("/api/v1/circles", headers=ann, json={"name": "   "})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "name"
