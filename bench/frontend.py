"""Time to first meaningful content per main page, production build (issues 15 and 18).

Production mode, as deployed: the static export (scripts/export.sh) served on
loopback like Vercel serves it, the gunicorn backend started as render.yaml
starts it (1 worker), PostgreSQL. Headless /usr/bin/chromium through
Playwright, a new browser context (cold cache, no service worker) per load.

For each main page, for a visitor where the page is public and for the
signed-in heavy reader (reader1: 500 books, notifications), at desktop
(1366x900) and phone (390x844) size: time from navigation to the page's
first meaningful content (PAGES' selectors), p50/p95 over --page-loads loads,
and on the first load the JS/CSS the page fetched (raw and gzipped) and the
requests made until then. For the feed, a timeline from Chrome DevTools
Protocol network events: navigation -> last script loaded -> websocket open
-> first event frame sent -> first state delta received -> first post.

    flock /tmp/trackmyread-e2e.lock python -m bench.frontend [--page-loads 5] [--no-seed]
    flock /tmp/trackmyread-e2e.lock python -m bench.frontend --original bench/out/original

The seed (2,000 readers, 20,000 posts, as issue 18 measured) goes into its own
PostgreSQL database, trackmyread_bench_front. `--original CHECKOUT` also sets
up the original app (bench/original.py) and times both feeds in interleaved
loads. `python -m bench --only frontend` runs the same measurement on the
database of `make bench`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bench.seed import PASSWORD, SeedCounts
from tests.support.servers import Backend, export_site, free_port, production_env, serve

SECRET = "benchmark-secret-key-0123456789abcdef0123"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FRONT_DB = "trackmyread_bench_front"
OUT = Path(__file__).resolve().parent / "out"
# Issue 18's data size: 2,000 readers and 20,000 posts.
COUNTS = SeedCounts(users=2_000, books=2_000, entries=10_000, posts=20_000, likes=100_000, follows=20_000)
READER = "reader1@example.com"  # the seed's heavy reader (bench/seed.py HEAVY_USER_ID)
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 3,
    },
}
TARGET_MS = 1000  # issue 15: every main page ≤ 1 s on loopback
NONEMPTY = re.compile(r"\w")
# Marks the first moment the selector matches a laid-out element, on the page's own clock, and
# when chromium reports painting it (Element Timing's renderTime; the attribute is set as the
# element is found, so a paint in the same frame may be reported one frame late). "After the
# next frame" (requestAnimationFrame + a message), tried first, read within ~20 ms of it; both
# can read later than a first contentful paint that already held the feed's cards.
FIRST_CONTENT_JS = """([sel, needText]) => { const observer = new MutationObserver(() => {
  const el = document.querySelector(sel);
  if (el && el.getBoundingClientRect().height > 0 && (!needText || /\\w/.test(el.textContent))) {
    window.__firstContent = performance.now(); observer.disconnect();
    // Element Timing: chromium reports when these elements' text is first painted (renderTime).
    [el, ...el.querySelectorAll('*')].forEach((node) => node.setAttribute('elementtiming', 'first-content'));
    new PerformanceObserver((list) => { for (const entry of list.getEntries()) {
      const at = entry.renderTime || entry.loadTime;
      if (entry.identifier === 'first-content' && at && !(window.__firstPainted <= at)) window.__firstPainted = at; }
    }).observe({type: 'element', buffered: true}); } });
  observer.observe(document, {subtree: true, childList: true, characterData: true}); }"""

PAGE_MARKS_JS = """() => ({'DOMContentLoaded (page clock)': performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd,
  'document received (page clock)': performance.getEntriesByType('navigation')[0]?.responseEnd,
  'document parsed (page clock)': performance.getEntriesByType('navigation')[0]?.domInteractive,
  'first contentful paint (page clock)': performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
  'first content (page clock)': window.__firstContent,
  'first content painted (page clock)': window.__firstPainted,
  'first content seen by a script (page clock)': window.__seen,
  ...Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('tmr-'))
    .map((m) => [m.name + ' (page clock)', m.startTime]))})"""


@dataclass(frozen=True)
class PageSpec:
    name: str
    path: str
    selector: str  # the first meaningful content
    public: bool
    text: bool = False  # the element exists before its data; wait for its text


def pages(engine: sa.Engine) -> list[PageSpec]:
    with engine.connect() as conn:
        user_book_id, book_id = conn.execute(
            sa.text("SELECT id, book_id FROM user_books WHERE user_id = 1 ORDER BY id LIMIT 1")
        ).one()
    return [
        # The first cards: drawn from the API by the exported page's inline script
        # (components/feed_preview.py), then replaced by the live list; both are measured.
        PageSpec("feed", "/", ".post-preview, .post-card", public=True),
        PageSpec("feed, live cards", "/", ".post-card", public=True),
        PageSpec("library", "/library", ".book-grid .book-title", public=False, text=True),
        PageSpec("book page", f"/book/{book_id}", "#book-title", public=True, text=True),
        PageSpec("my book", f"/books/{user_book_id}", "#book-title", public=False, text=True),
        PageSpec("profile", "/u/reader1", "#profile-name", public=True, text=True),
        PageSpec("stats", "/stats", ".recharts-bar-rectangle", public=False),  # data and the chart library
        PageSpec("notifications", "/notifications", ".notification-item", public=False),
    ]


@dataclass
class Load:
    ms: float
    requests: int
    assets: dict[str, list[int]] = field(default_factory=dict)  # "js"/"css": [files, raw, gzipped]
    timeline: dict[str, float] = field(default_factory=dict)


class Timeline:
    """Network marks from Chrome DevTools Protocol events, ms after the document request."""

    def __init__(self, context, page):
        self.cdp = context.new_cdp_session(page)
        self.kinds: dict[str, str] = {}
        self.marks: dict[str, float] = {}
        self.scripts: list[float] = []  # when each script finished loading
        self.start: float | None = None
        for event in ("requestWillBeSent", "loadingFinished"):
            self.cdp.on(f"Network.{event}", getattr(self, f"_{event}"))
        self.cdp.on("Network.webSocketWillSendHandshakeRequest", lambda e: self._at("websocket requested", e))
        self.cdp.on("Network.webSocketHandshakeResponseReceived", lambda e: self._at("websocket open", e))
        self.cdp.on("Network.webSocketFrameSent", self._sent)
        self.cdp.on("Network.webSocketFrameReceived", self._received)
        self.biggest_delta = 0
        self.cdp.send("Network.enable")

    def _at(self, name: str, e: dict) -> None:
        if self.start is not None and name not in self.marks:
            self.marks[name] = (e["timestamp"] - self.start) * 1000

    def _requestWillBeSent(self, e: dict) -> None:
        self.kinds[e["requestId"]] = e.get("type", "")
        if e.get("type") == "Document" and self.start is None:
            self.start = e["timestamp"]
        elif e.get("type") in ("Fetch", "XHR"):
            self._at("first API request sent", e)

    def _loadingFinished(self, e: dict) -> None:
        kind = self.kinds.get(e["requestId"])
        if kind == "Document":
            self._at("document loaded", e)
        elif kind == "Script" and self.start is not None:
            self.scripts.append((e["timestamp"] - self.start) * 1000)
        elif kind in ("Fetch", "XHR"):
            self._at("first API response", e)
        elif kind == "Stylesheet":
            self._at("stylesheet loaded", e)

    # Socket.IO frames on Reflex's "/_event" namespace (seen in a 22:48 run): the transport opens
    # early (state.js warmSocket), the hydrate event rides in the CONNECT packet once React has
    # mounted ('40/_event,{"event":...'), deltas come back as '42/_event,["event",{"delta":...'.
    def _sent(self, e: dict) -> None:
        payload = e["response"].get("payloadData", "")
        if payload.startswith("42") or (payload.startswith("40") and "{" in payload):
            self._at("first event sent (hydrate)", e)

    def _received(self, e: dict) -> None:
        payload = e["response"].get("payloadData", "")
        if payload.startswith("0{"):
            self._at("transport open (Engine.IO)", e)
        elif payload.startswith("42"):
            self._at("first delta received", e)
            # The page's data is its biggest delta (the others are router and hydration flags).
            if len(payload) > self.biggest_delta and self.start is not None:
                self.biggest_delta = len(payload)
                self.marks["data delta received"] = (e["timestamp"] - self.start) * 1000

    def result(self) -> dict[str, float]:
        marks = dict(self.marks)
        if self.scripts:
            marks["last script loaded"] = max(self.scripts)
            ws = marks.get("websocket requested", float("inf"))
            marks["scripts loaded before the websocket"] = sum(t < ws for t in self.scripts)
        return marks


def load_page(browser, url: str, spec: PageSpec, *, view: str, storage: dict[str, str], detail: bool) -> Load:
    """One cold load; with detail, also the JS/CSS fetched and the network timeline."""
    context = browser.new_context(**VIEWPORTS[view], service_workers="block")
    for key, value in storage.items():
        context.add_init_script(f"localStorage.setItem({key!r}, {value!r})")
    context.add_init_script(f"({FIRST_CONTENT_JS})({json.dumps([spec.selector, spec.text])})")
    page = context.new_page()
    timeline = Timeline(context, page) if detail else None
    requests: list[str] = []
    assets = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: r.request.resource_type in ("script", "stylesheet") and assets.append(r))
    try:
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        # Polled every animation frame. Playwright's own wait_for(state="visible") polls at 0, 20,
        # 50, 100, 100 ms and then every 500 ms, so a page whose content came at ~530 ms (page
        # clock, every load) was reported at ~520 or ~950 ms depending on when a poll fell: the
        # "two groups" of loads in the 2026-11-26 runs were that, not the page.
        # The poll's own time on the page clock ("seen by a script"): the wall-clock figure also
        # holds Playwright's next command (its selector engine, injected on first use into a
        # world of its own), which waits for whatever task the page's main thread is running.
        page.wait_for_function(
            "() => window.__firstContent !== undefined && (window.__seen = window.__seen || performance.now())",
            polling="raf",
            timeout=60_000,
        )
        content = page.locator(spec.selector)
        if spec.text:
            content = content.filter(has_text=NONEMPTY)
        content.first.wait_for(state="visible", timeout=10_000)  # the same element, as Playwright sees it
        load = Load((time.perf_counter() - started) * 1000, len(requests))
        if detail and timeline:
            load.assets = _asset_bytes(assets)
            load.timeline = timeline.result()
            marks = page.evaluate(PAGE_MARKS_JS)
            load.timeline.update({name: ms for name, ms in marks.items() if ms is not None})
    finally:
        context.close()
    return load


def _asset_bytes(responses) -> dict[str, list[int]]:
    totals = {"js": [0, 0, 0], "css": [0, 0, 0]}
    for response in responses:
        kind = "js" if response.request.resource_type == "script" else "css"
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            continue
        total = totals[kind]
        total[0] += 1
        total[1] += len(body)
        total[2] += len(gzip.compress(body, compresslevel=6))
    return totals


def _token(backend_url: str) -> str:
    login = httpx.post(f"{backend_url}/api/v1/auth/login", json={"email": READER, "password": PASSWORD}, timeout=60)
    return login.raise_for_status().json()["access_token"]


def measure(
    database_url: str, engine: sa.Engine, *, runs: int, log_dir: Path, original: Path | None = None, all_pages=True
) -> dict:
    """Export + backend + chromium; every page (all_pages) and the comparison with the original."""
    from playwright.sync_api import sync_playwright

    from bench import original as orig
    from booktracker.state import TOKEN_STORAGE_NAME

    port, site_port = free_port(), free_port()
    origin = f"http://127.0.0.1:{site_port}"
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="tmr-bench-export-"))
    site = export_site(f"http://127.0.0.1:{port}", workdir)
    result: dict = {"export_s": time.perf_counter() - started, "pages": {}, "compare": {}}
    server = serve(site, site_port)
    env = production_env(database_url, site_origin=origin, port=port, secret=SECRET, redis_db=None)
    backend = Backend(port, env, log_dir / "backend-frontend.log", workers=1).start()
    stack = [backend.stop, server.shutdown]
    try:
        ours = {"origin": origin, "storage": {TOKEN_STORAGE_NAME: _token(backend.url)}}
        other = None
        if original is not None:
            other_port = free_port()
            other_server = serve(orig.setup(original), other_port)
            stack.append(other_server.shutdown)
            other_origin = f"http://127.0.0.1:{other_port}"
            other_backend = orig.OriginalBackend(original, other_origin, log_dir / "backend-original.log").start()
            stack.append(other_backend.stop)
            other = {"origin": other_origin, "storage": {orig.TOKEN_KEY: other_backend.token(READER)}}
            result["original_feed_api_ms"] = other_backend.feed_ms()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            if all_pages:
                result["pages"] = _all_pages(browser, pages(engine), ours, runs)
            if other is not None:
                result["compare"] = orig.compare(browser, ours, other, runs)
            browser.close()
    finally:
        for stop in reversed(stack):
            stop()
        shutil.rmtree(workdir, ignore_errors=True)  # ~100 MB of .web per run
    return result


def _all_pages(browser, specs: list[PageSpec], ours: dict, runs: int) -> dict:
    out = {}
    for spec in specs:
        for who in ("visitor", "reader") if spec.public else ("reader",):
            for view in VIEWPORTS:
                storage = ours["storage"] if who == "reader" else {}
                loads = [
                    load_page(browser, ours["origin"] + spec.path, spec, view=view, storage=storage, detail=n == 0)
                    for n in range(runs)
                ]
                if spec.name == "feed" and view == "desktop":
                    # The timeline of every load, not just the first: its marks are medians.
                    loads += [
                        load_page(browser, ours["origin"] + spec.path, spec, view=view, storage=storage, detail=True)
                        for _ in range(runs)
                    ]
                out[(spec.name, who, view)] = loads
                print(f"  {spec.name:14} {who:8} {view:8} {_summary(loads)}", flush=True)
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(loads: list[Load]) -> str:
    times = [x.ms for x in loads]
    first = next((x for x in loads if x.assets), loads[0])
    js, css = first.assets.get("js", [0, 0, 0]), first.assets.get("css", [0, 0, 0])
    return (
        f"p50 {_pct(times, 0.5):6.0f}  p95 {_pct(times, 0.95):6.0f} ms  JS {js[0]:3} files {js[2] / 1024:5.0f} KB gz  "
        f"CSS {css[2] / 1024:4.0f} KB gz  {first.requests:3} requests  ({len(times)} loads)"
    )


TIMELINE = [
    "document loaded",
    "first API request sent",
    "stylesheet loaded",
    "first API response",
    "document received (page clock)",
    "tmr-feed-request (page clock)",
    "tmr-feed-response (page clock)",
    "tmr-feed-drawn (page clock)",
    "first contentful paint (page clock)",
    "document parsed (page clock)",
    "DOMContentLoaded (page clock)",
    "websocket requested",
    "websocket open",
    "transport open (Engine.IO)",
    "first event sent (hydrate)",
    "first delta received",
    "data delta received",
    "last script loaded",
    "first content (page clock)",
    "first content painted (page clock)",
    "first content seen by a script (page clock)",
]


def _median(loads: list[Load], name: str) -> float | None:
    values = [x.timeline[name] for x in loads if name in x.timeline]
    return statistics.median(values) if values else None


def _timeline(loads: list[Load]) -> str:
    parts = [f"{name} {ms:.0f}" for name in TIMELINE if (ms := _median(loads, name)) is not None]
    parts.append(f"detected {statistics.median(x.ms for x in loads):.0f} ms")
    scripts = _median(loads, "scripts loaded before the websocket")
    extra = f"; {scripts:.0f} scripts loaded before the websocket was requested" if scripts is not None else ""
    return " | ".join(parts) + f" (medians of {len(loads)} loads{extra})"


def print_report(result: dict) -> None:
    print(f"\n## time to first content, production build (export took {result['export_s']:.0f} s)")
    for (name, who, view), loads in result["pages"].items():
        flag = "" if _pct([x.ms for x in loads], 0.5) <= TARGET_MS else "  > 1 s"
        print(f"{name:14} {who:8} {view:8} {_summary(loads)}{flag}")
    for (name, who, view), loads in result["pages"].items():
        if name == "feed" and view == "desktop":
            print(f"feed timeline, {who}: {_timeline([x for x in loads if x.timeline])}")
    if result["compare"]:
        print(
            f"\n## first feed post, ours vs the original (interleaved; original's feed API {result['original_feed_api_ms']:.0f} ms)"
        )
        for who in ("visitor", "reader"):
            ours, theirs = result["compare"][("ours", who)], result["compare"][("original", who)]
            # Four readings of "first post". On the page's clock: in the DOM, painted, and seen by
            # the harness's poll (the first animation frame a script gets after it). And detected
            # (wall clock), which adds Playwright's next command: its selector engine is injected
            # on first use, ~80-100 ms of main-thread work that lands after our early post and
            # before the original's late one (warming it right after commit moved the gap into
            # "seen" instead: bench/RESULTS.md, 2026-11-26). The goal (≤ 0.8 of the original and
            # ≤ 600 ms) is judged on the page-clock three; detected is printed beside them.
            readings = [("detected", statistics.median(x.ms for x in ours), statistics.median(x.ms for x in theirs))]
            marks = (
                ("first content", "in the DOM"),
                ("first content painted", "painted"),
                ("first content seen by a script", "seen"),
            )
            for mark, label in marks:
                pa, pb = (_median(x, f"{mark} (page clock)") for x in (ours, theirs))
                if pa and pb:
                    readings.append((label, pa, pb))
            judged = readings[1:]
            met = len(judged) == 3 and all(a / b <= 0.8 and a <= 600 for _, a, b in judged)
            print(
                f"{who:8} goal ≤ 0.8 and ≤ 600 ms: {'met' if met else 'not met'}"
                " (judged on the page clock; detected adds Playwright's own next command)"
            )
            for label, a, b in readings:
                print(f"         {label:10} ours p50 {a:5.0f} ms  original p50 {b:5.0f} ms  ratio {a / b:.2f}")
            print(f"         ours:     {_summary(ours)}\n         {_timeline(ours)}")
            print(f"         original: {_summary(theirs)}\n         {_timeline(theirs)}")


def front_db_url(pg_url: str) -> str:
    return make_url(pg_url).set(database=FRONT_DB).render_as_string(False)


def run(*, page_loads: int, seed_first: bool, original: Path | None, all_pages: bool = True) -> None:
    import os
    import platform

    from bench import original as orig
    from bench.seed import seed
    from booktracker.db import build_engine
    from booktracker.migrations import ensure_database_exists, upgrade_to_head
    from booktracker.settings_checks import normalize_database_url

    os.environ.setdefault("BCRYPT_ROUNDS", "12")
    load = os.getloadavg()
    print(
        f"# frontend bench — {time.strftime('%Y-%m-%d %H:%M')} UTC — {platform.node()}, {os.cpu_count()} CPUs, "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    raw_url = front_db_url(orig.PG_URL)
    url = normalize_database_url(raw_url)
    engine = build_engine(url)
    if seed_first:
        ensure_database_exists(url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade_to_head(url)
        seed(engine, COUNTS)
        print(f"seeded {FRONT_DB}: {COUNTS}")
        if original is not None:
            orig.setup(original)
            orig.seed(original)
            print(f"seeded {orig.ORIGINAL_DB} through the original's schema")
    OUT.mkdir(exist_ok=True)
    print_report(measure(raw_url, engine, runs=page_loads, log_dir=OUT, original=original, all_pages=all_pages))
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--page-loads", type=int, default=5, help="cold loads per page, visitor kind and viewport")
    parser.add_argument("--no-seed", action="store_true", help="reuse the seeded database(s)")
    parser.add_argument("--original", type=Path, help="a checkout of ankitalkuhs-commits/book-tracker to compare")
    args = parser.parse_args()
    run(page_loads=args.page_loads, seed_first=not args.no_seed, original=args.original and args.original.resolve())


if __name__ == "__main__":
    main()
