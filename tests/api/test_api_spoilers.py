"""The spoiler shield and mentions in the API: each post and comment carries
``shielded``, its anchor and the viewer's page; PATCH /me turns the shield off."""

from tests.api.conftest import signup


def _add(client, headers, page=0):
    entry = client.post("/api/v1/library", headers=headers, json={"title": "Dune", "total_pages": 400})
    assert entry.status_code in (200, 201), entry.text
    if page:
        client.patch(f"/api/v1/library/{entry.json()['id']}", headers=headers, json={"current_page": page})
    return entry.json()["id"]


def test_posts_and_comments_carry_the_shield_flag_anchor_and_viewer_page(client, ann, bob):
    entry = _add(client, ann)
    form = {"quote": "Fear is the mind-killer", "text": "for @bob", "user_book_id": str(entry), "page": "240"}
    created = client.post("/api/v1/posts", headers=ann, data=form)
    assert created.status_code == 201, created.text
    post_id = created.json()["id"]
    assert created.json()["shielded"] is False  # the author's own
    assert [p["username"] for p in created.json()["text_parts"]] == ["", "bob"]
    _add(client, bob, page=120)
    item = client.get("/api/v1/feed", headers=bob).json()["posts"][0]
    assert (item["shielded"], item["page"], item["chapter"], item["viewer_page"]) == (True, 240, "", 120)
    assert item["shield_message"] == "You're on p. 120 — this is from p. 240."
    assert client.get(f"/api/v1/posts/{post_id}", headers=bob).json()["shielded"] is True
    assert client.get("/api/v1/feed").json()["posts"][0]["shielded"] is False  # visitors: never
    # Comments: an anchor in, the flag out.
    comment = client.post(f"/api/v1/posts/{post_id}/comments", headers=ann, json={"text": "end!", "page": 399})
    assert comment.status_code == 201 and comment.json()["page"] == 399
    bad = client.post(f"/api/v1/posts/{post_id}/comments", headers=ann, json={"text": "x", "page": -1})
    assert bad.status_code == 422
    listed = client.get(f"/api/v1/posts/{post_id}/comments", headers=bob).json()
    assert [(c["shielded"], c["page"], c["viewer_page"]) for c in listed] == [(True, 399, 120)]


def test_patch_me_turns_the_shield_off(client, ann):
    bob = signup(client, "bob")
    entry = _add(client, ann)
    client.post("/api/v1/posts", headers=ann, data={"text": "x", "user_book_id": str(entry), "page": "300"})
    _add(client, bob)
    assert client.get("/api/v1/me", headers=bob).json()["spoiler_shield"] is True
    assert client.get("/api/v1/feed", headers=bob).json()["posts"][0]["shielded"] is True
    changed = client.patch("/api/v1/me", headers=bob, json={"spoiler_shield": False})
    assert changed.status_code == 200 and changed.json()["spoiler_shield"] is False
    assert client.get("/api/v1/feed", headers=bob).json()["posts"][0]["shielded"] is False
