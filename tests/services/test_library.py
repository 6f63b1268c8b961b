"""Books and the personal library (services/books.py, services/library.py)."""

import datetime

import pytest
from sqlalchemy import event as sa_event
from sqlmodel import func, select

from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Book, Post, ReadingProgress, UserBook
from booktracker.services import auth, library
from booktracker.services.books import BookInput, dedupe_key, find_or_create_book, normalize_isbn
from booktracker.settings import settings

Q = library.LibraryQuery


@pytest.fixture
def ann(session):
    return auth.signup(session=session, email="ann@example.com", name="Ann", password="password 123")


@pytest.fixture
def bob(session):
    return auth.signup(session=session, email="bob@example.com", name="Bob", password="password 123")


def add(session, user, title, authors="", pages=None, **kwargs):
    status = kwargs.pop("status", "to-read")
    book = BookInput(title=title, authors=authors, total_pages=pages, **kwargs)
    return library.add_to_library(session=session, user_id=user.id, book=book, status=status).user_book


# ----------------------------------------------------------------- books


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0-345-39180-2", ("0345391802", "9780345391803")),
        ('="0345391802"', ("0345391802", "9780345391803")),
        ("978-0-345-39180-3", ("0345391802", "9780345391803")),
        ("080442957X", ("080442957X", "9780804429573")),
        ("979-10-90636-07-1", (None, "9791090636071")),
        ("", (None, None)),
    ],
)
def test_normalize_isbn(raw, expected):
    assert normalize_isbn(raw) == expected


@pytest.mark.parametrize("raw", ["0345391803", "9780345391804", "12345", "abcdefghij"])
def test_bad_isbns_are_refused(raw):
    with pytest.raises(InvalidInput):
        normalize_isbn(raw)


def test_same_isbn_in_either_form_is_one_book(session):
    first = find_or_create_book(session=session, data=BookInput(title="Dune", isbn="0441013597"))
    second = find_or_create_book(session=session, data=BookInput(title="Dune (pb)", isbn="978-0441013593"))
    assert first.id == second.id


def test_title_and_author_dedupe_ignores_case_accents_punctuation(session):
    first = find_or_create_book(session=session, data=BookInput(title="Les Misérables", authors="Victor Hugo"))
    second = find_or_create_book(
        session=session, data=BookInput(title="les miserables!", authors="VICTOR HUGO, translator")
    )
    assert first.id == second.id
    assert dedupe_key("Les Misérables", "Victor Hugo") == "les miserables|victor hugo"


def test_different_isbns_are_different_editions(session):
    a = find_or_create_book(session=session, data=BookInput(title="Emma", authors="Jane Austen", isbn="9780141439587"))
    b = find_or_create_book(session=session, data=BookInput(title="Emma", authors="Jane Austen", isbn="9780199535521"))
    assert a.id != b.id


def test_reused_book_is_enriched_by_the_catalogue_only(session):
    bare = find_or_create_book(session=session, data=BookInput(title="Emma", authors="Jane Austen"))
    typed = BookInput(title="Emma", authors="Jane Austen", isbn="9780141439587", total_pages=474)
    assert find_or_create_book(session=session, data=typed).total_pages is None  # a reader's input: their copy
    rich = find_or_create_book(session=session, data=typed, from_catalogue=True)
    assert rich.id == bare.id and rich.isbn13 == "9780141439587" and rich.total_pages == 474


@pytest.mark.parametrize(
    "data, field",
    [
        (BookInput(title=""), "title"),
        (BookInput(title="t" * 301), "title"),
        (BookInput(title="ok", cover_url="javascript:alert(1)"), "cover_url"),
        (BookInput(title="ok", total_pages=-1), "total_pages"),
        (BookInput(title="ok", total_pages=100_001), "total_pages"),
    ],
)
def test_book_validation(session, data, field):
    with pytest.raises(InvalidInput) as caught:
        find_or_create_book(session=session, data=data)
    assert caught.value.field == field


