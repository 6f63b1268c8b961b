"""The /api/v1 social, reading and export endpoints, and who may do what."""

import io

from PIL import Image

from booktracker.services import events
from booktracker.settings import settings
from tests.support.images import jpeg_with_gps


def post(client, headers, **form):
    files = form.pop("files", None)
    data = {"text": "hello", **{k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in form.items()}}
    response = client.post("/api/v1/posts", headers=headers, data=data, files=files)
    return response


def test_post_with_image_is_cleaned_and_stored(client, ann):
    response = post(client, ann, text="with a photo", files={"image": ("me.jpg", jpeg_with_gps(), "image/jpeg")})
    assert response.status_code == 201, response.text
    stored = settings.upload_dir / response.json()["image_path"]
    image = Image.open(io.BytesIO(stored.read_bytes()))
    assert image.format == "WEBP" and not image.getexif()
    client.delete(f"/api/v1/posts/{response.json()['id']}", headers=ann)
    assert not stored.exists()  # deleting the post deleted its image


def test_bad_image_keeps_nothing_and_explains(client, ann):
    response = post(client, ann, files={"image": ("cat.jpg", b"not an image", "image/jpeg")})
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "invalid_input",
        "message": "That file is not a readable JPEG, PNG or WebP image.",
        "field": "image",
    }
    assert client.get("/api/v1/feed", headers=ann).json()["posts"] == []


def test_an_invalid_post_with_a_valid_image_uploads_nothing(client, ann, cloud):
    """The post is checked before the image is stored (it used to be uploaded, then deleted)."""
    response = post(client, ann, emotion="abc", files={"image": ("me.jpg", jpeg_with_gps(), "image/jpeg")})
    assert response.status_code == 422 and response.json()["error"]["field"] == "emotion"
    response = post(client, ann, user_book_id=999, files={"image": ("me.jpg", jpeg_with_gps(), "image/jpeg")})
    assert response.status_code == 404
    assert cloud.requests == []
    assert client.get("/api/v1/feed", headers=ann).json()["posts"] == []


def test_a_published_post_is_announced_once(client, ann):
    seen: list[events.PostPublished] = []
    events.subscribe(seen.append)
    try:
        made = post(client, ann, text="news").json()
        secret = post(client, ann, text="diary", is_public=False).json()
        post(client, ann, text="", emotion="abc")  # refused: no event
    finally:
        events.unsubscribe(seen.append)
    assert [(e.post_id, e.is_public, e.origin) for e in seen] == [(made["id"], True, ""), (secret["id"], False, "")]


def test_authorization_matrix(client, ann, bob):
    mine = post(client, ann, text="public").json()
    secret = post(client, ann, text="secret", is_public=False).json()
    entry = client.post("/api/v1/library", headers=ann, json={"title": "Dune", "total_pages": 400}).json()
    client.patch(f"/api/v1/library/{entry['id']}", headers=ann, json={"private_notes": "my secret note"})
    comment = client.post(f"/api/v1/posts/{mine['id']}/comments", headers=ann, json={"text": "first"}).json()

    refused = [
        client.patch(f"/api/v1/posts/{mine['id']}", headers=bob, json={"text": "hacked"}),
        client.delete(f"/api/v1/posts/{mine['id']}", headers=bob),
        client.delete(f"/api/v1/comments/{comment['id']}", headers=bob),
        client.get(f"/api/v1/posts/{secret['id']}", headers=bob),
        client.put(f"/api/v1/posts/{secret['id']}/like", headers=bob),
        client.post(f"/api/v1/posts/{secret['id']}/comments", headers=bob, json={"text": "hi"}),
        client.get(f"/api/v1/library/{entry['id']}", headers=bob),
        client.patch(f"/api/v1/library/{entry['id']}", headers=bob, json={"rating": 1}),
        client.delete(f"/api/v1/library/{entry['id']}", headers=bob),
    ]
    assert [r.status_code for r in refused] == [404] * len(refused)
    assert client.get(f"/api/v1/posts/{mine['id']}", headers=ann).json()["text"] == "public"
    assert client.get(f"/api/v1/library/{entry['id']}", headers=ann).json()["rating"] == 0

    # Private things never show up anywhere for anyone else.
    everywhere = [
        client.get("/api/v1/feed", headers=bob).text,
        client.get("/api/v1/feed").text,
        client.get("/api/v1/users/ann/posts", headers=bob).text,
        client.get("/api/v1/users/ann", headers=bob).text,
        client.get("/api/v1/users", headers=bob, params={"q": "ann"}).text,
        client.get("/api/v1/export/data.json", headers=bob).text,
        client.get("/api/v1/export/library.csv", headers=bob).text,
    ]
    for text in everywhere:
        assert "secret" not in text and "my secret note" not in text
    assert "secret" in client.get("/api/v1/feed", headers=ann).text


def test_anonymous_feed_and_following(client, ann, bob):
    post(client, ann, text="from ann")
    anonymous = client.get("/api/v1/feed").json()["posts"][0]
    assert anonymous["author_name"] == "Community post" and anonymous["author_username"] == ""
    assert client.get("/api/v1/feed", params={"tab": "following"}).json()["posts"] == []
    assert client.get("/api/v1/feed", headers=bob, params={"tab": "following"}).json()["posts"] == []
    # Ann's profile is public: the follow is accepted at once (a request otherwise: test_api_privacy.py).
    followed = client.put("/api/v1/users/ann/follow", headers=bob)
    assert (followed.status_code, followed.json()) == (200, {"status": "following"})
    following = client.get("/api/v1/feed", headers=bob, params={"tab": "following"}).json()["posts"]
    assert [p["text"] for p in following] == ["from ann"]
    assert client.get("/api/v1/users/ann", headers=bob).json()["i_follow"] is True
    assert [p["username"] for p in client.get("/api/v1/users/ann/followers").json()] == ["bob"]


