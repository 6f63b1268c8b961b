"""The spoiler shield (services/spoilers.py): the rule, and the post and comment
lists that apply it inside their own statement."""

import pytest
from sqlmodel import select

from booktracker.models import ProgressUnit, User, UserBook
from booktracker.services import library, posts, social, spoilers
from booktracker.services.books import BookInput
from tests.services.conftest import reader

DUNE = BookInput(title="Dune", authors="Frank Herbert", total_pages=400)
PAGES, PERCENT, MINUTES = ProgressUnit.PAGES.value, ProgressUnit.PERCENT.value, ProgressUnit.MINUTES.value


def at(progress, *, status="reading", unit=PAGES, pages=400, minutes=None, finished_before=False, on=True):
    return spoilers.Reading(status, progress, unit, pages, minutes, finished_before, on)


# ----------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    "current, page, chapter, own, expected",
    [
        (None, 240, "", False, False),  # not in the viewer's library
        (at(120), 240, "", True, False),  # the viewer's own post
        (at(120, on=False), 240, "", False, False),  # shield turned off
        (at(120, status="finished"), 240, "", False, False),
        (at(120, finished_before=True), 240, "", False, False),  # a re-read
        (at(120), 240, "", False, True),
        (at(120), 120, "", False, False),  # the page they are on is read
        (at(120), 12, "", False, False),
        (at(120), None, "", False, False),  # no anchor
        (at(0, status="to-read"), 5, "", False, True),  # want to read: not started
        (at(120, status="did-not-finish"), 240, "", False, True),
        (at(120, status="paused"), 100, "", False, False),
        (at(399), None, "12", False, True),  # chapter only: shielded until finished
        (at(10, status="finished"), None, "12", False, False),
        (at(120), 100, "40", False, False),  # page and chapter: the page decides
        (at(50, unit=PERCENT), 240, "", False, True),  # 50 % of 400 = p. 200
        (at(60, unit=PERCENT), 240, "", False, False),  # p. 240
        (at(90, unit=PERCENT, pages=None), 5, "", False, True),  # pages unknown: can't tell, shielded
        (at(300, unit=MINUTES, minutes=600), 240, "", False, True),  # half of 600 min = p. 200
        (at(360, unit=MINUTES, minutes=600), 240, "", False, False),
        (at(360, unit=MINUTES, minutes=None), 240, "", False, True),  # length unknown
    ],
)
def test_the_rule(current, page, chapter, own, expected):
    assert spoilers.shielded(current, page=page, chapter=chapter, own=own) is expected


@pytest.mark.parametrize(
    "current, page, chapter, message, viewer_page",
    [
        (at(120), 240, "", "You're on p. 120 — this is from p. 240.", 120),
        (at(120), 240, "9", "You're on p. 120 — this is from p. 240 (ch. 9).", 120),
        (at(0, status="to-read"), 5, "", "You haven't started it yet — this is from p. 5.", 0),
        (at(120), None, "Epilogue", "You're on p. 120 — this is from chapter Epilogue.", 120),
        (at(40, unit=PERCENT), 240, "", "You're at 40 % — this is from p. 240.", 160),
        (at(75, unit=MINUTES, minutes=600), 240, "", "You've listened to 1:15 — this is from p. 240.", 50),
        (at(40, unit=PERCENT, pages=None), 240, "", "You're at 40 % — this is from p. 240.", -1),
    ],
)
def test_the_message_says_where_the_viewer_is(current, page, chapter, message, viewer_page):
    verdict = spoilers.verdict(current, page=page, chapter=chapter, own=False)
    assert verdict.shielded and verdict.message == message and verdict.viewer_page == viewer_page


def test_not_shielded_says_nothing():
    assert spoilers.verdict(at(300), page=240, chapter="", own=False) == spoilers.NOT_SHIELDED


# ----------------------------------------------------------------- in the post lists


@pytest.fixture
def ann(session):
    return reader(session, "Ann")


@pytest.fixture
def bob(session):
    return reader(session, "Bob")


