"""Book search with the real httpx client against a local server that
replays Google Books and Open Library JSON."""

import socket

import pytest
from sqlmodel import func, select

from booktracker.errors import InvalidInput
from booktracker.models import Book
from booktracker.services import auth, book_search
from tests.support.fake_book_apis import FakeBookApis


@pytest.fixture
def apis(monkeypatch, db):
    with FakeBookApis() as fake:
        # Configuration, not a mock: the real client talks HTTP to the fake.
        monkeypatch.setattr(book_search, "GOOGLE_BOOKS_URL", f"{fake.base}/books/v1/volumes")
        monkeypatch.setattr(book_search, "OPEN_LIBRARY_URL", f"{fake.base}/search.json")
        yield fake


def test_google_results_are_parsed(session, apis):
    results = book_search.search(session=session, text="Dune")
    first = results[0]
    assert (first.title, first.authors, first.isbn13, first.isbn10) == (
        "Dune: Deluxe Edition",
        "Frank Herbert",
        "9780441013593",
        "0441013597",
    )
    assert first.total_pages == 528 and first.cover_url.startswith("https://books.google.com/")
    assert first.source == "google" and results[1].isbn13 == ""


def test_repeated_search_is_served_from_the_cache(session, apis):
    book_search.search(session=session, text="Dune")
    book_search.search(session=session, text="  dune ")
    assert len(apis.requests) == 1


def test_open_library_is_the_fallback(session, apis):
    results = book_search.search(session=session, text="Piranesi")
    assert [path for path, _ in apis.requests] == ["/books/v1/volumes", "/search.json"]
    assert results[0].isbn13 == "9781635575637" and results[0].cover_url.endswith("10519358-M.jpg")


def test_isbn_lookup_uses_isbn_queries(session, apis):
    results = book_search.search(session=session, text="978-0-441-01359-3")
    assert apis.requests[0][1]["q"] == "isbn:9780441013593"
    assert results[0].isbn13 == "9780441013593"


def test_google_error_falls_back(session, apis):
    apis.google_status = 503
    results = book_search.search(session=session, text="Piranesi")
    assert results[0].source == "openlibrary"


def test_timeout_and_offline_give_a_clear_message(session, apis, monkeypatch):
    monkeypatch.setattr(book_search, "TIMEOUT_SECONDS", 0.3)
    apis.delay = 1.0
    with pytest.raises(book_search.SearchUnavailable, match="add the book by hand"):
        book_search.search(session=session, text="slow search")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setattr(book_search, "GOOGLE_BOOKS_URL", f"http://127.0.0.1:{closed_port}/v")
    monkeypatch.setattr(book_search, "OPEN_LIBRARY_URL", f"http://127.0.0.1:{closed_port}/s")
    with pytest.raises(book_search.SearchUnavailable):
        book_search.search(session=session, text="offline search")


def test_empty_query_is_refused(session, apis):
    with pytest.raises(InvalidInput):
        book_search.search(session=session, text="   ")


def test_picking_a_result_dedupes_by_isbn(session, apis):
    ann = auth.signup(session=session, email="ann@example.com", name="Ann", password="password 123")
    bob = auth.signup(session=session, email="bob@example.com", name="Bob", password="password 123")
    [dune, _] = book_search.search(session=session, text="Dune")
    a = book_search.pick_result(session=session, user_id=ann.id, result=dune)
    b = book_search.pick_result(session=session, user_id=bob.id, result=dune, status="reading")
    assert a.created and b.created and a.user_book.book_id == b.user_book.book_id
    assert session.exec(select(func.count()).select_from(Book)).one() == 1
    assert session.get(Book, a.user_book.book_id).total_pages == 528
