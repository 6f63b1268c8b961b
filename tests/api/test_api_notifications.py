"""/api/v1/notifications: the grouped list, the unread count, mark read, settings."""

import pytest

from tests.api.conftest import signup


def like_a_post_of(client, author, *likers) -> int:
    post_id = client.post("/api/v1/posts", headers=author, data={"text": "my post"}).json()["id"]
    for liker in likers:
        assert client.put(f"/api/v1/posts/{post_id}/like", headers=liker).status_code == 200
    return post_id


def unread(client, headers) -> int:
    return client.get("/api/v1/notifications/unread-count", headers=headers).json()["unread"]


def test_a_like_shows_grouped_and_is_marked_read(client, ann, bob):
    cid = signup(client, "cid")
    post_id = like_a_post_of(client, ann, bob, cid)
    assert unread(client, ann) == 2
    body = client.get("/api/v1/notifications", headers=ann).json()
    assert body["next_cursor"] == ""
    [item] = body["items"]
    assert item["text"] == "Cid and Bob liked your post" and item["unread"] is True
    assert item["post_id"] == post_id and item["actor_username"] == "cid" and item["post_author_username"] == "ann"
    response = client.post("/api/v1/notifications/read", headers=ann, json={"ids": item["ids"]})
    assert response.json() == {"marked": 2}
    assert unread(client, ann) == 0
    like_a_post_of(client, ann, bob)
    assert client.post("/api/v1/notifications/read", headers=ann, json={"all": True}).json() == {"marked": 1}
    assert unread(client, bob) == 0 and client.get("/api/v1/notifications", headers=bob).json()["items"] == []


def test_paging_by_cursor(client, ann, bob):
    for _ in range(3):
        like_a_post_of(client, ann, bob)
    first = client.get("/api/v1/notifications?limit=2", headers=ann).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = client.get(f"/api/v1/notifications?limit=2&cursor={first['next_cursor']}", headers=ann).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] == ""
    ids = [i["post_id"] for i in first["items"] + rest["items"]]
    assert ids == sorted(set(ids), reverse=True)


@pytest.mark.parametrize(
    "body", [{}, {"ids": [1], "all": True}, {"all": False}, {"ids": "x"}, {"ids": list(range(1001))}]
)
def test_mark_read_needs_ids_or_all(client, ann, body):
    response = client.post("/api/v1/notifications/read", headers=ann, json=body)
    assert response.status_code == 422
    assert set(response.json()["error"]) == {"code", "message", "field"}


def test_a_bad_cursor_is_an_error_with_its_field(client, ann):
    response = client.get("/api/v1/notifications?cursor=zz", headers=ann)
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "invalid_input",
        "message": "That page link is not valid.",
        "field": "cursor",
    }


def test_a_token_is_needed(client):
    for method, path in [("get", "/api/v1/notifications"), ("post", "/api/v1/notifications/read")]:
        response = client.request(method.upper(), path, json={"all": True})
        assert response.status_code == 401 and response.json()["error"]["code"]


def test_settings_turn_kinds_and_the_digest_on_and_off(client, ann, bob):
    body = client.get("/api/v1/me/notification-settings", headers=ann).json()
    assert body["digest_email"] is False and {k["kind"]: k["on"] for k in body["kinds"]}["like"] is True
    body = client.patch("/api/v1/me/notification-settings", headers=ann, json={"kind": "like", "on": False}).json()
    assert {k["kind"]: k["on"] for k in body["kinds"]}["like"] is False
    like_a_post_of(client, ann, bob)
    assert unread(client, ann) == 0
    body = client.patch("/api/v1/me/notification-settings", headers=ann, json={"digest_email": True}).json()
    assert body["digest_email"] is True
    for bad in ({"kind": "nope", "on": True}, {"kind": "like"}, {}, {"kind": "like", "on": True, "digest_email": True}):
        response = client.patch("/api/v1/me/notification-settings", headers=ann, json=bad)
        assert response.status_code == 422 and response.json()["error"]["field"] == "kind"
