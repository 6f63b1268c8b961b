"""The Radix Themes stylesheet in parts (booktracker/frontend_assets.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from booktracker import frontend_assets
from booktracker.frontend_assets import COLORS, LeanRadixThemesPlugin, add_purge_to_postcss_config

ROOT = Path(__file__).resolve().parents[1]
# Radix Themes' colour scales (tokens/colors/*.css).
RADIX_COLORS = [
    "tomato",
    "red",
    "ruby",
    "crimson",
    "pink",
    "plum",
    "purple",
    "violet",
    "iris",
    "indigo",
    "blue",
    "cyan",
    "teal",
    "jade",
    "green",
    "grass",
    "brown",
    "orange",
    "sky",
    "mint",
    "lime",
    "yellow",
    "amber",
    "gold",
    "bronze",
    "gray",
    "mauve",
    "slate",
    "sage",
    "olive",
    "sand",
]
REFLEX_POSTCSS_CONFIG = """export default {
  plugins: {
    "postcss-import": {},
    autoprefixer: noVendorPrefix ? false : {},
  },
};"""


def named_colors() -> set[str]:
    """Every Radix colour spelled as a string in the app's Python code."""
    pattern = re.compile(r"[\"'](" + "|".join(RADIX_COLORS) + r")[\"']")
    sources = [*sorted((ROOT / "booktracker").rglob("*.py")), ROOT / "rxconfig.py"]
    return {match for path in sources for match in pattern.findall(path.read_text())}


def test_every_colour_the_code_names_is_imported():
    # A colour_scheme missing from the stylesheet renders without its scale; "gray" is the
    # theme's gray (slate, mapped by Radix's base tokens), whose scale is imported as slate.
    assert named_colors() - {frontend_assets.THEME_GRAY} <= set(COLORS)
    assert {"indigo", "slate", "red", "gray"} <= named_colors()
    assert 'gray_color="slate"' in (ROOT / "rxconfig.py").read_text() and "slate" in COLORS


def test_the_stylesheet_is_the_radix_parts_in_order():
    sheets = LeanRadixThemesPlugin().get_stylesheet_paths()
    assert sheets[: len(COLORS)] == tuple(f"@radix-ui/themes/tokens/colors/{c}.css" for c in COLORS)
    assert sheets[len(COLORS)] == "@radix-ui/themes/tokens/base.css"  # its gray mapping outranks any scale
    assert sheets[-2:] == ("@radix-ui/themes/components.css", "@radix-ui/themes/utilities.css")
    assert "@radix-ui/themes/styles.css" not in sheets
    assert LeanRadixThemesPlugin.create_implicit().get_stylesheet_paths() == ()


def test_the_purge_runs_right_after_postcss_import():
    config = add_purge_to_postcss_config(REFLEX_POSTCSS_CONFIG)
    lines = [line.strip() for line in config.splitlines()]
    assert lines[lines.index('"postcss-import": {},') + 1] == '"./radix-themes-purge.cjs": {},'
    assert add_purge_to_postcss_config(config) == config  # a second compile adds nothing
    with pytest.raises(ValueError):
        add_purge_to_postcss_config("export default { plugins: {} };")


def test_the_purge_plugin_and_the_chunk_groups_are_shipped_with_the_compiled_app():
    assets = LeanRadixThemesPlugin().get_static_assets()
    assert [(str(path), text) for path, text in assets] == [
        (frontend_assets.PURGE_FILE, frontend_assets.PURGE_SOURCE.read_text()),
        (frontend_assets.CHUNKS_FILE, frontend_assets.CHUNKS_SOURCE.read_text()),
    ]
    assert "postcssPlugin" in assets[0][1]
    assert "export function chunkGroups" in assets[1][1]


def reflex_vite_config() -> str:
    """What Reflex itself writes as .web/vite.config.js for this app's rxconfig."""
    from reflex.config import get_config
    from reflex.utils.frontend_skeleton import _compile_vite_config

    return _compile_vite_config(get_config())


