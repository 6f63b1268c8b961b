"""The Radix Themes stylesheet, cut to what the app uses (issue 18).

Reflex's RadixThemesPlugin imports "@radix-ui/themes/styles.css": every
colour scale and every component, 682 KB (81 KB gzipped) on each page, the
whole of the app's CSS. Radix ships the same CSS in parts; this plugin imports
the base tokens, the colour scales the app names, the components and the
utilities, and adds a PostCSS step (radix_themes_purge.cjs) that drops the
rules of components no page imports, the variants and sizes no page gives a
component, the breakpoint copies of props no page sets at that breakpoint,
the rules of layout props no page passes (margins, paddings, grid
placement…) and the colour scales' Display P3 copies: 81 → 25.0 KB gzipped
(bench/RESULTS.md, "Frontend bundle" and 2026-11-26).

It also keeps Radix Themes out of Reflex's "bundled libraries": those are put
whole into window.__reflex for components a state sends at run time (none
here), which defeats tree-shaking and put every Radix Themes component
(ThemePanel, Slider, Tabs, ContextMenu, HoverCard…) into the root chunk that
every page loads. The package is still installed: the components name it.

Framework internals in one place: rxconfig.py uses this class instead of
rx.plugins.RadixThemesPlugin; tests/test_frontend_assets.py checks that every
colour the code names is imported.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from reflex_base.constants.base import Dirs
from reflex_components_radix.plugin import RadixThemesPlugin

# The theme's accent (indigo) and gray (slate), and every color_scheme the
# components use. A colour missing here renders as the gray of the page.
COLORS = ("indigo", "slate", "red", "amber", "green", "blue", "orange", "teal")
# color_scheme="gray" and rx.color("gray", n) are the theme's gray: Radix maps every --gray-*
# to --slate-* under .radix-themes[data-gray-color=slate] (tokens/base.css), and everything the
# app draws is under it (dialogs through Radix's themed portals; the toasts use no gray), so
# the neutral gray scale itself (gray.css, ~5 KB raw) was never seen.
THEME_GRAY = "gray"
THEMES = "@radix-ui/themes"
PURGE_FILE = "radix-themes-purge.cjs"  # written next to postcss.config.js in .web
PURGE_SOURCE = Path(__file__).with_name("radix_themes_purge.cjs")
_POSTCSS_IMPORT = '"postcss-import": {},'
CHUNKS_FILE = "trackmyread-chunks.mjs"  # written next to vite.config.js in .web
CHUNKS_SOURCE = Path(__file__).with_name("frontend_chunks.mjs")
VITE_CONFIG = "vite.config.js"
_REFLEX_ENV_GROUP = re.compile(r'(\{\s*test:\s*/env\.json/,\s*name:\s*"reflex-env",\s*\},)')


def stylesheets(colors: tuple[str, ...] = COLORS) -> tuple[str, ...]:
    """Radix Themes' parts in the order of its styles.css: the colour scales, then the base
    tokens -- whose gray mapping (--gray-N: var(--slate-N)) must come after any scale that
    defines --gray-N; base first made the page pure gray instead of the theme's slate."""
    return (
        *(f"{THEMES}/tokens/colors/{color}.css" for color in colors),
        f"{THEMES}/tokens/base.css",
        f"{THEMES}/components.css",
        f"{THEMES}/utilities.css",
    )


def add_purge_to_postcss_config(config: str) -> str:
    """Run the purge right after postcss-import (Radix's files are inlined by then)."""
    if PURGE_FILE in config:
        return config
    if _POSTCSS_IMPORT not in config:
        raise ValueError(f"{Dirs.POSTCSS_JS} has no {_POSTCSS_IMPORT!r} to add the Radix Themes purge after")
    return config.replace(_POSTCSS_IMPORT, f'{_POSTCSS_IMPORT}\n    "./{PURGE_FILE}": {{}},', 1)


def add_chunk_groups_to_vite_config(config: str) -> str:
    """Group the shared icons and Radix modules into two chunks (frontend_chunks.mjs), next to
    the group Reflex's own template declares for env.json."""
    if CHUNKS_FILE in config:
        return config
    if not _REFLEX_ENV_GROUP.search(config):
        raise ValueError(f"{VITE_CONFIG} has no reflex-env chunk group to add the app's groups after")
    config = _REFLEX_ENV_GROUP.sub(lambda m: m.group(1) + "\n            ...chunkGroups(),", config, count=1)
    return f'import {{ chunkGroups }} from "./{CHUNKS_FILE}";\n' + config


@dataclasses.dataclass
class LeanRadixThemesPlugin(RadixThemesPlugin):
    """RadixThemesPlugin with the stylesheet in parts and the unused rules dropped."""

    colors: tuple[str, ...] = COLORS

    def get_frontend_dependencies(self, **context: Any) -> tuple[str, ...]:
        # Reflex bundles every plugin dependency into window.__reflex (see above).
        return ()

    def get_stylesheet_paths(self, **context: Any) -> tuple[str, ...]:
        return stylesheets(self.colors) if self.enabled else ()

    def get_static_assets(self, **context: Any) -> list[tuple[Path, str]]:
        chunks = (Path(CHUNKS_FILE), CHUNKS_SOURCE.read_text())
        return [(Path(PURGE_FILE), PURGE_SOURCE.read_text()), chunks] if self.enabled else [chunks]

    def pre_compile(self, **context: Any) -> None:
        super().pre_compile(**context)
        if self.enabled:
            context["add_modify_task"](Dirs.POSTCSS_JS, add_purge_to_postcss_config)
        context["add_modify_task"](VITE_CONFIG, add_chunk_groups_to_vite_config)
