"""The exported pages start the app in short tasks, not one long one (issue 18).

React Router's prerendered HTML starts the app with one inline module::

    import "/assets/manifest-….js";
    import * as route0 from "/assets/root-….js";
    import * as route1 from "/assets/_index-….js";
    window.__reactRouterRouteModules = {"root":route0,"routes/_index":route1};
    import("/assets/entry.client-….js");

Its static imports make the browser evaluate every chunk the page needs in a
single task (~50-80 ms on this 2-core machine, right after the feed's first
cards are drawn), during which the page answers nothing. Here the same
chunks are imported one after another, with a turn of the event loop
between them (a MessageChannel message: other tasks -- input, a paint,
another script -- run first, and unlike setTimeout it is not clamped). The
order of evaluation inside each chunk's own imports is the language's, as
before; the route modules are set before the entry chunk hydrates, as
before. Measured (bench/RESULTS.md, 2026-11-26): a script's next look at the
page after the first post is drawn, ~130 -> ~100 ms later.

Framework internals in one place: the script's shape is React Router's;
``yielding_boot`` refuses a page whose script it does not recognise, so a
Reflex or React Router upgrade that changes it fails the export instead of
shipping the old behaviour unnoticed (tests/test_export_boot.py).
"""

from __future__ import annotations

import json
import re

_BOOT = re.compile(r'<script type="module" async="">(?P<body>[^<]*?__reactRouterRouteModules[^<]*?)</script>')
_SIDE_EFFECT_IMPORT = re.compile(r'^import "(?P<url>[^"]+)";$', re.M)
_ROUTE_IMPORT = re.compile(r'^import \* as (?P<name>route\d+) from "(?P<url>[^"]+)";$', re.M)
_ROUTE_MODULES = re.compile(r"window\.__reactRouterRouteModules = (?P<modules>\{[^;]*\});")
_ENTRY = re.compile(r'^import\("(?P<url>[^"]+)"\);$', re.M)
_PRELOAD = re.compile(r'<link rel="modulepreload" href="(?P<url>[^"]+)"/>')
MARK = "tmrPause"  # in the rewritten script: a page is rewritten once

_PAUSE = (
    f"const {MARK} = () => new Promise((resume) => {{ const channel = new MessageChannel();"
    " channel.port1.onmessage = () => resume(); channel.port2.postMessage(0); });\n"
)


def yielding_boot(html: str) -> str:
    """The page with its app started chunk by chunk (the page itself if already done)."""
    found = _BOOT.search(html)
    if found is None:
        raise ValueError("no React Router start-up script (<script type=module> with __reactRouterRouteModules)")
    body = found.group("body")
    if MARK in body:
        return html
    first = [m.group("url") for m in _SIDE_EFFECT_IMPORT.finditer(body)]  # the manifest
    routes = [(m.group("name"), m.group("url")) for m in _ROUTE_IMPORT.finditer(body)]
    modules, entry = _ROUTE_MODULES.search(body), _ENTRY.search(body)
    if not first or not routes or modules is None or entry is None:
        raise ValueError(f"React Router's start-up script changed shape: {body.strip()[:300]!r}")
    last = {entry.group("url"), *(url for _, url in routes)}
    chunks = first + [url for url in dict.fromkeys(_PRELOAD.findall(html)) if url not in last and url not in first]
    script = (
        _PAUSE
        + f"for (const url of {json.dumps(chunks)}) {{ await import(url); await {MARK}(); }}\n"
        # One after another, in the page's order, as its static imports were evaluated.
        + "".join(f"const {name} = await import({json.dumps(url)});\n" for name, url in routes)
        + f"window.__reactRouterRouteModules = {modules.group('modules')};\n"
        + f"import({json.dumps(entry.group('url'))});"
    )
    return html[: found.start("body")] + script + html[found.end("body") :]
