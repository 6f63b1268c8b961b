"""Posts, feeds, likes and comments over a real database (publishing and images: test_posts_writing.py)."""

import datetime

import pytest
from sqlmodel import func, select

from booktracker.db import utcnow
from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Comment, Like, Post
from booktracker.services import auth, library, posts, social
from booktracker.services.books import BookInput
from booktracker.services.storage import StoredImage
from tests.services.conftest import reader


@pytest.fixture
def ann(session):
    return reader(session, "Ann Lee")  # a name of two words


def post(session, user, text="hello", **kwargs):
    return posts.create_post(session=session, user_id=user.id, data=posts.PostInput(text=text, **kwargs))


def test_create_post_with_book_page_and_image(session, ann):
    entry = library.add_to_library(
        session=session, user_id=ann.id, book=BookInput(title="Dune", authors="Frank Herbert", total_pages=400)
    ).user_book
    view = posts.create_post(
        session=session,
        user_id=ann.id,
        data=posts.PostInput(
            text="Spice!", emotion="😮", quote="Fear is the mind-killer.", user_book_id=entry.id, page=12, chapter="1"
        ),
        image=StoredImage(url="", key="local:notes/abc.webp"),
    )
    assert view.book_title == "Dune" and view.page == 12 and view.emotion == "😮"
    assert view.image_path == "notes/abc.webp" and view.image_url == ""
    assert view.is_mine and view.author_initials == "AL"


@pytest.mark.parametrize(
    "data, field",
    [
        (posts.PostInput(text=""), "text"),
        (posts.PostInput(text="x" * 5001), "text"),
        (posts.PostInput(text="ok", emotion="abc"), "emotion"),
        (posts.PostInput(text="ok", emotion="😀" * 17), "emotion"),
        (posts.PostInput(text="ok", emotion="<script>"), "emotion"),
        (posts.PostInput(text="ok", page=-1), "page"),
        (posts.PostInput(text="ok", chapter="c" * 101), "chapter"),
    ],
)
def test_bad_input_is_refused_with_a_field(session, ann, data, field):
    with pytest.raises(InvalidInput) as caught:
        posts.create_post(session=session, user_id=ann.id, data=data)
    assert caught.value.field == field


@pytest.mark.parametrize(
    "emotion",
    [
        "👍",
        "👍🏽",
        "👨\u200d👩\u200d👧\u200d👦",
        "🇫🇷",
        "1️⃣",
        "❤️",
        "❤",
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    ],
)
def test_an_emotion_is_one_emoji_grapheme_cluster(session, ann, emotion):
    assert post(session, ann, emotion=f" {emotion} ").emotion == emotion


@pytest.mark.parametrize("emotion", ["😀😀", "🙂" * 16, "🇫🇷🇩🇪", "👍a", "é", "\u200b", "👍\u202e"])
def test_more_or_less_than_one_emoji_is_refused(session, ann, emotion):
    with pytest.raises(InvalidInput, match="single emoji") as caught:
        post(session, ann, emotion=emotion)
    assert caught.value.field == "emotion"


def test_bidi_controls_are_stripped_from_posts_and_comments(session, ann, bob):
    """Long text keeps the writing and loses the controls (services/text.py);
    text of invisible characters alone is no text."""
    mine = post(session, ann, text="evil\u202egnp.exe", quote="\u2067quote\u2069", chapter="\u202dOne")
    assert (mine.text, mine.quote, mine.chapter) == ("evilgnp.exe", "quote", "One")
    comment = posts.add_comment(session=session, user_id=bob.id, post_id=mine.id, text="so \u202etrue")
    assert comment.text == "so true"
    for invisible in ("\u200b\u200d", "\u3164", "\u202e"):
        with pytest.raises(InvalidInput, match="Write a comment first"):
            posts.add_comment(session=session, user_id=bob.id, post_id=mine.id, text=invisible)
        with pytest.raises(InvalidInput) as caught:
            post(session, ann, text=invisible)
        assert caught.value.field == "text"


def test_page_bounded_by_the_books_pages_and_book_must_be_mine(session, ann, bob):
    entry = library.add_to_library(
        session=session, user_id=ann.id, book=BookInput(title="Short", total_pages=50)
    ).user_book
    with pytest.raises(InvalidInput, match="at most 50"):
        post(session, ann, user_book_id=entry.id, page=51)
    with pytest.raises(NotFound):
        post(session, bob, user_book_id=entry.id)