# ----------------------------------------------------------------- library


def test_add_twice_returns_the_existing_entry(session, ann):
    entry = add(session, ann, "Dune", "Frank Herbert")
    again = library.add_to_library(
        session=session, user_id=ann.id, book=BookInput(title="dune", authors="frank herbert")
    )
    assert not again.created and again.user_book.id == entry.id


def test_adding_as_finished(session, ann):
    today = datetime.datetime.now(datetime.UTC).date()
    book = BookInput(title="Dune", total_pages=400)
    entry = library.add_to_library(
        session=session, user_id=ann.id, book=book, status="finished", ended_on=today
    ).user_book
    detail = library.get_detail(session=session, user_id=ann.id, user_book_id=entry.id)
    assert [(r.status, r.started_on, r.ended_on) for r in detail.reads] == [("finished", "", today.isoformat())]
    assert entry.current_page == 400 and detail.read_count == 1
    assert session.exec(select(ReadingProgress.pages_delta)).all() == [400]


def _shelf(session, ann):
    add(session, ann, "Alpha", "Zed Author", 100, status="reading")
    add(session, ann, "Beta", "Yan Author", 100, status="finished")
    add(session, ann, "Gamma 100%", "Xu Author", 100)
    add(session, ann, "Delta_x", "Wu Author", 100, status="paused")


def test_tabs_counts_and_filters(session, ann, bob):
    _shelf(session, ann)
    add(session, bob, "Bob's book")
    page = library.list_library(session=session, user_id=ann.id, query=Q())
    assert page.counts == {"all": 4, "to-read": 1, "reading": 1, "finished": 1, "paused": 1, "did-not-finish": 0}
    assert library.list_library(session=session, user_id=ann.id, query=Q(tab="reading")).total == 1
    entry = library.list_library(session=session, user_id=ann.id, query=Q(tab="finished")).items[0]
    library.update_details(
        session=session,
        user_id=ann.id,
        user_book_id=entry.id,
        update=library.DetailsUpdate(
            rating=4.5, private_notes="", format="ebook", ownership="borrowed", borrowed_from="Cy"
        ),
    )
    only = library.list_library(session=session, user_id=ann.id, query=Q(format="ebook", ownership="borrowed"))
    assert [i.title for i in only.items] == ["Beta"] and only.counts["all"] == 1


def test_search_is_case_insensitive_and_literal(session, ann):
    _shelf(session, ann)

    def titles(text):
        return [i.title for i in library.list_library(session=session, user_id=ann.id, query=Q(search=text)).items]

    assert titles("ALPHA") == ["Alpha"]
    assert titles("yan") == ["Beta"]
    assert titles("100%") == ["Gamma 100%"]
    assert titles("a_x") == ["Delta_x"] and titles("a%x") == []


def test_sorts(session, ann):
    _shelf(session, ann)

    def order(sort):
        return [i.title for i in library.list_library(session=session, user_id=ann.id, query=Q(sort=sort)).items]

    assert order("title") == ["Alpha", "Beta", "Delta_x", "Gamma 100%"]
    assert order("author") == ["Delta_x", "Gamma 100%", "Beta", "Alpha"]
    assert order("updated")[0] == "Delta_x"
    beta = library.list_library(session=session, user_id=ann.id, query=Q(search="Beta")).items[0]
    library.update_details(
        session=session,
        user_id=ann.id,
        user_book_id=beta.id,
        update=library.DetailsUpdate(rating=5, private_notes="", format="", ownership="none"),
    )
    assert order("rating")[0] == "Beta"


def test_pagination_maths_and_clamping(session, ann):
    for n in range(14):
        add(session, ann, f"Book {n:02}")
    page3 = library.list_library(session=session, user_id=ann.id, query=Q(sort="title", page=3))
    assert (page3.page, page3.pages, page3.first, page3.last, len(page3.items)) == (3, 3, 13, 14, 2)
    beyond = library.list_library(session=session, user_id=ann.id, query=Q(sort="title", page=99))
    assert beyond.page == 3 and [i.title for i in beyond.items] == ["Book 12", "Book 13"]
    empty = library.list_library(session=session, user_id=ann.id, query=Q(tab="paused"))
    assert (empty.page, empty.pages, empty.first, empty.last) == (1, 1, 0, 0)


