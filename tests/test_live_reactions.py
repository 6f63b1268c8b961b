"""Live likes, comment counts and new comments on the posts a tab shows
(live_feed.py PostsOnScreen + tell_viewers, PostListMixin._apply_post_change):
the registry in this process and in Redis, and the fan-out through the real
app's ``modify_state`` to the tabs that show the post, and no other."""

import asyncio
import logging
import time
import uuid

import pytest
import redis
import reflex as rx
from reflex.istate.data import RouterData
from reflex.utils import format

from booktracker import live_feed, live_tabs
from booktracker.live_feed import PostsOnScreen
from booktracker.models import saved_id
from booktracker.services import auth, events, posts, safety
from tests.test_live_feed import connected_tabs

REDIS_URL = "redis://127.0.0.1:6379/14"
FEED, PROFILE = "state.feed_state", "state.profile_state"


# ---------------------------------------------------------------- the registry


@pytest.fixture(params=["in-process", "redis"])
def registry(request):
    """A fresh registry: in this process, or in Redis under a key prefix of its own."""
    if request.param == "in-process":
        yield PostsOnScreen()
        return
    prefix = f"test-on-screen-{uuid.uuid4()}"
    yield PostsOnScreen(REDIS_URL, prefix=prefix)
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def viewers(registry: PostsOnScreen, post_id: int) -> set[tuple[str, str]]:
    return set(registry.viewers(post_id))


def test_each_post_knows_the_tabs_that_show_it_and_a_new_list_replaces_the_old(registry):
    registry.show("tab-a", FEED, [1, 2])
    registry.show("tab-b", PROFILE, [2, 3])
    assert viewers(registry, 2) == {("tab-a", FEED), ("tab-b", PROFILE)}
    assert viewers(registry, 1) == {("tab-a", FEED)}
    # Tab a loads another list (another page, or the next page of the feed): post 1 forgets it.
    registry.show("tab-a", PROFILE, [3])
    assert viewers(registry, 1) == set() and viewers(registry, 2) == {("tab-b", PROFILE)}
    assert viewers(registry, 3) == {("tab-a", PROFILE), ("tab-b", PROFILE)}
    assert viewers(registry, 99) == set()


def test_a_tab_records_a_bounded_number_of_posts_and_a_post_a_bounded_number_of_tabs(registry, monkeypatch):
    registry.show("tab-a", FEED, list(range(1, 201)))
    recorded = [post_id for post_id in range(1, 201) if viewers(registry, post_id)]
    assert recorded == list(range(201 - live_feed.MAX_POSTS_PER_TAB, 201))  # the newest part of the list
    assert registry.tabs.max_per_set == live_feed.MAX_TABS_PER_POST
    monkeypatch.setattr(registry.tabs, "max_per_set", 3)
    for n in range(5):
        registry.show(f"tab-{n}", FEED, [500])
    assert {token for token, _ in registry.viewers(500)} == {"tab-2", "tab-3", "tab-4"}  # the most recent


def test_tabs_not_seen_for_hours_are_forgotten(registry, monkeypatch):
    registry.show("old-tab", FEED, [1])
    later = time.time() + live_feed.POSTS_FORGET_AFTER_SECONDS + 60
    monkeypatch.setattr(time, "time", lambda: later)
    registry.show("new-tab", FEED, [1])
    assert viewers(registry, 1) == {("new-tab", FEED)}


def test_in_redis_the_registry_is_shared_by_workers_and_its_keys_expire():
    prefix = f"test-on-screen-{uuid.uuid4()}"
    one, two = PostsOnScreen(REDIS_URL, prefix=prefix), PostsOnScreen(REDIS_URL, prefix=prefix)
    client = redis.Redis.from_url(REDIS_URL)
    try:
        one.show("tab-a", FEED, [7])
        two.show("tab-b", FEED, [7])
        assert set(one.viewers(7)) == set(two.viewers(7)) == {("tab-a", FEED), ("tab-b", FEED)}
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        assert len(keys) == 3  # one post, two tabs
        ttls = [int(client.ttl(key)) for key in keys]  # pyright: ignore[reportArgumentType]  (a sync client)
        assert all(0 < ttl <= live_feed.POSTS_FORGET_AFTER_SECONDS for ttl in ttls)
    finally:
        client.delete(*client.scan_iter(match=f"{prefix}:*"))


def test_recording_never_fails_the_page(monkeypatch, caplog):
    monkeypatch.setattr(live_feed, "posts_on_screen", PostsOnScreen("redis://127.0.0.1:1/0"))  # nothing listens
    with caplog.at_level(logging.WARNING, logger="booktracker.live_feed"):
        live_feed.posts_shown("tab-a", FEED, [1])
    assert "could not record the posts on screen" in caplog.text


