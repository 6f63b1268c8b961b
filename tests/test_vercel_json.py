"""vercel.json: build, output, SPA fallback, caching and security headers."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = json.loads((ROOT / "vercel.json").read_text())


def _headers(source):
    block = next(h for h in CONFIG["headers"] if h["source"] == source)
    return {h["key"]: h["value"] for h in block["headers"]}


def test_build_and_output():
    assert CONFIG["buildCommand"] == "bash scripts/export.sh"
    assert CONFIG["outputDirectory"] == ".web/build/client"
    assert (ROOT / "scripts" / "export.sh").exists()


def test_spa_fallback_skips_assets():
    [rewrite] = CONFIG["rewrites"]
    assert rewrite["destination"] == "/__spa-fallback.html"
    assert "assets/" in rewrite["source"]


def test_hashed_assets_cache_forever():
    assert _headers("/assets/(.*)")["Cache-Control"] == "public, max-age=31536000, immutable"


def test_security_headers_on_every_path():
    headers = _headers("/(.*)")
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp and "wss:" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_service_worker_and_manifest_are_never_cached_long():
    # A long-cached sw.js would keep every reader on an old deploy (assets/sw.js).
    assert _headers("/sw.js")["Cache-Control"].startswith("no-cache")
    assert "max-age=0" in _headers("/manifest.webmanifest")["Cache-Control"]
    assert _headers("/manifest.webmanifest")["Content-Type"] == "application/manifest+json"
    # Served from our own origin: default-src 'self' allows the worker and the manifest.
    csp = _headers("/(.*)")["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "worker-src" not in csp and "manifest-src" not in csp
    # The SPA fallback rewrite never swallows them: Vercel serves existing files first.
    assert (ROOT / "assets" / "sw.js").exists() and (ROOT / "assets" / "manifest.webmanifest").exists()


def test_google_sign_in_is_allowed_only_on_its_pages():
    """The same split as booktracker/asgi.py's GOOGLE_PAGES (the backend's own pages)."""
    from booktracker import asgi

    google = _headers("/(login|signup|settings)")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline' https://accounts.google.com" in google
    assert "frame-src https://accounts.google.com" in google
    assert "accounts.google.com" not in _headers("/(.*)")["Content-Security-Policy"]
    assert {"/login", "/signup", "/settings"} == set(asgi.GOOGLE_PAGES)
