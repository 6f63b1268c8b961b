"""/api/v1 comments: paged newest first by cursor (in the X-Next-Cursor header,
so the body stays the list earlier clients read), replies, the error contract."""

API = "/api/v1"


def _post(client, headers) -> int:
    response = client.post(f"{API}/posts", headers=headers, data={"text": "hello"})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _comment(client, headers, post_id, text, parent_id=None):
    body = {"text": text} if parent_id is None else {"text": text, "parent_id": parent_id}
    response = client.post(f"{API}/posts/{post_id}/comments", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_comments_page_back_by_cursor_and_replies_come_by_parent(client, ann, bob):
    post_id = _post(client, ann)
    first = _comment(client, bob, post_id, "c0")
    for n in range(1, 25):
        _comment(client, bob, post_id, f"c{n}")
    reply = _comment(client, ann, post_id, "thanks", parent_id=first["id"])
    assert reply["parent_id"] == first["id"]

    newest = client.get(f"{API}/posts/{post_id}/comments", headers=ann)
    assert newest.status_code == 200
    assert [c["text"] for c in newest.json()] == [f"c{n}" for n in range(5, 25)]
    cursor = newest.headers["X-Next-Cursor"]
    earlier = client.get(f"{API}/posts/{post_id}/comments", headers=ann, params={"cursor": cursor})
    expected = [("c0", 0), ("thanks", first["id"])] + [(f"c{n}", 0) for n in range(1, 5)]
    assert [(c["text"], c["parent_id"]) for c in earlier.json()] == expected  # the reply under its comment
    assert earlier.json()[0]["reply_count"] == 1 and earlier.headers["X-Next-Cursor"] == ""

    replies = client.get(f"{API}/posts/{post_id}/comments", headers=bob, params={"parent_id": first["id"]})
    assert [c["text"] for c in replies.json()] == ["thanks"] and replies.headers["X-Next-Cursor"] == ""


def test_bad_cursor_and_parent_follow_the_error_contract(client, ann, bob):
    post_id = _post(client, ann)
    other_post = _post(client, bob)
    elsewhere = _comment(client, bob, other_post, "elsewhere")
    bad = client.get(f"{API}/posts/{post_id}/comments", headers=ann, params={"cursor": "nonsense"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "cursor"
    wrong_parent = client.post(
        f"{API}/posts/{post_id}/comments", headers=ann, json={"text": "x", "parent_id": elsewhere["id"]}
    )
    assert wrong_parent.status_code == 404
    assert wrong_parent.json()["error"] == {
        "code": "not_found",
        "message": "That comment does not exist.",
        "field": None,
    }
    assert client.get(f"{API}/posts/{post_id}/comments", params={"parent_id": 1}).status_code == 401
