"""Trustworthy shared book records and the reader's own copy (issues 11 and 12):
books.py, library/copies.py and the copy/progress parts of library/entries.py."""

import pytest
from sqlmodel import select

from booktracker.errors import InvalidInput
from booktracker.models import Book, ReadingProgress, saved_id
from booktracker.services import library, posts, social
from booktracker.services.book_search import BookResult, pick_result
from booktracker.services.books import BookInput, validate_cover_url
from booktracker.services.library import copies

DUNE_ISBN = "9780441013593"
GOOGLE_COVER = "https://books.google.com/books/content?id=B1hSG45JCX4C&printsec=frontcover&img=1"
EVIL_COVER = "https://attacker.example/pixel.png"


def add(session, user, status="to-read", **book):
    return library.add_to_library(session=session, user_id=user.id, book=BookInput(**book), status=status).user_book


def dune_result(**changes) -> BookResult:
    values = {
        "title": "Dune",
        "authors": "Frank Herbert",
        "isbn13": DUNE_ISBN,
        "isbn10": "0441013597",
        "cover_url": GOOGLE_COVER,
        "total_pages": 412,
        "publisher": "Ace",
        "published_date": "1990",
        "language": "en",
        "description": "Arrakis.",
        "source": "google",
    }
    return BookResult(**{**values, **changes})


def item(session, user, entry):
    return library.get_detail(session=session, user_id=user.id, user_book_id=saved_id(entry))


# ----------------------------------------------------------------- the two attacks


def test_a_second_readers_cover_title_and_pages_never_reach_the_first(session, ann, bob):
    """Attack 1: adding a known ISBN with one's own cover, title and pages
    changed the book for everyone (fails on the old code)."""
    mine = pick_result(session=session, user_id=ann.id, result=dune_result()).user_book
    with pytest.raises(InvalidInput) as refused:
        add(session, bob, title="Dune", isbn=DUNE_ISBN, cover_url=EVIL_COVER)
    assert refused.value.field == "cover_url" and "Google Books or Open Library" in refused.value.message
    other_cover = "https://covers.openlibrary.org/b/id/1-M.jpg"
    bobs = add(session, bob, title="DUNE (my copy)", isbn=DUNE_ISBN, cover_url=other_cover, total_pages=10)
    assert bobs.book_id == mine.book_id  # one shared book…
    shared = session.get(Book, mine.book_id)
    assert (shared.title, shared.total_pages, shared.cover_url) == ("Dune", 412, GOOGLE_COVER)  # …unchanged
    anns = item(session, ann, mine)
    assert (anns.title, anns.total_pages, anns.cover_url) == ("Dune", 412, GOOGLE_COVER)
    bobs_view = item(session, bob, bobs)  # Bob sees his own copy
    assert (bobs_view.title, bobs_view.total_pages, bobs_view.cover_url) == ("DUNE (my copy)", 10, other_cover)
    assert (bobs_view.book_title, bobs_view.book_total_pages) == ("Dune", 412)


def test_a_wrong_first_entry_does_not_cap_a_later_reader(session, ann, bob):
    """Attack 2: adding an ISBN first with a wrong title and 10 pages made a
    later reader's book take that title and cap her progress at 10 (fails on
    the old code)."""
    add(session, bob, title="Wrong", isbn=DUNE_ISBN, total_pages=10)
    shared = session.exec(select(Book)).one()
    assert shared.total_pages is None  # Bob's 10 pages are his copy's
    typed = add(session, ann, title="Dune", authors="Frank Herbert", isbn=DUNE_ISBN, status="reading")
    assert typed.book_id == shared.id
    detail = library.update_progress(session=session, user_id=ann.id, user_book_id=saved_id(typed), current_page=300)
    assert (detail.title, detail.current_page) == ("Dune", 300)
    # The catalogue fills what is empty (412 pages) but never overwrites.
    picked = pick_result(session=session, user_id=ann.id, result=dune_result())
    assert not picked.created
    session.refresh(shared)
    assert (shared.title, shared.total_pages) == ("Wrong", 412)
    detail = item(session, ann, typed)
    assert (detail.title, detail.total_pages, detail.percent) == ("Dune", 412, 73)


