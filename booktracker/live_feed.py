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

Likes and comments go the same way, to fewer tabs: each post list records
the posts it shows (``posts_shown``), and ``PostChanged`` reaches only the
tabs showing that post, whose list state applies it (new counts; the new
comment re-read with that reader's privacy). A like costs the tabs no SQL.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import time
from collections.abc import Coroutine, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import reflex as rx

from booktracker.services import events
from booktracker.settings import settings

log = logging.getLogger("booktracker.live_feed")

REGISTRY_KEY = "trackmyread:open-feeds"
FORGET_AFTER_SECONDS = 12 * 3600  # a tab not seen on the feed for this long is dropped
ON_SCREEN_PREFIX = "trackmyread:on-screen"
POSTS_FORGET_AFTER_SECONDS = 3 * 3600  # past Reflex's idle state expiry (1 h): the list is gone by then
MAX_POSTS_PER_TAB = 60  # a list holds at most 60 posts (components/post_list.py)
MAX_TABS_PER_POST = 5000  # a post on more screens than this tells the most recent ones
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


class PostsOnScreen:
    """Which tabs show which posts, so that a like or a comment reaches only
    the tabs that have that post on screen: per post, the tabs (token and the
    list state that shows it); per tab, the posts it shows. In Redis when
    several workers share the state, else in this process.

    Bounded: a tab records at most ``MAX_POSTS_PER_TAB`` posts and showing
    another list replaces what it recorded before; a post keeps at most
    ``MAX_TABS_PER_POST`` tabs (the most recent); anything not seen for
    ``POSTS_FORGET_AFTER_SECONDS`` is dropped (Redis keys expire).
    """

    def __init__(self, redis_url: str = "", prefix: str = ON_SCREEN_PREFIX):
        self._redis = None
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(redis_url)
        self._prefix = prefix
        self._tabs: dict[str, tuple[str, tuple[int, ...], float]] = {}  # token -> (state, post ids, seen)
        self._posts: dict[int, dict[str, float]] = {}  # post id -> {"token state": seen}
        self._swept = 0.0

    def _post_key(self, post_id: int) -> str:
        return f"{self._prefix}:post:{post_id}"

    def show(self, token: str, state_name: str, post_ids: list[int]) -> None:
        """``token``'s tab now shows these posts in ``state_name``'s list
        (replacing what it showed before)."""
        ids = tuple(dict.fromkeys(post_ids))[-MAX_POSTS_PER_TAB:]
        member, now = f"{token} {state_name}", time.time()
        if self._redis is not None:
            self._show_in_redis(token, member, ids, now)
            return
        old = self._tabs.pop(token, None)
        if old is not None:
            self._drop(f"{token} {old[0]}", old[1])
        self._tabs[token] = (state_name, ids, now)
        for post_id in ids:
            tabs = self._posts.setdefault(post_id, {})
            tabs[member] = now
            if len(tabs) > MAX_TABS_PER_POST:
                del tabs[min(tabs, key=tabs.__getitem__)]
        if now - self._swept > 60:  # at most once a minute: forget tabs not seen for hours
            self._swept = now
            for stale, (name, shown, seen) in list(self._tabs.items()):
                if seen < now - POSTS_FORGET_AFTER_SECONDS:
                    del self._tabs[stale]
                    self._drop(f"{stale} {name}", shown)

    def _drop(self, member: str, post_ids: tuple[int, ...]) -> None:
        for post_id in post_ids:
            tabs = self._posts.get(post_id, {})
            tabs.pop(member, None)
            if not tabs:
                self._posts.pop(post_id, None)

    def _show_in_redis(self, token: str, member: str, ids: tuple[int, ...], now: float) -> None:
        assert self._redis is not None
        tab_key = f"{self._prefix}:tab:{token}"
        raw = cast("bytes | None", self._redis.get(tab_key))  # "state id,id,..." of the list shown before
        pipe = self._redis.pipeline(transaction=False)
        if raw:
            old_state, _, old_ids = raw.decode().partition(" ")
            old_member = f"{token} {old_state}"
            for post_id in {int(i) for i in old_ids.split(",") if i}:
                if old_member != member or post_id not in ids:
                    pipe.zrem(self._post_key(post_id), old_member)
        for post_id in ids:
            key = self._post_key(post_id)
            pipe.zadd(key, {member: now})
            pipe.zremrangebyscore(key, 0, now - POSTS_FORGET_AFTER_SECONDS)
            pipe.zremrangebyrank(key, 0, -MAX_TABS_PER_POST - 1)  # keep the most recent tabs
            pipe.expire(key, POSTS_FORGET_AFTER_SECONDS)
        state_name = member.partition(" ")[2]
        pipe.set(tab_key, f"{state_name} {','.join(map(str, ids))}", ex=POSTS_FORGET_AFTER_SECONDS)
        pipe.execute()

    def viewers(self, post_id: int) -> list[tuple[str, str]]:
        """(token, state name) of each tab that shows ``post_id``."""
        since = time.time() - POSTS_FORGET_AFTER_SECONDS
        if self._redis is not None:
            members = cast("list[bytes]", self._redis.zrangebyscore(self._post_key(post_id), since, "+inf"))
            pairs = [member.decode().partition(" ") for member in members]
        else:
            tabs = self._posts.get(post_id, {})
            pairs = [member.partition(" ") for member, seen in tabs.items() if seen >= since]
        return [(token, state_name) for token, _, state_name in pairs]


posts_on_screen = PostsOnScreen(settings.redis_url)


def posts_shown(token: str, state_name: str, post_ids: list[int]) -> None:
    """Record the posts a tab's list shows now (``state_name``: the list's
    state class, as ``get_full_name()`` says). Never raises: if Redis is
    briefly away the page still loads, that tab just misses live counts."""
    if not token:
        return  # no browser tab behind this state (a script, a unit test)
    try:
        posts_on_screen.show(token, state_name, post_ids)
    except Exception as exc:
        log.warning("could not record the posts on screen: %s", exc)


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
    # The post list states by full name (what ``posts_shown`` records), each
    # with ``_apply_post_change(change)`` (components/post_list.py).
    post_list_states: dict[str, type[rx.State]] = field(default_factory=dict)
    # The server's event loop in this worker: fan-outs started from a worker
    # thread (a sync FastAPI route) are handed to it.
    loop: asyncio.AbstractEventLoop | None = None


_installed: _Installation | None = None


def install(app: rx.App, *, feed_state: type[rx.State], post_list_states: Iterable[type[rx.State]] = ()) -> None:
    """Wire the live feed into ``app``: call once while building the app.

    ``feed_state`` must have an int ``latest_public_id``; ``post_list_states``
    are the states of the pages that list posts (PostListMixin), told about
    likes and comments of the posts they show. The loop is captured by a
    lifespan task, which runs in each worker once its server loop runs.
    """
    global _installed
    lists = {state.get_full_name(): state for state in post_list_states}
    _installed = _Installation(app=app, feed_state=feed_state, post_list_states=lists)
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
    """Called synchronously by the service that committed the post, the like or the comment."""
    if _installed is None:
        return
    if isinstance(event, events.PostPublished) and event.is_public:
        _schedule(_installed, announce(event.post_id, skip_token=event.origin))
    elif isinstance(event, events.PostChanged):
        _schedule(_installed, tell_viewers(event))


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


async def tell_viewers(change: events.PostChanged) -> int:
    """Tell every other connected tab that shows the post about its new
    counts (and new comment): only those tabs pay, none other is touched.

    Returns how many tabs were told. Errors are logged, never raised.
    """
    installed = _installed
    if installed is None:
        return 0
    try:
        viewers = posts_on_screen.viewers(change.post_id)
    except Exception:
        log.exception("could not read the tabs showing post %s", change.post_id)
        return 0
    told = 0
    for token, state_name in viewers:
        state = installed.post_list_states.get(state_name)
        if token == change.origin or state is None:
            continue  # the tab that acted already shows it; a list state this app does not have
        try:
            if not await is_tab_connected(installed.app, token):
                continue
            async with installed.app.modify_state(rx.BaseStateToken(ident=token, cls=state)) as root:
                post_list: Any = await root.get_state(state)  # has _apply_post_change (see install)
                post_list._apply_post_change(change)
            told += 1
        except Exception:
            log.exception("could not tell tab %s about post %s", token[:8], change.post_id)
    return told