# ---------------------------------------------------------------- the fan-out


@pytest.fixture
def live_app(monkeypatch, db):
    """The real app with fresh in-memory tab states and empty registries, and a
    spy that says which tabs the fan-out touched."""
    from reflex.istate.manager.memory import StateManagerMemory

    from booktracker.booktracker import app

    monkeypatch.setattr(app, "_state_manager", StateManagerMemory())
    monkeypatch.setattr(live_feed, "posts_on_screen", PostsOnScreen())
    monkeypatch.setattr(live_feed, "open_feeds", live_feed.OpenFeeds())
    assert live_feed.fan_out.app is app
    monkeypatch.setattr(live_feed.fan_out, "loop", None)
    # Only this adapter listens: others (web push) do their own SQL, counted in their own tests.
    monkeypatch.setattr(events, "_listeners", [live_feed._on_event])
    touched: list[str] = []
    modify_state = app.modify_state

    def spy(token, *args, **kwargs):
        touched.append(token.ident if isinstance(token, rx.BaseStateToken) else str(token))
        return modify_state(token, *args, **kwargs)

    monkeypatch.setattr(app, "modify_state", spy)
    return app, touched


def reader(session, name: str):
    user = auth.signup(session=session, email=f"{name.lower()}@example.com", name=name, password="password 123")
    return user, auth.sign_in(session=session, user=user)


async def open_tab(app, state_cls, jwt: str, *, path: str = "/", query: dict | None = None, comments_of: int = 0):
    """A browser tab: signed in with ``jwt`` (or a visitor with ""), its page loaded,
    and optionally the comments panel of one post open. Returns its token."""
    from booktracker.state import AuthState

    token = str(uuid.uuid4())
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=state_cls)) as root:
        root.router = RouterData.from_router_data({"token": token, "pathname": path, "query": query or {}})
        (await root.get_state(AuthState)).auth_token = jwt
        page = await root.get_state(state_cls)
        page.load()
        if comments_of:
            page.toggle_comments(comments_of)
    return token


def spy_on_deltas(app, monkeypatch) -> dict[str, list[tuple[dict, int]]]:
    """What the app sends each tab: the vars of each state in a delta, and its size in JSON."""
    sent: dict[str, list[tuple[dict, int]]] = {}
    emit_update = app.event_namespace.emit_update

    async def spy(update, token):
        names = {state: sorted(delta) for state, delta in update.delta.items()}
        sent.setdefault(token, []).append((names, len(format.json_dumps(update.delta))))
        return await emit_update(update=update, token=token)

    monkeypatch.setattr(app.event_namespace, "emit_update", spy)
    return sent


async def shown(app, state_cls, token: str, post_id: int):
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=state_cls)) as root:
        page = await root.get_state(state_cls)
        numbers = page.shown_numbers(post_id)  # what the card shows
        return numbers.like_count, numbers.comment_count, [c.text for c in page.comments]


def test_the_app_tells_every_post_list_about_likes_and_comments():
    from booktracker.booktracker import app
    from booktracker.components.post_list import PostListMixin
    from booktracker.pages.feed import FeedState

    def states(parent):
        for state in parent.get_substates():
            yield state
            yield from states(state)

    assert live_feed.fan_out.app is app
    assert live_feed._post_list_states[FeedState.get_full_name()] is FeedState
    # A new page that lists posts must be handed over too (booktracker/booktracker.py).
    lists = {state for state in states(rx.State) if issubclass(state, PostListMixin)}
    assert set(live_feed._post_list_states.values()) == lists


