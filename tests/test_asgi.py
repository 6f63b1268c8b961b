"""The ASGI wrappers: server-side upload size limit and security headers."""

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from booktracker.asgi import MAX_UPLOAD_BODY, add_security_headers, limit_upload_size

reached = []


async def upload(request: Request):
    body = await request.body()
    reached.append(len(body))
    return JSONResponse({"bytes": len(body)})


async def api(_request: Request):
    return JSONResponse({"ok": True})


def wrapped_app():
    inner = Starlette(routes=[Route("/_upload", upload, methods=["POST"]), Route("/api/v1/x", api), Route("/", api)])
    return add_security_headers(limit_upload_size(inner))


@pytest.fixture
def client():
    reached.clear()
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=wrapped_app()), base_url="http://test")


async def test_small_upload_passes(client):
    response = await client.post("/_upload", content=b"x" * 1000)
    assert response.status_code == 200 and reached == [1000]


async def test_declared_oversize_is_refused_before_reading(client):
    response = await client.post("/_upload", content=b"x" * (MAX_UPLOAD_BODY + 1))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert reached == []  # the handler never ran


async def test_chunked_oversize_is_cut_off(client):
    async def chunks():
        for _ in range(7):
            yield b"y" * (1024 * 1024)

    response = await client.post("/_upload", content=chunks())
    assert response.status_code == 413
    assert reached == []


@pytest.mark.parametrize("path, csp_start", [("/api/v1/x", "default-src 'none'"), ("/", "default-src 'self'")])
async def test_security_headers_everywhere(client, path, csp_start):
    response = await client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["content-security-policy"].startswith(csp_start)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
