"""New public posts reach every open feed at once, without polling.

An adapter between the posts service and the browser tabs, installed by the
app when it is built (``install`` in ``booktracker/booktracker.py``, so in
every worker process): it listens to ``PostPublished`` (services/events.py)
and sets ``latest_public_id`` in every recorded open feed's state through
``app.modify_state``, which sends the delta to the tab's socket (through
Redis when the socket lives on another worker). Nothing here imports the
app or a page: the app hands itself and its feed state over at start-up, so
the JSON API and the services never depend on a Reflex page.

Each open feed records its tab's token here (``feed_opened``). Reflex's
SharedState did this before, but in 0.10 each event of a linked tab re-sends
the shared state to every other linked tab, so one reader's click cost work
for every open feed (bench/RESULTS.md). Here only a new post pays for the
fan-out.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, cast

import reflex as rx

from booktracker.services import events
from booktracker.settings import settings

log = logging.getLogger("booktracker.live_feed")

REGISTRY_KEY = "trackmyread:open-feeds"
FORGET_AFTER_SECONDS = 12 * 3600  # a tab not seen on the feed for this long is dropped
# Strong references to fan-outs in flight: the event loop only keeps weak ones.
_pending: set[asyncio.Task | concurrent.futures.Future] = set()


class OpenFeeds:
    """Tokens of the tabs with the feed open: in Redis when several workers
    share the state, else in this process."""

    def __init__(self, redis_url: str = ""):
        self._redis = None
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(redis_url)
        self._local: dict[str, float] = {}

    def add(self, token: str) -> None:
        now = time.time()
        if self._redis is not None:
            pipe = self._redis.pipeline(transaction=False)
            pipe.zadd(REGISTRY_KEY, {token: now})
            pipe.zremrangebyscore(REGISTRY_KEY, 0, now - FORGET_AFTER_SECONDS)
            pipe.execute()
            return
        self._local[token] = now
        for old in [t for t, seen in self._local.items() if seen < now - FORGET_AFTER_SECONDS]:
            del self._local[old]

    def tokens(self) -> list[str]:
        if self._redis is not None:
            members = cast("list[bytes]", self._redis.zrange(REGISTRY_KEY, 0, -1))  # a sync client
            return [token.decode() for token in members]
        return list(self._local)


open_feeds = OpenFeeds(settings.redis_url)


def feed_opened(token: str) -> None:
    """Record a tab that shows the feed. Never raises: if Redis is briefly
    away the page still loads, that tab just misses live notices."""
    try:
        open_feeds.add(token)
    except Exception as exc:
        log.warning("could not record the open feed: %s", exc)


@dataclass
class _Installation:
    app: rx.App
    feed_state: type[rx.State]
    # The server's event loop in this worker: fan-outs started from a worker
    # thread (a sync FastAPI route) are handed to it.
    loop: asyncio.AbstractEventLoop | None = None


_installed: _Installation | None = None


def install(app: rx.App, *, feed_state: type[rx.State]) -> None:
    """Wire the live feed into ``app``: call once while building the app.

    ``feed_state`` must have an int ``latest_public_id``. The loop is captured
    by a lifespan task, which runs in each worker once its server loop runs.
    """
    global _installed
    _installed = _Installation(app=app, feed_state=feed_state)
    events.subscribe(_on_event)
    app.register_lifespan_task(_remember_loop)


def uninstall() -> None:
    """Stop listening (tests)."""
    global _installed
    _installed = None
    events.unsubscribe(_on_event)


def _remember_loop() -> None:
    if _installed is not None:
        _installed.loop = asyncio.get_running_loop()


async def is_tab_connected(app: rx.App, token: str) -> bool:
    """Whether ``token``'s tab has a live socket on any worker.

    The only use of a private Reflex API in this module (there is no public
    one in 0.10.1); its own test fails first if an upgrade moves it.
    """
    namespace = app.event_namespace
    if namespace is None:
        return False  # the websocket server is not set up here: no tab to tell
    return await namespace._token_manager.is_token_connected(token)


def _on_event(event: events.Event) -> None:
    """Called synchronously by the service that committed the post."""
    if not isinstance(event, events.PostPublished) or not event.is_public or _installed is None:
        return
    _schedule(_installed, announce(event.post_id, skip_token=event.origin))


def _schedule(installed: _Installation, fan_out: Coroutine[Any, Any, int]) -> None:
    """Start the fan-out on the server's loop without waiting for it: the
    poster's request finishes at once, whichever thread it runs in."""
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None  # a worker thread (sync FastAPI route, asyncio.to_thread)
    server_loop = installed.loop
    if running is not None and (server_loop is None or server_loop is running or not server_loop.is_running()):
        installed.loop = running
        task = running.create_task(fan_out)
        _pending.add(task)
        task.add_done_callback(_pending.discard)
        return
    if server_loop is not None and server_loop.is_running():
        future = asyncio.run_coroutine_threadsafe(fan_out, server_loop)
        _pending.add(future)
        future.add_done_callback(_pending.discard)
        return
    fan_out.close()  # no server loop in this process (a script, a test): no tab to tell
    log.debug("no event loop here; open feeds are not told")


async def announce(newest_public_id: int, *, skip_token: str = "") -> int:
    """Tell every other connected open feed about a new public post.

    Returns how many tabs were told. Errors are logged, never raised: a
    missed notice costs a reader nothing but a refresh.
    """
    installed = _installed
    if installed is None:
        return 0
    try:
        tokens = open_feeds.tokens()
    except Exception:
        log.exception("could not read the open feeds for post %s", newest_public_id)
        return 0
    told = 0
    for token in tokens:
        if token == skip_token:
            continue
        try:
            if not await is_tab_connected(installed.app, token):
                continue
            await _set_latest(installed, token, newest_public_id)
            told += 1
        except Exception:
            log.exception("could not tell tab %s about post %s", token[:8], newest_public_id)
    return told


async def _set_latest(installed: _Installation, token: str, newest_public_id: int) -> None:
    async with installed.app.modify_state(rx.BaseStateToken(ident=token, cls=installed.feed_state)) as root:
        feed: Any = await root.get_state(installed.feed_state)  # has latest_public_id (see install)
        if feed.latest_public_id < newest_public_id:
            feed.latest_public_id = newest_public_id