def test_the_chunk_groups_join_reflex_own_in_its_vite_config():
    config = frontend_assets.add_chunk_groups_to_vite_config(reflex_vite_config())
    assert config.startswith('import { chunkGroups } from "./trackmyread-chunks.mjs";\n')
    groups = config[config.index("groups: [") :]
    # After Reflex's own env.json group, inside the same list.
    assert groups.index('name: "reflex-env"') < groups.index("...chunkGroups(),") < groups.index("],")
    assert frontend_assets.add_chunk_groups_to_vite_config(config) == config  # a second compile adds nothing
    with pytest.raises(ValueError):  # a Reflex whose template changed: said at build time, not ignored
        frontend_assets.add_chunk_groups_to_vite_config("export default defineConfig({});")


def test_the_groups_take_the_icons_pages_import_and_radix_only(tmp_path):
    """Run in node on a small .web: icons no page imports stay out of the group (a group that
    took every lucide module made a 676 KB chunk), Radix modules are in, the app's are not."""
    import shutil
    import subprocess

    if shutil.which("node") is None:
        pytest.skip("node is installed by scripts/bootstrap.sh")
    web = tmp_path / ".web"
    (web / "app" / "routes").mkdir(parents=True)
    (web / "app_components").mkdir()
    (web / "app" / "routes" / "_index.jsx").write_text(
        'import {Bell as LucideBell} from "lucide-react/dist/esm/icons/bell.mjs";\n'
    )
    (web / "app_components" / "nav.jsx").write_text(
        'import {X as LucideX} from "lucide-react/dist/esm/icons/x.mjs";\n'
        'import {Sun} from "lucide-react/dist/esm/icons/sun.mjs";\n'
    )
    shutil.copy(frontend_assets.CHUNKS_SOURCE, web / frontend_assets.CHUNKS_FILE)
    ids = {
        "/w/node_modules/lucide-react/dist/esm/icons/bell.mjs": "icons",
        "/w/node_modules/lucide-react/dist/esm/icons/x.mjs": "icons",
        "/w/node_modules/lucide-react/dist/esm/icons/sun.mjs": "icons",
        "/w/node_modules/lucide-react/dist/esm/createLucideIcon.mjs": "icons",
        "/w/node_modules/lucide-react/dist/esm/shared/src/utils.mjs": "icons",
        "/w/node_modules/lucide-react/dist/esm/icons/anchor.mjs": None,  # no page imports it
        "/w/node_modules/lucide-react/dist/esm/lucide-react.mjs": None,  # the index of every icon
        "/w/node_modules/lucide-react/dist/esm/dynamicIconImports.mjs": None,
        "/w/node_modules/@radix-ui/themes/dist/esm/components/button.js": "radix",
        "/w/node_modules/@radix-ui/react-dialog/dist/index.mjs": "radix",
        "/w/node_modules/react-dom/cjs/react-dom.production.js": None,
        "/w/app/routes/_index.jsx": None,
    }
    script = (
        f"import {{ chunkGroups, usedIcons }} from {json.dumps(str(web / frontend_assets.CHUNKS_FILE))};"
        f"const groups = chunkGroups({json.dumps(str(web))});"
        f"const ids = {json.dumps(list(ids))};"
        "console.log(JSON.stringify({icons: [...usedIcons(" + json.dumps(str(web)) + ")].sort(),"
        " groups: ids.map((id) => (groups.find((g) => g.test(id)) || {name: null}).name)}));"
    )
    done = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True, timeout=60
    )
    result = json.loads(done.stdout)
    assert result["icons"] == ["bell", "sun", "x"]
    assert dict(zip(ids, result["groups"], strict=True)) == ids


def test_radix_themes_is_installed_but_not_bundled_whole():
    # Not in window.__reflex (which would keep every Radix Themes component in
    # the root chunk); still installed, because the compiled components import it.
    import reflex as rx
    from reflex_components_radix.plugin import RADIX_THEMES_PACKAGE

    assert LeanRadixThemesPlugin().get_frontend_dependencies() == ()
    assert RADIX_THEMES_PACKAGE in rx.text("hello")._get_all_imports()


