"""HTTP behaviour of the real running backend (the full Reflex ASGI stack)."""

import httpx
import pytest
from reflex.config import get_config


@pytest.fixture
def backend(app_harness) -> str:
    return get_config().api_url


def test_api_is_mounted(backend):
    spec = httpx.get(f"{backend}/api/v1/openapi.json", timeout=10)
    assert spec.status_code == 200 and spec.json()["info"]["title"] == "TrackMyRead API"
    assert httpx.get(f"{backend}/api/v1/me", timeout=10).json()["error"]["code"] == "authentication_failed"


def test_security_headers_on_reflex_and_api_routes(backend):
    for path in ("/ping", "/api/v1/openapi.json"):
        headers = httpx.get(f"{backend}{path}", timeout=10).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path


def test_oversized_upload_is_refused_by_the_server(backend):
    body = b"0" * (6 * 1024 * 1024)
    response = httpx.post(
        f"{backend}/_upload",
        content=body,
        headers={"Content-Type": "multipart/form-data; boundary=x", "Reflex-Client-Token": "t"},
        timeout=30,
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
