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

The registry of tabs and the fan-out machinery are shared with the live
badge (booktracker/live_tabs.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import reflex as rx

from booktracker.live_tabs import FanOut, TabRegistry
from booktracker.services import events
from booktracker.settings import settings

log = logging.getLogger("booktracker.live_feed")

REGISTRY_KEY = "trackmyread:open-feeds"
FORGET_AFTER_SECONDS = 12 * 3600  # a tab not seen on the feed for this long is dropped
ON_SCREEN_PREFIX = "trackmyread:on-screen"
POSTS_FORGET_AFTER_SECONDS = 3 * 3600  # past Reflex's idle state expiry (1 h): the list is gone by then
MAX_POSTS_PER_TAB = 60  # a list holds at most 60 posts (components/post_list.py)
MAX_TABS_PER_POST = 5000  # a post on more screens than this tells the most recent ones


class OpenFeeds:
    """Tokens of the tabs with the feed open: one set of the tab registry."""

    def __init__(self, redis_url: str = ""):
        self.tabs = TabRegistry(redis_url, prefix=REGISTRY_KEY, forget_after=FORGET_AFTER_SECONDS)

    def add(self, token: str) -> None:
        self.tabs.add("", token)

    def tokens(self) -> list[str]:
        return self.tabs.members("")


open_feeds = OpenFeeds(settings.redis_url)


class PostsOnScreen:
    """Which tabs show which posts, so that a like or a comment reaches only
    the tabs that have that post on screen: per post, a set of the tabs
    (token and the list state that shows it); per tab, a note of the posts it
    shows, so that showing another list replaces them.

    Bounded: a tab records at most ``MAX_POSTS_PER_TAB`` posts; a post keeps
    at most ``MAX_TABS_PER_POST`` tabs (the most recent); anything not seen
    for ``POSTS_FORGET_AFTER_SECONDS`` is dropped.
    """

    def __init__(self, redis_url: str = "", prefix: str = ON_SCREEN_PREFIX):
        self.tabs = TabRegistry(
            redis_url, prefix=prefix, forget_after=POSTS_FORGET_AFTER_SECONDS, max_per_set=MAX_TABS_PER_POST
        )

    def show(self, token: str, state_name: str, post_ids: list[int]) -> None:
        """``token``'s tab now shows these posts in ``state_name``'s list
        (replacing what it showed before): one read and one write."""
        ids = tuple(dict.fromkeys(post_ids))[-MAX_POSTS_PER_TAB:]
        member, tab = f"{token} {state_name}", f"tab:{token}"
        before = self.tabs.note(tab)  # "state id,id,..." of the list shown before
        stale: list[tuple[str, str]] = []
        if before:
            old_state, _, old_ids = before.partition(" ")
            old_member = f"{token} {old_state}"
            for post_id in {int(i) for i in old_ids.split(",") if i}:
                if old_member != member or post_id not in ids:
                    stale.append((f"post:{post_id}", old_member))
        self.tabs.write(
            remove=stale,
            add=[(f"post:{post_id}", member) for post_id in ids],
            notes={tab: f"{state_name} {','.join(map(str, ids))}"},
        )

    def viewers(self, post_id: int) -> list[tuple[str, str]]:
        """(token, state name) of each tab that shows ``post_id``."""
        pairs = [member.partition(" ") for member in self.tabs.members(f"post:{post_id}")]
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


fan_out = FanOut()
_feed_state: type[rx.State] | None = None  # has an int latest_public_id
# The post list states by full name (what ``posts_shown`` records), each
# with ``_apply_post_change(change)`` (components/post_list.py).
_post_list_states: dict[str, type[rx.State]] = {}


def install(app: rx.App, *, feed_state: type[rx.State], post_list_states: Iterable[type[rx.State]] = ()) -> None:
    """Wire the live feed into ``app``: call once while building the app.

    ``feed_state`` must have an int ``latest_public_id``; ``post_list_states``
    are the states of the pages that list posts (PostListMixin), told about
    likes and comments of the posts they show.
    """
    global _feed_state, _post_list_states
    _feed_state = feed_state
    _post_list_states = {state.get_full_name(): state for state in post_list_states}
    fan_out.install(app, _on_event)


def uninstall() -> None:
    """Stop listening (tests)."""
    fan_out.uninstall(_on_event)


def _on_event(event: events.Event) -> None:
    """Called synchronously by the service that committed the post, the like or the comment."""
    if isinstance(event, events.PostPublished) and event.is_public:
        fan_out.start(announce(event.post_id, skip_token=event.origin))
    elif isinstance(event, events.PostChanged):
        fan_out.start(tell_viewers(event))


async def announce(newest_public_id: int, *, skip_token: str = "") -> int:
    """Tell every other connected open feed about a new public post.

    Returns how many tabs were told. Errors are logged, never raised: a
    missed notice costs a reader nothing but a refresh.
    """
    feed_state = _feed_state
    if fan_out.app is None or feed_state is None:
        return 0
    try:
        tokens = open_feeds.tokens()
    except Exception:
        log.exception("could not read the open feeds for post %s", newest_public_id)
        return 0

    def set_latest(feed: Any) -> None:  # the feed state (see install)
        if feed.latest_public_id < newest_public_id:
            feed.latest_public_id = newest_public_id

    tabs = [(token, feed_state) for token in tokens if token != skip_token]
    return await fan_out.tell(tabs, set_latest, about=f"post {newest_public_id}")


async def tell_viewers(change: events.PostChanged) -> int:
    """Tell every other connected tab that shows the post about its new
    counts (and new comment): only those tabs pay, none other is touched.

    Returns how many tabs were told. Errors are logged, never raised.
    """
    if fan_out.app is None:
        return 0
    try:
        viewers = posts_on_screen.viewers(change.post_id)
    except Exception:
        log.exception("could not read the tabs showing post %s", change.post_id)
        return 0
    # Not the tab that acted (it shows the change already), nor a list state this app does not have.
    tabs = [
        (token, _post_list_states[name])
        for token, name in viewers
        if token != change.origin and name in _post_list_states
    ]
    return await fan_out.tell(
        tabs, lambda post_list: post_list._apply_post_change(change), about=f"post {change.post_id}"
    )
