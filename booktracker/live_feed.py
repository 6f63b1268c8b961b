"""New public posts reach every open feed at once, without polling.

Each open feed records its tab's token here; a new public post sets
``latest_public_id`` in every recorded tab's FeedState through
``app.modify_state``, which sends the delta to the tab's socket (through
Redis when the socket lives on another worker).

Reflex's SharedState did this before, but in 0.10 each event of a linked tab
re-sends the shared state to every other linked tab, so one reader's click
cost work for every open feed (bench/RESULTS.md). Here only a new post pays
for the fan-out.
"""

from __future__ import annotations

import asyncio
import logging
import time

from booktracker.settings import settings

log = logging.getLogger("booktracker.live_feed")

REGISTRY_KEY = "trackmyread:open-feeds"
FORGET_AFTER_SECONDS = 12 * 3600  # a tab not seen on the feed for this long is dropped
_pending: set[asyncio.Task] = set()


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
            return [token.decode() for token in self._redis.zrange(REGISTRY_KEY, 0, -1)]
        return list(self._local)


open_feeds = OpenFeeds(settings.redis_url)


async def announce(newest_public_id: int, *, skip_token: str = "") -> int:
    """Tell every other connected open feed about a new public post.

    Returns how many tabs were told. Errors are logged, never raised: a
    missed notice costs a reader nothing but a refresh.
    """
    from reflex.istate.manager.token import BaseStateToken

    from booktracker.booktracker import app  # the running app; imported late, it imports this module
    from booktracker.pages.feed import FeedState

    namespace = app.event_namespace
    if namespace is None:
        return 0  # the websocket server is not running here: no tab to tell
    told = 0
    for token in open_feeds.tokens():
        if token == skip_token:
            continue
        try:
            if not await namespace._token_manager.is_token_connected(token):
                continue
            async with app.modify_state(BaseStateToken(ident=token, cls=FeedState)) as root:
                feed = await root.get_state(FeedState)
                if feed.latest_public_id < newest_public_id:
                    feed.latest_public_id = newest_public_id
            told += 1
        except Exception:
            log.exception("could not tell tab %s about post %s", token[:8], newest_public_id)
    return told


def announce_later(newest_public_id: int, *, skip_token: str = "") -> None:
    """Fan out in the background so the poster's own request finishes at once."""
    task = asyncio.get_running_loop().create_task(announce(newest_public_id, skip_token=skip_token))
    _pending.add(task)
    task.add_done_callback(_pending.discard)
