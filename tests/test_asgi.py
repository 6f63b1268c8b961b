"""The ASGI wrappers: server-side upload size limit and security headers."""

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from booktracker.asgi import (
    IMPORT_LIMIT,
    MAX_IMPORT_BODY,
    MAX_UPLOAD_BODY,
    add_security_headers,
    check_upload_origin,
    limit_upload_size,
)
from booktracker.settings import load_settings

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


IMPORT_STATE = "reflex___state____state.booktracker___pages___import_export____import_state"


def _limited_client():
    inner = Starlette(
        routes=[Route("/_upload", upload, methods=["POST"]), Route("/api/v1/imports", upload, methods=["POST"])]
    )
    app = limit_upload_size(inner, limits={IMPORT_STATE: IMPORT_LIMIT})
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_an_import_file_over_5_mb_reaches_the_import_handler():
    """Issue 12: a 6 MB CSV was refused as an image while the page allows 20 MB."""
    reached.clear()
    six_mb = b"x" * (6 * 1024 * 1024)
    async with _limited_client() as client:
        to_import = await client.post(
            "/_upload", content=six_mb, headers={"Reflex-Event-Handler": f"{IMPORT_STATE}.preview"}
        )
        assert to_import.status_code == 200
        to_api = await client.post("/api/v1/imports", content=six_mb)
        assert to_api.status_code == 200
        image = await client.post("/_upload", content=six_mb, headers={"Reflex-Event-Handler": "x.post_state.upload"})
        assert image.status_code == 413
        assert image.json()["error"] == {
            "code": "too_large",
            "message": "Images must be at most 5 MB.",
            "field": "image",
        }
    assert reached == [len(six_mb)] * 2


@pytest.mark.parametrize("path, handler", [("/_upload", f"{IMPORT_STATE}.preview"), ("/api/v1/imports", "")])
async def test_import_uploads_over_20_mb_are_refused_with_the_import_message(path, handler):
    reached.clear()
    async with _limited_client() as client:
        declared = await client.post(
            path, content=b"x" * (MAX_IMPORT_BODY + 1), headers={"Reflex-Event-Handler": handler}
        )

        async def chunks():
            for _ in range(22):
                yield b"y" * (1024 * 1024)

        streamed = await client.post(path, content=chunks(), headers={"Reflex-Event-Handler": handler})
    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json()["error"] == {
            "code": "too_large",
            "message": "Import files must be at most 20 MB.",
            "field": "file",
        }
    assert reached == []


@pytest.mark.parametrize("path, csp_start", [("/api/v1/x", "default-src 'none'"), ("/", "default-src 'self'")])
async def test_security_headers_everywhere(client, path, csp_start):
    response = await client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["content-security-policy"].startswith(csp_start)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def _origin_checked(allowed):
    inner = Starlette(routes=[Route("/_upload", upload, methods=["POST"]), Route("/api/v1/x", api, methods=["POST"])])
    app = add_security_headers(check_upload_origin(inner, allowed=allowed))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "https://app.example.com.evil.example"])
async def test_uploads_from_other_origins_are_refused(origin):
    reached.clear()
    async with _origin_checked(["https://app.example.com"]) as client:
        response = await client.post("/_upload", content=b"x", headers={"Origin": origin})
    assert response.status_code == 403 and reached == []
    assert response.json()["error"] == {
        "code": "forbidden_origin",
        "message": "Uploads are only accepted from TrackMyRead's own pages.",
        "field": None,
    }
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_uploads_from_our_origins_and_non_browser_clients_pass():
    reached.clear()
    async with _origin_checked(["https://app.example.com"]) as client:
        assert (await client.post("/_upload", content=b"x", headers={"Origin": "https://APP.example.com"})).is_success
        assert (await client.post("/_upload", content=b"xy")).is_success  # no Origin: not a browser
        # Only uploads are checked here; the API has its own rules.
        assert (await client.post("/api/v1/x", headers={"Origin": "https://evil.example"})).is_success
    async with _origin_checked(["*"]) as client:  # CORS_ORIGINS=* (the browser tests) allows any
        assert (await client.post("/_upload", content=b"z", headers={"Origin": "https://evil.example"})).is_success
    assert reached == [1, 2, 1]


def test_the_upload_origin_check_reads_cors_origins(monkeypatch):
    import booktracker.asgi

    monkeypatch.setattr(booktracker.asgi, "settings", load_settings({"CORS_ORIGINS": "https://a.example"}))
    app = check_upload_origin(Starlette(routes=[Route("/_upload", upload, methods=["POST"])]))
    with TestClient(app) as client:
        assert client.post("/_upload", content=b"x", headers={"Origin": "https://b.example"}).status_code == 403
        assert client.post("/_upload", content=b"x", headers={"Origin": "https://a.example"}).status_code == 200


async def test_google_script_is_allowed_only_on_the_sign_in_pages(monkeypatch):
    from booktracker import asgi

    monkeypatch.setattr(
        asgi, "settings", asgi.settings.model_copy(update={"google_client_id": "x.apps.googleusercontent.com"})
    )
    inner = Starlette(routes=[Route("/{path:path}", lambda request: PlainTextResponse("page"))])
    app = asgi.add_security_headers(inner)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        for path in ("/login", "/signup", "/settings"):
            csp = (await client.get(path)).headers["content-security-policy"]
            assert "script-src 'self' 'unsafe-inline' https://accounts.google.com" in csp, path
            assert "frame-src https://accounts.google.com" in csp
        for path in ("/", "/library", "/u/ann"):
            assert "accounts.google.com" not in (await client.get(path)).headers["content-security-policy"], path
