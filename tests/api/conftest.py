"""Shared fixtures of the /api/v1 tests: a client over a clean database,
readers signed up through the API, Cloudinary as the image store."""

import pytest
from fastapi.testclient import TestClient

from booktracker.api.app import build_api
from booktracker.services import storage
from tests.support.fake_cloudinary import FakeCloudinary


def signup(client, name: str) -> dict:
    """Signs `name`@example.com up; the bearer header of the new reader."""
    response = client.post(
        "/api/v1/auth/signup", json={"email": f"{name}@example.com", "name": name.title(), "password": "long enough pw"}
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def client(db):
    return TestClient(build_api())


@pytest.fixture
def ann(client):
    return signup(client, "ann")


@pytest.fixture
def bob(client):
    return signup(client, "bob")


@pytest.fixture
def cloud(monkeypatch):
    """Cloudinary as the image store (a local server that checks signatures)."""
    with FakeCloudinary(cloud_name="demo", api_key="1234", api_secret="s3cr3t") as fake:
        store = storage.CloudinaryImageStore(
            cloud_name="demo", api_key="1234", api_secret="s3cr3t", upload_prefix=fake.upload_prefix
        )
        monkeypatch.setattr(storage, "get_store", lambda: store)
        yield fake