def test_private_posts_only_for_their_author(session, ann, bob):
    secret = post(session, ann, "secret", is_public=False)
    public = post(session, ann, "public")
    assert [p.id for p in posts.feed(session=session, viewer_id=bob.id).posts] == [public.id]
    assert [p.id for p in posts.feed(session=session, viewer_id=None).posts] == [public.id]
    assert {p.id for p in posts.feed(session=session, viewer_id=ann.id).posts} == {public.id, secret.id}
    assert [p.id for p in posts.user_posts(session=session, viewer_id=bob.id, author_id=ann.id).posts] == [public.id]
    for action in (
        lambda: posts.get_post(session=session, viewer_id=bob.id, post_id=secret.id),
        lambda: posts.like(session=session, user_id=bob.id, post_id=secret.id),
        lambda: posts.add_comment(session=session, user_id=bob.id, post_id=secret.id, text="hi"),
    ):
        with pytest.raises(NotFound):
            action()
    assert social.profile(session=session, viewer_id=bob.id, username=ann.username).posts == 1
    assert social.profile(session=session, viewer_id=ann.id, username=ann.username).posts == 2


def test_logged_out_visitors_see_anonymised_posts(session, ann, bob):
    mine = post(session, ann)
    posts.like(session=session, user_id=bob.id, post_id=mine.id)
    seen = posts.feed(session=session, viewer_id=None).posts[0]
    assert seen.author_name == posts.ANONYMOUS_NAME
    assert seen.author_username == "" and seen.author_initials == ""
    assert seen.like_count == 0 and not seen.liked_by_me and not seen.is_mine
    assert posts.list_comments(session=session, viewer_id=None, post_id=mine.id) == []


def test_only_the_owner_edits_and_deletes(session, ann, bob):
    mine = post(session, ann, "first")
    with pytest.raises(NotFound):
        posts.edit_post(session=session, user_id=bob.id, post_id=mine.id, data=posts.PostInput(text="hacked"))
    with pytest.raises(NotFound):
        posts.delete_post(session=session, user_id=bob.id, post_id=mine.id)
    assert posts.get_post(session=session, viewer_id=ann.id, post_id=mine.id).text == "first"
    edited = posts.edit_post(session=session, user_id=ann.id, post_id=mine.id, data=posts.PostInput(text="second"))
    assert edited.text == "second"
    posts.like(session=session, user_id=bob.id, post_id=mine.id)
    posts.add_comment(session=session, user_id=bob.id, post_id=mine.id, text="nice")
    assert posts.delete_post(session=session, user_id=ann.id, post_id=mine.id) is None  # images: test_posts_writing
    assert session.get(Post, mine.id) is None
    assert session.exec(select(func.count()).select_from(Like)).one() == 0
    assert session.exec(select(func.count()).select_from(Comment)).one() == 0


def test_likes_are_once_per_reader(session, ann, bob):
    mine = post(session, ann)
    assert posts.like(session=session, user_id=bob.id, post_id=mine.id) == 1
    assert posts.like(session=session, user_id=bob.id, post_id=mine.id) == 1
    assert posts.like(session=session, user_id=ann.id, post_id=mine.id) == 2
    seen = posts.get_post(session=session, viewer_id=bob.id, post_id=mine.id)
    assert seen.liked_by_me and seen.like_count == 2
    assert posts.unlike(session=session, user_id=bob.id, post_id=mine.id) == 1
    assert posts.unlike(session=session, user_id=bob.id, post_id=mine.id) == 1


def test_like_count_stays_exact_when_readers_like_at_the_same_time(db, session, ann):
    from concurrent.futures import ThreadPoolExecutor

    from sqlmodel import Session

    mine = post(session, ann)
    readers = [
        auth.signup(session=session, email=f"r{i}@example.com", name=f"R {i}", password="password 123")
        for i in range(8)
    ]

    def like_then_relike(reader_id):
        with Session(db) as own:  # each reader on their own connection, as on separate workers
            posts.like(session=own, user_id=reader_id, post_id=mine.id)
            posts.like(session=own, user_id=reader_id, post_id=mine.id)  # a double click counts once

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(like_then_relike, [r.id for r in readers]))
    assert posts.get_post(session=session, viewer_id=ann.id, post_id=mine.id).like_count == 8
    for someone in readers[:3]:
        posts.unlike(session=session, user_id=someone.id, post_id=mine.id)
    assert session.exec(select(func.count()).select_from(Like).where(Like.note_id == mine.id)).one() == 5
    assert posts.get_post(session=session, viewer_id=ann.id, post_id=mine.id).like_count == 5


