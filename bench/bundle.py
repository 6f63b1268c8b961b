"""Frontend bundle report (issue 18): `python -m bench --only bundle`.

Builds the static export in a private workdir, serves it the way Vercel does
(tests/support/servers.py), opens each main page in headless chromium with a
cold cache and lists the JS and CSS files it requested, raw and gzipped. No
backend runs: the pages import every module statically (react-router loads a
route's chunks before it renders; the generated pages have no dynamic
imports), so the socket failing to connect changes none of the requests.

The build has hidden source maps (VITE_SOURCEMAP=hidden: .map files next to
the chunks, no reference from them, the same served bytes), so the report can
say which npm packages make up the first page's biggest chunks.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tests.support.servers import export_site, free_port, serve

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The main pages of issue 18; the ids need not exist (the route's code is the same).
PAGES = {"feed": "/", "library": "/library", "book": "/book/1-the-hobbit", "profile": "/u/reader", "stats": "/stats"}
# Nothing listens there: the export only needs a backend URL to bake in.
NO_BACKEND = "http://127.0.0.1:9"
TOP_CHUNKS = 8


@dataclass
class PageLoad:
    path: str
    js: list[str] = field(default_factory=list)  # site-relative file paths, in request order
    css: list[str] = field(default_factory=list)


def gzipped_size(data: bytes) -> int:
    # Level 6, as bench/live.py and the figures (a typical server setting).
    return len(gzip.compress(data, compresslevel=6))


def sizes(site: Path, files: list[str]) -> tuple[int, int]:
    """Raw and gzipped bytes of these files of the site."""
    raw = zipped = 0
    for name in files:
        data = (site / name).read_bytes()
        raw += len(data)
        zipped += gzipped_size(data)
    return raw, zipped


def build(workdir: Path) -> Path:
    """The export, with hidden source maps, in workdir/.web; returns the site folder."""
    previous = os.environ.get("VITE_SOURCEMAP")
    os.environ["VITE_SOURCEMAP"] = "hidden"  # export_site passes our environment on
    try:
        return export_site(NO_BACKEND, workdir)
    finally:
        if previous is None:
            os.environ.pop("VITE_SOURCEMAP", None)
        else:
            os.environ["VITE_SOURCEMAP"] = previous


def load_pages(site: Path, pages: dict[str, str]) -> dict[str, PageLoad]:
    """The JS and CSS files chromium requests for each page, each in a fresh context."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = serve(site, port)
    loads: dict[str, PageLoad] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for name, path in pages.items():
                load = loads[name] = PageLoad(path)
                context = browser.new_context(viewport={"width": 1200, "height": 900})  # cold cache
                page = context.new_page()

                def record(request, load=load) -> None:
                    url = urlsplit(request.url)
                    if url.port != port:
                        return
                    file = url.path.lstrip("/")
                    kinds = {".js": load.js, ".css": load.css}
                    target = kinds.get(Path(file).suffix)
                    if target is not None and file not in target:
                        target.append(file)

                page.on("request", record)
                page.goto(f"http://127.0.0.1:{port}{path}", wait_until="load")
                # Module preloads and late imports settle after "load"; nothing arrives after a second.
                page.wait_for_timeout(1500)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return loads


# ---------------------------------------------------------------- source maps

_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}


def _vlq(segment: str) -> list[int]:
    values, shift, value = [], 0, 0
    for char in segment:
        digit = _B64[char]
        value += (digit & 31) << shift
        if digit & 32:
            shift += 5
            continue
        values.append(-(value >> 1) if value & 1 else value >> 1)
        shift = value = 0
    return values


def bytes_per_source(code: str, source_map: dict) -> Counter[str]:
    """Generated characters attributed to each original file (like source-map-explorer)."""
    sources: list[str] = source_map["sources"]
    owned: Counter[str] = Counter()
    lines = code.split("\n")
    source = 0
    for number, mapped in enumerate(source_map["mappings"].split(";")):
        line = lines[number] if number < len(lines) else ""
        column, spans = 0, []
        for segment in filter(None, mapped.split(",")):
            fields = _vlq(segment)
            column += fields[0]
            if len(fields) >= 4:
                source += fields[1]
                spans.append((column, sources[source]))
            else:
                spans.append((column, None))
        for (start, name), (end, _) in zip(spans, [*spans[1:], (len(line), None)], strict=False):
            if name is not None:
                owned[name] += max(end - start, 0)
    return owned


_PACKAGE = re.compile(r"node_modules/((?:@[^/]+/)?[^/]+)/")


def package_of(source: str) -> str:
    """The npm package a source file belongs to, or "(app)" for the generated pages and Reflex's own JS."""
    found = _PACKAGE.findall(source)
    return found[-1] if found else "(app)"


def packages_in(site: Path, chunk: str) -> Counter[str]:
    source_map = site / f"{chunk}.map"
    if not source_map.is_file():
        return Counter()
    owned = bytes_per_source((site / chunk).read_text(), json.loads(source_map.read_text()))
    packages: Counter[str] = Counter()
    for source, count in owned.items():
        packages[package_of(source)] += count
    return packages


# ---------------------------------------------------------------- report


def report(site: Path, loads: dict[str, PageLoad]) -> None:
    print(
        f"{'page':10} {'path':20} {'JS files':>8} {'JS KB':>8} {'JS KB gz':>9} {'CSS files':>9} {'CSS KB':>7} {'CSS gz':>7}"
    )
    for name, load in loads.items():
        js_raw, js_gz = sizes(site, load.js)
        css_raw, css_gz = sizes(site, load.css)
        print(
            f"{name:10} {load.path:20} {len(load.js):>8} {js_raw / 1024:>8.0f} {js_gz / 1024:>9.1f} "
            f"{len(load.css):>9} {css_raw / 1024:>7.0f} {css_gz / 1024:>7.1f}"
        )
    first = next(iter(loads.values()))
    print(f"\nbiggest files of the first page ({first.path}), KB raw / gzipped, and the npm packages in each:")
    biggest = sorted(first.js + first.css, key=lambda f: (site / f).stat().st_size, reverse=True)[:TOP_CHUNKS]
    for chunk in biggest:
        raw, zipped = sizes(site, [chunk])
        packages = packages_in(site, chunk)
        total = sum(packages.values()) or 1
        inside = ", ".join(f"{pkg} {count / total:.0%}" for pkg, count in packages.most_common(4))
        print(f"  {raw / 1024:>6.0f} / {zipped / 1024:>5.1f}  {chunk}  {inside}")


def run(workdir: Path | None = None) -> dict[str, PageLoad]:
    """Build, load and report; a workdir of its own (with its node_modules) is deleted after."""
    own = workdir is None
    workdir = workdir or Path(tempfile.mkdtemp(prefix="tmr-bench-bundle-"))
    print("\n## frontend bundle (static export, headless chromium, cold cache, no backend)")
    try:
        site = build(workdir)
        loads = load_pages(site, PAGES)
        report(site, loads)
    finally:
        if own:
            shutil.rmtree(workdir, ignore_errors=True)
    return loads


if __name__ == "__main__":  # measure an existing export: python -m bench.bundle path/to/build/client
    import sys

    folder = Path(sys.argv[1])
    report(folder, load_pages(folder, PAGES))
