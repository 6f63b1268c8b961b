"""What the live adapters share (booktracker/live_tabs.py): the one private
Reflex API the app uses, and the tab registry's notes and limits, in this
process and in Redis (the sets themselves are tested through their users:
tests/test_live_feed.py, tests/test_live_reactions.py, tests/test_live_notifications.py)."""

import asyncio
import logging
import time
import uuid

import pytest
import redis

from booktracker import live_tabs
from booktracker.live_tabs import TabRegistry

REDIS_URL = "redis://127.0.0.1:6379/14"


def test_is_tab_connected_asks_reflex_for_the_tabs_socket():
    # EventNamespace._token_manager is private in Reflex 0.10.1 (no public API says
    # whether a token has a socket): if an upgrade moves or renames it, this fails.
    from booktracker.booktracker import app

    token, sid = str(uuid.uuid4()), "sid-" + str(uuid.uuid4())
    namespace = app.event_namespace
    assert namespace is not None

    async def check():
        before = await live_tabs.is_tab_connected(app, token)
        await namespace._token_manager.link_token_to_sid(token, sid)
        during = await live_tabs.is_tab_connected(app, token)
        await namespace._token_manager.disconnect_token(token, sid)
        after = await live_tabs.is_tab_connected(app, token)
        return before, during, after

    assert asyncio.run(check()) == (False, True, False)


@pytest.fixture(params=["in-process", "redis"])
def registry(request):
    """A fresh registry: in this process, or in Redis under a key prefix of its own."""
    prefix = f"test-live-tabs-{uuid.uuid4()}"
    yield TabRegistry(REDIS_URL if request.param == "redis" else "", prefix=prefix, forget_after=3600, max_per_set=2)
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)


def test_one_write_removes_adds_and_notes_and_old_entries_are_forgotten(registry, monkeypatch):
    registry.write(add=[("a", "tab-1"), ("a", "tab-2"), ("b", "tab-1")], notes={"tab:tab-1": "a b"})
    registry.write(remove=[("b", "tab-1")], add=[("a", "tab-3")])
    assert registry.members("a") == ["tab-2", "tab-3"]  # at most two per set: the most recent
    assert registry.members("b") == [] and registry.note("tab:tab-1") == "a b" and registry.note("tab:x") is None
    later = time.time() + 3600 + 60
    monkeypatch.setattr(time, "time", lambda: later)
    registry.add("c", "tab-4")
    assert registry.members("a") == [] and registry.members("c") == ["tab-4"]
    ttl = int(redis.Redis.from_url(REDIS_URL).ttl(registry.key("tab:tab-1")))  # pyright: ignore[reportArgumentType]
    assert registry.note("tab:tab-1") is None or 0 < ttl <= 3600  # in Redis, the key expires by itself


def test_in_redis_the_set_without_a_name_is_the_prefix_itself():
    prefix = f"test-live-tabs-{uuid.uuid4()}"
    client = redis.Redis.from_url(REDIS_URL)
    try:
        TabRegistry(REDIS_URL, prefix=prefix, forget_after=60).add("", "tab-1")
        assert client.zrange(prefix, 0, -1) == [b"tab-1"] and 0 < int(client.ttl(prefix)) <= 60  # pyright: ignore[reportArgumentType]
    finally:
        client.delete(prefix)


def test_a_tab_that_fails_is_logged_and_the_others_are_still_told(monkeypatch, caplog):
    from reflex.istate.manager.memory import StateManagerMemory

    from booktracker.booktracker import app
    from booktracker.pages.feed import FeedState

    monkeypatch.setattr(app, "_state_manager", StateManagerMemory())

    async def is_tab_connected(_app, token):
        return token != "closed"

    monkeypatch.setattr(live_tabs, "is_tab_connected", is_tab_connected)
    fan_out, changed = live_tabs.FanOut(), []
    fan_out.app = app

    def change(feed) -> None:
        changed.append(feed)
        if len(changed) == 2:  # the third tab, "broken" ("closed" has no socket)
            raise ValueError("a state that cannot take it")

    tabs = [(token, FeedState) for token in ("one", "closed", "broken", "two")]
    with caplog.at_level(logging.ERROR, logger="booktracker.live_tabs"):
        told = asyncio.run(fan_out.tell(tabs, change, about="a test"))
    assert (told, len(changed)) == (2, 3)
    assert "could not tell tab broken about a test" in caplog.text
    assert asyncio.run(live_tabs.FanOut().tell(tabs, change, about="nothing")) == 0  # not installed: nobody