def test_a_500_book_library_page_costs_two_statements(session, ann, count_statements):
    books = [Book(title=f"Book {n}", authors="A", dedupe_key=f"book {n}|a", total_pages=300) for n in range(500)]
    session.add_all(books)
    session.commit()
    session.add_all(UserBook(user_id=ann.id, book_id=b.id, status="reading" if b.id % 3 else "finished") for b in books)
    session.commit()
    for query, matching in (
        (Q(), 500),
        (Q(tab="reading", sort="title", page=40), None),
        (Q(search="book 4", sort="rating", page=2), 111),
    ):
        with count_statements() as counter:
            page = library.list_library(session=session, user_id=ann.id, query=query)
        assert counter.count == 2
        # The tab counts are the whole library's; the total follows the tab and the search.
        assert len(page.items) == 6 and page.counts["all"] == 500
        assert page.total == (page.counts[query.tab] if matching is None else matching)
        assert page.library_total == 500


def test_a_search_leaves_the_tab_counts_alone(session, ann):
    _shelf(session, ann)
    everything = library.list_library(session=session, user_id=ann.id, query=Q()).counts
    nothing = library.list_library(session=session, user_id=ann.id, query=Q(search="no such book"))
    assert nothing.counts == everything and nothing.counts["all"] == 4
    assert (nothing.items, nothing.total, nothing.first, nothing.last, nothing.library_total) == ([], 0, 0, 0, 4)
    alpha = library.list_library(session=session, user_id=ann.id, query=Q(tab="reading", search="alpha"))
    assert alpha.counts == everything and alpha.total == 1
    assert library.list_library(session=session, user_id=ann.id, query=Q(tab="finished", search="alpha")).total == 0
    # Filters still narrow the counts; the library's own size stays.
    ebooks = library.list_library(session=session, user_id=ann.id, query=Q(format="ebook", search="x"))
    assert ebooks.counts["all"] == 0 and ebooks.library_total == 4


def test_progress_bounds_history_and_status(session, ann):
    entry = add(session, ann, "Dune", pages=400)
    with pytest.raises(InvalidInput, match="between 0 and 400"):
        library.update_progress(session=session, user_id=ann.id, user_book_id=entry.id, current_page=401)
    with pytest.raises(InvalidInput):
        library.update_progress(session=session, user_id=ann.id, user_book_id=entry.id, current_page=-1)
    detail = library.update_progress(session=session, user_id=ann.id, user_book_id=entry.id, current_page=100)
    assert (detail.status, detail.percent) == ("reading", 25) and detail.reads[0].started_on
    assert detail.reads[0].progress == 100
    library.update_progress(session=session, user_id=ann.id, user_book_id=entry.id, current_page=80)
    assert session.exec(select(ReadingProgress.pages_delta).order_by(ReadingProgress.id)).all() == [100, -20]


def test_finishing_and_reopening(session, ann):
    entry = add(session, ann, "Dune", pages=400)
    library.update_progress(session=session, user_id=ann.id, user_book_id=entry.id, current_page=150)
    done = library.set_status(session=session, user_id=ann.id, user_book_id=entry.id, status="finished")
    assert done.current_page == 400 and done.reads[0].ended_on and done.reads[0].status == "finished"
    assert session.exec(select(func.sum(ReadingProgress.pages_delta))).one() == 400
    # Reading a finished book again is a re-read: a new read from page 0; the first one stays.
    reopened = library.set_status(session=session, user_id=ann.id, user_book_id=entry.id, status="reading")
    assert [(r.status, r.ended_on == "") for r in reopened.reads] == [("reading", True), ("finished", False)]
    assert (reopened.current_page, reopened.read_count) == (0, 1)
    with pytest.raises(InvalidInput):
        library.set_status(session=session, user_id=ann.id, user_book_id=entry.id, status="lost")


