"""Goodreads / StoryGraph import and the exports, on both databases."""

import csv
import io
import json
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from booktracker.errors import Conflict, InvalidInput
from booktracker.models import Book, BookFormat, Read, ReadingProgress, Review, Tag, UserBook, UserBookTag
from booktracker.services import auth, exports, imports, library
from booktracker.services.books import BookInput
from booktracker.services.imports import goodreads

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GOODREADS = (FIXTURES / "goodreads_library_export.csv").read_bytes()
STORYGRAPH = (FIXTURES / "storygraph_export.csv").read_bytes()


@pytest.fixture
def ann(session):
    return auth.signup(session=session, email="ann@example.com", name="Ann", password="password 123")


@pytest.fixture
def factory(db):
    return lambda: Session(db, expire_on_commit=False)


def run(factory, user, data, **kwargs):
    *_, last = imports.import_rows(session_factory=factory, user_id=user.id, data=data, **kwargs)
    return last


def entries(session, user):
    rows = session.exec(
        select(UserBook, Book).join(Book, Book.id == UserBook.book_id).where(UserBook.user_id == user.id)
    ).all()
    return {book.title: entry for entry, book in rows}


def test_preview_counts_without_writing(session, ann):
    library.add_to_library(
        session=session, user_id=ann.id, book=BookInput(title="The Hunger Games", authors="Suzanne Collins")
    )
    result = imports.preview(session=session, user_id=ann.id, data=GOODREADS)
    assert (result.format, result.total, result.new, result.already_in_library) == ("goodreads", 10, 6, 1)
    assert [(e.line, e.reason) for e in result.invalid] == [
        (6, "The title is missing."),
        (10, "Rating 7 is outside 0–5."),
        (11, "Date read 'not a date' is not a date."),
    ]
    assert result.unknown_columns == [] and result.notice == ""
    assert session.exec(select(func.count()).select_from(UserBook)).one() == 1


def test_goodreads_import_keeps_every_column_and_is_idempotent(session, ann, factory):
    report = run(factory, ann, GOODREADS)
    assert (report.created, report.already, report.done, report.total) == (7, 0, 10, 10)
    assert [e.line for e in report.failed] == [6, 10, 11] and report.finished
    books = entries(session, ann)
    dune = books["Dune"]
    book = session.get(Book, dune.book_id)
    assert (book.series, book.series_position, book.original_year, book.published_date) == ("Dune", "1", 1965, "2005")
    assert (dune.status, dune.rating, dune.format, dune.ownership, dune.owned_copies) == (
        "finished", 5.0, "paperback", "owned", 1,
    )  # fmt: skip
    assert dune.created_at.date().isoformat() == "2019-01-03" and dune.private_notes == "Bought in Lisbon"
    assert book.isbn13 == "9780441013593" and dune.current_page == 604
    # Read Count 2: two reads, the latest on Date Read, the other undated.
    reads = session.exec(select(Read.status, Read.ended_on).where(Read.user_book_id == dune.id).order_by(Read.id)).all()
    assert [(s, d and d.isoformat()) for s, d in reads] == [("finished", None), ("finished", "2020-10-25")]
    review = session.exec(select(Review).where(Review.user_book_id == dune.id)).one()
    assert review.text == 'A masterpiece.\nSpice everywhere, "sand" too.' and not review.is_public
    assert review.created_at.date().isoformat() == "2020-10-25" and review.rating == 5.0
    hobbit = books["The Hobbit"]
    assert (hobbit.status, hobbit.format, hobbit.binding, hobbit.progress_unit) == (
        "did-not-finish", "audiobook", "Audio CD", "minutes",
    )  # fmt: skip
    hp = books["Harry Potter and the Deathly Hallows"]
    assert hp.status == "paused" and session.get(Book, hp.book_id).contributors == []
    assert books["The Shining"].status == "reading" and books["The Shining"].rating is None
    assert books["Wishlist Book"].status == "to-read"  # a custom exclusive shelf: want to read + that shelf
    tag_names = set(session.exec(select(Tag.name).where(Tag.user_id == ann.id)).all())
    assert tag_names == {"favorites", "fantasy", "book-club", "wishlist"}

    again = run(factory, ann, GOODREADS)
    assert (again.created, again.already) == (0, 7)
    assert session.exec(select(func.count()).select_from(UserBook)).one() == 7
    assert session.exec(select(func.count()).select_from(UserBookTag)).one() == 5


