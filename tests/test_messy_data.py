"""The messy-data fixture (tests/support/messy_data.py) loads on both
databases, quickly, once, and the services read it as the pages will."""

import time

from booktracker.services import library, social
from tests.support import messy_data


def test_messy_data_loads_once_and_quickly(db, session):
    started = time.perf_counter()
    data = messy_data.load(db)
    took = time.perf_counter() - started
    assert took < 30, f"seeding took {took:.1f} s"  # bulk inserts, not 5,000 service calls
    assert messy_data.load(db).main_username == data.main_username  # a second load seeds nothing

    main = social.profile(session=session, viewer_id=None, username=data.main_username)
    assert (main.books, main.followers) == (messy_data.BOOKS, messy_data.FOLLOWERS)
    one = social.profile(session=session, viewer_id=None, username=data.one_username)
    assert (one.books, one.followers, one.following, one.posts) == (1, 1, 1, 1)
    empty = social.profile(session=session, viewer_id=None, username=data.empty_username)
    assert (empty.books, empty.posts) == (0, 0)

    first = library.list_library(session=session, user_id=main.id, query=library.LibraryQuery())
    assert first.total == messy_data.BOOKS
    assert first.items[0].title == messy_data.LONG_TITLE and first.items[0].total_pages == 10_000
    assert first.items[0].percent == 99  # page 9,999 of 10,000: not "100%" before the last page


def test_no_messy_post_reads_as_edited(db, session):
    # Written as services/posts writes them: "· edited" on a post nobody edited misled the screenshots.
    from sqlmodel import select

    from booktracker.models import Post

    messy_data.load(db)
    assert [p.text for p in session.exec(select(Post)) if p.updated_at != p.created_at] == []
