"""Comments paged newest-first by cursor, one level of replies, their
notifications, privacy and deletes, over a real database."""

import datetime

import pytest
from sqlmodel import func, select

from booktracker.db import utcnow
from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Comment, Notification, NotificationKind
from booktracker.services import posts, safety
from tests.services.conftest import reader


def _post(session, user, text="hello"):
    return posts.create_post(session=session, user_id=user.id, data=posts.PostInput(text=text))


def _comments(session, post_id, user_id, count, *, parent_id=None, start=0, base=None):
    """``count`` comments a minute apart (ids and times in the same order), from a day ago."""
    base = base or utcnow() - datetime.timedelta(days=1)
    rows = [
        Comment(
            note_id=post_id,
            user_id=user_id,
            parent_id=parent_id,
            text=f"c{start + i}",
            created_at=base + datetime.timedelta(minutes=start + i),
        )
        for i in range(count)
    ]
    session.add_all(rows)
    session.commit()
    return rows


def _all_pages(session, viewer_id, post_id, **kwargs):
    pages, cursor = [], ""
    while True:
        page = posts.comment_page(session=session, viewer_id=viewer_id, post_id=post_id, cursor=cursor, **kwargs)
        pages.append(page.comments)
        cursor = page.next_cursor
        if not cursor:
            return pages


def test_newest_comments_first_and_every_earlier_one_reachable(session, ann, bob):
    mine = _post(session, ann)
    _comments(session, mine.id, bob.id, 45)
    pages = _all_pages(session, ann.id, mine.id)
    assert [len(p) for p in pages] == [20, 20, 5]
    assert [c.text for c in pages[0]] == [f"c{i}" for i in range(25, 45)]  # the latest, read oldest to newest
    assert [c.text for c in pages[1]] == [f"c{i}" for i in range(5, 25)]
    assert sorted(c.text for p in pages for c in p) == sorted(f"c{i}" for i in range(45))
    # Existing callers: the first page.
    assert [c.text for c in posts.list_comments(session=session, viewer_id=ann.id, post_id=mine.id)] == [
        f"c{i}" for i in range(25, 45)
    ]
    with pytest.raises(InvalidInput) as caught:
        posts.comment_page(session=session, viewer_id=ann.id, post_id=mine.id, cursor="nonsense")
    assert caught.value.field == "cursor"


def test_one_level_of_replies_shown_under_their_comment_then_paged(session, ann, bob):
    carl = reader(session, "Carl")
    mine = _post(session, ann)
    top = posts.add_comment(session=session, user_id=bob.id, post_id=mine.id, text="top")
    reply = posts.add_comment(session=session, user_id=carl.id, post_id=mine.id, text="re", parent_id=top.id)
    # A reply to a reply joins the top-level comment's thread.
    deeper = posts.add_comment(session=session, user_id=ann.id, post_id=mine.id, text="re re", parent_id=reply.id)
    assert reply.parent_id == top.id and deeper.parent_id == top.id
    _comments(session, mine.id, bob.id, 30, parent_id=top.id, start=100, base=utcnow())  # later replies
    later = posts.add_comment(session=session, user_id=carl.id, post_id=mine.id, text="another top")

    first = posts.comment_page(session=session, viewer_id=ann.id, post_id=mine.id).comments
    assert [(c.text, c.parent_id) for c in first] == [
        ("top", 0),
        ("re", top.id),
        ("re re", top.id),
        ("c100", top.id),
        ("another top", 0),
    ]
    assert first[0].reply_count == 32 and first[3].more_replies == 29 and later.reply_count == 0

    # "Show 29 more replies": the replies after the last one shown, a page at a time.
    shown, cursor = [c.text for c in first[1:4]], posts.reply_cursor(first[3])
    while cursor:
        page = posts.comment_page(session=session, viewer_id=ann.id, post_id=mine.id, parent_id=top.id, cursor=cursor)
        shown += [c.text for c in page.comments]
        cursor = page.next_cursor
    assert shown == ["re", "re re"] + [f"c{i}" for i in range(100, 130)]

    other = _post(session, bob, "another post")
    with pytest.raises(NotFound):  # a comment of another post is no parent here
        posts.add_comment(session=session, user_id=bob.id, post_id=other.id, text="x", parent_id=top.id)