def test_a_book_nobody_looked_up_keeps_only_identity_fields(session, ann):
    entry = add(session, ann, title="Zine", authors="Me", isbn="0345391802", total_pages=40, cover_url=GOOGLE_COVER)
    shared = session.get(Book, entry.book_id)
    assert (shared.title, shared.authors, shared.isbn13) == ("Zine", "Me", "9780345391803")
    assert (shared.total_pages, shared.cover_url) == (None, "")
    assert (entry.copy_title, entry.copy_pages, entry.copy_cover_url, entry.copy_isbn) == ("", 40, GOOGLE_COVER, "")


@pytest.mark.parametrize(
    "url, expected",
    [
        ("", ""),
        (GOOGLE_COVER, GOOGLE_COVER),
        ("http://books.google.com/books/content?id=x", "https://books.google.com/books/content?id=x"),
        ("https://books.googleusercontent.com/x.jpg", "https://books.googleusercontent.com/x.jpg"),
        ("https://covers.openlibrary.org/b/id/10519358-M.jpg", "https://covers.openlibrary.org/b/id/10519358-M.jpg"),
    ],
)
def test_catalogue_covers_are_accepted(url, expected):
    assert validate_cover_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        EVIL_COVER,
        "javascript:alert(1)",
        "data:image/png;base64,AAAA",
        "https://books.google.com.attacker.example/x.jpg",
        "https://attacker.example/?books.google.com",
        "https://me@books.google.com/x.jpg",
        "https://books.google.com:8443/x.jpg",
        "ftp://covers.openlibrary.org/x.jpg",
    ],
)
def test_other_cover_addresses_are_refused(url):
    with pytest.raises(InvalidInput) as refused:
        validate_cover_url(url)
    assert refused.value.field == "cover_url"


# ----------------------------------------------------------------- editing the copy


def change(session, user, entry, **changes):
    return library.update_entry(
        session=session, user_id=user.id, user_book_id=saved_id(entry), changes=library.EntryChanges(**changes)
    )


def test_correcting_the_page_count_changes_only_my_copy(session, ann, bob):
    anns = pick_result(session=session, user_id=ann.id, result=dune_result()).user_book
    bobs = pick_result(session=session, user_id=bob.id, result=dune_result()).user_book
    detail = change(session, ann, anns, copy_pages=604, copy_title="Dune (Deluxe)", copy_isbn="0-345-39180-2")
    assert (detail.title, detail.total_pages, detail.isbn13) == ("Dune (Deluxe)", 604, "9780345391803")
    assert (item(session, bob, bobs).title, item(session, bob, bobs).total_pages) == ("Dune", 412)
    assert session.get(Book, anns.book_id).total_pages == 412
    # Library list, search and sort use what the reader sees.
    page = library.list_library(session=session, user_id=ann.id, query=library.LibraryQuery(search="deluxe"))
    assert [(i.title, i.total_pages) for i in page.items] == [("Dune (Deluxe)", 604)]
    # "" and 0 go back to the shared record.
    detail = change(session, ann, anns, copy_pages=0, copy_title="", copy_isbn="")
    assert (detail.title, detail.total_pages, detail.isbn13) == ("Dune", 412, DUNE_ISBN)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"copy_pages": 100_001}, "copy_pages"),
        ({"copy_pages": -1}, "copy_pages"),
        ({"copy_isbn": "9780441013594"}, "copy_isbn"),
        ({"copy_cover_url": EVIL_COVER}, "copy_cover_url"),
        ({"copy_title": "t" * 301}, "copy_title"),
        ({"progress_unit": "minutes"}, "progress_unit"),  # not an audiobook
        ({"progress_unit": "chapters"}, "progress_unit"),
        ({"audio_minutes": 100 * 60 + 1}, "audio_minutes"),
        ({"copy_pages": 50, "status": "finished"}, "copy_pages"),  # past page 120: lower the page first
    ],
)
def test_bad_copy_input_is_refused_and_changes_nothing(session, ann, changes, field):
    entry = add(session, ann, title="Dune", total_pages=400, status="reading")
    library.update_progress(session=session, user_id=ann.id, user_book_id=saved_id(entry), current_page=120)
    before = item(session, ann, entry)
    with pytest.raises(InvalidInput) as refused:
        change(session, ann, entry, **{"status": "paused", **changes})
    assert refused.value.field == field
    session.rollback()
    assert item(session, ann, entry) == before


