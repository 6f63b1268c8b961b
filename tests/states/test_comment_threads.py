"""The comments panel of the post list (components/comment_thread.py), through the
feed state: the newest comments first with "Show earlier comments", replies
under their comment with "Show N more replies", replying, deleting a thread."""

import datetime

from booktracker.db import utcnow
from booktracker.models import Comment
from booktracker.services import posts
from tests.states.helpers import first_card_comments, make_reader, new_session, sub


def _feed(root):
    from booktracker.pages.feed import FeedState

    return sub(root, FeedState)


def _seed(post_author_id: int, commenter_id: int, tops: int, replies: int) -> list[int]:
    """``tops`` comments a minute apart; ``replies`` replies to the newest one."""
    base = utcnow() - datetime.timedelta(days=1)
    with new_session() as session:
        post = posts.create_post(session=session, user_id=post_author_id, data=posts.PostInput(text="a post"))
        rows = [
            Comment(
                note_id=post.id, user_id=commenter_id, text=f"c{n}", created_at=base + datetime.timedelta(minutes=n)
            )
            for n in range(tops)
        ]
        session.add_all(rows)
        session.commit()
        last = rows[-1].id
        session.add_all(
            Comment(
                note_id=post.id,
                user_id=commenter_id,
                parent_id=last,
                text=f"r{n}",
                created_at=base + datetime.timedelta(hours=2, minutes=n),
            )
            for n in range(replies)
        )
        session.commit()
        return [post.id, last or 0]


def test_earlier_comments_and_more_replies_load_a_page_at_a_time(signed_up):
    bob = make_reader("Bob")
    state = _feed(signed_up)
    post_id, thread = _seed(state.current_user_id(), bob.id or 0, 25, 30)
    state.load()
    state.toggle_comments(post_id)
    texts = [c.text for c in state.comments]
    assert texts[:15] == [f"c{n}" for n in range(5, 20)] and texts[-4:] == ["c24", "r0", "r1", "r2"]
    assert state.comments_cursor and state.comments[-1].more_replies == 27

    state.load_more_replies(thread)
    assert [c.text for c in state.comments if c.parent_id] == [f"r{n}" for n in range(23)]
    assert state.comments[-1].more_replies == 7
    state.load_more_replies(thread)
    assert [c.text for c in state.comments if c.parent_id] == [f"r{n}" for n in range(30)]
    assert all(c.more_replies == 0 for c in state.comments)

    state.load_earlier_comments()
    assert [c.text for c in state.comments if not c.parent_id] == [f"c{n}" for n in range(25)]
    assert state.comments_cursor == ""


def test_a_reply_lands_under_its_comment_and_a_deleted_thread_leaves_the_count(signed_up):
    bob = make_reader("Bob")
    state = _feed(signed_up)
    post_id, thread = _seed(bob.id or 0, bob.id or 0, 2, 1)
    state.load()
    state.toggle_comments(post_id)
    assert first_card_comments(state) == 3

    reply_to = state.comments[-1]  # Bob's reply: answering it joins the thread
    state.start_reply(reply_to.id)
    assert state.replying_to_name == "Bob"
    state.add_comment({"text": "me too", "page": "", "chapter": ""})
    assert state.comment_error == "" and state.replying_to == 0
    assert [(c.text, c.parent_id) for c in state.comments][-3:] == [("c1", 0), ("r0", thread), ("me too", thread)]
    assert state.comments[1].reply_count == 2 and first_card_comments(state) == 4

    state.add_comment({"text": "a new comment", "page": "", "chapter": ""})
    assert state.comments[-1].text == "a new comment" and not state.comments[-1].parent_id

    # Bob (the post's author) may delete; here the reader deletes her own reply, then Bob the thread.
    state.delete_comment(state.comments[-2].id)
    assert state.comments[1].reply_count == 1 and first_card_comments(state) == 4
    with new_session() as session:
        posts.delete_comment(session=session, user_id=bob.id or 0, comment_id=thread)
    state.toggle_comments(post_id)
    state.toggle_comments(post_id)
    assert [c.text for c in state.comments] == ["c0", "a new comment"]
