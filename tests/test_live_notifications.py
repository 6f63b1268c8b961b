"""The live badge (booktracker/live_notifications.py): a notification reaches the
recipient's connected tabs after the action's commit, and only theirs."""

import asyncio
import uuid

import pytest
import redis
import reflex as rx

from booktracker import live_notifications, live_tabs
from booktracker.live_notifications import KEY_PREFIX, BadgeTabs
from booktracker.services import events

REDIS_URL = "redis://127.0.0.1:6379/14"


def test_redis_tabs_are_shared_between_workers_per_reader():
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(f"{KEY_PREFIX}:1", f"{KEY_PREFIX}:2")
    try:
        one, two = BadgeTabs(REDIS_URL), BadgeTabs(REDIS_URL)
        one.add(1, "tab-a")
        two.add(1, "tab-b")
        two.add(2, "tab-c")
        assert sorted(one.tokens(1)) == ["tab-a", "tab-b"] and one.tokens(2) == ["tab-c"]
        assert 0 < client.ttl(f"{KEY_PREFIX}:1") <= live_notifications.FORGET_AFTER_SECONDS
    finally:
        client.delete(f"{KEY_PREFIX}:1", f"{KEY_PREFIX}:2")


@pytest.fixture
def app_and_badge(monkeypatch):
    from reflex.istate.manager.memory import StateManagerMemory

    from booktracker.booktracker import app
    from booktracker.components.notification_badge import NotificationBadgeState

    monkeypatch.setattr(app, "_state_manager", StateManagerMemory())
    monkeypatch.setattr(live_notifications, "badge_tabs", BadgeTabs())
    fan_out = live_notifications.fan_out
    assert fan_out.app is app and live_notifications._badge_state is NotificationBadgeState
    assert live_notifications._on_event in events._listeners
    assert fan_out.remember_loop in app.get_lifespan_tasks()
    monkeypatch.setattr(fan_out, "loop", None)
    return app, NotificationBadgeState


async def _badge(app, state, token, *, reader_id=None) -> int:
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=state)) as root:
        badge = await root.get_state(state)
        if reader_id is not None:
            badge._reader_id = reader_id  # what load_badge records
        return badge.unread


def test_a_like_raises_the_recipients_connected_badges_only(app_and_badge, monkeypatch, session):
    from booktracker.services import auth, posts

    app, state = app_and_badge
    ann = auth.signup(session=session, email="ann@example.com", name="Ann", password="password 123")
    bob = auth.signup(session=session, email="bob@example.com", name="Bob", password="password 123")
    anns_tab, anns_closed_tab, bobs_tab = (str(uuid.uuid4()) for _ in range(3))
    live_notifications.badge_shown(ann.id, anns_tab)
    live_notifications.badge_shown(ann.id, anns_closed_tab)
    live_notifications.badge_shown(bob.id, bobs_tab)

    async def is_tab_connected(_app, token):
        return token != anns_closed_tab

    monkeypatch.setattr(live_tabs, "is_tab_connected", is_tab_connected)

    async def like_and_look():
        for token, reader in ((anns_tab, ann.id), (anns_closed_tab, ann.id), (bobs_tab, bob.id)):
            await _badge(app, state, token, reader_id=reader)
        post = posts.create_post(session=session, user_id=ann.id, data=posts.PostInput(text="hi"))
        posts.like(session=session, user_id=bob.id, post_id=post.id)
        await live_tabs.all_finished()
        return [await _badge(app, state, token) for token in (anns_tab, anns_closed_tab, bobs_tab)]

    assert asyncio.run(like_and_look()) == [1, 0, 0]


def test_a_notice_for_another_reader_of_the_same_tab_is_ignored(app_and_badge, monkeypatch):
    app, state = app_and_badge
    tab = str(uuid.uuid4())
    live_notifications.badge_shown(7, tab)

    async def is_tab_connected(_app, token):
        return True

    monkeypatch.setattr(live_tabs, "is_tab_connected", is_tab_connected)

    async def notify_and_look():
        await _badge(app, state, tab, reader_id=8)  # the tab signed in as someone else since
        told = await live_notifications.tell_recipients(
            events.NotificationsCreated(user_ids=(7, 7), kinds=("like",) * 2)
        )
        return told, await _badge(app, state, tab)

    assert asyncio.run(notify_and_look()) == (1, 0)
