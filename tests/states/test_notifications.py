"""The notifications page state (/notifications) and the unread badge in the navigation."""

import asyncio

from booktracker import live_notifications, push
from booktracker.services import events, notifications, posts, social
from tests.states.helpers import make_reader, new_session, open_settings, redirects, route, run, sub, toasts


def _page(root):
    from booktracker.pages.notifications import NotificationsState

    route(root, "/notifications")
    return sub(root, NotificationsState)


def _badge(root):
    from booktracker.components.notification_badge import NotificationBadgeState

    return sub(root, NotificationBadgeState)


def _ann_id(root) -> int:
    return _badge(root).current_user_id()


def _liked_posts(ann_id: int, likers, count: int = 1) -> list[int]:
    ids = []
    with new_session() as session:
        for n in range(count):
            post = posts.create_post(session=session, user_id=ann_id, data=posts.PostInput(text=f"post {n}"))
            ids.append(post.id)
            for liker in likers:
                posts.like(session=session, user_id=liker.id, post_id=post.id)
    return ids


def test_needs_a_login_but_the_badge_never_redirects(root):
    state = _page(root)
    assert redirects(state.load()) == ["/login?next=/notifications"]
    badge = _badge(root)
    assert redirects(badge.load_badge()) == [] and badge.unread == 0


def test_the_page_lists_groups_links_and_marks_read(signed_up, count_statements):
    bob, cid = make_reader("Bob"), make_reader("Cid")
    ann_id = _ann_id(signed_up)
    [post_id] = _liked_posts(ann_id, [bob, cid])
    with new_session() as session:
        social.follow(session=session, user_id=bob.id, username="ann")
    push.wait_idle()  # web pushes of those notifications read their subscriptions in a thread (booktracker/push.py)
    badge = _badge(signed_up)
    with count_statements() as counter:
        badge.load_badge()
    assert badge.unread == 3 and counter.count == 2  # the token check, the count
    state = _page(signed_up)
    with count_statements() as counter:
        state.load()
    assert counter.count == 2  # the token check, the page
    assert [(i.text, i.href) for i in state.items] == [
        ("Bob followed you", "/u/bob"),
        ("Cid and Bob liked your post", "/u/ann"),
    ]
    assert state.items[1].post_id == post_id and state.next_cursor == ""
    assert state.items[1].ids == [] and len(state._ids[1]) == 2  # the ids stay on the server
    run(state.mark_item_read(1))
    assert not state.items[1].unread and state.items[0].unread and badge.unread == 1
    run(state.mark_item_read(1))  # already read: nothing changes
    run(state.mark_item_read(99))
    assert badge.unread == 1
    run(state.mark_all_read())
    assert badge.unread == 0 and not any(i.unread for i in state.items)
    with new_session() as session:
        assert notifications.unread_count(session=session, user_id=ann_id) == 0


def test_older_and_newer_pages(signed_up):
    bob = make_reader("Bob")
    ann_id = _ann_id(signed_up)
    post_ids = _liked_posts(ann_id, [bob], count=notifications.PAGE_SIZE + 3)
    state = _page(signed_up)
    state.load()
    assert len(state.items) == notifications.PAGE_SIZE and state.next_cursor
    assert state.items[0].post_id == post_ids[-1]
    state.older()
    assert [i.post_id for i in state.items] == post_ids[2::-1] and state.next_cursor == ""
    state.older()  # the last page: stays
    assert len(state.items) == 3
    state.newer()
    assert len(state.items) == notifications.PAGE_SIZE and state.cursor == ""
    state.newer()  # the first page: stays
    assert state.items[0].post_id == post_ids[-1]


def test_an_empty_list(signed_up):
    state = _page(signed_up)
    state.load()
    assert state.items == [] and state.loaded


def test_a_live_notice_adds_to_the_badge_of_its_reader_only(signed_up):
    badge = _badge(signed_up)
    badge.load_badge()
    ann_id = _ann_id(signed_up)
    badge._add_unread(ann_id, 2)
    badge._add_unread(ann_id + 1, 5)  # another reader's notice (this tab signed in as someone else)
    assert badge.unread == 2


def test_badge_tabs_are_recorded_per_reader_and_bounded():
    tabs = live_notifications.BadgeTabs()
    for n in range(live_notifications.MAX_TABS_PER_READER + 3):
        tabs.add(1, f"tab{n}")
    tabs.add(2, "other")
    assert len(tabs.tokens(1)) == live_notifications.MAX_TABS_PER_READER
    assert "tab0" not in tabs.tokens(1) and tabs.tokens(2) == ["other"] and tabs.tokens(3) == []


def test_without_the_app_nothing_is_told():
    event = events.NotificationsCreated(user_ids=(1,), kinds=("like",))
    assert asyncio.run(live_notifications.tell_recipients(event)) == 0


def test_settings_switches_per_kind_and_the_digest(signed_up):
    from booktracker.pages.account_notifications import NotificationSettingsState

    open_settings(signed_up)
    state = sub(signed_up, NotificationSettingsState)
    assert all(k.on for k in state.kinds) and not state.digest_email
    state.set_kind("like", False)
    assert {k.kind: k.on for k in state.kinds}["like"] is False
    assert [level for level, _ in toasts(state.set_kind("nope", False))] == ["error"]
    assert toasts(state.set_digest(True)) == [("success", "Daily email digest on.")]
    open_settings(signed_up)
    assert state.digest_email and {k.kind: k.on for k in state.kinds}["like"] is False


def test_settings_need_a_login(root):
    from booktracker.pages.account_notifications import NotificationSettingsState

    route(root, "/settings")
    state = sub(root, NotificationSettingsState)
    assert redirects(state.set_digest(True)) == ["/login?next=/settings"]


def test_where_each_kind_leads():
    from booktracker.pages.notifications import _href
    from booktracker.services.notifications import NotificationView

    base = NotificationView(
        ids=[1], kind="like", unread=True, text="", actor_count=1, actor_username="bob", actor_name="Bob",
        actor_initials="B", actor_avatar_url="", post_id=5, post_author_username="ann", snippet="",
        circle_id=0, circle_name="", created_at="",
    )  # fmt: skip
    assert _href(base) == "/u/ann"
    assert _href(base.model_copy(update={"post_circle_id": 7})) == "/circles/7"
    assert _href(base.model_copy(update={"kind": "follow", "post_id": 0, "post_author_username": ""})) == "/u/bob"
    assert _href(base.model_copy(update={"kind": "follow-request"})) == "/settings"
    assert _href(base.model_copy(update={"kind": "circle-request", "circle_id": 3})) == "/circles/3/members"
    assert _href(base.model_copy(update={"kind": "circle-approved", "circle_id": 3})) == "/circles/3"


def test_a_line_about_an_arabic_name_reads_left_to_right():
    # Issue 15 (RTL): dir="auto" on "ياسمين … liked your post" made the whole English line right-to-left.
    import reflex as rx
    from reflex.vars.object import ObjectVar

    from booktracker.pages.notifications import NotificationRow, _item_card

    rendered = str(_item_card(rx.Var("item").to(ObjectVar, NotificationRow)))
    sentence = rendered[: rendered.index('item?.["text"]')].rsplit("jsx(", 1)[1]
    assert 'dir:"ltr"' in sentence and 'dir:"auto"' not in sentence
    assert 'dir:"auto"' in rendered  # the post's snippet keeps its own direction