def test_likes_and_comments(client, ann, bob):
    mine = post(client, ann).json()
    assert client.put(f"/api/v1/posts/{mine['id']}/like", headers=bob).json() == {"like_count": 1}
    assert client.put(f"/api/v1/posts/{mine['id']}/like", headers=bob).json() == {"like_count": 1}
    assert client.delete(f"/api/v1/posts/{mine['id']}/like", headers=bob).json() == {"like_count": 0}
    made = client.post(
        f"/api/v1/posts/{mine['id']}/comments", headers=bob, json={"text": "<img src=x onerror=alert(1)>"}
    )
    assert made.status_code == 201 and made.json()["text"] == "<img src=x onerror=alert(1)>"  # stored as text
    assert [c["text"] for c in client.get(f"/api/v1/posts/{mine['id']}/comments", headers=ann).json()] == [
        "<img src=x onerror=alert(1)>"
    ]
    assert client.delete(f"/api/v1/comments/{made.json()['id']}", headers=ann).status_code == 204  # post owner may


def test_profile_password_and_account_deletion(client, ann):
    me = client.patch(
        "/api/v1/me", headers=ann, json={"name": "Ann Lee", "username": "ann_lee", "bio": "Reader"}
    ).json()
    assert (me["username"], me["bio"]) == ("ann_lee", "Reader")
    changed = client.post(
        "/api/v1/auth/password",
        headers=ann,
        json={"current_password": "long enough pw", "new_password": "another long pw"},
    )
    assert changed.status_code == 200
    assert client.get("/api/v1/me", headers=ann).status_code == 401  # old token revoked
    fresh = {"Authorization": f"Bearer {changed.json()['access_token']}"}
    assert client.request("DELETE", "/api/v1/me", headers=fresh, json={"password": "wrong"}).status_code == 401
    assert (
        client.request("DELETE", "/api/v1/me", headers=fresh, json={"password": "another long pw"}).status_code == 204
    )
    assert (
        client.post("/api/v1/auth/login", json={"email": "ann@example.com", "password": "another long pw"}).status_code
        == 401
    )


def test_stats_goal_and_exports(client, ann):
    entry = client.post(
        "/api/v1/library", headers=ann, json={"title": "Emma", "total_pages": 200, "status": "finished"}
    ).json()
    assert entry["status"] == "finished"
    assert client.put("/api/v1/goals/2026", headers=ann, json={"books": 10}).status_code == 204
    figures = client.get("/api/v1/stats", headers=ann).json()
    assert figures["finished_total"] == 1 and figures["pages_read"] == 200 and len(figures["pages_per_day"]) == 84
    csv_text = client.get("/api/v1/export/library.csv", headers=ann).text
    assert csv_text.startswith("Book Id,Title,Author") and "Emma" in csv_text
    data = client.get("/api/v1/export/data.json", headers=ann).json()
    assert data["library"][0]["title"] == "Emma" and "password_hash" not in str(data)


def test_throttled_login_says_when_to_retry(client, ann):
    for _ in range(5):
        client.post("/api/v1/auth/login", json={"email": "ann@example.com", "password": "wrong password"})
    response = client.post("/api/v1/auth/login", json={"email": "ann@example.com", "password": "wrong password"})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1
    assert response.json()["error"]["code"] == "too_many_attempts"


def test_account_deletion_removes_images(client, ann):
    made = post(client, ann, text="photo", files={"image": ("p.jpg", jpeg_with_gps(), "image/jpeg")}).json()
    stored = settings.upload_dir / made["image_path"]
    assert stored.exists()
    assert client.request("DELETE", "/api/v1/me", headers=ann, json={"password": "long enough pw"}).status_code == 204
    assert not stored.exists()


def test_removing_a_book_removes_its_posts_images(client, ann):
    entry = client.post("/api/v1/library", headers=ann, json={"title": "Pictured", "total_pages": 10}).json()
    made = post(client, ann, user_book_id=entry["id"], files={"image": ("p.jpg", jpeg_with_gps(), "image/jpeg")}).json()
    stored = settings.upload_dir / made["image_path"]
    assert stored.exists()
    assert client.delete(f"/api/v1/library/{entry['id']}", headers=ann).status_code == 204
    assert not stored.exists()
    assert client.get(f"/api/v1/posts/{made['id']}", headers=ann).status_code == 404


def test_the_feed_takes_a_limit_and_only_a_visitors_page_may_be_cached(client, ann, bob):
    for n in range(3):
        post(client, ann, text=f"post {n}")
    visitor = client.get("/api/v1/feed", params={"limit": 2})
    assert [p["text"] for p in visitor.json()["posts"]] == ["post 2", "post 1"]
    assert visitor.json()["next_cursor"]
    # Shared caches may keep the anonymous page a few seconds; never a reader's own.
    assert visitor.headers["cache-control"] == "public, max-age=10"
    # What a cache must key on: the token, and (the API gzips) the encodings the client takes.
    assert [v.strip() for v in visitor.headers["vary"].split(",")] == ["Authorization", "Accept-Encoding"]
    signed_in = client.get("/api/v1/feed", headers=bob, params={"limit": 1})
    assert len(signed_in.json()["posts"]) == 1 and signed_in.headers["cache-control"] == "private, no-store"
    for bad in (0, 21, "x"):
        refused = client.get("/api/v1/feed", params={"limit": bad})
        assert refused.status_code == 422 and refused.json()["error"]["field"] == "limit"