def add(session, user, book=DUNE, status="reading"):
    return library.add_to_library(session=session, user_id=user.id, book=book, status=status).user_book


def quote_at(session, user, page=240, chapter="", **kwargs):
    entry = add(session, user)
    data = posts.PostInput(quote="He who controls the spice…", user_book_id=entry.id, page=page, chapter=chapter)
    for key, value in kwargs.items():
        setattr(data, key, value)
    return posts.create_post(session=session, user_id=user.id, data=data)


def progress(session, user, entry_id, page):
    library.update_progress(session=session, user_id=user.id, user_book_id=entry_id, current_page=page)


def test_a_quote_past_the_viewers_page_is_shielded_in_feed_profile_and_post(session, ann, bob):
    quote = quote_at(session, ann, page=240)
    entry = add(session, bob)
    progress(session, bob, entry.id, 120)
    assert quote.book_id
    for view in (
        posts.feed(session=session, viewer_id=bob.id).posts[0],
        posts.user_posts(session=session, viewer_id=bob.id, author_id=ann.id).posts[0],
        posts.get_post(session=session, viewer_id=bob.id, post_id=quote.id),
        # The public book page's posts, newest and most liked (services/book_pages.py).
        posts.book_posts(session=session, viewer_id=bob.id, book_id=quote.book_id, kind="posts").posts[0],
        posts.book_posts(session=session, viewer_id=bob.id, book_id=quote.book_id, kind="posts", sort="liked").posts[0],
    ):
        assert view.shielded and view.viewer_page == 120 and view.page == 240
        assert view.shield_message == "You're on p. 120 — this is from p. 240."
    # Its author, a visitor, and the reader once past the page see it plainly.
    assert not posts.get_post(session=session, viewer_id=ann.id, post_id=quote.id).shielded
    assert not posts.feed(session=session, viewer_id=None).posts[0].shielded
    progress(session, bob, entry.id, 240)
    assert not posts.get_post(session=session, viewer_id=bob.id, post_id=quote.id).shielded


def test_not_in_library_finished_reread_and_setting_off(session, ann, bob):
    quote = quote_at(session, ann, page=240)

    def shielded():
        return posts.get_post(session=session, viewer_id=bob.id, post_id=quote.id).shielded

    assert not shielded()  # not in Bob's library
    entry = add(session, bob, status="to-read")
    assert shielded()
    library.set_status(session=session, user_id=bob.id, user_book_id=entry.id, status="finished")
    assert not shielded()
    library.set_status(session=session, user_id=bob.id, user_book_id=entry.id, status="reading")  # a re-read
    stored = session.exec(select(UserBook).where(UserBook.id == entry.id)).one()
    assert stored.status == "reading" and not shielded()
    # Another reader, fresh to the book, with the shield turned off in settings.
    carl = reader(session, "Carl")
    add(session, carl)
    assert posts.get_post(session=session, viewer_id=carl.id, post_id=quote.id).shielded
    user = session.get(User, carl.id)
    assert user is not None
    user.spoiler_shield = False
    session.add(user)
    session.commit()
    assert not posts.get_post(session=session, viewer_id=carl.id, post_id=quote.id).shielded


def test_percent_progress_compares_in_pages(session, ann, bob):
    quote = quote_at(session, ann, page=240)
    entry = session.get(UserBook, add(session, bob).id)
    assert entry is not None
    entry.progress_unit, entry.current_page = PERCENT, 50
    session.add(entry)
    session.commit()
    view = posts.get_post(session=session, viewer_id=bob.id, post_id=quote.id)
    assert view.shielded and view.viewer_page == 200 and view.shield_message.startswith("You're at 50 %")
    entry.current_page = 60
    session.add(entry)
    session.commit()
    assert not posts.get_post(session=session, viewer_id=bob.id, post_id=quote.id).shielded


