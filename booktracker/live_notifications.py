"""New notifications reach the reader's open tabs at once: the unread badge in
the navigation goes up without a reload.

The same mechanism as the live feed (booktracker/live_feed.py): each tab that
shows the badge records its token under its reader's id (``badge_shown``, in
Redis when several workers share the state); ``NotificationsCreated``
(services/events.py, emitted after the action's commit) reaches only the
recipients' connected tabs, through ``app.modify_state``, and adds the new
notifications to the count they hold -- no SQL per tab. Installed by the app
(``install`` in booktracker/booktracker.py), so in every worker process.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from typing import Any, cast

import reflex as rx

from booktracker import live_feed
from booktracker.live_feed import is_tab_connected
from booktracker.services import events
from booktracker.settings import settings

log = logging.getLogger("booktracker.live_notifications")

KEY_PREFIX = "trackmyread:badge-tabs"
FORGET_AFTER_SECONDS = 12 * 3600  # a tab not seen for this long is dropped
MAX_TABS_PER_READER = 20  # the most recent tabs of one reader are told


class BadgeTabs:
    """Per reader, the tokens of their tabs that show the badge: in Redis when
    several workers share the state, else in this process."""

    def __init__(self, redis_url: str = ""):
        self._redis = None
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(redis_url)
        self._local: dict[int, dict[str, float]] = {}

    def add(self, user_id: int, token: str) -> None:
        now = time.time()
        if self._redis is not None:
            key = f"{KEY_PREFIX}:{user_id}"
            pipe = self._redis.pipeline(transaction=False)
            pipe.zadd(key, {token: now})
            pipe.zremrangebyscore(key, 0, now - FORGET_AFTER_SECONDS)
            pipe.zremrangebyrank(key, 0, -MAX_TABS_PER_READER - 1)
            pipe.expire(key, FORGET_AFTER_SECONDS)
            pipe.execute()
            return
        tabs = self._local.setdefault(user_id, {})
        tabs[token] = now
        for old in [t for t, seen in tabs.items() if seen < now - FORGET_AFTER_SECONDS]:
            del tabs[old]
        while len(tabs) > MAX_TABS_PER_READER:
            del tabs[min(tabs, key=tabs.__getitem__)]

    def tokens(self, user_id: int) -> list[str]:
        since = time.time() - FORGET_AFTER_SECONDS
        if self._redis is not None:
            members = cast("list[bytes]", self._redis.zrangebyscore(f"{KEY_PREFIX}:{user_id}", since, "+inf"))
            return [token.decode() for token in members]
        return [token for token, seen in self._local.get(user_id, {}).items() if seen >= since]


badge_tabs = BadgeTabs(settings.redis_url)
_installed: live_feed._Installation | None = None


def badge_shown(user_id: int, token: str) -> None:
    """Record a tab that shows ``user_id``'s badge. Never raises: if Redis is
    briefly away the page still loads, that tab just misses live counts."""
    if not token:
        return  # no browser tab behind this state (a unit test)
    try:
        badge_tabs.add(user_id, token)
    except Exception as exc:
        log.warning("could not record the badge's tab: %s", exc)


def install(app: rx.App, *, badge_state: type[rx.State]) -> None:
    """Wire the live badge into ``app``: call once while building the app.
    ``badge_state`` has an int ``unread`` and ``_add_unread(n)``."""
    global _installed
    # live_feed's installation record: it carries the app, the state to change and the server loop.
    _installed = live_feed._Installation(app=app, feed_state=badge_state)
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


def _on_event(event: events.Event) -> None:
    if _installed is not None and isinstance(event, events.NotificationsCreated):
        live_feed._schedule(_installed, tell_recipients(event))


async def tell_recipients(event: events.NotificationsCreated) -> int:
    """Add the new notifications to the badge of each recipient's connected
    tabs. Returns how many tabs were told; errors are logged, never raised
    (a missed notice costs a reader nothing but a reload)."""
    installed = _installed
    if installed is None:
        return 0
    told = 0
    for user_id, count in Counter(event.user_ids).items():
        try:
            tokens = badge_tabs.tokens(user_id)
        except Exception:
            log.exception("could not read the tabs of reader %s", user_id)
            continue
        for token in tokens:
            try:
                if not await is_tab_connected(installed.app, token):
                    continue
                state = installed.feed_state
                async with installed.app.modify_state(rx.BaseStateToken(ident=token, cls=state)) as root:
                    badge: Any = await root.get_state(state)  # has _add_unread (see install)
                    badge._add_unread(user_id, count)
                told += 1
            except Exception:
                log.exception("could not tell tab %s about new notifications", token[:8])
    return told
