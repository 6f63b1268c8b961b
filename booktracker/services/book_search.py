"""Book metadata search: Google Books first, Open Library second.

Results are cached in the database (``BookSearchCache``) for a week, so a
repeated search makes no HTTP call. Each source gets a short timeout; when
both fail the reader is told search is unavailable and can add the book by
hand.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging

import httpx
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from booktracker.db import utcnow
from booktracker.errors import InvalidInput, ServiceError
from booktracker.models import BookSearchCache, ReadingStatus
from booktracker.services import library
from booktracker.services.books import BookInput, normalize_isbn
from booktracker.settings import settings

log = logging.getLogger("booktracker.book_search")

# Module constants (from settings) so tests can point one module at a fake server.
GOOGLE_BOOKS_URL = settings.google_books_url
OPEN_LIBRARY_URL = settings.open_library_url
OPEN_LIBRARY_COVERS = "https://covers.openlibrary.org/b/id/{}-M.jpg"
TIMEOUT_SECONDS = 4.0
CACHE_FOR = datetime.timedelta(days=7)
MAX_RESULTS = 10
QUERY_MAX = 200


class SearchUnavailable(ServiceError):
    code = "search_unavailable"
    http_status = 503


@dataclasses.dataclass
class BookResult:
    title: str
    authors: str
    isbn13: str
    isbn10: str
    cover_url: str
    total_pages: int
    publisher: str
    published_date: str
    language: str
    description: str
    source: str


# ----------------------------------------------------------------- parsing


def _https(url: str) -> str:
    return "https://" + url[len("http://") :] if url.startswith("http://") else url


def _isbns(raw: list[str]) -> tuple[str, str]:
    isbn10 = isbn13 = ""
    for value in raw:
        try:
            ten, thirteen = normalize_isbn(value)
        except InvalidInput:
            continue
        isbn13 = isbn13 or (thirteen or "")
        isbn10 = isbn10 or (ten or "")
    return isbn10, isbn13


def parse_google(payload: dict) -> list[BookResult]:
    results = []
    for item in payload.get("items") or []:
        info = item.get("volumeInfo") or {}
        if not info.get("title"):
            continue
        title = info["title"] + (f": {info['subtitle']}" if info.get("subtitle") else "")
        isbn10, isbn13 = _isbns([i.get("identifier", "") for i in info.get("industryIdentifiers") or []])
        images = info.get("imageLinks") or {}
        results.append(
            BookResult(
                title=title[:300],
                authors=", ".join(info.get("authors") or [])[:500],
                isbn13=isbn13,
                isbn10=isbn10,
                cover_url=_https(images.get("thumbnail") or images.get("smallThumbnail") or ""),
                total_pages=int(info.get("pageCount") or 0),
                publisher=(info.get("publisher") or "")[:200],
                published_date=(info.get("publishedDate") or "")[:20],
                language=(info.get("language") or "")[:16],
                description=info.get("description") or "",
                source="google",
            )
        )
    return results


def parse_open_library(payload: dict) -> list[BookResult]:
    results = []
    for doc in payload.get("docs") or []:
        if not doc.get("title"):
            continue
        isbn10, isbn13 = _isbns(doc.get("isbn") or [])
        cover = doc.get("cover_i")
        results.append(
            BookResult(
                title=doc["title"][:300],
                authors=", ".join(doc.get("author_name") or [])[:500],
                isbn13=isbn13,
                isbn10=isbn10,
                cover_url=OPEN_LIBRARY_COVERS.format(cover) if cover else "",
                total_pages=int(doc.get("number_of_pages_median") or 0),
                publisher=((doc.get("publisher") or [""])[0])[:200],
                published_date=str(doc.get("first_publish_year") or ""),
                language=((doc.get("language") or [""])[0])[:16],
                description="",
                source="openlibrary",
            )
        )
    return results


# ----------------------------------------------------------------- HTTP


def _query_key(text: str) -> tuple[str, str | None]:
    """("isbn:978…" or "q:words", isbn13 or None)."""
    text = " ".join(text.split())[:QUERY_MAX]
    if not text:
        raise InvalidInput("Type a title, an author or an ISBN.", field="query")
    try:
        _ten, isbn13 = normalize_isbn(text)
    except InvalidInput:
        isbn13 = None
    return (f"isbn:{isbn13}", isbn13) if isbn13 else (f"q:{text.lower()}", None)


def _fetch_google(client: httpx.Client, text: str, isbn13: str | None) -> list[BookResult]:
    params = {"q": f"isbn:{isbn13}" if isbn13 else text, "maxResults": MAX_RESULTS, "printType": "books"}
    if settings.google_books_api_key:
        params["key"] = settings.google_books_api_key
    response = client.get(GOOGLE_BOOKS_URL, params=params)
    response.raise_for_status()
    return parse_google(response.json())


def _fetch_open_library(client: httpx.Client, text: str, isbn13: str | None) -> list[BookResult]:
    params = {"isbn": isbn13} if isbn13 else {"q": text}
    params |= {
        "limit": MAX_RESULTS,
        "fields": "title,author_name,isbn,number_of_pages_median,first_publish_year,publisher,language,cover_i",
    }
    response = client.get(OPEN_LIBRARY_URL, params=params)
    response.raise_for_status()
    return parse_open_library(response.json())


def search(*, session: Session, text: str, client: httpx.Client | None = None) -> list[BookResult]:
    key, isbn13 = _query_key(text)
    cached = session.exec(select(BookSearchCache).where(BookSearchCache.query_key == key)).first()
    if cached is not None and utcnow() - cached.fetched_at < CACHE_FOR:
        return [BookResult(**item) for item in json.loads(cached.payload)]

    own_client = client is None
    client = client or httpx.Client(
        timeout=TIMEOUT_SECONDS, follow_redirects=True, headers={"User-Agent": "TrackMyRead/1.0"}
    )
    results, failures = [], []
    try:
        for name, fetch in (("Google Books", _fetch_google), ("Open Library", _fetch_open_library)):
            try:
                results = fetch(client, " ".join(text.split())[:QUERY_MAX], isbn13)
            except (httpx.HTTPError, ValueError) as exc:
                log.warning("%s search failed: %s", name, exc)
                failures.append(name)
                continue
            if results:
                break
    finally:
        if own_client:
            client.close()
    if not results and len(failures) == 2:
        raise SearchUnavailable("Book search is unavailable right now (offline?). You can still add the book by hand.")
    _store(session, key, cached, results)
    return results


def _store(session: Session, key: str, cached: BookSearchCache | None, results: list[BookResult]) -> None:
    payload = json.dumps([dataclasses.asdict(r) for r in results])
    row = cached or BookSearchCache(query_key=key, payload=payload)
    row.payload, row.fetched_at = payload, utcnow()
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # the same search was cached concurrently


def pick_result(
    *, session: Session, user_id: int, result: BookResult, status: str = ReadingStatus.TO_READ.value
) -> library.AddResult:
    """Create or reuse the Book (deduplicated by ISBN) and shelve it."""
    book = BookInput(
        title=result.title,
        authors=result.authors,
        isbn=result.isbn13 or result.isbn10,
        cover_url=result.cover_url,
        total_pages=result.total_pages or None,
        description=result.description,
        publisher=result.publisher,
        published_date=result.published_date,
        language=result.language,
    )
    # Server-side catalogue data (the page keeps results out of the browser's
    # reach), so it may create or fill the shared record; see books.py.
    return library.add_to_library(session=session, user_id=user_id, book=book, status=status, from_catalogue=True)