def test_chapter_only_anchor_is_shielded_until_finished(session, ann, bob):
    quote = quote_at(session, ann, page=None, chapter="12")
    entry = add(session, bob)
    progress(session, bob, entry.id, 399)
    assert posts.get_post(session=session, viewer_id=bob.id, post_id=quote.id).shielded
    library.set_status(session=session, user_id=bob.id, user_book_id=entry.id, status="finished")
    assert not posts.get_post(session=session, viewer_id=bob.id, post_id=quote.id).shielded


def test_a_post_about_no_book_or_without_anchor_is_never_shielded(session, ann, bob):
    plain = posts.create_post(session=session, user_id=ann.id, data=posts.PostInput(text="p. 240 was wild"))
    unanchored = quote_at(session, ann, page=None)
    add(session, bob)
    for post_id in (plain.id, unanchored.id):
        assert not posts.get_post(session=session, viewer_id=bob.id, post_id=post_id).shielded


def test_the_shield_costs_no_extra_statement(session, count_statements, ann, bob):
    """The viewer's copies and setting ride along in the cards' statement (ids, then cards)."""
    social.follow(session=session, user_id=bob.id, username="ann")
    for i in range(5):
        book = BookInput(title=f"Book {i}", authors="A", total_pages=300)
        entry = add(session, ann, book=book)
        posts.create_post(
            session=session, user_id=ann.id, data=posts.PostInput(text="x", user_book_id=entry.id, page=200)
        )
        if i % 2:
            add(session, bob, book=book)
    for tab in ("everyone", "following"):
        with count_statements() as counter:
            page = posts.feed(session=session, viewer_id=bob.id, tab=tab)
        assert counter.count == 2
        assert [p.shielded for p in page.posts] == [False, True, False, True, False]
    with count_statements() as counter:
        posts.user_posts(session=session, viewer_id=bob.id, author_id=ann.id)
    assert counter.count == 2


# ----------------------------------------------------------------- comments


def test_comments_anchored_past_the_viewers_page_are_shielded(session, ann, bob):
    quote = quote_at(session, ann, page=10)
    entry = add(session, bob)
    progress(session, bob, entry.id, 120)
    comment = posts.add_comment(session=session, user_id=ann.id, post_id=quote.id, text="The end!", page=390)
    assert comment.page == 390 and not comment.shielded  # Ann's own
    plain = posts.add_comment(session=session, user_id=ann.id, post_id=quote.id, text="Nice")
    chapter = posts.add_comment(session=session, user_id=ann.id, post_id=quote.id, text="Ch. 9!", chapter="9")
    views = {c.id: c for c in posts.list_comments(session=session, viewer_id=bob.id, post_id=quote.id)}
    assert views[comment.id].shielded and views[comment.id].viewer_page == 120
    assert views[comment.id].shield_message == "You're on p. 120 — this is from p. 390."
    assert not views[plain.id].shielded and views[chapter.id].shielded and views[chapter.id].chapter == "9"
    assert not any(c.shielded for c in posts.list_comments(session=session, viewer_id=ann.id, post_id=quote.id))


def test_comment_anchor_is_checked(session, ann):
    from booktracker.errors import InvalidInput

    quote = quote_at(session, ann, page=10)
    with pytest.raises(InvalidInput) as caught:
        posts.add_comment(session=session, user_id=ann.id, post_id=quote.id, text="x", page=-1)
    assert caught.value.field == "page"
    with pytest.raises(InvalidInput) as caught:
        posts.add_comment(session=session, user_id=ann.id, post_id=quote.id, text="x", chapter="c" * 101)
    assert caught.value.field == "chapter"


def test_listing_comments_with_the_shield_costs_the_same(session, count_statements, ann, bob):
    quote = quote_at(session, ann, page=10)
    add(session, bob)
    for i in range(5):
        posts.add_comment(session=session, user_id=ann.id, post_id=quote.id, text=f"c{i}", page=100 * i)
    with count_statements() as counter:
        views = posts.list_comments(session=session, viewer_id=bob.id, post_id=quote.id)
    assert [c.shielded for c in views] == [False, True, True, True, True]
    # the post check, then the page of comments
    assert counter.count == 2
