"""/api/v1/library/{id}/reads and the first read's dates on POST /library."""

import datetime

import pytest

from tests.api.conftest import signup


def utc_today():
    return datetime.datetime.now(datetime.UTC).date()


def test_add_with_dates_and_reread(client, ann):
    created = client.post(
        "/api/v1/library",
        headers=ann,
        json={
            "title": "Dune",
            "total_pages": 400,
            "status": "finished",
            "started_on": "2025-02-01",
            "ended_on": "2025-03-01",
        },
    )
    assert created.status_code == 201, created.text
    entry = created.json()
    assert entry["read_count"] == 1
    assert [(r["status"], r["started_on"], r["ended_on"], r["is_current"]) for r in entry["reads"]] == [
        ("finished", "2025-02-01", "2025-03-01", True)
    ]
    reread = client.post(f"/api/v1/library/{entry['id']}/reads", headers=ann, json={"started_on": None})
    assert reread.status_code == 201 and reread.json()["started_on"] == ""
    again = client.post(f"/api/v1/library/{entry['id']}/reads", headers=ann, json={})
    assert again.status_code == 409
    detail = client.get(f"/api/v1/library/{entry['id']}", headers=ann).json()
    assert [r["status"] for r in detail["reads"]] == ["reading", "finished"] and detail["status"] == "reading"


def test_omitted_dates_are_today_and_null_is_unknown(client, ann):
    # UTC+14: already tomorrow in UTC terms for most of the day.
    today = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=14)).date().isoformat()
    finished = client.post(
        "/api/v1/library?tz_offset=840", headers=ann, json={"title": "Emma", "status": "finished"}
    ).json()
    assert (finished["reads"][0]["started_on"], finished["reads"][0]["ended_on"]) == ("", today)
    unknown = client.post(
        "/api/v1/library", headers=ann, json={"title": "Ulysses", "status": "finished", "ended_on": None}
    ).json()
    assert unknown["reads"][0]["ended_on"] == ""
    reading = client.post("/api/v1/library", headers=ann, json={"title": "Odyssey", "status": "reading"}).json()
    assert reading["reads"][0]["started_on"] == utc_today().isoformat()


@pytest.mark.parametrize(
    "body, query, field",
    [
        ({"status": "finished", "started_on": "2025-03-02", "ended_on": "2025-03-01"}, "", "ended_on"),
        ({"status": "finished", "ended_on": "2999-01-01"}, "", "ended_on"),
        ({"status": "reading", "started_on": "0999-01-01"}, "", "started_on"),
        ({"status": "finished", "ended_on": "2025-02-30"}, "", "ended_on"),
        ({"status": "finished", "ended_on": "yesterday"}, "", "ended_on"),
        ({"status": "finished"}, "?tz_offset=900", "tz_offset"),
    ],
)
def test_invalid_dates_are_422_with_their_field_and_store_nothing(client, ann, body, query, field):
    refused = client.post(f"/api/v1/library{query}", headers=ann, json={"title": "Dune", **body})
    assert refused.status_code == 422 and refused.json()["error"]["field"] == field, refused.text
    assert client.get("/api/v1/library", headers=ann).json()["total"] == 0


def test_patch_and_delete_a_read(client, ann):
    entry = client.post(
        "/api/v1/library",
        headers=ann,
        json={"title": "Dune", "total_pages": 400, "status": "reading", "started_on": "2026-01-05"},
    ).json()
    read_id = entry["reads"][0]["id"]
    url = f"/api/v1/library/{entry['id']}/reads/{read_id}"
    finished = client.patch(url, headers=ann, json={"status": "finished", "ended_on": "2026-01-20"})
    assert finished.status_code == 200, finished.text
    assert (finished.json()["started_on"], finished.json()["ended_on"]) == ("2026-01-05", "2026-01-20")
    detail = client.get(f"/api/v1/library/{entry['id']}", headers=ann).json()
    assert (detail["status"], detail["current_page"]) == ("finished", 400)
    unknown_start = client.patch(url, headers=ann, json={"started_on": None})
    assert unknown_start.json()["started_on"] == "" and unknown_start.json()["ended_on"] == "2026-01-20"
    bad = client.patch(url, headers=ann, json={"started_on": "2026-02-01"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "ended_on"
    assert client.delete(url, headers=ann).status_code == 204
    detail = client.get(f"/api/v1/library/{entry['id']}", headers=ann).json()
    assert (detail["status"], detail["reads"]) == ("to-read", [])


def test_another_readers_reads_are_404(client, ann):
    entry = client.post("/api/v1/library", headers=ann, json={"title": "Dune", "status": "finished"}).json()
    read_id = entry["reads"][0]["id"]
    bob = signup(client, "bob")
    bobs = client.post("/api/v1/library", headers=bob, json={"title": "Emma"}).json()
    for method, url, body in (
        ("post", f"/api/v1/library/{entry['id']}/reads", {}),
        ("patch", f"/api/v1/library/{entry['id']}/reads/{read_id}", {"started_on": None}),
        ("delete", f"/api/v1/library/{entry['id']}/reads/{read_id}", None),
        # Bob's own book with Ann's read id: still not his.
        ("patch", f"/api/v1/library/{bobs['id']}/reads/{read_id}", {"started_on": None}),
        ("delete", f"/api/v1/library/{bobs['id']}/reads/{read_id}", None),
    ):
        response = client.request(method, url, headers=bob, json=body)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found", (method, url)
    assert client.get(f"/api/v1/library/{entry['id']}", headers=ann).json()["reads"] == entry["reads"]
