"""New notifications reach the reader's open tabs at once: the unread badge in
the navigation goes up without a reload.

The same mechanism as the live feed (booktracker/live_tabs.py): each tab that
shows the badge records its token under its reader's id (``badge_shown``, in
Redis when several workers share the state); ``NotificationsCreated``
(services/events.py, emitted after the action's commit) reaches only the
recipients' connected tabs, through ``app.modify_state``, and adds the new
notifications to the count they hold -- no SQL per tab. Installed by the app
(``install`` in booktracker/booktracker.py), so in every worker process.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

import reflex as rx

from booktracker.live_tabs import FanOut, TabRegistry
from booktracker.services import events
from booktracker.settings import settings

log = logging.getLogger("booktracker.live_notifications")

KEY_PREFIX = "trackmyread:badge-tabs"
FORGET_AFTER_SECONDS = 12 * 3600  # a tab not seen for this long is dropped
MAX_TABS_PER_READER = 20  # the most recent tabs of one reader are told


class BadgeTabs:
    """Per reader, the tokens of their tabs that show the badge: a set per
    reader in the tab registry."""

    def __init__(self, redis_url: str = ""):
        self.tabs = TabRegistry(
            redis_url, prefix=KEY_PREFIX, forget_after=FORGET_AFTER_SECONDS, max_per_set=MAX_TABS_PER_READER
        )

    def add(self, user_id: int, token: str) -> None:
        self.tabs.add(str(user_id), token)

    def tokens(self, user_id: int) -> list[str]:
        return self.tabs.members(str(user_id))


badge_tabs = BadgeTabs(settings.redis_url)
fan_out = FanOut()
_badge_state: type[rx.State] | None = None  # has an int unread and _add_unread(user_id, n)


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
    global _badge_state
    _badge_state = badge_state
    fan_out.install(app, _on_event)


def uninstall() -> None:
    """Stop listening (tests)."""
    fan_out.uninstall(_on_event)


def _on_event(event: events.Event) -> None:
    if isinstance(event, events.NotificationsCreated):
        fan_out.start(tell_recipients(event))


async def tell_recipients(event: events.NotificationsCreated) -> int:
    """Add the new notifications to the badge of each recipient's connected
    tabs. Returns how many tabs were told; errors are logged, never raised
    (a missed notice costs a reader nothing but a reload)."""
    badge_state = _badge_state
    if fan_out.app is None or badge_state is None:
        return 0
    told = 0
    for user_id, count in Counter(event.user_ids).items():
        try:
            tokens = badge_tabs.tokens(user_id)
        except Exception:
            log.exception("could not read the tabs of reader %s", user_id)
            continue

        def add_unread(badge: Any, user_id: int = user_id, count: int = count) -> None:  # see install
            badge._add_unread(user_id, count)

        told += await fan_out.tell([(token, badge_state) for token in tokens], add_unread, about="new notifications")
    return told
