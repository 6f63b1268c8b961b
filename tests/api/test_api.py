"""The /api/v1 JSON API over the real services and database."""

import pytest
from fastapi.testclient import TestClient

from booktracker.api.app import build_api


@pytest.fixture
def client(db):
    return TestClient(build_api())


def signup(client, email="ann@example.com", name="Ann"):
    response = client.post("/api/v1/auth/signup", json={"email": email, "name": name, "password": "long enough pw"})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_openapi_is_served(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/library/{user_book_id}" in spec["paths"]


def test_signup_login_me_logout(client):
    headers = signup(client)
    me = client.get("/api/v1/me", headers=headers).json()
    assert me["email"] == "ann@example.com" and "password_hash" not in me

    bad = client.post("/api/v1/auth/login", json={"email": "ann@example.com", "password": "wrong password"})
    unknown = client.post("/api/v1/auth/login", json={"email": "nobody@example.com", "password": "wrong password"})
    assert bad.status_code == unknown.status_code == 401
    assert bad.json() == unknown.json()
    assert bad.json()["error"]["code"] == "authentication_failed"

    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_duplicate_signup_is_a_conflict(client):
    signup(client)
    response = client.post(
        "/api/v1/auth/signup", json={"email": "ANN@example.com", "name": "Ann", "password": "long enough pw"}
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_library_crud_and_isolation(client):
    ann = signup(client)
    bob = signup(client, "bob@example.com", "Bob")
    created = client.post(
        "/api/v1/library", headers=ann, json={"title": "Dune", "authors": "Frank Herbert", "total_pages": 412}
    )
    assert created.status_code == 201
    entry_id = created.json()["id"]
    again = client.post("/api/v1/library", headers=ann, json={"title": "dune", "authors": "frank herbert"})
    assert again.status_code == 200 and again.json()["id"] == entry_id

    patched = client.patch(f"/api/v1/library/{entry_id}", headers=ann, json={"current_page": 206, "rating": 4.5})
    assert patched.status_code == 200
    assert patched.json()["percent"] == 50 and patched.json()["status"] == "reading"
    assert patched.json()["rating"] == 4.5

    too_far = client.patch(f"/api/v1/library/{entry_id}", headers=ann, json={"current_page": 413})
    assert too_far.status_code == 422 and too_far.json()["error"]["field"] == "current_page"

    listing = client.get("/api/v1/library", headers=ann, params={"tab": "reading"}).json()
    assert listing["total"] == 1 and listing["counts"]["reading"] == 1

    # Bob can neither read, change nor delete Ann's entry, and it looks missing.
    assert client.get(f"/api/v1/library/{entry_id}", headers=bob).status_code == 404
    assert client.patch(f"/api/v1/library/{entry_id}", headers=bob, json={"current_page": 1}).status_code == 404
    assert client.delete(f"/api/v1/library/{entry_id}", headers=bob).status_code == 404
    assert client.get("/api/v1/library", headers=bob).json()["total"] == 0

    assert client.delete(f"/api/v1/library/{entry_id}", headers=ann).status_code == 204
    assert client.get(f"/api/v1/library/{entry_id}", headers=ann).status_code == 404


def test_pagination_limit_is_enforced(client):
    headers = signup(client)
    response = client.get("/api/v1/library", headers=headers, params={"per_page": 500})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_missing_or_garbage_token_is_401(client):
    assert client.get("/api/v1/me").status_code == 401
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer not.a.jwt"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_forged_and_revoked_tokens_are_refused(client):
    import jwt

    from booktracker.settings import settings

    headers = signup(client)
    token = headers["Authorization"].split()[1]
    claims = jwt.decode(token, settings.secret_key, algorithms=["HS256"])
    unsigned = jwt.encode(claims, None, algorithm="none")
    wrong_key = jwt.encode(claims, "x" * 40, algorithm="HS256")
    expired = jwt.encode({**claims, "exp": claims["iat"] - 1}, settings.secret_key, algorithm="HS256")
    for bad in (unsigned, wrong_key, expired):
        assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {bad}"}).status_code == 401
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_text_with_nul_characters_is_refused_as_invalid_input_on_every_database(client):
    """PostgreSQL cannot store U+0000; schemathesis once got a 500 from it at login."""
    login = client.post("/api/v1/auth/login", json={"email": "a\x00b@example.com", "password": "whatever 123"})
    assert login.status_code == 422
    assert login.json()["error"] == {
        "code": "invalid_input",
        "message": "Text may not contain NUL (\\0) characters.",
        "field": None,
    }


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/v1/posts/{id}"),
        ("DELETE", "/api/v1/posts/{id}"),
        ("PUT", "/api/v1/posts/{id}/like"),
        ("GET", "/api/v1/library/{id}"),
        ("PATCH", "/api/v1/library/{id}"),
        ("DELETE", "/api/v1/comments/{id}"),
    ],
)
def test_ids_beyond_64_bits_are_refused_like_any_bad_id(client, method, path):
    """schemathesis found GET /posts/9223372036854775808 -> 500 (SQLite's
    OverflowError); every id-taking route shared it."""
    headers = signup(client)
    for huge in (2**63, 10**30):
        response = client.request(method, path.format(id=huge), headers=headers, json={})
        assert response.status_code in (404, 422), response.text
        assert response.json()["error"]["code"] in ("not_found", "invalid_input")


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("POST", "/api/v1/auth/password", {"current_password": "guess 123", "new_password": "another pw 123"}),
        ("DELETE", "/api/v1/me", {"password": "guess 123"}),
    ],
)
def test_wrong_current_passwords_are_throttled_like_logins(client, method, path, body):
    headers = signup(client)
    for _ in range(5):
        assert client.request(method, path, json=body, headers=headers).status_code == 401
    response = client.request(method, path, json=body, headers=headers)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1
    error = response.json()["error"]
    assert error["code"] == "too_many_attempts" and error["message"].startswith("Too many attempts. Try again in ")
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # nothing changed, the account is there


def test_answers_of_a_kilobyte_or_more_are_gzipped_for_clients_that_ask(client, ann):
    for n in range(12):
        response = client.post("/api/v1/posts", headers=ann, data={"text": f"Post {n}: " + "a thought " * 20})
        assert response.status_code == 201, response.text
    page = client.get("/api/v1/feed", headers={**ann, "Accept-Encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in page.headers["vary"] and "Authorization" in page.headers["vary"]
    assert len(page.json()["posts"]) == 12  # httpx decodes it
    assert int(page.headers["content-length"]) < len(page.content) / 3
    plain = client.get("/api/v1/feed", headers={**ann, "Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.json() == page.json()
    small = client.get("/api/v1/me", headers={**ann, "Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers  # under a kilobyte: not worth it
