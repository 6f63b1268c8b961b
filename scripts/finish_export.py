"""Finishes a static export (scripts/export.sh runs it after `reflex export`):

    API_URL=https://backend python scripts/finish_export.py .web/build/client

1. Stamps the service worker with a build id. The id is a hash of every file the export holds (names and bytes), so it
changes exactly when something the browser caches changes. assets/sw.js
names its cache after it; the new sw.js differs byte-wise from the old one,
so browsers install it, and it deletes the previous deploy's cache.
2. Points robots.txt at the sitemap, which the backend serves (API_URL).
3. Makes every page start the app chunk by chunk (booktracker/export_boot.py).
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from booktracker.export_boot import yielding_boot

PLACEHOLDER = "__BUILD_ID__"
# Reflex's export also writes compressed copies (sw.js.gz) that its static
# server prefers; a file changed here loses them, or they would serve the old text.
PRECOMPRESSED = (".gz", ".br", ".zst")


def _rewrite(path: Path, text: str) -> None:
    path.write_text(text)
    for suffix in PRECOMPRESSED:
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def build_id(build_dir: Path) -> str:
    digest = hashlib.sha256()
    worker = {"sw.js", *(f"sw.js{suffix}" for suffix in PRECOMPRESSED)}
    for path in sorted(p for p in build_dir.rglob("*") if p.is_file() and p.name not in worker):
        digest.update(path.relative_to(build_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def stamp(build_dir: Path) -> str:
    """Replace the placeholder in build_dir/sw.js; returns the build id."""
    worker = build_dir / "sw.js"
    source = worker.read_text()
    if PLACEHOLDER not in source:
        raise SystemExit(f"{worker} has no {PLACEHOLDER} (already stamped? export again)")
    ident = build_id(build_dir)
    _rewrite(worker, source.replace(PLACEHOLDER, ident))
    return ident


def add_sitemap(build_dir: Path, api_url: str) -> None:
    robots = build_dir / "robots.txt"
    text = robots.read_text()
    if api_url and "Sitemap:" not in text:
        _rewrite(robots, f"{text}Sitemap: {api_url.rstrip('/')}/sitemap.xml\n")


def start_in_steps(build_dir: Path) -> int:
    """Rewrite each page that starts the app; how many were."""
    changed = 0
    for page in sorted(build_dir.rglob("*.html")):
        text = page.read_text()
        if "__reactRouterRouteModules" in text and (new := yielding_boot(text)) != text:
            _rewrite(page, new)
            changed += 1
    return changed


if __name__ == "__main__":
    client = Path(sys.argv[1])
    add_sitemap(client, os.environ.get("API_URL", ""))
    print(f"pages that start the app in steps: {start_in_steps(client)}")
    print(f"service worker build id: {stamp(client)}")
