"""What every page's <head> carries to be installable and recognisable:
icons, the web app manifest, the theme colours, the service worker's
registration and the default link preview.

Files come from the top-level ``assets/`` folder (Reflex copies it into the
frontend's public root; ``scripts/make_assets.py`` draws the images). Added
once via ``rx.App(head_components=head())`` in booktracker.py.
"""

from __future__ import annotations

import reflex as rx
from reflex.config import get_config

from booktracker.settings import settings

# In the head (pwa.head): resolves to "shared", "cancelled", "copied" or "failed:<url>".
SHARE_SCRIPT = """
window.tmrShare = async (url, title) => {
  if (navigator.share) {
    try { await navigator.share({ title: title, url: url }); return "shared"; }
    catch (error) { if (error && error.name === "AbortError") return "cancelled"; }
  }
  try { await navigator.clipboard.writeText(url); return "copied"; }
  catch (error) { return "failed:" + url; }
};
"""


def backend_url() -> str:
    """Where /share/… lives: API_URL (baked into the export), else Reflex's backend."""
    # settings strips API_URL's trailing slash; Reflex's own default has none.
    return settings.api_url or get_config().api_url or ""


MANIFEST = "/manifest.webmanifest"
SERVICE_WORKER = "/sw.js"
OG_IMAGE = "/og-default.png"
# Radix slate 1 (light / dark): the browser's bar matches the page behind it.
THEME_LIGHT = "#FCFCFD"
THEME_DARK = "#111113"
SITE_NAME = "TrackMyRead"
DESCRIPTION = "Track what you read, log your progress, and see what your friends are reading."

# Service workers only exist in secure contexts (https, or localhost in
# development); elsewhere the page simply works without one.
_REGISTER = f"""
if (typeof window !== "undefined" && "serviceWorker" in navigator && window.isSecureContext) {{
  window.addEventListener("load", () => {{
    navigator.serviceWorker.register("{SERVICE_WORKER}", {{ scope: "/", updateViaCache: "none" }})
      .catch((error) => console.warn("service worker not registered", error));
  }});
}}
"""


def head() -> list[rx.Component]:
    image = settings.public_url + OG_IMAGE
    return [
        rx.el.link(rel="icon", href="/favicon.ico", sizes="32x32"),
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
        rx.el.link(rel="apple-touch-icon", href="/apple-touch-icon.png"),
        rx.el.link(rel="manifest", href=MANIFEST),
        # custom_attrs: Reflex would read a bare media= as a CSS property.
        rx.el.meta(name="theme-color", content=THEME_LIGHT, custom_attrs={"media": "(prefers-color-scheme: light)"}),
        rx.el.meta(name="theme-color", content=THEME_DARK, custom_attrs={"media": "(prefers-color-scheme: dark)"}),
        rx.el.meta(name="description", content=DESCRIPTION),
        # The default link preview; profiles and books get their own from /share/… (booktracker/api/share.py).
        rx.el.meta(property="og:site_name", content=SITE_NAME),
        rx.el.meta(property="og:type", content="website"),
        rx.el.meta(property="og:image", content=image),
        rx.el.meta(name="twitter:card", content="summary_large_image"),
        rx.el.meta(name="twitter:image", content=image),
        rx.el.script(_REGISTER + SHARE_SCRIPT),
    ]
