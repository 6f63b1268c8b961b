"""GET /api/v1/recommendations: a signed-in reader's "For you", with reasons."""


def _add(client, headers, title, **fields):
    response = client.post("/api/v1/library", headers=headers, json={"title": title, "authors": "A. Writer", **fields})
    assert response.status_code in (200, 201), response.text
    return response.json()["id"]


def test_friends_pick_with_its_reason(client, ann, bob):
    assert client.put("/api/v1/users/bob/follow", headers=ann).status_code == 200
    entry = _add(client, bob, "Bob's favourite")
    assert client.patch(f"/api/v1/library/{entry}", headers=bob, json={"rating": 4.5}).status_code == 200

    response = client.get("/api/v1/recommendations", headers=ann)

    assert response.status_code == 200
    [suggestion] = response.json()
    assert suggestion["title"] == "Bob's favourite"
    assert suggestion["reason"] == "friends"
    assert suggestion["because"] == "Bob rated it 4.5★"
    assert suggestion["friend_names"] == ["Bob"]


def test_needs_a_signed_in_reader(client):
    response = client.get("/api/v1/recommendations")
    assert response.status_code == 401
    assert response.json()["error"]["code"]