def test_a_like_reaches_only_the_tabs_showing_the_post_and_costs_them_no_sql(
    live_app, monkeypatch, session, count_statements
):
    from booktracker.pages.feed import FeedState
    from booktracker.pages.profile import ProfileState

    app, touched = live_app
    (ann, ann_jwt), (bob, bob_jwt), (cid, cid_jwt) = (reader(session, n) for n in ("Ann", "Bob", "Cid"))
    assert ann.id and bob.id and cid.id
    cids = posts.create_post(session=session, user_id=cid.id, data=posts.PostInput(text="Cid's only post"))
    anns = posts.create_post(session=session, user_id=ann.id, data=posts.PostInput(text="Ann's post"))
    # A comment Ann's card does not count (she blocked its author): the like's event counts every
    # comment, and the tabs used to re-count theirs whenever the two differed -- SQL per tab.
    dan = reader(session, "Dan")[0]
    posts.add_comment(session=session, user_id=saved_id(dan), post_id=anns.id, text="Dan was here")
    safety.block(session=session, user_id=saved_id(ann), username=dan.username)
    session.commit()

    async def scenario():
        ann_feed = await open_tab(app, FeedState, ann_jwt)
        visitor_feed = await open_tab(app, FeedState, "")
        bob_feed = await open_tab(app, FeedState, bob_jwt)  # Bob likes from here
        cid_profile = await open_tab(app, ProfileState, cid_jwt, path="/u/[username]", query={"username": cid.username})
        closed = await open_tab(app, FeedState, cid_jwt)
        connected_tabs(monkeypatch, {ann_feed, visitor_feed, bob_feed, cid_profile})
        touched.clear()
        sent = spy_on_deltas(app, monkeypatch)
        with count_statements() as counter:
            count = posts.like(session=session, user_id=saved_id(bob), post_id=anns.id, origin=bob_feed)
            before_fan_out = counter.count
            await live_tabs.all_finished()
        assert count == 1
        assert counter.count == before_fan_out, counter.statements[before_fan_out:]  # the tabs read nothing
        assert sorted(touched) == sorted([ann_feed, visitor_feed])  # not Bob's, not Cid's profile, not the closed one
        # Ann's tab is sent the post's numbers, not its list of posts again (PostListMixin.numbers).
        assert list(sent) == [ann_feed]  # a visitor's card shows no like count: nothing to send
        [(ann_delta, ann_bytes)] = sent[ann_feed]
        assert ann_delta == {FeedState.get_full_name(): ["numbers_rx_state_"]}, ann_delta
        assert ann_bytes < 200, ann_bytes  # the list was ~600 bytes a post
        return [await shown(app, FeedState, tab, anns.id) for tab in (ann_feed, visitor_feed, bob_feed, closed)]

    ann_sees, visitor_sees, bob_sees, closed_sees = asyncio.run(scenario())
    assert ann_sees == (1, 0, [])  # Dan's comment stays out of her count
    assert visitor_sees == (0, 1, [])  # visitors see no like counts
    assert bob_sees == (0, 1, [])  # the acting tab updated itself (optimistically, in its own handler)
    assert closed_sees == (0, 1, [])
    assert cids.id != anns.id


def test_a_new_comment_reaches_open_panels_as_each_reader_may_see_it(live_app, monkeypatch, session, count_statements):
    from booktracker.pages.feed import FeedState

    app, touched = live_app
    (ann, ann_jwt), (bob, _), (cid, cid_jwt), (dan, dan_jwt) = (
        reader(session, n) for n in ("Ann", "Bob", "Cid", "Dan")
    )
    assert ann.id and bob.id and cid.id and dan.id
    anns = posts.create_post(session=session, user_id=ann.id, data=posts.PostInput(text="Ann's post"))
    safety.block(session=session, user_id=cid.id, username=bob.username)  # Cid blocked Bob
    session.commit()

    async def scenario():
        ann_tab = await open_tab(app, FeedState, ann_jwt, comments_of=anns.id)
        cid_tab = await open_tab(app, FeedState, cid_jwt, comments_of=anns.id)
        dan_tab = await open_tab(app, FeedState, dan_jwt)  # the post on screen, its comments closed
        connected_tabs(monkeypatch, {ann_tab, cid_tab, dan_tab})
        touched.clear()
        with count_statements() as counter:
            comment = posts.add_comment(session=session, user_id=saved_id(bob), post_id=anns.id, text="Lovely!")
            in_service = counter.count
            await live_tabs.all_finished()
        # Per tab: the token check and the reader's count; an open panel also reads the post and the comment.
        assert counter.count - in_service == 2 + 4 + 4
        assert sorted(touched) == sorted([ann_tab, cid_tab, dan_tab])
        seen = [await shown(app, FeedState, tab, anns.id) for tab in (ann_tab, cid_tab, dan_tab)]
        posts.delete_comment(session=session, user_id=saved_id(bob), comment_id=comment.id)
        await live_tabs.all_finished()
        after_delete = [await shown(app, FeedState, tab, anns.id) for tab in (ann_tab, dan_tab)]
        return seen, after_delete

    seen, after_delete = asyncio.run(scenario())
    assert seen == [(0, 1, ["Lovely!"]), (0, 0, []), (0, 1, [])]  # Cid never gets the blocked reader's comment
    assert [counts[1] for counts in after_delete] == [0, 0]


