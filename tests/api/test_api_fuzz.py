"""Schemathesis fuzzes every /api/v1 operation from the OpenAPI spec: no
generated request, valid or not, may produce a 5xx."""

import os
import uuid

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from sqlmodel import Session

from booktracker.api.app import build_api
from booktracker.services import auth, library, posts
from booktracker.services.books import BookInput

APP = build_api()
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


def _reader_token(engine) -> str:
    with Session(engine, expire_on_commit=False) as session:
        user = auth.signup(
            session=session, email=f"fuzz-{uuid.uuid4().hex[:8]}@example.com", name="Fuzz", password="fuzzing password"
        )
        entry = library.add_to_library(
            session=session, user_id=user.id, book=BookInput(title="Fuzzing", total_pages=10)
        ).user_book
        posts.create_post(session=session, user_id=user.id, data=posts.PostInput(text="fuzz", user_book_id=entry.id))
        return auth.issue_token(user)


@pytest.fixture(scope="module")
def token(engine):
    """A reader with a book and a post, so ids in generated paths can exist."""
    return _reader_token(engine)


@pytest.fixture
def fresh_token(engine):
    """Another such reader: the fuzzing may well have logged the first one out everywhere."""
    return _reader_token(engine)


@schema.parametrize()
# FUZZ_EXAMPLES=300 for a deeper run than CI's.
@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "15")), deadline=None, suppress_health_check=list(HealthCheck)
)
def test_no_server_errors(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
    )


# Ids beyond the database's integer range (2**63 - 1 on PostgreSQL and SQLite):
# hypothesis rarely draws them, so every id in every path gets them explicitly.
HUGE_IDS = (2**63, -(2**63) - 1, 10**30)


def _id_operations():
    spec = APP.openapi()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            ints = [
                p["name"]
                for p in operation.get("parameters", [])
                if p.get("in") == "path" and p.get("schema", {}).get("type") == "integer"
            ]
            if ints:
                yield method.upper(), path, ints


ID_OPERATIONS = list(_id_operations())


def test_the_spec_has_id_routes():
    assert len(ID_OPERATIONS) >= 10, ID_OPERATIONS


@pytest.mark.parametrize("huge", HUGE_IDS, ids=["2**63", "-2**63-1", "10**30"])
def test_ids_beyond_the_integer_range_are_a_bad_id_not_a_server_error(huge, fresh_token):
    """Failed before (issue 12): a plain-text 500 on every id-taking route."""
    client = TestClient(APP)
    wrong = []
    for method, path, names in ID_OPERATIONS:
        url = path
        for name in names:
            url = url.replace("{" + name + "}", str(huge))
        response = client.request(method, url, headers={"Authorization": f"Bearer {fresh_token}"}, json={})
        if response.status_code not in (404, 422) or "error" not in response.json():
            wrong.append(f"{method} {url} -> {response.status_code}: {response.text[:200]}")
    assert wrong == []