POSTCSS = ROOT / ".tools" / "node_modules" / "postcss"
# The purge's input: a used component's rules at its own size, at a breakpoint a page sets
# (sm) and one no page sets for that prop (md: only columns use it), a negative margin's copy
# at an unused breakpoint, an unused component, and a colour scale's Display P3 copy.
PURGE_CSS = r"""
.rt-Button:where(.rt-r-size-1) { height: 1px }
@media (min-width: 520px) { .rt-Button:where(.sm\:rt-r-size-2) { height: 2px } }
@media (min-width: 768px) { .rt-Button:where(.md\:rt-r-size-2) { height: 3px } }
@media (min-width: 768px) { .md\:rt-r-gtc-2 { grid-template-columns: 1fr 1fr } }
@media (min-width: 1640px) { .xl\:-rt-r-mb-2 { margin-bottom: -2px } }
.rt-Card { padding: 1px }
.rt-Button:where(.rt-variant-soft) { color: red }
.rt-Button:where(.rt-variant-ghost) { color: green }
.rt-Button:where(.rt-variant-solid) { color: white }
.rt-Button:where(.rt-variant-classic) { color: blue }
.rt-BaseButton:where(:not(.rt-variant-classic)) { border: 0 }
.rt-Button:where(.rt-r-size-4) { height: 4px }
:root { --indigo-9: #3e63dd }
@supports (color: color(display-p3 1 1 1)) { @media (color-gamut: p3) { :root { --indigo-9: color(display-p3 .25 .39 .84) } } }
"""
PURGE_PAGE = (
    'import {Button as RadixThemesButton, Grid as RadixThemesGrid} from "@radix-ui/themes";\n'
    'jsx(RadixThemesButton,{size:({ ["initial"] : "1", ["sm"] : "2" }),variant:"soft"},"Post");\n'
    'jsx(RadixThemesButton,{...mergeSlotProps(rest, ({ id:"x", variant:"ghost" }))},"Edit");\n'
    'jsx(RadixThemesGrid,{columns:({ ["initial"] : "1", ["md"] : "2" })});\n'
)
PURGE_RADIX = {  # what the plugin reads of Radix's modules: class names and prop definitions
    "button.js": (
        'import "./base-button.js"; const p={size:{type:"enum",className:"rt-r-size",default:"2"},'
        'variant:{type:"enum",className:"rt-variant",default:"solid"}}; "rt-Button";'
    ),
    "base-button.js": '"rt-BaseButton";',
    "grid.js": 'const p={columns:{type:"enum",className:"rt-r-gtc"},mb:{type:"enum",className:"rt-r-mb"}}; "rt-Grid";',
}


@pytest.mark.skipif(not POSTCSS.exists(), reason="scripts/bootstrap.sh dev installs postcss into .tools")
def test_the_purge_keeps_what_pages_use_at_the_breakpoints_they_use(tmp_path):
    import shutil
    import subprocess

    web = tmp_path / ".web"
    (web / "app" / "routes").mkdir(parents=True)
    (web / "app" / "routes" / "_index.jsx").write_text(PURGE_PAGE)
    components = web / "node_modules" / "@radix-ui" / "themes" / "dist" / "esm" / "components"
    components.mkdir(parents=True)
    for name, text in PURGE_RADIX.items():
        (components / name).write_text(text)
    shutil.copy(frontend_assets.PURGE_SOURCE, web / "radix-themes-purge.cjs")
    script = (
        f"const postcss = require({json.dumps(str(POSTCSS))});"
        f"const purge = require({json.dumps(str(web / 'radix-themes-purge.cjs'))});"
        f"postcss([purge()]).process({json.dumps(PURGE_CSS)}, {{from: undefined}})"
        ".then((result) => process.stdout.write(result.css));"
    )
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True, timeout=60)
    css = done.stdout
    assert "rt-r-size-1" in css and r"sm\:rt-r-size-2" in css  # Button's size, and at sm where a page sets it
    assert r"md\:rt-r-gtc-2" in css  # Grid's columns at md
    assert r"md\:rt-r-size-2" not in css  # no page sets a size at md
    assert r"xl\:-rt-r-mb-2" not in css  # nor a negative margin at xl
    assert ".rt-Card" not in css  # no page imports Card
    assert "--indigo-9: #3e63dd" in css and "display-p3" not in css
    # Button's variants: the pages' (soft, and ghost through a memoized component) and its default.
    assert "rt-variant-soft" in css and "rt-variant-ghost" in css and "rt-variant-solid" in css
    assert ".rt-Button:where(.rt-variant-classic)" not in css and "rt-r-size-4" not in css
    assert ":not(.rt-variant-classic)" in css  # a rule for every variant but one stays
