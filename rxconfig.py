"""Reflex configuration, derived from booktracker.settings (the one place
that reads the environment)."""

import datetime
from typing import Any

import reflex as rx
from reflex.constants import StateManagerMode
from reflex.environment import environment

from booktracker.frontend_assets import LeanRadixThemesPlugin
from booktracker.settings import settings

# These three have no rx.Config field: Reflex reads them only from its
# environment variables, so they are set here, from our settings (which win
# over any REFLEX_* value of the same name).
# Reflex serves this directory at /_upload/; local post images are kept there.
environment.REFLEX_UPLOADED_FILES_DIR.set(settings.upload_dir)
# Reflex's opportunistic locks (Redis only): the worker that serves a reader
# keeps the reader's state (and its Redis lock) for a moment between events
# instead of lock/load/save/unlock on every event; a worker that needs the
# state meanwhile asks and gets it. Leased states are written back on shutdown.
environment.REFLEX_OPLOCK_ENABLED.set(settings.oplock_enabled)
environment.REFLEX_OPLOCK_HOLD_TIME.set(
    datetime.timedelta(seconds=settings.oplock_hold_time if settings.oplock_enabled else 0)
)

# Without API_URL, Reflex's own default (the local backend) stays.
_api_url: dict[str, Any] = {"api_url": settings.api_url} if settings.api_url else {}

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
    state_manager_mode=(
        StateManagerMode.REDIS
        if settings.redis_url
        else (StateManagerMode.MEMORY if settings.is_production else StateManagerMode.DISK)
    ),
    # The default is "*"; only our own frontends may open the websocket.
    cors_allowed_origins=tuple(settings.cors_origins),  # ("*",) is how Reflex spells "any"
    # Behind N proxies the reader's address (router.session.client_ip, which
    # the login throttle keys on) is the Nth-from-last X-Forwarded-For entry;
    # with 0 Reflex ignores the header, which any client can write.
    trusted_proxy_hops=settings.trusted_proxy_hops,
    # Reflex's default is 0.0.0.0 (every interface); ours is loopback, and the
    # settings refuse the development key on any other (BIND_HOST).
    backend_host=settings.bind_host,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[rx.plugins.sitemap.SitemapPlugin],
    plugins=[
        # Radix Themes' stylesheet in parts, only what the pages use (booktracker/frontend_assets.py).
        LeanRadixThemesPlugin(
            theme=rx.theme(accent_color="indigo", gray_color="slate", radius="medium", has_background=True)
        )
    ],
    **_api_url,
)