# Quarter stars are valid (issue 11: StoryGraph ratings kept exactly); anything between is not.
@pytest.mark.parametrize("rating", [0.1, 5.25, 1.3, 6, 4.2])
def test_invalid_ratings(session, ann, rating):
    entry = add(session, ann, "Dune")
    with pytest.raises(InvalidInput):
        library.update_details(
            session=session,
            user_id=ann.id,
            user_book_id=entry.id,
            update=library.DetailsUpdate(rating=rating, private_notes="", format="", ownership="none"),
        )


def test_ownership_names_follow_the_ownership(session, ann):
    entry = add(session, ann, "Dune")
    update = library.DetailsUpdate(
        rating=3.5, private_notes="mine", format="kindle", ownership="loaned", borrowed_from="X", loaned_to="Cy"
    )
    detail = library.update_details(session=session, user_id=ann.id, user_book_id=entry.id, update=update)
    assert (detail.rating, detail.format, detail.loaned_to, detail.borrowed_from) == (3.5, "kindle", "Cy", "")


def test_other_readers_entries_look_missing_and_stay_unchanged(session, ann, bob):
    entry = add(session, ann, "Dune", pages=400)
    attempts = [
        lambda: library.get_detail(session=session, user_id=bob.id, user_book_id=entry.id),
        lambda: library.update_progress(session=session, user_id=bob.id, user_book_id=entry.id, current_page=5),
        lambda: library.set_status(session=session, user_id=bob.id, user_book_id=entry.id, status="finished"),
        lambda: library.update_details(
            session=session,
            user_id=bob.id,
            user_book_id=entry.id,
            update=library.DetailsUpdate(rating=1, private_notes="x", format="", ownership="none"),
        ),
        lambda: library.remove_from_library(session=session, user_id=bob.id, user_book_id=entry.id),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    detail = library.get_detail(session=session, user_id=ann.id, user_book_id=entry.id)
    assert (detail.current_page, detail.status, detail.rating, detail.private_notes) == (0, "to-read", 0.0, "")


def test_remove_takes_notes_and_progress_only_of_that_entry(session, ann, bob):
    entry = add(session, ann, "Dune", pages=400)
    other = add(session, ann, "Emma", pages=300)
    bobs = add(session, bob, "Dune", pages=400)
    library.update_progress(session=session, user_id=ann.id, user_book_id=entry.id, current_page=10)
    library.update_progress(session=session, user_id=bob.id, user_book_id=bobs.id, current_page=10)
    session.add_all(
        [
            Post(user_id=ann.id, user_book_id=entry.id, text="a", image_key="local:notes/x.webp"),
            Post(user_id=ann.id, user_book_id=other.id, text="b"),
        ]
    )
    session.commit()
    image = settings.upload_dir / "notes/x.webp"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(b"image")
    # The service deletes the entry's post images itself (tests/services/test_posts_writing.py).
    assert library.remove_from_library(session=session, user_id=ann.id, user_book_id=entry.id) is None
    assert not image.exists()
    assert session.exec(select(Post.text)).all() == ["b"]
    assert session.exec(select(ReadingProgress.user_id)).all() == [bob.id]
    assert session.get(UserBook, bobs.id) is not None


def test_timestamps_are_aware_utc(session, ann):
    entry = add(session, ann, "Dune", status="finished")
    fresh = session.exec(
        select(UserBook).where(UserBook.id == entry.id).execution_options(populate_existing=True)
    ).one()
    for value in (fresh.created_at, fresh.updated_at):
        assert value.tzinfo is not None and value.utcoffset() == datetime.timedelta(0)


def _commits(engine):
    """A counter of the transactions the database commits (listen while it lives)."""
    count = {"n": 0}

    def on_commit(_conn):
        count["n"] += 1

    sa_event.listen(engine, "commit", on_commit)
    return count, lambda: sa_event.remove(engine, "commit", on_commit)


def test_update_entry_checks_everything_before_changing_anything(session, ann):
    entry = add(session, ann, "Dune", pages=400)
    library.update_progress(session=session, user_id=ann.id, user_book_id=entry.id, current_page=50)
    changes = library.EntryChanges(status="finished", current_page=60, rating=4, format="vinyl")
    with pytest.raises(InvalidInput) as refused:
        library.update_entry(session=session, user_id=ann.id, user_book_id=entry.id, changes=changes)
    assert refused.value.field == "format"
    session.rollback()  # what a request's session does with a failed use case
    detail = library.get_detail(session=session, user_id=ann.id, user_book_id=entry.id)
    assert (detail.status, detail.current_page, detail.rating) == ("reading", 50, 0.0)
    assert [(r.status, r.progress) for r in detail.reads] == [("reading", 50)]
    assert session.exec(select(ReadingProgress.pages_delta)).all() == [50]


def test_update_entry_applies_everything_in_one_commit(db, session, ann, count_statements):
    entry = add(session, ann, "Dune", pages=400)
    changes = library.EntryChanges(
        status="reading", current_page=100, rating=4, format="ebook", ownership="loaned", loaned_to="Cy"
    )
    commits, stop = _commits(db)
    try:
        with count_statements() as counter:
            detail = library.update_entry(session=session, user_id=ann.id, user_book_id=entry.id, changes=changes)
    finally:
        stop()
    assert commits["n"] == 1
    # The entry with its book and its latest read; the new read's INSERT (flushed
    # for its id), the entry's UPDATE before and after it, the progress INSERT;
    # the detail read back (entry, reads, shelves, reviews).
    assert counter.count == 10
    assert (detail.status, detail.current_page, detail.rating, detail.format) == ("reading", 100, 4.0, "ebook")
    assert (detail.ownership, detail.loaned_to, detail.private_notes) == ("loaned", "Cy", "")
    assert detail.reads[0].started_on


def test_update_entry_keeps_what_is_not_sent_and_clears_a_null_rating(session, ann):
    entry = add(session, ann, "Dune", pages=400)
    first = library.EntryChanges(rating=3.5, format="kindle", ownership="borrowed", borrowed_from="Cy")
    library.update_entry(session=session, user_id=ann.id, user_book_id=entry.id, changes=first)
    kept = library.update_entry(
        session=session, user_id=ann.id, user_book_id=entry.id, changes=library.EntryChanges(private_notes="n")
    )
    assert (kept.rating, kept.format, kept.ownership, kept.borrowed_from) == (3.5, "kindle", "borrowed", "Cy")
    cleared = library.update_entry(
        session=session, user_id=ann.id, user_book_id=entry.id, changes=library.EntryChanges(rating=None, format="")
    )
    assert (cleared.rating, cleared.format, cleared.private_notes) == (0.0, "", "n")


@pytest.mark.parametrize("rating", [0.25, 1.25, 3.75, 5])
def test_quarter_star_ratings_are_kept_exactly(session, ann, rating):
    entry = add(session, ann, "Dune")
    library.update_entry(
        session=session, user_id=ann.id, user_book_id=entry.id, changes=library.EntryChanges(rating=rating)
    )
    assert library.get_detail(session=session, user_id=ann.id, user_book_id=entry.id).rating == rating


def test_percent_reaches_100_only_at_the_end():
    # Issue 15: page 9,999 of a 10,000-page book showed "100%".
    from booktracker.services.library import copies, percent_read

    assert copies.percent_of(9_999, 10_000) == 99 and percent_read(9_999, 10_000) == 99
    assert copies.percent_of(10_000, 10_000) == 100 and copies.percent_of(12, 10) == 100
    assert copies.percent_of(5, 10) == 50 and copies.percent_of(1, 10_000) == 0 and copies.percent_of(3, None) == 0
