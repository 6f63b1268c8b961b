"""Reflex configuration, derived from booktracker.settings (the one place
that reads the environment)."""

import os

import reflex as rx

from booktracker.settings import settings

# Reflex serves this directory at /_upload/; local post images are kept there.
os.environ.setdefault("REFLEX_UPLOADED_FILES_DIR", str(settings.upload_dir))

if settings.redis_url:
    # Reflex's opportunistic locks: the worker that serves a reader keeps the
    # reader's state (and its Redis lock) for a moment between events instead
    # of lock/load/save/unlock on every event; a worker that needs the state
    # meanwhile asks and gets it. CPU per event -20%, 4-worker throughput +27%
    # (bench/RESULTS.md). Leased states are written back on shutdown.
    os.environ.setdefault("REFLEX_OPLOCK_ENABLED", "true")
    os.environ.setdefault("REFLEX_OPLOCK_HOLD_TIME", "2s")

config = rx.Config(
    app_name="booktracker",
    # Reflex does not read DATABASE_URL itself.
    db_url=settings.database_url,
    redis_url=settings.redis_url or None,
    # Several workers share state through Redis. One production worker keeps
    # it in memory: the disk manager pickles every state to a file after each
    # event and lists the whole folder to purge it (bench/RESULTS.md), and
    # nothing is lost by a restart (the login lives in the browser). The
    # developer's `reflex run` keeps the disk, so hot reloads keep the page.
    state_manager_mode="redis" if settings.redis_url else ("memory" if settings.is_production else "disk"),
    # The default is "*"; only our own frontends may open the websocket.
    cors_allowed_origins=tuple(settings.cors_origins),  # ("*",) is how Reflex spells "any"
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[rx.plugins.sitemap.SitemapPlugin],
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="indigo", gray_color="slate", radius="medium", has_background=True)
        )
    ],
    **({"api_url": settings.api_url} if settings.api_url else {}),
)
