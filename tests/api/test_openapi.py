"""What the OpenAPI spec tells a client: the bearer scheme on every protected
operation, and described bodies for stats, book search and the exports; the
JSON sent and the refusal of a missing token stay as they were."""

import dataclasses
import json

import pytest
from fastapi.testclient import TestClient

from booktracker.api.app import API_PREFIX, build_api
from booktracker.services import auth, book_search, stats
from tests.support.fake_book_apis import FakeBookApis

# Reachable without a token at all; everything else names the bearer scheme.
PUBLIC_OPERATIONS = {
    ("post", f"{API_PREFIX}/auth/login"),
    ("post", f"{API_PREFIX}/auth/signup"),
    # A reader who forgot the password has no token: the emailed link is the authorization.
    ("post", f"{API_PREFIX}/auth/password-reset"),
    ("post", f"{API_PREFIX}/auth/password-reset/confirm"),
    # The second step of a two-factor login: the signed challenge from /auth/login is the authorization.
    ("post", f"{API_PREFIX}/auth/login/two-factor"),
    # Google sign-in: the Google ID token in the body is the authorization (tests/api/test_api_google.py).
    ("post", f"{API_PREFIX}/auth/google"),
    # An <img> sends no token: the signed, expiring link is the authorization (tests/api/test_api_images.py).
    ("get", f"{API_PREFIX}/media/{{post_id}}/{{name}}"),
}
# Anonymous readers get these (anonymised); a token, when sent, must be valid.
OPTIONAL_TOKEN_GETS = [
    f"{API_PREFIX}/feed",
    f"{API_PREFIX}/users/ann/posts",
    f"{API_PREFIX}/users/ann",
    f"{API_PREFIX}/users/ann/followers",
]


@pytest.fixture
def client(db):
    return TestClient(build_api())


@pytest.fixture
def spec(client):
    return client.get(f"{API_PREFIX}/openapi.json").json()


def signup(client, name="ann"):
    response = client.post(
        f"{API_PREFIX}/auth/signup",
        json={"email": f"{name}@example.com", "name": name.title(), "password": "long enough pw"},
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def operations(spec):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            if path.startswith(API_PREFIX):
                yield method, path, operation


def test_the_spec_declares_the_bearer_scheme_on_every_protected_operation(spec):
    schemes = spec["components"]["securitySchemes"]
    bearer = [name for name, scheme in schemes.items() if (scheme["type"], scheme["scheme"]) == ("http", "bearer")]
    assert len(bearer) == 1, schemes
    protected = {(m, p): op.get("security") for m, p, op in operations(spec) if (m, p) not in PUBLIC_OPERATIONS}
    assert len(protected) > 30
    assert {key for key, security in protected.items() if security != [{bearer[0]: []}]} == set()
    assert all("security" not in spec["paths"][path][method] for method, path in PUBLIC_OPERATIONS)
    # The token travels through the scheme, not as a free-form header parameter.
    headers = [(m, p) for m, p, op in operations(spec) for param in op.get("parameters", []) if param["in"] == "header"]
    assert headers == []


def test_stats_and_book_search_bodies_are_described(spec):
    def body(path):
        return spec["paths"][f"{API_PREFIX}{path}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]

    schemas = spec["components"]["schemas"]
    assert body("/stats") == {"$ref": "#/components/schemas/Stats"}
    assert set(schemas["Stats"]["properties"]) == {f.name for f in dataclasses.fields(stats.Stats)}
    assert schemas["Stats"]["properties"]["pages_per_day"]["items"] == {"$ref": "#/components/schemas/DayPages"}
    assert set(schemas["Goal"]["properties"]) == {f.name for f in dataclasses.fields(stats.Goal)}

    search = body("/books/search")
    assert search["type"] == "array" and search["items"] == {"$ref": "#/components/schemas/BookResult"}
    assert set(schemas["BookResult"]["properties"]) == {f.name for f in dataclasses.fields(book_search.BookResult)}


def test_exports_document_their_media_types(spec):
    def content(path):
        return spec["paths"][f"{API_PREFIX}{path}"]["get"]["responses"]["200"]["content"]

    assert list(content("/export/library.csv")) == ["text/csv"]
    assert list(content("/export/data.json")) == ["application/json"]


def test_stats_json_is_the_service_result_unchanged(client, session):
    ann = signup(client)
    client.post(f"{API_PREFIX}/library", headers=ann, json={"title": "Emma", "total_pages": 200, "status": "finished"})
    assert client.put(f"{API_PREFIX}/goals/2026", headers=ann, json={"books": 10}).status_code == 204
    sent = client.get(f"{API_PREFIX}/stats", headers=ann, params={"tz_offset": 60}).json()
    user_id = auth.check_token(session=session, token=ann["Authorization"].split()[1]).user.id
    assert user_id is not None
    expected = stats.reading_stats(session=session, user_id=user_id, offset_minutes=60)
    assert sent == json.loads(json.dumps(dataclasses.asdict(expected)))
    assert sent["goal"]["kind"] == "books" and sent["formats"] == {"unknown": 1}


def test_book_search_json_is_the_service_result_unchanged(client, session, monkeypatch):
    ann = signup(client)
    with FakeBookApis() as fake:
        monkeypatch.setattr(book_search, "GOOGLE_BOOKS_URL", f"{fake.base}/books/v1/volumes")
        monkeypatch.setattr(book_search, "OPEN_LIBRARY_URL", f"{fake.base}/search.json")
        sent = client.get(f"{API_PREFIX}/books/search", headers=ann, params={"q": "Dune"}).json()
    expected = book_search.search(session=session, text="Dune")  # from the cache now
    assert sent == [dataclasses.asdict(result) for result in expected]
    assert sent[0]["title"] == "Dune: Deluxe Edition" and sent[0]["source"] == "google"


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer    ", "Basic YW5uOnB3", "Token abc", "not.a.jwt", "Bearer not.a.jwt"],
)
def test_a_missing_or_bad_header_is_our_401_never_fastapis_403(client, authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    for path in (f"{API_PREFIX}/me", f"{API_PREFIX}/stats", f"{API_PREFIX}/export/library.csv"):
        response = client.get(path, headers=headers)
        assert response.status_code == 401, (path, authorization, response.text)
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.json()["error"]["code"] == "authentication_failed"


def test_public_reads_take_no_token_but_refuse_a_bad_one(client):
    signup(client)
    for path in OPTIONAL_TOKEN_GETS:
        assert client.get(path).status_code == 200, path
        assert client.get(path, headers={"Authorization": ""}).status_code == 200, path
        for bad in ("Basic YW5uOnB3", "Bearer ", "Bearer not.a.jwt"):
            response = client.get(path, headers={"Authorization": bad})
            assert response.status_code == 401, (path, bad, response.text)
            assert response.json()["error"]["code"] == "authentication_failed"
