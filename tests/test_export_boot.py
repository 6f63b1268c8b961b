"""The exported pages start the app chunk by chunk (booktracker/export_boot.py)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from booktracker.export_boot import MARK, yielding_boot

ROOT = Path(__file__).resolve().parents[1]

# The shape React Router 8.4 prerenders (the feed's page, trimmed): preloads in the head, the
# start-up module at the end of the body.
PAGE = """<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/>
<link rel="modulepreload" href="/assets/manifest-1.js"/><link rel="modulepreload" href="/assets/entry.client-1.js"/>
<link rel="modulepreload" href="/assets/radix-1.js"/><link rel="modulepreload" href="/assets/root-1.js"/>
<link rel="modulepreload" href="/assets/context-1.js"/><link rel="modulepreload" href="/assets/_index-1.js"/>
</head><body><div id="feed-preview"></div>
<script type="module" async="">import "/assets/manifest-1.js";
import * as route0 from "/assets/root-1.js";
import * as route1 from "/assets/_index-1.js";
BLANK
  window.__reactRouterRouteModules = {"root":route0,"routes/_index":route1};

import("/assets/entry.client-1.js");</script><script>window.__reactRouterContext.streamController.close();</script>
</body></html>""".replace("BLANK", "  ")  # React Router writes a line of two spaces there


def boot_script(html: str) -> str:
    found = re.search(r'<script type="module" async="">(.*?)</script>', html, re.S)
    assert found is not None
    return found.group(1)


def test_the_chunks_come_one_at_a_time_then_the_routes_then_the_entry():
    script = boot_script(yielding_boot(PAGE))
    assert 'import "/assets/' not in script.split("for (const url")[0]  # no static import is left
    loop = json.loads(re.search(r"for \(const url of (\[.*?\]\))", script).group(1)[:-1])
    # The manifest first, then every preloaded chunk but the routes and the entry, in the page's order.
    assert loop == ["/assets/manifest-1.js", "/assets/radix-1.js", "/assets/context-1.js"]
    assert script.index("for (const url") < script.index("__reactRouterRouteModules") < script.index("entry.client")
    assert 'window.__reactRouterRouteModules = {"root":route0,"routes/_index":route1};' in script


def test_a_page_is_rewritten_once_and_a_changed_shape_is_refused():
    once = yielding_boot(PAGE)
    assert MARK in once and yielding_boot(once) == once
    with pytest.raises(ValueError, match="no React Router start-up script"):
        yielding_boot("<html><body><script>1</script></body></html>")
    changed = PAGE.replace('import("/assets/entry.client-1.js");', "startApp();")
    with pytest.raises(ValueError, match="changed shape"):
        yielding_boot(changed)


def test_in_node_the_app_starts_after_every_chunk_with_turns_of_the_event_loop_between(tmp_path):
    """The rewritten script runs: after each chunk it waits for a message of its own (a turn of
    the event loop), the routes are set before the entry chunk runs, and a chunk's own imports
    are evaluated before it, as with the static imports."""
    if shutil.which("node") is None:
        pytest.skip("node is installed by scripts/bootstrap.sh")
    assets = tmp_path / "assets"
    assets.mkdir()
    log = "globalThis.order.push"
    (assets / "manifest-1.js").write_text(f'{log}("manifest");')
    (assets / "shared-1.js").write_text(f'{log}("shared"); export const shared = 1;')
    (assets / "radix-1.js").write_text(f'import "./shared-1.js"; {log}("radix");')
    (assets / "context-1.js").write_text(f'import "./shared-1.js"; {log}("context");')
    (assets / "root-1.js").write_text(f'import "./context-1.js"; {log}("root"); export const name = "root";')
    (assets / "_index-1.js").write_text(f'{log}("index"); export const name = "index";')
    (assets / "entry.client-1.js").write_text(
        f'{log}("entry:" + Object.values(window.__reactRouterRouteModules).map((m) => m.name).join(","));'
    )
    script = boot_script(yielding_boot(PAGE)).replace('"/assets/', json.dumps(assets.as_uri() + "/")[:-1])
    runner = tmp_path / "boot.mjs"
    runner.write_text(
        "globalThis.window = globalThis; globalThis.order = [];\n"
        "const Channel = MessageChannel;\n"  # counts the pauses; node's own channel delivers them
        "globalThis.MessageChannel = class { constructor() { const c = new Channel(); order.push('pause');"
        " c.port1.unref(); return c; } };\n" + script + "\n"
        "setTimeout(() => { console.log(JSON.stringify(order)); process.exit(0); }, 200);\n"
    )
    done = subprocess.run(["node", str(runner)], capture_output=True, text=True, check=True, timeout=60)
    order = json.loads(done.stdout)
    assert order == [
        *("manifest", "pause"),
        *("shared", "radix", "pause"),
        *("context", "pause"),
        *("root", "index", "entry:root,index"),
    ]


def test_finish_export_rewrites_the_pages_and_drops_their_stale_compressed_copies(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import finish_export
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    (tmp_path / "index.html").write_text(PAGE)
    (tmp_path / "index.html.gz").write_bytes(b"old")
    (tmp_path / "offline.html").write_text("<html><body>You're offline</body></html>")
    assert finish_export.start_in_steps(tmp_path) == 1
    assert MARK in (tmp_path / "index.html").read_text()
    assert not (tmp_path / "index.html.gz").exists()  # the static server would have served the old page
    assert (tmp_path / "offline.html").read_text() == "<html><body>You're offline</body></html>"
    assert finish_export.start_in_steps(tmp_path) == 0
