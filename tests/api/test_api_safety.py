"""/api/v1 blocks, mutes, reports and moderation: who may do what.

Readers: ann (the blocker and muter), bob (blocked by ann), cat (muted by
ann), a visitor (no token) and mod (a moderator from ADMIN_EMAILS).
"""

import pytest
from fastapi.testclient import TestClient

from booktracker.api.app import build_api
from booktracker.services import moderation
from booktracker.settings import settings

API = "/api/v1"


@pytest.fixture
def client(db, monkeypatch):
    monkeypatch.setattr(moderation, "settings", settings.model_copy(update={"admin_emails": ["mod@example.com"]}))
    return TestClient(build_api())


def signup(client, name):
    response = client.post(
        f"{API}/auth/signup", json={"email": f"{name}@example.com", "name": name.title(), "password": "long enough pw"}
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def people(client):
    """ann follows bob and cat and is followed by bob; then ann blocks bob and mutes cat."""
    ann, bob, cat, mod = (signup(client, name) for name in ("ann", "bob", "cat", "mod"))
    for who, whom in ((ann, "bob"), (ann, "cat"), (bob, "ann")):
        assert client.put(f"{API}/users/{whom}/follow", headers=who).status_code == 200
    posts = {}
    for name, headers in (("ann", ann), ("bob", bob), ("cat", cat)):
        response = client.post(f"{API}/posts", headers=headers, data={"text": f"{name} says"})
        assert response.status_code == 201, response.text
        posts[name] = response.json()["id"]
    assert client.put(f"{API}/users/bob/block", headers=ann).status_code == 204
    assert client.put(f"{API}/users/cat/mute", headers=ann).status_code == 204
    return {"ann": ann, "bob": bob, "cat": cat, "mod": mod, "visitor": {}, "posts": posts}


def texts(response):
    assert response.status_code == 200, response.text
    return [p["text"] for p in response.json()["posts"]]


def test_new_routes_need_a_token(client, people):
    for method, path in (
        ("PUT", "/users/bob/block"),
        ("DELETE", "/users/bob/block"),
        ("PUT", "/users/bob/mute"),
        ("DELETE", "/users/bob/mute"),
        ("GET", "/me/blocks"),
        ("GET", "/me/mutes"),
        ("POST", "/reports"),
        ("GET", "/moderation/reports"),
        ("POST", "/moderation/reports/1/actions"),
        ("GET", "/moderation/log"),
    ):
        response = client.request(method, f"{API}{path}", json={})
        assert response.status_code == 401, (method, path)
        assert response.json()["error"]["code"] == "authentication_failed"


def test_moderation_is_404_for_everyone_but_moderators(client, people):
    for name in ("ann", "bob", "cat"):
        for method, path in (
            ("GET", "/moderation/reports"),
            ("GET", "/moderation/log"),
            ("POST", "/moderation/reports/1/actions"),
        ):
            body = {"action": "dismiss", "note": "x"}
            response = client.request(method, f"{API}{path}", headers=people[name], json=body)
            assert response.status_code == 404, (name, path)
            assert response.json()["error"]["code"] == "not_found"
    assert client.get(f"{API}/moderation/reports", headers=people["mod"]).json() == {"reports": [], "has_more": False}


def test_blocked_reader_can_see_follow_like_or_comment_on_nothing_of_the_blockers(client, people):
    bob, ann_post = people["bob"], people["posts"]["ann"]
    for method, path, body in (
        ("GET", "/users/ann", None),
        ("GET", "/users/ann/posts", None),
        ("GET", "/users/ann/followers", None),
        ("GET", "/users/ann/following", None),
        ("PUT", "/users/ann/follow", None),
        ("GET", f"/posts/{ann_post}", None),
        ("PUT", f"/posts/{ann_post}/like", None),
        ("GET", f"/posts/{ann_post}/comments", None),
        ("POST", f"/posts/{ann_post}/comments", {"text": "hi"}),
        ("POST", "/reports", {"target_kind": "post", "target_id": ann_post, "reason": "spam"}),
    ):
        response = client.request(method, f"{API}{path}", headers=bob, json=body)
        assert response.status_code == 404, (method, path, response.text)
    assert texts(client.get(f"{API}/feed", headers=bob)) == ["cat says", "bob says"]
    assert client.get(f"{API}/users", params={"q": "ann"}, headers=bob).json() == []
    # Follows are gone both ways.
    assert client.get(f"{API}/users/bob", headers=people["cat"]).json()["followers"] == 0


def test_the_blocker_and_the_muter_stop_seeing_them(client, people):
    ann = people["ann"]
    assert texts(client.get(f"{API}/feed", headers=ann)) == ["ann says"]
    assert texts(client.get(f"{API}/feed", params={"tab": "following"}, headers=ann)) == ["ann says"]
    assert client.get(f"{API}/users", params={"q": "bob"}, headers=ann).json() == []
    assert [p["username"] for p in client.get(f"{API}/me/blocks", headers=ann).json()] == ["bob"]
    assert [p["username"] for p in client.get(f"{API}/me/mutes", headers=ann).json()] == ["cat"]
    assert client.put(f"{API}/users/bob/follow", headers=ann).status_code == 422  # "Unblock them first."
    profile = client.get(f"{API}/users/bob", headers=ann).json()
    assert profile["i_block"] is True
    # The muted reader is not told: cat sees ann as before; visitors see everything.
    assert texts(client.get(f"{API}/feed", headers=people["cat"])) == ["cat says", "bob says", "ann says"]
    assert client.get(f"{API}/users/ann", headers=people["cat"]).json()["i_mute"] is False
    assert len(texts(client.get(f"{API}/feed"))) == 3
    for path in ("/users/bob/block", "/users/cat/mute"):
        assert client.delete(f"{API}{path}", headers=ann).status_code == 204
    assert len(texts(client.get(f"{API}/feed", headers=ann))) == 3


def test_report_then_moderate_hide_suspend_and_the_log(client, people):
    ann, mod, bob_post = people["ann"], people["mod"], people["posts"]["bob"]
    body = {"target_kind": "post", "target_id": bob_post, "reason": "harassment", "details": "mean"}
    created = client.post(f"{API}/reports", headers=people["cat"], json=body)
    assert created.status_code == 201 and created.json()["status"] == "open"
    again = client.post(f"{API}/reports", headers=people["cat"], json=body)
    assert again.status_code == 409 and "already reported" in again.json()["error"]["message"]
    bad = client.post(f"{API}/reports", headers=ann, json={**body, "reason": "boring"})
    assert bad.status_code == 422
    long = client.post(f"{API}/reports", headers=ann, json={**body, "details": "x" * 1001})
    assert long.status_code == 422
    queue = client.get(f"{API}/moderation/reports", headers=mod).json()["reports"]
    assert [(r["target_username"], r["content"], r["reason"]) for r in queue] == [("bob", "bob says", "harassment")]
    report_id = queue[0]["id"]

    no_note = client.post(
        f"{API}/moderation/reports/{report_id}/actions", headers=mod, json={"action": "hide", "note": ""}
    )
    assert no_note.status_code == 422
    hide = client.post(
        f"{API}/moderation/reports/{report_id}/actions", headers=mod, json={"action": "hide", "note": "rude"}
    )
    assert hide.status_code == 200 and hide.json()["status"] == "resolved"
    assert client.get(f"{API}/posts/{bob_post}", headers=people["cat"]).status_code == 404
    assert client.get(f"{API}/posts/{bob_post}", headers=people["bob"]).json()["hidden"] is True

    suspend = client.post(
        f"{API}/moderation/reports/{report_id}/actions", headers=mod, json={"action": "suspend", "note": "again"}
    )
    assert suspend.status_code == 200
    # Bob's token stops at his next request, with the reason.
    refused = client.get(f"{API}/me/blocks", headers=people["bob"])
    assert refused.status_code == 401 and refused.json()["error"]["message"] == "This account is suspended."
    login = client.post(f"{API}/auth/login", json={"email": "bob@example.com", "password": "long enough pw"})
    assert login.status_code == 401 and login.json()["error"]["message"] == "This account is suspended."
    assert client.get(f"{API}/users/bob", headers=people["cat"]).status_code == 404
    log = client.get(f"{API}/moderation/log", headers=mod).json()
    assert [(e["action"], e["note"], e["moderator_username"]) for e in log["entries"]] == [
        ("suspend", "again", "mod"),
        ("hide", "rude", "mod"),
    ]
    reinstate = client.post(
        f"{API}/moderation/reports/{report_id}/actions", headers=mod, json={"action": "reinstate", "note": "ok"}
    )
    assert reinstate.status_code == 200
    assert client.get(f"{API}/me/blocks", headers=people["bob"]).status_code == 200