def test_a_reply_joins_its_thread_in_an_open_panel(live_app, monkeypatch, session):
    from booktracker.pages.feed import FeedState

    app, _ = live_app
    (ann, ann_jwt), (bob, _) = reader(session, "Ann"), reader(session, "Bob")
    assert ann.id and bob.id
    anns = posts.create_post(session=session, user_id=ann.id, data=posts.PostInput(text="Ann's post"))
    first = posts.add_comment(session=session, user_id=bob.id, post_id=anns.id, text="first")
    posts.add_comment(session=session, user_id=ann.id, post_id=anns.id, text="second")

    async def scenario():
        ann_tab = await open_tab(app, FeedState, ann_jwt, comments_of=anns.id)
        connected_tabs(monkeypatch, {ann_tab})
        posts.add_comment(session=session, user_id=saved_id(bob), post_id=anns.id, text="a reply", parent_id=first.id)
        await live_tabs.all_finished()
        return await shown(app, FeedState, ann_tab, anns.id)

    assert asyncio.run(scenario()) == (0, 3, ["first", "a reply", "second"])


def test_a_broken_registry_never_fails_the_like(live_app, monkeypatch, session, caplog):
    class Broken(PostsOnScreen):
        def viewers(self, post_id: int) -> list[tuple[str, str]]:
            raise ConnectionError("redis went away")

    monkeypatch.setattr(live_feed, "posts_on_screen", Broken())
    (ann, _), (bob, _) = reader(session, "Ann"), reader(session, "Bob")
    assert ann.id and bob.id
    anns = posts.create_post(session=session, user_id=ann.id, data=posts.PostInput(text="Ann's post"))

    async def like():
        count = posts.like(session=session, user_id=saved_id(bob), post_id=anns.id)
        await live_tabs.all_finished()
        return count

    with caplog.at_level(logging.ERROR, logger="booktracker.live_feed"):
        assert asyncio.run(like()) == 1
    assert "could not read the tabs showing post" in caplog.text


def test_the_services_say_what_changed_after_the_commit(session):
    (ann, _), (bob, _) = reader(session, "Ann"), reader(session, "Bob")
    assert ann.id and bob.id
    anns = posts.create_post(session=session, user_id=ann.id, data=posts.PostInput(text="Ann's post"))
    heard: list[events.Event] = []
    events.subscribe(heard.append)
    try:
        posts.like(session=session, user_id=bob.id, post_id=anns.id, origin="tab-b")
        posts.like(session=session, user_id=bob.id, post_id=anns.id, origin="tab-b")  # no change: no news
        comment = posts.add_comment(session=session, user_id=bob.id, post_id=anns.id, text="Hi", origin="tab-b")
        posts.unlike(session=session, user_id=bob.id, post_id=anns.id)
        posts.delete_comment(session=session, user_id=ann.id, comment_id=comment.id)
    finally:
        events.unsubscribe(heard.append)
    changes = [e for e in heard if isinstance(e, events.PostChanged)]
    assert changes == [
        events.PostChanged(anns.id, 1, origin="tab-b"),
        events.PostChanged(anns.id, 1, comment_id=comment.id, origin="tab-b", comments_changed=True),
        events.PostChanged(anns.id, 0),
        events.PostChanged(anns.id, 0, comments_changed=True),
    ]


def test_the_prebuilt_live_queries_apply_the_same_rule_as_the_post_cards(session):
    # visible_comment_count and visible_comment build their privacy conditions once,
    # with the reader as a bound parameter: they must agree with the lists.
    ann, bob, cid, dan = (reader(session, n)[0] for n in ("Ann", "Bob", "Cid", "Dan"))
    assert ann.id and bob.id and cid.id and dan.id
    public = posts.create_post(session=session, user_id=ann.id, data=posts.PostInput(text="open"))
    private = posts.create_post(session=session, user_id=ann.id, data=posts.PostInput(text="mine", is_public=False))
    bobs = posts.add_comment(session=session, user_id=bob.id, post_id=public.id, text="from Bob")
    posts.add_comment(session=session, user_id=ann.id, post_id=public.id, text="from Ann")
    own = posts.add_comment(session=session, user_id=ann.id, post_id=private.id, text="a note to self")
    safety.block(session=session, user_id=cid.id, username=bob.username)
    safety.mute(session=session, user_id=dan.id, username=bob.username)
    session.commit()
    for viewer in (ann.id, bob.id, cid.id, dan.id, None):
        card = posts.get_post(session=session, viewer_id=viewer, post_id=public.id).comment_count
        assert posts.visible_comment_count(session=session, viewer_id=viewer, post_id=public.id) == card
    assert [
        posts.visible_comment(session=session, viewer_id=viewer, post_id=public.id, comment_id=bobs.id) is not None
        for viewer in (ann.id, bob.id, cid.id, dan.id)
    ] == [True, True, False, False]  # not to the reader who blocked Bob, nor to the one who muted him
    assert posts.visible_comment(session=session, viewer_id=bob.id, post_id=private.id, comment_id=own.id) is None
    mine = posts.visible_comment(session=session, viewer_id=ann.id, post_id=private.id, comment_id=own.id)
    assert mine is not None and mine.text == "a note to self" and mine.can_delete