def test_a_page_costs_the_same_for_5_and_500_comments(session, ann, bob, count_statements):
    small, big = _post(session, ann, "small"), _post(session, ann, "big")
    for target, count in ((small, 5), (big, 500)):
        tops = _comments(session, target.id, bob.id, count)
        _comments(session, target.id, ann.id, count, parent_id=tops[-1].id, start=count)
    costs = []
    for target in (small, big):
        with count_statements() as counter:
            page = posts.comment_page(session=session, viewer_id=ann.id, post_id=target.id)
        costs.append(counter.count)
        with count_statements() as counter:
            posts.comment_page(session=session, viewer_id=ann.id, post_id=target.id, cursor=page.next_cursor or "")
        costs.append(counter.count)
        with count_statements() as counter:
            posts.comment_page(session=session, viewer_id=ann.id, post_id=target.id, parent_id=page.comments[-4].id)
        costs.append(counter.count)
    assert costs == [2] * 6  # the post's visibility, then the page


def test_a_reply_tells_the_replied_to_reader_and_the_posts_author(session, ann, bob):
    carl = reader(session, "Carl")
    mine = _post(session, ann)
    top = posts.add_comment(session=session, user_id=bob.id, post_id=mine.id, text="top")
    reply = posts.add_comment(session=session, user_id=carl.id, post_id=mine.id, text="re", parent_id=top.id)
    kinds = session.exec(
        select(Notification.user_id, Notification.kind).where(Notification.comment_id == reply.id)
    ).all()
    assert sorted(kinds) == sorted([(bob.id, NotificationKind.REPLY.value), (ann.id, NotificationKind.COMMENT.value)])
    # Replying to the post's author: one notification, the reply.
    own = posts.add_comment(session=session, user_id=ann.id, post_id=mine.id, text="mine")
    back = posts.add_comment(session=session, user_id=bob.id, post_id=mine.id, text="yes", parent_id=own.id)
    kinds = session.exec(select(Notification.user_id, Notification.kind).where(Notification.comment_id == back.id))
    assert list(kinds) == [(ann.id, NotificationKind.REPLY.value)]


def test_replies_obey_blocks_and_mutes(session, ann, bob):
    carl = reader(session, "Carl")
    mine = _post(session, ann)
    top = posts.add_comment(session=session, user_id=bob.id, post_id=mine.id, text="top")
    posts.add_comment(session=session, user_id=carl.id, post_id=mine.id, text="by carl", parent_id=top.id)
    posts.add_comment(session=session, user_id=ann.id, post_id=mine.id, text="by ann", parent_id=top.id)
    safety.mute(session=session, user_id=ann.id, username=carl.username)
    page = posts.comment_page(session=session, viewer_id=ann.id, post_id=mine.id).comments
    assert [c.text for c in page] == ["top", "by ann"] and page[0].reply_count == 1
    replies = posts.comment_page(session=session, viewer_id=ann.id, post_id=mine.id, parent_id=top.id).comments
    assert [c.text for c in replies] == ["by ann"]
    # Carl blocks Bob: Bob's comment and the replies under it are gone for Carl, who cannot answer it.
    safety.block(session=session, user_id=carl.id, username=bob.username)
    assert posts.comment_page(session=session, viewer_id=carl.id, post_id=mine.id).comments == []
    assert posts.comment_page(session=session, viewer_id=carl.id, post_id=mine.id, parent_id=top.id).comments == []
    with pytest.raises(NotFound):
        posts.add_comment(session=session, user_id=carl.id, post_id=mine.id, text="x", parent_id=top.id)


def test_deleting_a_comment_deletes_its_replies_and_the_count_follows(session, ann, bob):
    mine = _post(session, ann)
    top = posts.add_comment(session=session, user_id=bob.id, post_id=mine.id, text="top")
    for n in range(3):
        posts.add_comment(session=session, user_id=ann.id, post_id=mine.id, text=f"re {n}", parent_id=top.id)
    posts.add_comment(session=session, user_id=ann.id, post_id=mine.id, text="stays")
    assert posts.get_post(session=session, viewer_id=ann.id, post_id=mine.id).comment_count == 5
    posts.delete_comment(session=session, user_id=bob.id, comment_id=top.id)
    session.expire_all()
    assert session.exec(select(func.count()).select_from(Comment).where(Comment.note_id == mine.id)).one() == 1
    assert posts.get_post(session=session, viewer_id=ann.id, post_id=mine.id).comment_count == 1
    assert [c.text for c in posts.list_comments(session=session, viewer_id=ann.id, post_id=mine.id)] == ["stays"]
