"""The Radix Themes stylesheet in parts (booktracker/frontend_assets.py)."""

from __future__ import annotations

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
    # A colour_scheme missing from the stylesheet renders without its scale.
    assert named_colors() <= set(COLORS)
    assert {"indigo", "slate", "red", "gray"} <= named_colors()


def test_the_stylesheet_is_the_radix_parts_in_order():
    sheets = LeanRadixThemesPlugin().get_stylesheet_paths()
    assert sheets[0] == "@radix-ui/themes/tokens/base.css"
    assert sheets[1 : 1 + len(COLORS)] == tuple(f"@radix-ui/themes/tokens/colors/{c}.css" for c in COLORS)
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


def test_the_purge_plugin_is_shipped_with_the_compiled_app():
    assets = LeanRadixThemesPlugin().get_static_assets()
    assert [(str(path), text) for path, text in assets] == [
        (frontend_assets.PURGE_FILE, frontend_assets.PURGE_SOURCE.read_text())
    ]
    assert "postcssPlugin" in assets[0][1]


def test_radix_themes_is_installed_but_not_bundled_whole():
    # Not in window.__reflex (which would keep every Radix Themes component in
    # the root chunk); still installed, because the compiled components import it.
    import reflex as rx
    from reflex_components_radix.plugin import RADIX_THEMES_PACKAGE

    assert LeanRadixThemesPlugin().get_frontend_dependencies() == ()
    assert RADIX_THEMES_PACKAGE in rx.text("hello")._get_all_imports()
