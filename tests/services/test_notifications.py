"""notify(): one statement in the caller's transaction, skipped for one's own
actions, blocks and kinds turned off; the event only after the commit."""

import pytest
from sqlmodel import select

from booktracker import routes
from booktracker.db import utcnow
from booktracker.errors import InvalidInput
from booktracker.models import Notification, NotificationKind, Post, User
from booktracker.services import events, notification_list, notifications, posts, privacy_settings, safety, social
from tests.services.conftest import reader

LIKE = NotificationKind.LIKE
UNREAD_CAP = notification_list.UNREAD_CAP


@pytest.fixture
def heard():
    """The NotificationsCreated events emitted during the test."""
    got: list[events.NotificationsCreated] = []

    def listener(event):
        if isinstance(event, events.NotificationsCreated):
            got.append(event)

    events.subscribe(listener)
    yield got
    events.unsubscribe(listener)


def stored(session) -> list[tuple[int, int, str]]:
    rows = session.exec(select(Notification).order_by(Notification.id)).all()
    return [(n.user_id, n.actor_id, n.kind) for n in rows]


def test_notify_is_one_statement_and_the_event_follows_the_commit(session, count_statements, ann, bob, heard):
    with count_statements() as counter:
        notifications.notify(session=session, kind=LIKE, user_id=ann.id, actor_id=bob.id)
    assert counter.count == 1
    assert counter.statements[0].lstrip().upper().startswith("INSERT")
    assert heard == []  # not committed yet
    session.commit()
    assert heard == [
        events.NotificationsCreated(user_ids=(ann.id,), kinds=("like",), actor_name="Bob", path="/notifications")
    ]
    assert stored(session) == [(ann.id, bob.id, "like")]
    session.commit()
    assert len(heard) == 1  # told once


def test_the_path_is_the_notifications_page():
    assert notifications.NOTIFICATIONS_PATH == routes.NOTIFICATIONS


def test_own_actions_cost_nothing(session, count_statements, ann, heard):
    with count_statements() as counter:
        notifications.notify(session=session, kind=LIKE, user_id=ann.id, actor_id=ann.id)
    session.commit()
    assert counter.count == 0 and heard == [] and stored(session) == []


def test_blocks_either_way_store_nothing(session, count_statements, ann, bob, heard):
    safety.block(session=session, user_id=ann.id, username=bob.username)
    with count_statements() as counter:
        notifications.notify(session=session, kind=LIKE, user_id=ann.id, actor_id=bob.id)
        notifications.notify(session=session, kind=LIKE, user_id=bob.id, actor_id=ann.id)
    session.commit()
    assert counter.count == 2 and heard == [] and stored(session) == []


def test_a_kind_turned_off_is_not_stored(session, ann, bob, heard):
    user = session.get(User, ann.id)
    user.notifications_off = "follow,like"
    session.add(user)
    session.commit()
    notifications.notify(session=session, kind=LIKE, user_id=ann.id, actor_id=bob.id)
    notifications.notify(session=session, kind=NotificationKind.FOLLOW_REQUEST, user_id=ann.id, actor_id=bob.id)
    notifications.notify(session=session, kind=NotificationKind.COMMENT, user_id=ann.id, actor_id=bob.id)
    session.commit()
    assert stored(session) == [(ann.id, bob.id, "follow-request"), (ann.id, bob.id, "comment")]
    assert heard[0].kinds == ("follow-request", "comment")


def test_a_rollback_tells_nobody(session, ann, bob, heard):
    notifications.notify(session=session, kind=LIKE, user_id=ann.id, actor_id=bob.id)
    session.rollback()
    session.commit()
    assert heard == [] and stored(session) == []


def test_a_rolled_back_savepoint_drops_only_its_own(session, ann, bob, heard):
    cid = reader(session, "Cid")
    notifications.notify(session=session, kind=LIKE, user_id=ann.id, actor_id=bob.id)
    with session.begin_nested():
        notifications.notify(session=session, kind=LIKE, user_id=cid.id, actor_id=bob.id)
    nested = session.begin_nested()
    notifications.notify(session=session, kind=NotificationKind.MENTION, user_id=cid.id, actor_id=bob.id)
    nested.rollback()
    assert heard == []  # releasing a savepoint is no commit
    session.commit()
    assert heard == [events.NotificationsCreated((ann.id, cid.id), ("like", "like"), "Bob", "/notifications")]
    assert stored(session) == [(ann.id, bob.id, "like"), (cid.id, bob.id, "like")]


def test_unknown_recipient_stores_nothing(session, bob, heard):
    notifications.notify(session=session, kind=LIKE, user_id=999_999, actor_id=bob.id)
    session.commit()
    assert heard == [] and stored(session) == []


# ----------------------------------------------------------------- the actions that notify


