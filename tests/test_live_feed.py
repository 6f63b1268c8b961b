"""Which tabs have the feed open: in this process, and in Redis for several workers."""

import uuid

import pytest
import redis

from booktracker import live_feed
from booktracker.live_feed import REGISTRY_KEY, OpenFeeds

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def shared_redis():
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(REGISTRY_KEY)
    yield client
    client.delete(REGISTRY_KEY)


def test_in_process_registry_keeps_each_tab_once_and_forgets_old_ones(monkeypatch):
    feeds = OpenFeeds()
    feeds.add("tab-a")
    feeds.add("tab-b")
    feeds.add("tab-a")
    assert sorted(feeds.tokens()) == ["tab-a", "tab-b"]
    later = live_feed.time.time() + live_feed.FORGET_AFTER_SECONDS + 60
    monkeypatch.setattr(live_feed.time, "time", lambda: later)
    feeds.add("tab-c")
    assert feeds.tokens() == ["tab-c"]


def test_redis_registry_is_shared_between_workers(shared_redis):
    worker_one, worker_two = OpenFeeds(REDIS_URL), OpenFeeds(REDIS_URL)
    tab = str(uuid.uuid4())
    worker_one.add(tab)
    worker_two.add("other-tab")
    assert sorted(worker_one.tokens()) == sorted([tab, "other-tab"])
    assert sorted(worker_two.tokens()) == sorted(worker_one.tokens())


def test_redis_registry_forgets_tabs_not_seen_for_hours(shared_redis):
    shared_redis.zadd(REGISTRY_KEY, {"stale-tab": 1.0})
    OpenFeeds(REDIS_URL).add("fresh-tab")
    assert OpenFeeds(REDIS_URL).tokens() == ["fresh-tab"]