def test_reviews_are_reviews_never_notes_or_posts(session, ann, factory):
    run(factory, ann, GOODREADS, review_as="public")
    assert sorted(session.exec(select(Review.text, Review.is_public)).all()) == [
        ('A masterpiece.\nSpice everywhere, "sand" too.', True),
        ("Not for me.", True),
    ]
    assert all("masterpiece" not in e.private_notes for e in entries(session, ann).values())


def test_storygraph_import(session, ann, factory):
    report = run(factory, ann, STORYGRAPH)
    assert (report.created, report.failed) == (4, [])
    books = entries(session, ann)
    piranesi = books["Piranesi"]
    assert (piranesi.status, piranesi.rating, piranesi.format, piranesi.ownership) == (
        "finished", 4.75, "hardcover", "owned",
    )  # fmt: skip
    reads = session.exec(select(Read.started_on, Read.ended_on).where(Read.user_book_id == piranesi.id)).all()
    assert [(a.isoformat(), b.isoformat()) for a, b in reads] == [("2021-02-10", "2021-02-20")]
    assert books["The Midnight Library"].rating == 3.25 and books["Some Zine"].status == "did-not-finish"
    assert {"mood: mysterious", "pace: medium", "fantasy"} <= set(session.exec(select(Tag.name)).all())
    assert imports.preview(session=session, user_id=ann.id, data=STORYGRAPH).unknown_columns == [
        "Character- or Plot-Driven?",
        "Strong Character Development?",
        "Loveable Characters?",
        "Diverse Characters?",
        "Flawed Characters?",
    ]


def test_storygraph_several_date_ranges_and_content_warnings(session, ann, factory):
    data = (FIXTURES / "storygraph_dates_read.csv").read_bytes()
    assert run(factory, ann, data).failed == []
    entry = entries(session, ann)["Circe"]
    reads = session.exec(
        select(Read.status, Read.started_on, Read.ended_on).where(Read.user_book_id == entry.id).order_by(Read.id)
    ).all()
    assert [(s, a and a.isoformat(), b and b.isoformat()) for s, a, b in reads] == [
        ("finished", None, None),
        ("finished", "2023-01-02", "2023-02-03"),
        ("finished", "2024-05-01", "2024-05-20"),
    ]
    assert entry.content_warnings.startswith("Graphic: violence") and entry.rating == 4.25


@pytest.mark.parametrize("rating, expected", [("0", None), ("3.75", 3.75), ("0.25", 0.25), ("5", 5.0)])
def test_quarter_star_ratings_are_kept_exactly(rating, expected):
    assert imports.parse_rating(rating) == expected


@pytest.mark.parametrize("rating", ["5.5", "-1", "3.3", "four"])
def test_ratings_off_the_scale_are_refused(rating):
    with pytest.raises(InvalidInput):
        imports.parse_rating(rating)


def test_not_an_export_is_refused():
    with pytest.raises(InvalidInput, match="not a Goodreads or StoryGraph export"):
        imports.preview(session=None, user_id=0, data=b"name,email\nx,y\n")


