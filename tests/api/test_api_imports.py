"""/api/v1/imports: upload (preview), run, poll; the page's use case (services/imports/jobs)."""

from pathlib import Path

import pytest

from booktracker.services import imports
from booktracker.services.imports import jobs
from tests.api.conftest import signup

GOODREADS = Path(__file__).resolve().parents[1] / "fixtures" / "goodreads_library_export.csv"
HEADER = "Book Id,Title,Author,ISBN,ISBN13,My Rating,Number of Pages,Date Read,Date Added,Bookshelves,Exclusive Shelf"


@pytest.fixture(autouse=True)
def upload_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(jobs, "UPLOAD_DIR", tmp_path / "imports")
    return tmp_path / "imports"


def upload(client, headers, data: bytes, name="goodreads_library_export.csv"):
    return client.post("/api/v1/imports", headers=headers, files={"file": (name, data, "text/csv")})


def test_preview_run_and_poll(client, ann, upload_dir):
    preview = upload(client, ann, GOODREADS.read_bytes())
    assert preview.status_code == 201, preview.text
    body = preview.json()
    assert (body["state"], body["format"], body["file_name"]) == ("previewed", "goodreads", GOODREADS.name)
    assert (body["total"], body["new"], body["invalid_count"], body["already_in_library"]) == (10, 7, 3, 0)
    assert any(e["reason"] == "The title is missing." for e in body["errors"])
    assert body["done"] == 0 and len(list(upload_dir.glob("import-*"))) == 1

    started = client.post(f"/api/v1/imports/{body['id']}/run", headers=ann, json={"review_as": "public"})
    assert started.status_code == 202, started.text
    assert started.json()["state"] == "running"
    # The test client returns after the background task; a real client polls.
    done = client.get(f"/api/v1/imports/{body['id']}", headers=ann).json()
    assert (done["state"], done["done"], done["total"], done["imported"], done["failed"]) == ("finished", 10, 10, 7, 3)
    assert len(done["errors"]) == 3 and done["message"] == ""
    assert not list(upload_dir.glob("import-*"))  # the temp file went with the end of the import
    library = client.get("/api/v1/library", headers=ann).json()
    assert len(library["items"] if isinstance(library, dict) else library) >= 6

    again = client.post(f"/api/v1/imports/{body['id']}/run", headers=ann, json={})
    assert again.status_code == 409 and again.json()["error"]["message"] == jobs.ALREADY_RUN
    # The same file again: everything is already there.
    second = upload(client, ann, GOODREADS.read_bytes()).json()
    assert (second["new"], second["already_in_library"]) == (0, 7)


def test_another_readers_import_is_not_found_and_a_token_is_needed(client, ann):
    job = upload(client, ann, GOODREADS.read_bytes()).json()
    bob = signup(client, "bob")
    for response in (
        client.get(f"/api/v1/imports/{job['id']}", headers=bob),
        client.post(f"/api/v1/imports/{job['id']}/run", headers=bob, json={}),
        client.get("/api/v1/imports/999999", headers=ann),
    ):
        assert response.status_code == 404 and response.json()["error"]["message"] == "No such import."
    assert client.get(f"/api/v1/imports/{job['id']}").status_code == 401
    assert client.post(f"/api/v1/imports/{job['id']}/run", json={}).status_code == 401
    assert upload(client, {}, GOODREADS.read_bytes()).status_code == 401
    assert client.get(f"/api/v1/imports/{job['id']}", headers=ann).json()["state"] == "previewed"


def test_bad_files_and_bad_options_are_explained(client, ann, upload_dir):
    bad = upload(client, ann, b"name,email\nx,y\n", name="contacts.csv")
    assert bad.status_code == 422 and "not a Goodreads or StoryGraph export" in bad.json()["error"]["message"]
    assert not list(upload_dir.glob("import-*"))  # a refused file leaves nothing behind

    latin = "\n".join([HEADER, "1,Les Misérables,Victor Hugo,,,0,,,,,to-read"]).encode("cp1252")
    preview = upload(client, ann, latin).json()
    assert preview["notice"] == imports.reader.LATIN_1_NOTICE and preview["new"] == 1

    data = "\n".join([HEADER, "1,Real Book,Somebody,,,0,,,,,to-read", "2,Bad,Somebody,,,9,,,,,to-read"]).encode()
    job = upload(client, ann, data).json()
    assert client.post(f"/api/v1/imports/{job['id']}/run", headers=ann, json={"review_as": "x"}).status_code == 422
    strict = client.post(f"/api/v1/imports/{job['id']}/run", headers=ann, json={"skip_invalid": False})
    assert strict.status_code == 422 and "1 line cannot be imported" in strict.json()["error"]["message"]
    assert client.get(f"/api/v1/imports/{job['id']}", headers=ann).json()["state"] == "previewed"  # nothing lost
    assert client.post(f"/api/v1/imports/{job['id']}/run", headers=ann, json={}).status_code == 202
    done = client.get(f"/api/v1/imports/{job['id']}", headers=ann).json()
    assert (done["state"], done["imported"], done["failed"]) == ("finished", 1, 1)


def test_a_file_over_20_mb_is_refused_with_the_import_message(client, ann):
    big = upload(client, ann, b"x" * (imports.MAX_FILE_BYTES + 1))
    assert big.status_code == 422
    assert big.json()["error"] == {"code": "invalid_input", "message": imports.TOO_LARGE, "field": "file"}


def test_a_json_backup_goes_into_an_empty_account(client, ann):
    upload(client, ann, GOODREADS.read_bytes())
    job = upload(client, ann, GOODREADS.read_bytes()).json()
    client.post(f"/api/v1/imports/{job['id']}/run", headers=ann, json={})
    from booktracker.db import session_scope
    from booktracker.services import auth, exports

    token = ann["Authorization"].split()[1]
    with session_scope() as session:
        user_id = auth.check_token(session=session, token=token).user.id or 0
        backup = exports.user_data(session=session, user_id=user_id)
    import json

    cai = signup(client, "cai")
    data = json.dumps(backup).encode()
    preview = upload(client, cai, data, name="trackmyread_data.json").json()
    assert (preview["format"], preview["new"]) == ("trackmyread-export", 7)
    client.post(f"/api/v1/imports/{preview['id']}/run", headers=cai, json={})
    assert client.get(f"/api/v1/imports/{preview['id']}", headers=cai).json()["state"] == "finished"
    refused = upload(client, cai, data, name="trackmyread_data.json")  # no longer an empty account
    assert refused.status_code == 409
