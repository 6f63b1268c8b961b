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
