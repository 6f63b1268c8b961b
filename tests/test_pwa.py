"""The installable app's files: assets/ (drawn by scripts/make_assets.py), the
manifest, the head tags, the export's finishing step, and the service worker's
rules, run in Node against a small model of the browser's worker APIs."""

import importlib.util
import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from PIL import Image

from booktracker import pwa

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_assets_are_what_the_script_draws():
    assert _script("make_assets").main(["--check"]) == 0


def test_manifest_icons_and_colours():
    manifest = json.loads((ASSETS / "manifest.webmanifest").read_text())
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["name"] == "TrackMyRead" and len(manifest["short_name"]) <= 12
    assert manifest["background_color"] == pwa.THEME_DARK
    for icon in manifest["icons"]:
        path = ASSETS / icon["src"].lstrip("/")
        assert path.exists(), icon
        if icon["type"] == "image/png":
            width, height = Image.open(path).size
            assert icon["sizes"] == f"{width}x{height}"
    purposes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
    assert Image.open(ASSETS / "apple-touch-icon.png").size == (180, 180)
    assert Image.open(ASSETS / "apple-touch-icon.png").mode == "RGB"  # iOS draws transparency black
    assert Image.open(ASSETS / "og-default.png").size == (1200, 630)
    assert Image.open(ASSETS / "favicon.ico").format == "ICO"


def test_every_page_head_links_manifest_icons_theme_and_registers_the_worker():
    rendered = [str(component.render()) for component in pwa.head()]
    joined = "\n".join(rendered)
    for needle in ('"/manifest.webmanifest"', '"/favicon.ico"', '"/favicon.svg"', '"/apple-touch-icon.png"'):
        assert needle in joined
    assert 'media:"(prefers-color-scheme: dark)"' in joined and 'media:"(prefers-color-scheme: light)"' in joined
    assert "isSecureContext" in joined and "/sw.js" in joined


def test_finish_export_stamps_a_build_id_that_follows_the_files(tmp_path):
    finish = _script("finish_export")
    build = tmp_path / "client"
    shutil.copytree(ASSETS, build)
    (build / "assets").mkdir()
    (build / "assets" / "index-AbC123.js").write_text("console.log(1)")
    first = finish.build_id(build)
    (build / "assets" / "index-AbC123.js").write_text("console.log(2)")
    second = finish.build_id(build)
    assert first != second and len(second) == 16
    (build / "sw.js.gz").write_bytes(b"the unstamped worker, compressed by reflex export")
    finish.add_sitemap(build, "https://api.example.org/")
    assert finish.stamp(build) == finish.build_id(build)
    assert not (build / "sw.js.gz").exists()  # or the static server would keep serving it
    worker = (build / "sw.js").read_text()
    assert finish.PLACEHOLDER not in worker and f'const BUILD_ID = "{finish.build_id(build)}"' in worker
    assert (build / "robots.txt").read_text().endswith("Sitemap: https://api.example.org/sitemap.xml\n")
    with pytest.raises(SystemExit):
        finish.stamp(build)  # twice would leave the old id


# A model of the service worker's world: enough of caches, fetch, clients and
# events to run assets/sw.js in Node and watch what it does.
SW_HARNESS = textwrap.dedent(
    r"""
    const fs = require("fs");
    const vm = require("vm");
    const listeners = {};
    const stores = new Map();
    const log = [];
    let online = true;
    const origin = "https://app.example";
    function cacheOf(name) {
      if (!stores.has(name)) stores.set(name, new Map());
      const map = stores.get(name);
      return {
        match: async (req) => map.get(typeof req === "string" ? req : new URL(req.url).pathname),
        put: async (req, res) => { map.set(new URL(req.url).pathname, res); },
        addAll: async (reqs) => { for (const r of reqs) map.set(new URL(r.url, origin).pathname, { body: "net:" + r.url }); },
      };
    }
    const caches = {
      open: async (name) => cacheOf(name),
      keys: async () => [...stores.keys()],
      delete: async (name) => stores.delete(name),
      match: async (url, opts) => cacheOf(opts.cacheName).match(url),
    };
    class Request { constructor(url, init = {}) { this.url = new URL(url, origin).href; this.method = init.method || "GET"; this.mode = init.mode || "cors"; } }
    const self = {
      location: new URL(origin + "/sw.js"),
      addEventListener: (type, fn) => { listeners[type] = fn; },
      skipWaiting: async () => log.push("skipWaiting"),
      clients: { claim: async () => log.push("claim") },
      registration: {},
    };
    async function fetch(req) {
      if (!online) throw new TypeError("offline");
      log.push("network " + new URL(req.url).pathname);
      return { ok: true, type: "basic", body: "net:" + new URL(req.url).pathname, clone() { return this; } };
    }
    const source = fs.readFileSync(process.argv[2], "utf8").replace("__BUILD_ID__", process.argv[3]);
    vm.runInNewContext(source, { self, caches, fetch, Request, URL, Response: { error: () => "error" }, console });
    async function dispatch(type, request) {
      let waited = null, responded = null;
      const event = { request, waitUntil: (p) => { waited = p; }, respondWith: (p) => { responded = p; } };
      listeners[type](event);
      await waited;
      return responded === null ? "untouched" : await responded;
    }
    (async () => {
      stores.set("trackmyread-old", new Map());
      stores.set("someone-else", new Map());
      await dispatch("install");
      await dispatch("activate");
      const out = { caches: [...stores.keys()].sort(), log: [...log] };
      const get = (path, mode) => dispatch("fetch", new Request(path, { mode }));
      out.hashed = (await get("/assets/app-1.js")).body;
      log.length = 0;
      out.hashedAgain = (await get("/assets/app-1.js")).body;
      out.hashedAgainNetwork = log.filter((l) => l.startsWith("network")).length;
      out.untouched = [];
      for (const path of ["/_event/?EIO=4", "/_upload/a.png", "/api/v1/feed", "https://api.example/api/v1/x", "/library"]) {
        out.untouched.push(await get(path, "cors"));
      }
      out.post = await dispatch("fetch", new Request("/anything", { method: "POST", mode: "navigate" }));
      out.pageOnline = (await get("/library", "navigate")).body;
      online = false;
      out.pageOffline = (await get("/library", "navigate")).body;
      console.log(JSON.stringify(out));
    })();
    """
)


def test_service_worker_caching_rules_and_takeover(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    harness = tmp_path / "harness.js"
    harness.write_text(SW_HARNESS)
    result = subprocess.run(
        [node, str(harness), str(ASSETS / "sw.js"), "build2"], capture_output=True, text=True, timeout=30, check=True
    )
    out = json.loads(result.stdout)
    # The new deploy's cache replaced the old one (others' caches are left alone), and it took over at once.
    assert out["caches"] == ["someone-else", "trackmyread-build2"]
    assert out["log"] == ["skipWaiting", "claim"]
    # Hashed files: fetched once, then from the cache.
    assert out["hashed"] == "net:/assets/app-1.js" == out["hashedAgain"] and out["hashedAgainNetwork"] == 0
    # The websocket, uploads, the API, other origins and non-navigation page fetches pass straight through.
    assert out["untouched"] == ["untouched"] * 5 and out["post"] == "untouched"
    # Pages: the network while online, the offline page (precached at install) when not.
    assert out["pageOnline"] == "net:/library"
    assert out["pageOffline"] == "net:https://app.example/offline.html"


def test_offline_page_says_so_in_both_colour_schemes():
    page = (ASSETS / "offline.html").read_text()
    assert "You're offline — your library will be back when you are" in page
    assert "prefers-color-scheme: dark" in page and 'lang="en"' in page
