"""The post list (components/post_list.py PostListMixin), through the feed
state: pages of posts bounded in the state, likes, comments, edits and
deletes of one's own posts, refusals of anyone else's, and a logged-out
visitor sent to log in."""

from booktracker.components.post_list import MAX_POSTS_IN_STATE
from booktracker.services import auth, posts
from tests.states.helpers import (
    events,
    first_card_comments,
    first_card_likes,
    make_reader,
    new_session,
    redirects,
    route,
    run,
    sub,
    toasts,
)


def _feed(root):
    from booktracker.pages.feed import FeedState

    return sub(root, FeedState)


def _post(user_id: int, text: str, *, public: bool = True) -> posts.PostView:
    with new_session() as session:
        return posts.create_post(session=session, user_id=user_id, data=posts.PostInput(text=text, is_public=public))


def test_post_handlers_refuse_other_readers_posts(signed_up):
    from booktracker.pages.feed import FeedState

    with new_session() as session:
        bob = auth.signup(session=session, email="bob@example.com", name="Bob", password="password 123")
        assert bob.id is not None
        bobs = posts.create_post(session=session, user_id=bob.id, data=posts.PostInput(text="Bob's words"))
        secret = posts.create_post(
            session=session, user_id=bob.id, data=posts.PostInput(text="hidden", is_public=False)
        )
        comment = posts.add_comment(session=session, user_id=bob.id, post_id=bobs.id, text="Bob's comment")
    state = sub(signed_up, FeedState)
    state.load()
    assert [p.text for p in state.posts] == ["Bob's words"]  # never the private one
    assert not state.posts[0].is_mine

    state.deleting_id = bobs.id
    assert events(state.confirm_delete())[0][0] == "client_call"  # refused: error toast
    state.editing_id = bobs.id
    assert events(state.save_edit({"text": "hacked", "quote": "", "is_public": "on"}))[0][0] == "client_call"
    state.open_comments_id = bobs.id
    assert events(state.delete_comment(comment.id))[0][0] == "client_call"
    state.posts = [state.posts[0].model_copy(update={"id": secret.id})]  # a forged id
    list(state.toggle_like(secret.id))
    assert first_card_likes(state) == (0, False)  # reverted
    with new_session() as session:
        assert posts.get_post(session=session, viewer_id=bob.id, post_id=bobs.id).text == "Bob's words"
        assert posts.get_post(session=session, viewer_id=bob.id, post_id=secret.id).like_count == 0
        assert [c.text for c in posts.list_comments(session=session, viewer_id=bob.id, post_id=bobs.id)] == [
            "Bob's comment"
        ]


def test_the_list_holds_a_page_at_a_time_and_never_more_than_its_cap(signed_up):
    bob = make_reader("Bob")
    assert bob.id is not None
    total = MAX_POSTS_IN_STATE + posts.FEED_PAGE // 2
    with new_session() as session:
        for n in range(total):
            posts.create_post(session=session, user_id=bob.id, data=posts.PostInput(text=f"post {n:03}"))
    state = _feed(signed_up)
    state.load()
    assert len(state.posts) == posts.FEED_PAGE and state.next_cursor
    assert state.posts[0].text == f"post {total - 1:03}"  # newest first
    newest = state.posts[0].id
    run(state.toggle_like(newest))
    seen = {p.id for p in state.posts}
    while state.next_cursor:
        assert state.numbers[newest].like_count == 1  # kept while its card is listed
        state.load_more()
        assert len(state.posts) <= MAX_POSTS_IN_STATE
        seen |= {p.id for p in state.posts}
    assert len(seen) == total  # every post was listed once on the way
    assert len(state.posts) == MAX_POSTS_IN_STATE
    assert state.posts[-1].text == "post 000"  # the oldest ones are kept, the top fell out
    assert newest not in state.numbers  # and its numbers with it
    assert len({p.id for p in state.posts}) == len(state.posts)
    state.load_more()  # nothing more: a no-op
    assert len(state.posts) == MAX_POSTS_IN_STATE


def test_likes_comments_edit_and_delete_of_ones_own_post(signed_up):
    state = _feed(signed_up)
    mine = _post(state.current_user_id(), "My first thoughts")
    state.load()
    assert [(p.id, p.is_mine) for p in state.posts] == [(mine.id, True)]

    run(state.toggle_like(mine.id))
    assert first_card_likes(state) == (1, True)
    assert state.posts[0].like_count == 0 and state.numbers[mine.id].like_count == 1  # the list is not re-sent
    state.load()  # a fresh list carries the latest numbers itself
    assert state.numbers == {} and (state.posts[0].like_count, state.posts[0].liked_by_me) == (1, True)
    run(state.toggle_like(mine.id))
    assert first_card_likes(state) == (0, False)

    state.toggle_comments(mine.id)
    assert state.open_comments_id == mine.id and state.comments == []
    assert state.add_comment({"text": "   "}) is None  # refused beside the form
    assert state.comment_error and state.comments == [] and first_card_comments(state) == 0
    state.add_comment({"text": "Nice"})
    assert state.comment_error == "" and [c.text for c in state.comments] == ["Nice"]
    assert first_card_comments(state) == 1
    state.delete_comment(state.comments[0].id)
    assert state.comments == [] and first_card_comments(state) == 0
    state.toggle_comments(mine.id)
    assert state.open_comments_id == 0

    state.start_edit(mine.id)
    assert state.editing_id == mine.id
    too_long = {"text": "x" * (posts.TEXT_MAX + 1), "quote": "", "is_public": "on"}
    assert [level for level, _ in toasts(state.save_edit(too_long))] == ["error"]
    assert state.editing_id == mine.id  # the editor stays open with what was typed
    assert toasts(state.save_edit({"text": "Second thoughts", "quote": "", "is_public": "on"})) == [
        ("success", "Post updated.")
    ]
    assert state.editing_id == 0 and state.posts[0].text == "Second thoughts"

    state.ask_delete(mine.id)
    assert toasts(state.confirm_delete()) == [("success", "Post deleted.")]
    assert state.posts == [] and state.deleting_id == 0
    with new_session() as session:
        assert posts.feed(session=session, viewer_id=None, tab="everyone", cursor="").posts == []


def test_a_logged_out_visitor_sees_anonymised_posts_and_is_sent_to_log_in(root):
    bob = make_reader("Bob")
    assert bob.id is not None
    public = _post(bob.id, "Out loud")
    _post(bob.id, "To myself", public=False)
    state = _feed(root)
    route(root, "/")
    state.load()
    assert [(p.text, p.author_name, p.author_username) for p in state.posts] == [("Out loud", posts.ANONYMOUS_NAME, "")]
    liked = run(state.toggle_like(public.id))
    assert redirects(liked)[0].startswith("/login")
    assert first_card_likes(state) == (0, False)  # the heart went back
    assert redirects(state.toggle_comments(public.id)) == ["/login?next=/"]
    assert state.open_comments_id == 0


def test_the_list_is_pending_until_its_first_page_even_when_it_is_empty(signed_up):
    """ "No posts yet" only once a page came back empty: before it, the page shows its pending view."""
    state = _feed(signed_up)
    assert not state.posts_loaded
    state.load()
    assert state.posts == [] and state.posts_loaded