def _csv(rows: list[dict], header=exports.GOODREADS_HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    for row in rows:
        writer.writerow(dict.fromkeys(header, "") | row)
    return out.getvalue().encode()


def test_bad_input_gets_a_message_per_line(session, ann, factory):
    data = _csv(
        [
            {"Title": "Feb 30", "Exclusive Shelf": "read", "Date Read": "2023/02/30"},
            {"Title": "Future", "Exclusive Shelf": "read", "Date Read": "2999/01/01"},
            {"Title": "Too many stars", "Exclusive Shelf": "read", "My Rating": "6"},
            {"Title": "Board", "Author": "A", "Exclusive Shelf": "to-read", "Binding": "Unknown Binding"},
            {"Title": "Board", "Author": "A", "Exclusive Shelf": "to-read"},
        ]
    )
    result = imports.preview(session=session, user_id=ann.id, data=data)
    assert [(e.line, e.reason, e.duplicate) for e in result.invalid] == [
        (2, "Date read '2023/02/30' is not a date.", False),
        (3, "Date read 2999-01-01 is in the future.", False),
        (4, "Rating 6 is outside 0–5.", False),
        (6, "The same book as line 5: imported once, from line 5.", True),
    ]
    assert (result.invalid_count, result.duplicates, result.new) == (3, 1, 1)
    # Not skipping bad lines: nothing is written.
    with pytest.raises(InvalidInput, match="3 lines cannot be imported"):
        run(factory, ann, data, skip_invalid=False)
    assert session.exec(select(func.count()).select_from(UserBook)).one() == 0
    report = run(factory, ann, data)
    assert report.created == 1 and entries(session, ann)["Board"].binding == "Unknown Binding"


def test_other_encodings_and_the_size_limit(session, ann):
    text = "Title,Author,Exclusive Shelf\nLes Misérables,Victor Hugo,read\n"
    for data in (text.encode("utf-16"), text.encode("utf-8-sig"), text.encode("utf-16-le")):
        result = imports.preview(session=session, user_id=ann.id, data=data)
        assert (result.new, result.notice) == (1, "")
    latin = imports.Importer(user_id=ann.id, data=text.encode("latin-1"))
    assert latin.rows[0].title == "Les Misérables" and "Latin-1" in latin.parsed.notice
    with pytest.raises(InvalidInput, match=r"Import files must be at most 20 MB\."):
        imports.check_size(50 * 1024 * 1024)
    with pytest.raises(InvalidInput, match="at most 20 MB"):
        imports.preview(session=session, user_id=ann.id, data=b"x" * (imports.MAX_FILE_BYTES + 1))


def test_full_goodreads_columns(session, ann, factory):
    data = (FIXTURES / "goodreads_full.csv").read_bytes()
    result = imports.preview(session=session, user_id=ann.id, data=data)
    assert result.invalid == [] and result.unknown_columns == ["Recommended For", "Condition"]
    run(factory, ann, data)
    entry = entries(session, ann)["The BFG"]
    book = session.get(Book, entry.book_id)
    assert book.authors == "Roald Dahl, Jane Co-Author"
    assert book.contributors == [{"name": "Quentin Blake", "role": "Illustrator"}]
    assert (book.series, book.series_position) == ("", "")
    assert (entry.copy_pages, entry.owned_copies, entry.format, entry.binding) == (None, 2, "hardcover", "Board book")
    review = session.exec(select(Review).where(Review.user_book_id == entry.id)).one()
    assert review.has_spoilers and review.created_at.date().isoformat() == "2021-06-01"
    reads = session.exec(select(Read.ended_on).where(Read.user_book_id == entry.id)).all()
    assert len(reads) == 3  # Read Count 3


def _generated_goodreads(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(exports.GOODREADS_HEADER)
    for n in range(rows):
        read = n % 3 == 0
        writer.writerow(
            [n, f"Generated book {n} (Series {n % 7}, #{n % 5})", f"Author {n % 300}", "", "Helper (Translator)",
             '=""', '=""', n % 6, "", "", "Paperback", 100 + n % 400, 2000, 1999,
             "2024/01/02" if read else "", "2023/05/06", f"shelf-{n % 4}, " + ("read" if read else "to-read"), "",
             "read" if read else "to-read", "Great." if n % 2 else "", "", "", 2 if read else 0, 0]
        )  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode()


def test_statements_per_batch_do_not_grow_with_the_file(session, ann, factory, count_statements):
    """Performance lives in bench/ (bench/imports.py); here: a constant number of statements per batch."""
    counts = []
    for size, user in (
        (200, ann),
        (400, auth.signup(session=session, email="b@example.com", name="B", password="password 123")),
    ):
        data = _generated_goodreads(size)
        with count_statements() as counter:
            progress = list(imports.import_rows(session_factory=factory, user_id=user.id, data=data, batch_size=100))
        assert progress[-1].created == size and progress[-1].failed == []
        counts.append(counter.count)
    per_batch = (counts[1] - counts[0]) / 2  # 400 rows are 2 more batches of 100
    # Every table is one multi-row INSERT per batch (about 5 statements per row before).
    assert per_batch <= 14 and counts[0] <= 2 + 2 * 0 + 3 + 2 * per_batch


def test_goodreads_export_round_trip_is_byte_for_byte(session, ann, factory):
    run(factory, ann, GOODREADS)
    run(factory, ann, STORYGRAPH)
    run(factory, ann, (FIXTURES / "goodreads_full.csv").read_bytes())
    first = "".join(exports.goodreads_csv(session=session, user_id=ann.id))
    bob = auth.signup(session=session, email="bob@example.com", name="Bob", password="password 123")
    report = run(factory, bob, first.encode())
    assert report.failed == [] and report.created == 12
    session.expire_all()
    again = "".join(exports.goodreads_csv(session=session, user_id=bob.id))
    assert again == first  # no export-time fields: Book Id is the shared book's


def test_json_backup_round_trip_into_an_empty_account(session, ann, factory):
    run(factory, ann, GOODREADS)
    run(factory, ann, STORYGRAPH)
    backup = exports.user_data(session=session, user_id=ann.id)
    text = json.dumps(backup)
    assert "password" not in text and ann.password_hash not in text
    assert backup["profile"]["email"] == "ann@example.com" and len(backup["library"]) == 11
    bob = auth.signup(session=session, email="bob@example.com", name="Bob", password="password 123")
    report = run(factory, bob, text.encode())
    assert report.created == 11 and report.finished
    session.expire_all()
    restored = exports.user_data(session=session, user_id=bob.id)
    for data in (backup, restored):
        data.pop("profile")
    assert restored == backup
    with pytest.raises(Conflict, match="empty account"):
        run(factory, bob, text.encode())


def test_bindings_map_to_the_format_enum():
    assert {book_format for _pattern, book_format in goodreads.BINDINGS} == set(BookFormat)
    assert goodreads.format_of("Kindle Edition") == BookFormat.KINDLE
    assert goodreads.format_of("Mass Market Paperback") == BookFormat.PAPERBACK
    assert goodreads.format_of("Board book") == BookFormat.HARDCOVER
    assert goodreads.format_of("Audio CD") == BookFormat.AUDIOBOOK
    assert goodreads.format_of("Unknown Binding") is None


def test_finished_reads_record_their_pages_on_the_day(session, ann, factory):
    run(factory, ann, GOODREADS)
    dune = entries(session, ann)["Dune"]
    history = session.exec(
        select(ReadingProgress.to_page, ReadingProgress.recorded_at).where(ReadingProgress.user_book_id == dune.id)
    ).all()
    assert [(p, when.date().isoformat()) for p, when in history] == [(604, "2020-10-25")]


def test_new_books_get_both_isbn_forms_and_accents_match_the_library(session, ann, factory):
    """Parsing keeps each row's ISBN-10 and title/author key for the writer (computed once
    per row for speed): the books are the same as services/books would make."""
    library.add_to_library(session=session, user_id=ann.id, book=BookInput(title="Les Misérables", authors="V. Hugo"))
    # A 979 ISBN-13 has no ISBN-10 form; any valid one will do.
    isbn979 = next(f"979103230569{d}" for d in "0123456789" if _valid_isbn(f"979103230569{d}"))
    data = (
        "Title,Author,ISBN,ISBN13,Exclusive Shelf\n"
        'Thirteen,A,,="9780306406157",to-read\n'
        'Ten,B,="0140449132",,to-read\n'
        f'No ten,C,,="{isbn979}",to-read\n'
        "Les Miserables,V. Hugo,,,read\n"
    ).encode()
    report = run(factory, ann, data)
    assert (report.created, report.already, report.failed) == (3, 1, [])
    books = {b.title: (b.isbn10, b.isbn13) for b in session.exec(select(Book)).all()}
    assert books["Thirteen"] == ("0306406152", "9780306406157")
    assert books["Ten"] == ("0140449132", "9780140449136")
    assert books["No ten"] == (None, isbn979)


def _valid_isbn(text: str) -> bool:
    from booktracker.services.books import normalize_isbn

    try:
        return normalize_isbn(text)[1] == text
    except InvalidInput:
        return False