def a_post(session, user, text="hello"):
    return posts.create_post(session=session, user_id=user.id, data=posts.PostInput(text=text))


def action_statements(counter) -> list[str]:
    """The action's own statements: not those of listeners running after it in
    threads (web push reads the recipients' subscriptions, booktracker/push.py)."""
    return [s for s in counter.statements if "push_subscriptions" not in s]


def test_a_like_adds_one_statement_and_an_unlike_one_more(session, count_statements, ann, bob, heard):
    mine, hers = a_post(session, bob), a_post(session, ann)
    with count_statements() as before:  # liking one's own post notifies nobody: the cost before notifications
        posts.like(session=session, user_id=bob.id, post_id=mine.id)
    with count_statements() as counter:
        posts.like(session=session, user_id=bob.id, post_id=hers.id)
    added = action_statements(counter)
    assert len(added) == len(action_statements(before)) + 1
    assert sum(s.lstrip().startswith("INSERT INTO notifications") for s in added) == 1
    assert stored(session) == [(ann.id, bob.id, "like")]
    assert [e.kinds for e in heard] == [("like",)]
    with count_statements() as own_unlike:
        posts.unlike(session=session, user_id=bob.id, post_id=mine.id)
    with count_statements() as counter:
        posts.unlike(session=session, user_id=bob.id, post_id=hers.id)
    # Taking back the unread notification is the one statement added to an unlike.
    removed = action_statements(counter)
    assert len(removed) == len(action_statements(own_unlike)) + 1
    assert sum(s.lstrip().startswith("DELETE FROM notifications") for s in removed) == 1
    assert stored(session) == []


def test_an_unlike_keeps_a_read_notification(session, ann, bob):
    hers = a_post(session, ann)
    posts.like(session=session, user_id=bob.id, post_id=hers.id)
    notifications.mark_read(session=session, user_id=ann.id, ids=None)
    posts.unlike(session=session, user_id=bob.id, post_id=hers.id)
    assert stored(session) == [(ann.id, bob.id, "like")]


def test_liking_twice_notifies_once(session, ann, bob, heard):
    hers = a_post(session, ann)
    posts.like(session=session, user_id=bob.id, post_id=hers.id)
    posts.like(session=session, user_id=bob.id, post_id=hers.id)
    assert stored(session) == [(ann.id, bob.id, "like")] and len(heard) == 1


def test_a_comment_notifies_the_post_author_deleting_it_removes_it(session, ann, bob, heard):
    hers = a_post(session, ann)
    comment = posts.add_comment(session=session, user_id=bob.id, post_id=hers.id, text="Nice")
    assert stored(session) == [(ann.id, bob.id, "comment")]
    posts.delete_comment(session=session, user_id=bob.id, comment_id=comment.id)
    assert stored(session) == []  # the comment's notification cascades


def test_follow_and_follow_request_notify_and_unfollow_takes_it_back(session, count_statements, ann, bob, heard):
    cid = reader(session, "Cid")
    privacy_settings.set_profile_visibility(session=session, user_id=cid.id, visibility="followers")
    with count_statements() as counter:
        assert social.follow(session=session, user_id=bob.id, username=ann.username) == "following"
    assert social.follow(session=session, user_id=bob.id, username=cid.username) == "requested"
    assert stored(session) == [(ann.id, bob.id, "follow"), (cid.id, bob.id, "follow-request")]
    assert [e.kinds for e in heard] == [("follow",), ("follow-request",)]
    assert sum(s.lstrip().upper().startswith("INSERT INTO NOTIFICATIONS") for s in counter.statements) == 1
    social.unfollow(session=session, user_id=bob.id, username=ann.username)
    social.unfollow(session=session, user_id=bob.id, username=cid.username)
    assert stored(session) == []


# ----------------------------------------------------------------- the list


def test_likes_of_one_post_are_one_line_newest_actor_first(session, ann, bob):
    cid, dee, eve = (reader(session, name) for name in ("Cid", "Dee", "Eve"))
    hers, other = a_post(session, ann, "My thoughts on Dune " + "x" * 200), a_post(session, ann, "second")
    posts.like(session=session, user_id=bob.id, post_id=hers.id)
    posts.like(session=session, user_id=cid.id, post_id=hers.id)
    posts.like(session=session, user_id=cid.id, post_id=other.id)
    social.follow(session=session, user_id=dee.id, username=ann.username)
    posts.like(session=session, user_id=dee.id, post_id=hers.id)
    posts.like(session=session, user_id=eve.id, post_id=hers.id)
    items = notifications.page(session=session, user_id=ann.id).items
    assert [i.text for i in items] == [
        "Eve and 3 others liked your post",
        "Dee followed you",
        "Cid liked your post",
    ]
    top = items[0]
    assert top.unread and top.actor_username == eve.username and top.actor_initials == "E"
    assert len(top.ids) == 4 and top.post_id == hers.id and top.post_author_username == ann.username
    assert top.snippet.startswith("My thoughts on Dune") and top.snippet.endswith("…") and len(top.snippet) == 101
    assert notifications.group_text("like", "Eve", "Dee", 2) == "Eve and Dee liked your post"


