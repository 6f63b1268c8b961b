"""/api/v1/shelves, PUT /api/v1/library/{id}/shelves, ?shelf= and the full entry in GET /library/{id}."""

import datetime

import pytest
from fastapi.testclient import TestClient

from booktracker.api.app import build_api
from booktracker.models import Book, Read, Review, UserBook


@pytest.fixture
def client(db):
    return TestClient(build_api())


def _signup(client, name):
    response = client.post(
        "/api/v1/auth/signup",
        json={"email": f"{name.lower()}@example.com", "name": name, "password": "long enough pw"},
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def ann(client):
    return _signup(client, "Ann")


@pytest.fixture
def bob(client):
    return _signup(client, "Bob")


def _add(client, headers, title, status="to-read"):
    created = client.post("/api/v1/library", headers=headers, json={"title": title, "status": status})
    assert created.status_code == 201, created.text
    return created.json()["id"]


def test_shelves_crud_with_counts(client, ann):
    assert client.get("/api/v1/shelves", headers=ann).json() == []
    created = client.post("/api/v1/shelves", headers=ann, json={"name": "  Favourites "})
    assert created.status_code == 201
    shelf = created.json()
    assert shelf == {"id": shelf["id"], "name": "Favourites", "count": 0}

    dune = _add(client, ann, "Dune")
    put = client.put(f"/api/v1/library/{dune}/shelves", headers=ann, json={"shelves": [shelf["id"], "Sci-fi"]})
    assert put.status_code == 200 and put.json() == {"shelves": ["Favourites", "Sci-fi"]}
    listed = client.get("/api/v1/shelves", headers=ann).json()
    assert [(s["name"], s["count"]) for s in listed] == [("Favourites", 1), ("Sci-fi", 1)]

    renamed = client.patch(f"/api/v1/shelves/{shelf['id']}", headers=ann, json={"name": "Loved"})
    assert renamed.status_code == 200 and renamed.json() == {"id": shelf["id"], "name": "Loved", "count": 1}

    assert client.delete(f"/api/v1/shelves/{shelf['id']}", headers=ann).status_code == 204
    assert [s["name"] for s in client.get("/api/v1/shelves", headers=ann).json()] == ["Sci-fi"]
    assert client.get(f"/api/v1/library/{dune}", headers=ann).json()["shelves"] == ["Sci-fi"]


@pytest.mark.parametrize(
    "method, path, body, status, code, field",
    [
        ("post", "/api/v1/shelves", {"name": "favourites"}, 409, "conflict", "name"),
        ("post", "/api/v1/shelves", {"name": "   "}, 422, "invalid_input", "name"),
        ("post", "/api/v1/shelves", {"name": "x" * 101}, 422, "invalid_input", "name"),
        ("post", "/api/v1/shelves", {}, 422, "invalid_input", "name"),
        ("patch", "/api/v1/shelves/{other}", {"name": "FAVOURITES"}, 409, "conflict", "name"),
        ("put", "/api/v1/library/{dune}/shelves", {"shelves": ["ok", ""]}, 422, "invalid_input", "shelves"),
        ("put", "/api/v1/library/{dune}/shelves", {"shelves": [1.5]}, 422, "invalid_input", "shelves.0.int"),
        ("put", "/api/v1/library/{dune}/shelves", {"shelves": [999999]}, 404, "not_found", "shelves"),
        ("put", "/api/v1/library/{dune}/shelves", {"shelves": [2**63]}, 422, "invalid_input", None),
    ],
)
def test_bad_input_is_refused_clearly_and_changes_nothing(client, ann, method, path, body, status, code, field):
    favourites = client.post("/api/v1/shelves", headers=ann, json={"name": "Favourites"}).json()
    other = client.post("/api/v1/shelves", headers=ann, json={"name": "Other"}).json()
    dune = _add(client, ann, "Dune")
    client.put(f"/api/v1/library/{dune}/shelves", headers=ann, json={"shelves": [favourites["id"]]})
    before = client.get("/api/v1/shelves", headers=ann).json()

    refused = getattr(client, method)(path.format(other=other["id"], dune=dune), headers=ann, json=body)

    assert refused.status_code == status, refused.text
    error = refused.json()["error"]
    assert error["code"] == code and error["message"]
    if field is not None:
        assert error["field"] == field
    assert client.get("/api/v1/shelves", headers=ann).json() == before
    assert client.get(f"/api/v1/library/{dune}", headers=ann).json()["shelves"] == ["Favourites"]


def test_authorization_matrix(client, ann, bob):
    shelf = client.post("/api/v1/shelves", headers=ann, json={"name": "Ann's"}).json()
    dune = _add(client, ann, "Dune")
    client.put(f"/api/v1/library/{dune}/shelves", headers=ann, json={"shelves": [shelf["id"]]})
    bobs_shelf = client.post("/api/v1/shelves", headers=bob, json={"name": "Bob's"}).json()
    calls = [
        ("get", "/api/v1/shelves", None),
        ("patch", f"/api/v1/shelves/{shelf['id']}", {"name": "Taken"}),
        ("put", f"/api/v1/library/{dune}/shelves", {"shelves": ["Bob's"]}),
        ("get", f"/api/v1/library?shelf={shelf['id']}", None),
        ("delete", f"/api/v1/shelves/{shelf['id']}", None),
    ]
    for method, path, body in calls:
        kwargs = {"json": body} if body is not None else {}
        anonymous = client.request(method.upper(), path, **kwargs)
        assert anonymous.status_code == 401, (method, path)
        assert anonymous.json()["error"]["code"] == "authentication_failed"
        as_bob = client.request(method.upper(), path, headers=bob, **kwargs)
        if path == "/api/v1/shelves":
            assert [s["name"] for s in as_bob.json()] == ["Bob's"]  # only his own
        elif "?shelf=" in path:
            assert as_bob.status_code == 200 and as_bob.json()["total"] == 0  # Ann's shelf shows Bob nothing
        else:
            assert as_bob.status_code == 404, (method, path)
            assert as_bob.json()["error"]["code"] == "not_found"
    # Ann cannot use Bob's shelf id on her book either.
    refused = client.put(f"/api/v1/library/{dune}/shelves", headers=ann, json={"shelves": [bobs_shelf["id"]]})
    assert refused.status_code == 404
    # Nothing of Ann's changed; the owner still can do everything.
    assert client.get("/api/v1/shelves", headers=ann).json() == [{"id": shelf["id"], "name": "Ann's", "count": 1}]
    assert (
        client.post("/api/v1/shelves", headers=bob, json={"name": "Ann's"}).status_code == 201
    )  # names are per reader
    assert client.delete(f"/api/v1/shelves/{shelf['id']}", headers=ann).status_code == 204


def test_library_filters_by_shelf(client, ann):
    dune, emma, _ulysses = (_add(client, ann, t, "finished") for t in ("Dune", "Emma", "Ulysses"))
    client.put(f"/api/v1/library/{dune}/shelves", headers=ann, json={"shelves": ["Loved"]})
    client.put(f"/api/v1/library/{emma}/shelves", headers=ann, json={"shelves": ["Loved", "Classics"]})
    loved = next(s for s in client.get("/api/v1/shelves", headers=ann).json() if s["name"] == "Loved")
    for shelf in (loved["id"], "Loved"):
        page = client.get("/api/v1/library", headers=ann, params={"shelf": shelf, "sort": "title"}).json()
        assert [item["title"] for item in page["items"]] == ["Dune", "Emma"]
        assert page["counts"]["all"] == 2 and page["counts"]["finished"] == 2
    assert client.get("/api/v1/library", headers=ann, params={"shelf": "Unknown"}).json()["total"] == 0
    assert client.get("/api/v1/library", headers=ann).json()["total"] == 3


def test_the_entry_has_its_shelves_reviews_and_series(client, session, ann):
    dune = _add(client, ann, "Dune", "finished")
    client.put(f"/api/v1/library/{dune}/shelves", headers=ann, json={"shelves": ["Sci-fi", "Loved"]})
    entry = session.get(UserBook, dune)
    assert entry is not None
    book = session.get(Book, entry.book_id)
    assert book is not None
    book.series, book.series_position = "Dune Chronicles", "1"
    read = Read(user_id=entry.user_id, user_book_id=dune, book_id=book.id, status="finished")
    session.add_all([book, read])
    session.flush()
    written = datetime.datetime(2023, 5, 1, 9, 30, tzinfo=datetime.UTC)
    session.add_all(
        [
            Review(
                user_id=entry.user_id,
                user_book_id=dune,
                read_id=read.id,
                book_id=book.id,
                rating=4.25,
                text="The spice must flow.",
                has_spoilers=True,
                created_at=written,
            ),
            Review(
                user_id=entry.user_id,
                user_book_id=dune,
                book_id=book.id,
                text="Re-read: still great.",
                is_public=False,
                created_at=written + datetime.timedelta(days=400),
            ),
        ]
    )
    session.commit()

    detail = client.get(f"/api/v1/library/{dune}", headers=ann).json()

    assert detail["shelves"] == ["Loved", "Sci-fi"]
    assert (detail["series"], detail["series_position"]) == ("Dune Chronicles", "1")
    newest, oldest = detail["reviews"]
    assert newest["text"] == "Re-read: still great." and newest["is_public"] is False and newest["read_id"] == 0
    assert oldest == {
        "id": oldest["id"],
        "read_id": read.id,
        "rating": 4.25,
        "text": "The spice must flow.",
        "has_spoilers": True,
        "is_public": True,
        "created_at": "2023-05-01T09:30:00+00:00",
    }
