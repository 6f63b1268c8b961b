"""What the live adapters (live_feed.py, live_notifications.py) share: a
registry of which open tabs show what, the app's hook that tells them, and
the one question Reflex answers only privately (is this tab connected?).

``TabRegistry``: named sets of tabs, each tab with when it was last recorded,
plus a short note per tab; in Redis when several workers share the state
(every worker sees every tab), else in this process. Whatever was not
recorded again for ``forget_after`` seconds is dropped (Redis keys expire).

``FanOut``: one adapter installed on the app (``install`` while the app is
built, so in every worker process). It starts each fan-out on the worker's
server loop without making the acting request wait, and changes the state of
each connected tab through ``app.modify_state``, which sends the delta to the
tab's socket (through Redis when the socket lives on another worker).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import time
from collections.abc import Callable, Coroutine, Iterable, Mapping
from typing import Any, cast

import reflex as rx

from booktracker.services import events

log = logging.getLogger("booktracker.live_tabs")

SWEEP_EVERY_SECONDS = 60  # in this process: forget old tabs at most once a minute
# Strong references to fan-outs in flight: the event loop only keeps weak ones.
in_flight: set[asyncio.Task | concurrent.futures.Future] = set()


async def is_tab_connected(app: rx.App, token: str) -> bool:
    """Whether ``token``'s tab has a live socket on any worker.

    The only use of a private Reflex API in the app (there is no public one
    in 0.10.1); tests/test_live_tabs.py fails first if an upgrade moves it.
    """
    namespace = app.event_namespace
    if namespace is None:
        return False  # the websocket server is not set up here: no tab to tell
    return await namespace._token_manager.is_token_connected(token)


class TabRegistry:
    """Sets of tabs by name (``add``, ``members``) and a note per tab name
    (``note``), in Redis under ``prefix`` or in this process.

    ``max_per_set`` (0: no limit) keeps the most recently recorded members of
    a set. One ``write`` is one Redis round trip, however many sets it touches.
    """

    def __init__(self, redis_url: str = "", *, prefix: str, forget_after: int, max_per_set: int = 0):
        self._redis = None
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(redis_url)
        self.prefix, self.forget_after, self.max_per_set = prefix, forget_after, max_per_set
        self._sets: dict[str, dict[str, float]] = {}  # name -> {member: seen}
        self._notes: dict[str, tuple[str, float]] = {}  # name -> (note, seen)
        self._swept = 0.0

    def key(self, name: str) -> str:
        """The Redis key of set or note ``name`` ("": the prefix itself)."""
        return f"{self.prefix}:{name}" if name else self.prefix

    def add(self, name: str, member: str) -> None:
        self.write(add=[(name, member)])

    def write(
        self,
        *,
        add: Iterable[tuple[str, str]] = (),
        remove: Iterable[tuple[str, str]] = (),
        notes: Mapping[str, str] | None = None,
    ) -> None:
        """Remove (set name, member) pairs, then record others as seen now, and
        the notes by name."""
        now = time.time()
        if self._redis is None:
            self._write_here(add, remove, notes or {}, now)
            return
        pipe = self._redis.pipeline(transaction=False)
        for name, member in remove:
            pipe.zrem(self.key(name), member)
        for name, member in add:
            key = self.key(name)
            pipe.zadd(key, {member: now})
            pipe.zremrangebyscore(key, 0, now - self.forget_after)
            if self.max_per_set:
                pipe.zremrangebyrank(key, 0, -self.max_per_set - 1)  # keep the most recent members
            pipe.expire(key, self.forget_after)
        for name, note in (notes or {}).items():
            pipe.set(self.key(name), note, ex=self.forget_after)
        pipe.execute()

    def _write_here(
        self, add: Iterable[tuple[str, str]], remove: Iterable[tuple[str, str]], notes: Mapping[str, str], now: float
    ) -> None:
        for name, member in remove:
            self._discard(name, member)
        for name, member in add:
            members = self._sets.setdefault(name, {})
            members[member] = now
            while self.max_per_set and len(members) > self.max_per_set:
                del members[min(members, key=members.__getitem__)]
        for name, note in notes.items():
            self._notes[name] = (note, now)
        if now - self._swept > SWEEP_EVERY_SECONDS:
            self._swept = now
            self._sweep(now - self.forget_after)

    def _discard(self, name: str, member: str) -> None:
        members = self._sets.get(name, {})
        members.pop(member, None)
        if not members:
            self._sets.pop(name, None)

    def _sweep(self, cutoff: float) -> None:
        for name, members in list(self._sets.items()):
            for member in [m for m, seen in members.items() if seen < cutoff]:
                self._discard(name, member)
        for name in [n for n, (_, seen) in self._notes.items() if seen < cutoff]:
            del self._notes[name]

    def members(self, name: str) -> list[str]:
        """The members of set ``name`` recorded within ``forget_after`` seconds, oldest first."""
        since = time.time() - self.forget_after
        if self._redis is not None:
            found = cast("list[bytes]", self._redis.zrangebyscore(self.key(name), since, "+inf"))  # a sync client
            return [member.decode() for member in found]
        return [member for member, seen in self._sets.get(name, {}).items() if seen >= since]

    def note(self, name: str) -> str | None:
        """The note last written under ``name``, if not forgotten."""
        if self._redis is not None:
            raw = cast("bytes | None", self._redis.get(self.key(name)))
            return raw.decode() if raw is not None else None
        note, seen = self._notes.get(name, ("", 0.0))
        return note if seen >= time.time() - self.forget_after else None


class FanOut:
    """One live adapter's hook into the app: the app, once installed, and the
    server loop of this worker, to which fan-outs started in a worker thread
    (a sync FastAPI route) are handed."""

    def __init__(self) -> None:
        self.app: rx.App | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    def install(self, app: rx.App, listener: Callable[[events.Event], None]) -> None:
        """Listen to the services' events; the loop is captured by a lifespan
        task, which runs in each worker once its server loop runs."""
        self.app = app
        events.subscribe(listener)
        app.register_lifespan_task(self.remember_loop)

    def uninstall(self, listener: Callable[[events.Event], None]) -> None:
        """Stop listening (tests)."""
        self.app, self.loop = None, None
        events.unsubscribe(listener)

    def remember_loop(self) -> None:
        if self.app is not None:
            self.loop = asyncio.get_running_loop()

    def start(self, fan_out: Coroutine[Any, Any, int]) -> None:
        """Start the fan-out on the server's loop without waiting for it: the
        acting request finishes at once, whichever thread it runs in."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None  # a worker thread (sync FastAPI route, asyncio.to_thread)
        server_loop = self.loop
        if self.app is not None:  # else not installed: no tab to tell
            if running is not None and (server_loop is None or server_loop is running or not server_loop.is_running()):
                self.loop = running
                _keep(running.create_task(fan_out))
                return
            if server_loop is not None and server_loop.is_running():
                _keep(asyncio.run_coroutine_threadsafe(fan_out, server_loop))
                return
        fan_out.close()  # no server loop in this process (a script, a test): no tab to tell
        log.debug("no event loop here; no tab is told")

    async def tell(
        self, tabs: Iterable[tuple[str, type[rx.State]]], change: Callable[[Any], object], *, about: str
    ) -> int:
        """Apply ``change`` to the given state of each (token, state class)
        whose tab is connected. Returns how many tabs were told. Errors are
        logged, never raised: a missed notice costs a reader only a reload."""
        app = self.app
        if app is None:
            return 0
        told = 0
        for token, state in tabs:
            try:
                if not await is_tab_connected(app, token):
                    continue
                async with app.modify_state(rx.BaseStateToken(ident=token, cls=state)) as root:
                    change(await root.get_state(state))
                told += 1
            except Exception:
                log.exception("could not tell tab %s about %s", token[:8], about)
        return told


def _keep(fan_out: asyncio.Task | concurrent.futures.Future) -> None:
    in_flight.add(fan_out)
    fan_out.add_done_callback(in_flight.discard)


async def all_finished() -> None:
    """Wait until every fan-out in flight is done (tests, bench); call it on the server loop."""
    while in_flight:
        await asyncio.gather(
            *(asyncio.wrap_future(f) if isinstance(f, concurrent.futures.Future) else f for f in list(in_flight))
        )
