"""Schemathesis fuzzes every /api/v1 operation from the OpenAPI spec: no
generated request, valid or not, may produce a 5xx."""

import os
import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlmodel import Session

from booktracker.api.app import build_api
from booktracker.services import auth, library, posts
from booktracker.services.books import BookInput

APP = build_api()
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


@pytest.fixture(scope="module")
def token(engine):
    """A reader with a book and a post, so ids in generated paths can exist."""
    with Session(engine, expire_on_commit=False) as session:
        user = auth.signup(
            session=session, email=f"fuzz-{uuid.uuid4().hex[:8]}@example.com", name="Fuzz", password="fuzzing password"
        )
        entry = library.add_to_library(
            session=session, user_id=user.id, book=BookInput(title="Fuzzing", total_pages=10)
        ).user_book
        posts.create_post(session=session, user_id=user.id, data=posts.PostInput(text="fuzz", user_book_id=entry.id))
        return auth.issue_token(user)


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