def test_read_and_unread_are_separate_lines(session, ann, bob):
    cid = reader(session, "Cid")
    hers = a_post(session, ann)
    posts.like(session=session, user_id=bob.id, post_id=hers.id)
    assert notifications.unread_count(session=session, user_id=ann.id) == 1
    assert notifications.mark_read(session=session, user_id=ann.id, ids=None) == 1
    posts.like(session=session, user_id=cid.id, post_id=hers.id)
    items = notifications.page(session=session, user_id=ann.id).items
    assert [(i.text, i.unread) for i in items] == [("Cid liked your post", True), ("Bob liked your post", False)]
    assert notifications.unread_count(session=session, user_id=ann.id) == 1


def test_mark_read_by_ids_only_touches_the_readers_own(session, ann, bob):
    hers, his = a_post(session, ann), a_post(session, bob)
    posts.like(session=session, user_id=bob.id, post_id=hers.id)
    posts.like(session=session, user_id=ann.id, post_id=his.id)
    bobs = notifications.page(session=session, user_id=bob.id).items[0].ids
    assert notifications.mark_read(session=session, user_id=ann.id, ids=bobs) == 0
    assert notifications.unread_count(session=session, user_id=bob.id) == 1
    anns = notifications.page(session=session, user_id=ann.id).items[0].ids
    assert notifications.mark_read(session=session, user_id=ann.id, ids=anns) == 1
    assert notifications.unread_count(session=session, user_id=ann.id) == 0
    assert notifications.mark_read(session=session, user_id=ann.id, ids=[]) == 0


def test_blocked_later_and_suspended_actors_and_deleted_posts_drop_out(session, ann, bob):
    cid, dee = reader(session, "Cid"), reader(session, "Dee")
    hers, gone = a_post(session, ann), a_post(session, ann, "to delete")
    for actor in (bob, cid, dee):
        posts.like(session=session, user_id=actor.id, post_id=hers.id)
    posts.like(session=session, user_id=bob.id, post_id=gone.id)
    social.follow(session=session, user_id=cid.id, username=ann.username)
    safety.block(session=session, user_id=ann.id, username=bob.username)
    user = session.get(User, cid.id)
    user.suspended_at = utcnow()
    session.add(user)
    session.commit()
    posts.delete_post(session=session, user_id=ann.id, post_id=gone.id)
    items = notifications.page(session=session, user_id=ann.id).items
    assert [i.text for i in items] == ["Dee liked your post"]
    assert notifications.unread_count(session=session, user_id=ann.id) == 1


def seed(session, recipient, actors, posts_count: int) -> None:
    """``posts_count`` posts of the recipient, each liked by every actor (rows written directly)."""
    rows = [Post(user_id=recipient.id, text=f"post {n}") for n in range(posts_count)]
    session.add_all(rows)
    session.flush()
    for row in rows:
        for actor in actors:
            session.add(Notification(user_id=recipient.id, actor_id=actor.id, kind="like", post_id=row.id))
    session.commit()


@pytest.mark.parametrize("count", [10, 200])
def test_a_page_is_one_statement_and_paging_covers_every_group_once(session, count_statements, ann, bob, count):
    cid = reader(session, "Cid")
    seed(session, ann, [bob, cid], count)
    seen, cursor, pages = [], "", 0
    while True:
        with count_statements() as counter:
            result = notifications.page(session=session, user_id=ann.id, cursor=cursor, limit=20)
        assert counter.count == 1
        seen += [i.post_id for i in result.items]
        pages += 1
        cursor = result.next_cursor
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == count and pages == -(-count // 20)
    assert seen == sorted(seen, reverse=True)
    with count_statements() as counter:
        assert notifications.unread_count(session=session, user_id=ann.id) == min(2 * count, UNREAD_CAP)
    assert counter.count == 1


@pytest.mark.parametrize("cursor", ["abc", "-1", "9" * 30])
def test_a_bad_cursor_is_refused(session, ann, cursor):
    with pytest.raises(InvalidInput) as caught:
        notifications.page(session=session, user_id=ann.id, cursor=cursor)
    assert caught.value.field == "cursor"


def test_only_the_newest_window_is_listed(session, ann, bob, monkeypatch):
    monkeypatch.setattr(notification_list, "WINDOW", 5)
    seed(session, ann, [bob], 8)
    items = notifications.page(session=session, user_id=ann.id, limit=50).items
    newest = session.exec(select(Post.id).order_by(Post.id.desc()).limit(5)).all()  # type: ignore[union-attr]
    assert [i.post_id for i in items] == list(newest)
