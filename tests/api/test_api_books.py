"""/api/v1/books/{id} (a book's public page) and /api/v1/reads/{id}/review."""

from tests.api.conftest import signup


def finished(client, headers, title="Dune"):
    created = client.post(
        "/api/v1/library", headers=headers, json={"title": title, "authors": "Frank Herbert", "status": "finished"}
    )
    assert created.status_code == 201, created.text
    entry = created.json()
    return entry, entry["reads"][0]["id"]


def test_review_then_public_book_page_without_token(client, ann, bob):
    entry, read_id = finished(client, ann)
    put = client.put(
        f"/api/v1/reads/{read_id}/review",
        headers=ann,
        json={"rating": 4.5, "text": "Spice!", "has_spoilers": True},
    )
    assert put.status_code == 200, put.text
    assert put.json()["rating"] == 4.5 and put.json()["has_spoilers"] is True
    page = client.get(f"/api/v1/books/{entry['book_id']}")
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["book"]["title"] == "Dune" and body["book"]["finished"] == 1
    assert body["book"]["distribution"] == [0, 0, 0, 1, 0] and body["book"]["my_user_book_id"] == 0
    [review] = body["reviews"]["posts"]
    assert review["text"] == "Spice!" and review["review_rating"] == 4.5 and review["review_has_spoilers"] is True
    assert review["author_username"] == ""  # visitors see posts anonymised
    # With a token: my copy and friends.
    assert client.put("/api/v1/users/ann/follow", headers=bob).status_code == 200
    finished(client, bob)
    mine = client.get(f"/api/v1/books/{entry['book_id']}", headers=bob).json()["book"]
    assert mine["my_status"] == "finished" and mine["my_user_book_id"] > 0
    assert [f["username"] for f in mine["friends"]] == ["ann"]
    liked = client.get(f"/api/v1/books/{entry['book_id']}/reviews?sort=liked", headers=bob)
    assert liked.status_code == 200 and len(liked.json()["posts"]) == 1
    assert client.get(f"/api/v1/books/{entry['book_id']}/posts").json() == {"posts": [], "next_cursor": ""}


def test_errors_follow_the_contract(client, ann):
    entry, read_id = finished(client, ann)
    missing = client.get("/api/v1/books/99999")
    assert missing.status_code == 404 and missing.json()["error"]["message"] == "Book not found."
    bad_sort = client.get(f"/api/v1/books/{entry['book_id']}?sort=oldest")
    assert bad_sort.status_code in (400, 422) and bad_sort.json()["error"]["field"] == "sort"
    bad = client.put(f"/api/v1/reads/{read_id}/review", headers=ann, json={"rating": 4.1, "text": "x"})
    assert bad.status_code in (400, 422) and bad.json()["error"]["field"] == "rating"
    empty = client.put(f"/api/v1/reads/{read_id}/review", headers=ann, json={"text": " "})
    assert empty.json()["error"]["field"] == "text"
    assert client.put(f"/api/v1/reads/{read_id}/review", json={"text": "x"}).status_code == 401
    carl = signup(client, "carl")
    assert client.put(f"/api/v1/reads/{read_id}/review", headers=carl, json={"text": "x"}).status_code == 404
    assert client.delete(f"/api/v1/reads/{read_id}/review", headers=ann).status_code == 404  # none yet
    assert client.get("/api/v1/books/search?q=dune").status_code != 422  # search keeps its path


def test_delete_review_removes_it_from_the_book_page(client, ann):
    entry, read_id = finished(client, ann)
    client.put(f"/api/v1/reads/{read_id}/review", headers=ann, json={"text": "Gone soon"})
    assert client.delete(f"/api/v1/reads/{read_id}/review", headers=ann).status_code == 204
    body = client.get(f"/api/v1/books/{entry['book_id']}").json()
    assert body["reviews"]["posts"] == [] and body["book"]["review_count"] == 0
