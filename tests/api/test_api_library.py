"""PATCH /api/v1/library/{id}: all the fields sent, or none of them."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import func, select

from booktracker.api.app import build_api
from booktracker.models import ReadingProgress, UserBook


@pytest.fixture
def client(db):
    return TestClient(build_api())


@pytest.fixture
def ann(client):
    response = client.post(
        "/api/v1/auth/signup", json={"email": "ann@example.com", "name": "Ann", "password": "long enough pw"}
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def dune(client, ann):
    created = client.post("/api/v1/library", headers=ann, json={"title": "Dune", "total_pages": 400})
    entry_id = created.json()["id"]
    patched = client.patch(f"/api/v1/library/{entry_id}", headers=ann, json={"current_page": 120, "rating": 3})
    assert patched.status_code == 200
    return entry_id


@pytest.fixture
def commits(db):
    """How many transactions the database commits while active."""
    count = {"n": 0}

    def on_commit(_conn):
        count["n"] += 1

    event.listen(db, "commit", on_commit)
    yield count
    event.remove(db, "commit", on_commit)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"status": "finished", "format": "vinyl"}, "format"),
        ({"status": "finished", "current_page": 120, "ownership": "stolen"}, "ownership"),
        ({"current_page": 300, "rating": 4.3}, "rating"),
        ({"status": "finished", "current_page": 401}, "current_page"),
        ({"current_page": 10, "status": "lost"}, "status"),
    ],
)
def test_a_refused_patch_changes_nothing(client, session, ann, dune, body, field):
    before = client.get(f"/api/v1/library/{dune}", headers=ann).json()
    history = session.exec(select(func.count()).select_from(ReadingProgress)).one()

    refused = client.patch(f"/api/v1/library/{dune}", headers=ann, json=body)

    assert refused.status_code == 422 and refused.json()["error"]["field"] == field
    assert client.get(f"/api/v1/library/{dune}", headers=ann).json() == before
    assert (before["status"], before["current_page"]) == ("reading", 120)
    assert [(r["status"], r["ended_on"]) for r in before["reads"]] == [("reading", "")]
    assert session.exec(select(func.count()).select_from(ReadingProgress)).one() == history


def test_a_combined_patch_applies_everything_in_one_commit(client, session, ann, dune, commits):
    body = {
        "status": "finished",
        "current_page": 390,
        "rating": 4.5,
        "format": "ebook",
        "ownership": "borrowed",
        "borrowed_from": " Cy ",
        "private_notes": "Reread the appendix.",
    }
    commits["n"] = 0
    patched = client.patch(f"/api/v1/library/{dune}", headers=ann, json=body)
    assert patched.status_code == 200, patched.text
    assert commits["n"] == 1
    detail = patched.json()
    # Status first, then the page: finishing jumps to 400, the page sent sets 390.
    assert (detail["status"], detail["current_page"], detail["rating"]) == ("finished", 390, 4.5)
    assert (detail["format"], detail["ownership"], detail["borrowed_from"]) == ("ebook", "borrowed", "Cy")
    assert detail["private_notes"] == "Reread the appendix."
    assert (
        detail["reads"][0]["status"] == "finished"
        and detail["reads"][0]["ended_on"]
        and detail["reads"][0]["started_on"]
    )
    assert session.exec(select(ReadingProgress.pages_delta).order_by(ReadingProgress.id)).all() == [120, 280, -10]


def test_null_rating_clears_it_and_null_elsewhere_keeps(client, session, ann, dune):
    patched = client.patch(
        f"/api/v1/library/{dune}", headers=ann, json={"rating": None, "status": None, "format": None}
    )
    assert patched.status_code == 200
    assert (patched.json()["rating"], patched.json()["status"], patched.json()["current_page"]) == (0.0, "reading", 120)
    assert session.get(UserBook, dune).rating is None


def test_an_empty_patch_writes_nothing(client, ann, dune, commits):
    before = client.get(f"/api/v1/library/{dune}", headers=ann).json()
    commits["n"] = 0
    assert client.patch(f"/api/v1/library/{dune}", headers=ann, json={}).json() == before
    assert commits["n"] == 0


def test_patch_edits_only_my_copy_and_refuses_foreign_covers(client, ann, dune):
    bob = client.post(
        "/api/v1/auth/signup", json={"email": "bob@example.com", "name": "Bob", "password": "long enough pw"}
    ).json()["access_token"]
    bobs = client.post(
        "/api/v1/library", headers={"Authorization": f"Bearer {bob}"}, json={"title": "Dune", "total_pages": 300}
    ).json()
    refused = client.patch(
        f"/api/v1/library/{dune}",
        headers=ann,
        json={"copy_pages": 500, "copy_cover_url": "https://attacker.example/x.png"},
    )
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "copy_cover_url"
    assert client.get(f"/api/v1/library/{dune}", headers=ann).json()["total_pages"] == 400  # nothing changed
    patched = client.patch(
        f"/api/v1/library/{dune}",
        headers=ann,
        json={"copy_pages": 480, "copy_title": "Dune (Folio)", "format": "audiobook", "audio_minutes": 1262},
    ).json()
    assert (patched["title"], patched["total_pages"], patched["percent"]) == ("Dune (Folio)", 480, 25)
    assert (patched["copy_pages"], patched["audio_minutes"], patched["progress_unit"]) == (480, 1262, "pages")
    timed = client.patch(
        f"/api/v1/library/{dune}", headers=ann, json={"progress_unit": "minutes", "current_page": 631}
    ).json()
    assert (timed["current_page"], timed["percent"]) == (631, 50)
    theirs = client.get(f"/api/v1/library/{bobs['id']}", headers={"Authorization": f"Bearer {bob}"}).json()
    assert (theirs["title"], theirs["total_pages"]) == ("Dune", 300)
