"""A reader's library as a list: shelves (tabs), filters, sorting and pages.

Every function takes the acting ``user_id`` and only ever sees that reader's
rows.
"""

from __future__ import annotations

import dataclasses
import math

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from booktracker.db import INT_MAX
from booktracker.errors import InvalidInput
from booktracker.models import (
    Book,
    BookFormat,
    LibraryItem,
    Ownership,
    Read,
    ReadingStatus,
    Tag,
    UserBook,
    UserBookTag,
)
from booktracker.services.library import copies

PER_PAGE = 6
SEARCH_MAX = 200
SORTS = ("updated", "title", "author", "rating")
# The library's shelves: every book, then one shelf per reading status.
ALL_TAB = "all"
TABS = (ALL_TAB, *tuple(status.value for status in ReadingStatus))


@dataclasses.dataclass
class LibraryQuery:
    tab: str = ALL_TAB
    format: str = ""
    ownership: str = ""
    search: str = ""
    # A shelf (tag) of the reader: its id, or its name ("" for every book).
    shelf: str | int = ""
    sort: str = "updated"
    page: int = 1
    per_page: int = PER_PAGE


@dataclasses.dataclass
class LibraryPage:
    items: list[LibraryItem]
    # Per tab, under the current format/ownership/shelf but never the search:
    # a search with no match leaves the tab counts as they are.
    counts: dict[str, int]
    total: int  # rows in the current tab, under the search too
    page: int
    pages: int
    first: int  # 1-based index of the first row shown, 0 when empty
    last: int
    library_total: int = 0  # every book of the reader, whatever the filters ("your library is empty")


def _narrowing(user_id: int, query: LibraryQuery) -> list[sa.ColumnElement[bool]]:
    """The filters the tab counts follow: format, ownership, shelf."""
    conditions: list[sa.ColumnElement[bool]] = []
    if query.format:
        conditions.append(col(UserBook.format) == valid_choice(query.format, BookFormat, "format"))
    if query.ownership:
        conditions.append(col(UserBook.ownership) == valid_choice(query.ownership, Ownership, "ownership"))
    if query.shelf != "":
        conditions.append(_on_shelf(user_id, query.shelf))
    return conditions


def _searching(query: LibraryQuery) -> list[sa.ColumnElement[bool]]:
    """The search: it narrows the rows and the current tab's total, not the counts."""
    conditions: list[sa.ColumnElement[bool]] = []
    search = " ".join(query.search.split())[:SEARCH_MAX]
    if search:
        # Escape LIKE wildcards so "100%" searches for the text "100%".
        escaped = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        conditions.append(
            sa.or_(
                # The title as this reader sees it: their copy's, else the book's.
                func.lower(copies.title_sql()).like(pattern, escape="\\"),
                func.lower(Book.authors).like(pattern, escape="\\"),
            )
        )
    return conditions


def _on_shelf(user_id: int, shelf: str | int) -> sa.ColumnElement[bool]:
    """Entries on this shelf of the reader, as a subquery: the filter costs no
    statement of its own. A shelf is named by id (an int, or digits that are
    one of the reader's shelf ids) or by its exact name; an unknown one
    matches no book."""
    name = " ".join(str(shelf).split())
    is_shelf = col(Tag.name) == name
    if (isinstance(shelf, int) or name.isdecimal()) and int(name) <= INT_MAX:
        is_shelf = sa.or_(col(Tag.id) == int(name), is_shelf)
    on_shelf = (
        select(UserBookTag.user_book_id)
        .join(Tag, col(Tag.id) == col(UserBookTag.tag_id))
        .where(col(Tag.user_id) == user_id, is_shelf)
    )
    return col(UserBook.id).in_(on_shelf)


def _order(sort: str) -> list:
    tiebreak = col(UserBook.id).desc()
    if sort == "title":
        return [func.lower(copies.title_sql()), tiebreak]
    if sort == "author":
        return [func.lower(Book.authors), func.lower(copies.title_sql()), tiebreak]
    if sort == "rating":
        # Unrated books last on every backend.
        return [col(UserBook.rating).is_(None), col(UserBook.rating).desc(), tiebreak]
    return [col(UserBook.updated_at).desc(), tiebreak]