def test_comments_add_list_delete_rules(session, ann, bob):
    carl = reader(session, "Carl")
    mine = post(session, ann)
    by_bob = posts.add_comment(session=session, user_id=bob.id, post_id=mine.id, text="  great  ")
    by_carl = posts.add_comment(session=session, user_id=carl.id, post_id=mine.id, text="agreed")
    assert by_bob.text == "great"
    listed = posts.list_comments(session=session, viewer_id=bob.id, post_id=mine.id)
    assert [(c.text, c.can_delete) for c in listed] == [("great", True), ("agreed", False)]
    # The page offers "Report" on others' comments only.
    assert [c.is_mine for c in listed] == [True, False]
    with pytest.raises(NotFound):
        posts.delete_comment(session=session, user_id=bob.id, comment_id=by_carl.id)
    posts.delete_comment(session=session, user_id=ann.id, comment_id=by_carl.id)  # post owner may
    posts.delete_comment(session=session, user_id=bob.id, comment_id=by_bob.id)
    assert posts.get_post(session=session, viewer_id=ann.id, post_id=mine.id).comment_count == 0
    with pytest.raises(InvalidInput):
        posts.add_comment(session=session, user_id=bob.id, post_id=mine.id, text=" ")


def test_feed_pages_by_cursor_newest_first(session, ann):
    now = utcnow()
    session.add_all(
        Post(user_id=ann.id, text=f"post {i}", created_at=now - datetime.timedelta(minutes=60 - i), updated_at=now)
        for i in range(45)
    )
    session.commit()
    first = posts.feed(session=session, viewer_id=ann.id)
    second = posts.feed(session=session, viewer_id=ann.id, cursor=first.next_cursor)
    third = posts.feed(session=session, viewer_id=ann.id, cursor=second.next_cursor)
    texts = [p.text for page in (first, second, third) for p in page.posts]
    assert texts == [f"post {i}" for i in range(44, -1, -1)]
    assert len(first.posts) == 20 and third.next_cursor == ""
    with pytest.raises(InvalidInput):
        posts.feed(session=session, viewer_id=ann.id, cursor="garbage!")


def test_following_tab(session, ann, bob):
    carl = reader(session, "Carl")
    from_bob, from_carl, from_me = post(session, bob, "b"), post(session, carl, "c"), post(session, ann, "a")
    social.follow(session=session, user_id=ann.id, username="bob")
    social.follow(session=session, user_id=ann.id, username="bob")  # idempotent
    ids = [p.id for p in posts.feed(session=session, viewer_id=ann.id, tab="following").posts]
    assert ids == [from_me.id, from_bob.id] and from_carl.id not in ids


def _bulk_posts(session, authors, count):
    now = utcnow()
    session.add_all(
        Post(
            user_id=authors[i % len(authors)].id,
            text=f"p{i}",
            is_public=i % 7 != 0,
            created_at=now - datetime.timedelta(seconds=i),
            updated_at=now,
        )
        for i in range(count)
    )
    session.commit()
    note_ids = session.exec(select(Post.id)).all()
    session.add_all(Like(user_id=a.id, note_id=n) for n in note_ids[:500] for a in authors)
    session.commit()


@pytest.mark.parametrize("count", [10, 2000])
def test_feed_and_profile_cost_constant_statements(session, count_statements, ann, bob, count):
    """Feed page: 2 statements (the ids, their cards); profile page (summary + posts): 5 statements."""
    readers = [ann, bob] + [reader(session, f"R{i}") for i in range(3)]
    social.follow(session=session, user_id=ann.id, username="bob")
    _bulk_posts(session, readers, count)
    with count_statements() as counter:
        page = posts.feed(session=session, viewer_id=ann.id)
    assert counter.count == 2 and len(page.posts) == min(20, len(page.posts))
    with count_statements() as counter:
        following = posts.feed(session=session, viewer_id=ann.id, tab="following", cursor=page.next_cursor)
    assert counter.count == (2 if following.posts else 1)
    with count_statements() as counter:
        social.profile(session=session, viewer_id=ann.id, username="bob")
        posts.user_posts(session=session, viewer_id=ann.id, author_id=bob.id)
    # user lookup + counts + currently reading, then the posts page (ids, cards)
    assert counter.count == 5
