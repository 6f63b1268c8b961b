"""The live feed: which tabs have the feed open (in this process, and in
Redis for several workers), and the adapter the app installs that tells them
about new public posts."""

import ast
import asyncio
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
import reflex as rx

from booktracker import live_feed, live_tabs
from booktracker.live_feed import REGISTRY_KEY, OpenFeeds
from booktracker.services import events

REDIS_URL = "redis://127.0.0.1:6379/14"
# The Reflex app and its pages: the API and the live feed must not need them.
UI_MODULES = ("booktracker.booktracker", "booktracker.pages", "booktracker.components", "booktracker.state")


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
    later = time.time() + live_feed.FORGET_AFTER_SECONDS + 60
    monkeypatch.setattr(time, "time", lambda: later)
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


# ---------------------------------------------------------------- the adapter


@pytest.fixture
def app_and_feed(monkeypatch):
    """The real app, which installed the live feed when it was built, with
    fresh in-memory tab states and an empty registry of open feeds."""
    from reflex.istate.manager.memory import StateManagerMemory

    from booktracker.booktracker import app
    from booktracker.pages.feed import FeedState

    monkeypatch.setattr(app, "_state_manager", StateManagerMemory())
    monkeypatch.setattr(live_feed, "open_feeds", OpenFeeds())
    assert live_feed.fan_out.app is app
    monkeypatch.setattr(live_feed.fan_out, "loop", None)  # no server loop seen yet
    return app, FeedState


def connected_tabs(monkeypatch, tokens, gate: asyncio.Event | None = None):
    """Which tabs have a socket (Reflex's own answer: tests/test_live_tabs.py)."""

    async def is_tab_connected(app, token):
        if gate is not None:
            await gate.wait()
        return token in tokens

    monkeypatch.setattr(live_tabs, "is_tab_connected", is_tab_connected)


async def latest_public_id(app, feed_state, token: str) -> int:
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=feed_state)) as root:
        return (await root.get_state(feed_state)).latest_public_id


def test_the_app_installs_the_live_feed_when_it_is_built():
    from booktracker.booktracker import app
    from booktracker.pages.feed import FeedState

    assert live_feed.fan_out.app is app and live_feed._feed_state is FeedState
    assert live_feed._on_event in events._listeners
    # Each worker remembers its own server loop when it starts serving.
    assert live_feed.fan_out.remember_loop in app.get_lifespan_tasks()


def test_a_public_post_reaches_the_other_open_feeds_without_making_the_poster_wait(app_and_feed, monkeypatch):
    app, feed_state = app_and_feed
    reader, poster, closed_tab = (str(uuid.uuid4()) for _ in range(3))
    for token in (reader, poster, closed_tab):
        live_feed.feed_opened(token)
    connected_tabs(monkeypatch, {reader, poster})

    async def publish_and_look():
        events.emit(events.PostPublished(post_id=42, author_id=1, is_public=True, origin=poster))
        assert live_tabs.in_flight  # scheduled, not done: emit returned at once
        await live_tabs.all_finished()
        events.emit(events.PostPublished(post_id=43, author_id=1, is_public=False, origin=poster))
        assert not live_tabs.in_flight  # a private post tells nobody
        return [await latest_public_id(app, feed_state, token) for token in (reader, poster, closed_tab)]

    assert asyncio.run(publish_and_look()) == [42, 0, 0]  # not the poster's own tab, not a closed one


def test_publishing_through_the_posts_service_tells_open_feeds(app_and_feed, monkeypatch, session):
    # The whole path: the service commits and emits, the installed adapter fans out.
    from booktracker.services import auth, posts

    app, feed_state = app_and_feed
    reader, poster = str(uuid.uuid4()), str(uuid.uuid4())
    for token in (reader, poster):
        live_feed.feed_opened(token)
    connected_tabs(monkeypatch, {reader, poster})
    ann = auth.signup(session=session, email="ann@example.com", name="Ann", password="password 123")

    async def post_and_look():
        view = posts.publish(session=session, user_id=ann.id, data=posts.PostInput(text="Hello"), origin=poster)
        await live_tabs.all_finished()
        return view.id, await latest_public_id(app, feed_state, reader), await latest_public_id(app, feed_state, poster)

    post_id, seen_by_reader, seen_by_poster = asyncio.run(post_and_look())
    assert (seen_by_reader, seen_by_poster) == (post_id, 0)


def test_a_post_from_a_worker_thread_is_handed_to_the_server_loop(app_and_feed, monkeypatch):
    # A sync FastAPI route runs in a worker thread, where no loop runs.
    app, feed_state = app_and_feed
    reader = str(uuid.uuid4())
    live_feed.feed_opened(reader)

    async def serve():
        live_feed.fan_out.remember_loop()  # what the lifespan task does when the worker starts
        gate = asyncio.Event()
        connected_tabs(monkeypatch, {reader}, gate)
        event = events.PostPublished(post_id=7, author_id=1, is_public=True)
        await asyncio.wait_for(asyncio.to_thread(events.emit, event), timeout=5)  # returns while the fan-out waits
        assert await latest_public_id(app, feed_state, reader) == 0
        gate.set()
        await live_tabs.all_finished()
        return await latest_public_id(app, feed_state, reader)

    assert asyncio.run(serve()) == 7


def test_without_a_server_loop_a_post_tells_nobody_and_never_fails(app_and_feed):
    # A script or the backup tool: no loop ran here, so there is no tab to tell.
    live_feed.feed_opened("some-tab")
    events.emit(events.PostPublished(post_id=1, author_id=1, is_public=True))
    assert not live_tabs.in_flight


def test_the_json_api_and_the_live_feed_depend_on_no_page():
    # live_feed used to import the app (and so every page) inside announce():
    # api -> live_feed -> booktracker.booktracker -> pages -> ... -> live_feed.
    for module in (live_feed, live_tabs):
        tree = ast.parse(Path(str(module.__file__)).read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not {name for name in imported if name.startswith(UI_MODULES)}, imported

    script = "import sys, booktracker.api.app, booktracker.live_feed; print('\\n'.join(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    assert "booktracker.api.app" in loaded
    assert not [name for name in loaded if name.startswith(UI_MODULES)]