def test_h_mm_parsing():
    assert [copies.parse_duration(v) for v in ("11:42", "0:05", "95", "", None)] == [702, 5, 95, None, None]
    for bad in ("1:60", "abc", "1:2", "-3"):
        with pytest.raises(InvalidInput):
            copies.parse_duration(bad)
    assert copies.format_duration(702) == "11:42"


# ----------------------------------------------------------------- progress by page, percent and time


def history(session, entry):
    rows = session.exec(select(ReadingProgress).where(ReadingProgress.user_book_id == entry.id)).all()
    return [(row.from_page, row.to_page, row.pages_delta, row.minutes_delta) for row in rows]


def test_progress_in_percent_counts_pages_when_the_count_is_known(session, ann):
    entry = add(session, ann, title="Dune", total_pages=400, status="reading")
    library.update_progress(session=session, user_id=ann.id, user_book_id=saved_id(entry), current_page=100)
    detail = change(session, ann, entry, progress_unit="percent")  # page 100 of 400 is 25 %
    assert (detail.current_page, detail.percent, detail.progress_unit) == (25, 25, "percent")
    detail = library.update_progress(session=session, user_id=ann.id, user_book_id=saved_id(entry), current_page=50)
    assert detail.percent == 50
    with pytest.raises(InvalidInput, match="100"):
        library.update_progress(session=session, user_id=ann.id, user_book_id=saved_id(entry), current_page=101)
    done = library.set_status(session=session, user_id=ann.id, user_book_id=saved_id(entry), status="finished")
    assert (done.current_page, done.percent) == (100, 100)
    assert history(session, entry) == [(0, 100, 100, 0), (25, 50, 100, 0), (50, 100, 200, 0)]


def test_audiobook_time_is_counted_as_minutes_not_pages(session, ann, bob):
    entry = add(session, ann, title="Dune", total_pages=400, status="reading")
    detail = change(session, ann, entry, format="audiobook", audio_minutes=21 * 60 + 2, progress_unit="minutes")
    assert (detail.progress_unit, detail.audio_minutes) == ("minutes", 1262)
    detail = library.update_progress(session=session, user_id=ann.id, user_book_id=saved_id(entry), current_page=631)
    assert detail.percent == 50
    with pytest.raises(InvalidInput, match="21:02"):
        library.update_progress(session=session, user_id=ann.id, user_book_id=saved_id(entry), current_page=1263)
    assert history(session, entry) == [(0, 631, 0, 631)]
    # Leaving audiobook while tracking minutes is refused with what to do.
    with pytest.raises(InvalidInput) as refused:
        change(session, ann, entry, format="paperback")
    assert refused.value.field == "format"
    # Friends see the same share read.
    social.follow(session=session, user_id=bob.id, username=ann.username)
    [row] = social.friends_reading(session=session, user_id=bob.id)
    assert row.percent == 50


def test_switching_units_without_a_length_asks_rather_than_losing_the_place(session, ann):
    entry = add(session, ann, title="Untold", status="reading")
    library.update_progress(session=session, user_id=ann.id, user_book_id=saved_id(entry), current_page=30)
    with pytest.raises(InvalidInput) as refused:
        change(session, ann, entry, progress_unit="percent")
    assert refused.value.field == "progress_unit" and "length" in refused.value.message
    detail = change(session, ann, entry, progress_unit="percent", copy_pages=120)  # with a length: 25 %
    assert (detail.current_page, detail.total_pages) == (25, 120)


# ----------------------------------------------------------------- what others see of my copy


def test_friends_reading_and_posts_show_the_readers_own_copy(session, ann, bob, count_statements):
    entry = pick_result(session=session, user_id=ann.id, result=dune_result(), status="reading").user_book
    change(session, ann, entry, copy_title="Dune (Folio)", copy_pages=200, current_page=50)
    posts.create_post(session=session, user_id=ann.id, data=posts.PostInput(text="Spice", user_book_id=saved_id(entry)))
    social.follow(session=session, user_id=bob.id, username=ann.username)
    [row] = social.friends_reading(session=session, user_id=bob.id)
    assert (row.book_title, row.percent, row.book_cover_url) == ("Dune (Folio)", 25, GOOGLE_COVER)
    with count_statements() as counter:
        [seen] = posts.feed(session=session, viewer_id=bob.id).posts
    assert seen.book_title == "Dune (Folio)" and counter.count == 2  # the ids, the cards