def list_library(*, session: Session, user_id: int, query: LibraryQuery) -> LibraryPage:
    """One page of the library in two SQL statements (tab counts + rows)."""
    if query.tab not in TABS:
        raise InvalidInput(f"Unknown tab {query.tab!r}.", field="tab")
    if query.sort not in SORTS:
        raise InvalidInput(f"Unknown sort {query.sort!r}.", field="sort")
    per_page = max(1, min(query.per_page, 50))
    narrowing = _narrowing(user_id, query)
    searching = _searching(query)
    conditions = [col(UserBook.user_id) == user_id, *narrowing, *searching]

    # One statement over every book of the reader: per status, all of them,
    # those under the filters (the tab counts) and those under the search too.
    def matching(where: list[sa.ColumnElement[bool]]):
        return func.count(sa.case((sa.and_(*where), 1))) if where else func.count()

    count_rows = session.exec(
        select(UserBook.status, func.count(), matching(narrowing), matching([*narrowing, *searching]))
        .join(Book, col(Book.id) == col(UserBook.book_id))
        .where(col(UserBook.user_id) == user_id)
        .group_by(UserBook.status)
    ).all()
    counts = dict.fromkeys(TABS, 0)
    found = dict.fromkeys(TABS, 0)
    for status, _, filtered, searched in count_rows:
        counts[status], found[status] = filtered, searched
    counts[ALL_TAB] = sum(filtered for _, _, filtered, _ in count_rows)
    found[ALL_TAB] = sum(searched for _, _, _, searched in count_rows)

    total = found[query.tab]
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, query.page), pages)
    if query.tab != ALL_TAB:
        conditions.append(col(UserBook.status) == query.tab)
    rows = session.exec(
        select(UserBook, Book, _finished_reads())
        .join(Book, col(Book.id) == col(UserBook.book_id))
        .where(*conditions)
        .order_by(*_order(query.sort))
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    items = [to_library_item(entry, book, read_count) for entry, book, read_count in rows]
    first = (page - 1) * per_page + 1 if items else 0
    return LibraryPage(
        items=items,
        counts=counts,
        total=total,
        page=page,
        pages=pages,
        first=first,
        last=first + len(items) - 1 if items else 0,
        library_total=sum(every for _, every, _, _ in count_rows),
    )


def percent_read(current_page: int, total_pages: int | None) -> int:
    return copies.percent_of(current_page, total_pages)


def _finished_reads() -> sa.ScalarSelect[int]:
    """The entry's finished reads ("3 reads"), a column of the page's own query
    so the library page still costs the same statements."""
    return (
        select(func.count())
        .select_from(Read)
        .where(col(Read.user_book_id) == col(UserBook.id), col(Read.status) == ReadingStatus.FINISHED.value)
        .scalar_subquery()
    )


def to_library_item(entry: UserBook, book: Book, read_count: int = 0) -> LibraryItem:
    assert entry.id is not None and book.id is not None  # stored rows
    return LibraryItem(
        id=entry.id,
        book_id=book.id,
        title=copies.title(entry, book),
        authors=book.authors,
        cover_url=copies.cover(entry, book),
        status=entry.status,
        current_page=entry.current_page,
        total_pages=copies.pages(entry, book) or 0,
        percent=copies.percent(entry, book),
        rating=entry.rating or 0.0,
        format=entry.format or "",
        ownership=entry.ownership,
        progress_unit=entry.progress_unit,
        audio_minutes=entry.audio_minutes or 0,
        read_count=read_count,
    )


def shelf_titles(*, session: Session, user_id: int, limit: int = 50) -> list[tuple[int, str]]:
    """(entry id, title) of the reader's books, the ones being read first:
    the choices for linking a post to a book."""
    reading_first = sa.case((col(UserBook.status) == ReadingStatus.READING.value, 0), else_=1)
    rows = session.exec(
        select(UserBook.id, copies.title_sql())
        .join(Book, col(Book.id) == col(UserBook.book_id))
        .where(col(UserBook.user_id) == user_id)
        .order_by(reading_first, col(UserBook.updated_at).desc())
        .limit(limit)
    ).all()
    return [(entry_id, title) for entry_id, title in rows if entry_id is not None]


# Shared with entries.py, which validates the same enums on writes.
def valid_choice(value: str, enum, field: str) -> str:
    allowed = [member.value for member in enum]
    if value not in allowed:
        raise InvalidInput(f"{field.capitalize()} must be one of: {', '.join(allowed)}.", field=field)
    return value
