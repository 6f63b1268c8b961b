"""What happened, for whoever listens: the seam between services and adapters.

Services stay free of Reflex and of the websocket: after a use case commits,
it emits an event here. Adapters (the live feed, later notifications and push)
subscribe once, at start-up (``booktracker/booktracker.py``). With no listener
-- a test, a script, the backup tool -- emitting does nothing.

A listener must not raise into the service: whatever it raises is logged,
because the use case has already committed and a missed notice costs a reader
nothing but a refresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("booktracker.events")


@dataclass(frozen=True)
class PostPublished:
    """A post was stored. ``origin`` is opaque to services: the front end that
    published it may pass its own id (a browser tab's token) so that a
    listener can skip telling that same tab."""

    post_id: int
    author_id: int
    is_public: bool
    origin: str = ""


@dataclass(frozen=True)
class PostChanged:
    """A post's likes or comments changed (a like, an unlike, a comment, a
    reply, a deleted comment). Only tabs that have this post on screen are
    told (live_feed); they take the like count and, when comments changed,
    re-count the comments their reader may see and show a new one."""

    post_id: int
    like_count: int
    # The comment added (0 for a like or a deletion), so an open comment
    # list can show it without a reload.
    comment_id: int = 0
    origin: str = ""
    # A comment was added or deleted: tabs re-count what their reader may see.
    # A like leaves the comments alone, and the tabs read nothing. (The event
    # carried the post's total comment count; a card's count differs from it
    # whenever some comment is hidden from its reader, and re-counting on that
    # cost every tab showing a liked post a token check and a count: 12% of a
    # worker's CPU under load, bench/RESULTS.md 2026-11-26.)
    comments_changed: bool = False


@dataclass(frozen=True)
class NotificationsCreated:
    """Notifications were stored for these readers (services/notifications):
    their open tabs update the unread badge, push subscribers get a push."""

    user_ids: tuple[int, ...]
    # What happened, for a push message: NotificationKind values, one per
    # recipient in ``user_ids`` order, and the actor's display name.
    kinds: tuple[str, ...] = ()
    actor_name: str = ""
    # The path the notification leads to (routes.py builders), for a push click.
    path: str = ""


Event = PostPublished | PostChanged | NotificationsCreated
Listener = Callable[[Event], None]
_listeners: list[Listener] = []


def subscribe(listener: Listener) -> None:
    """Add a listener (once; subscribing the same function again is a no-op)."""
    if listener not in _listeners:
        _listeners.append(listener)


def unsubscribe(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def emit(event: Event) -> None:
    for listener in list(_listeners):
        try:
            listener(event)
        except Exception:
            log.exception("listener %s failed on %s", getattr(listener, "__name__", listener), event)
