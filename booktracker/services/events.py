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


Event = PostPublished
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
