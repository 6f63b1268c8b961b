"""/api/v1/library: the reader's own books."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from booktracker.api.deps import CurrentUserId, SessionDep
from booktracker.api.routes_reads import TzOffset
from booktracker.api.schemas import AddBookRequest, LibraryPageResponse, UpdateEntryRequest
from booktracker.models import ReadingStatus, UserBookDetail, saved_id
from booktracker.services import library
from booktracker.services.books import BookInput

router = APIRouter(prefix="/library", tags=["library"])


@router.get("", response_model=LibraryPageResponse)
def list_books(
    session: SessionDep,
    user_id: CurrentUserId,
    tab: Annotated[str, Query(max_length=20)] = library.ALL_TAB,
    format: Annotated[str, Query(max_length=16)] = "",
    ownership: Annotated[str, Query(max_length=16)] = "",
    search: Annotated[str, Query(max_length=library.SEARCH_MAX)] = "",
    shelf: Annotated[str, Query(max_length=400, description="One of your shelves, by id or by name.")] = "",
    sort: Annotated[str, Query(max_length=10)] = "updated",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=50)] = 20,
):
    query = library.LibraryQuery(
        tab=tab,
        format=format,
        ownership=ownership,
        search=search,
        shelf=shelf,
        sort=sort,
        page=page,
        per_page=per_page,
    )
    result = library.list_library(session=session, user_id=user_id, query=query)
    return LibraryPageResponse(
        items=result.items, counts=result.counts, total=result.total, page=result.page, pages=result.pages
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=UserBookDetail)
def add_book(
    body: AddBookRequest, session: SessionDep, user_id: CurrentUserId, response: Response, tz_offset: TzOffset = 0
):
    book = BookInput(
        title=body.title, authors=body.authors, isbn=body.isbn, cover_url=body.cover_url, total_pages=body.total_pages
    )
    today = library.reader_today(tz_offset)
    # Omitted dates are today (what a client that knows no dates meant); null is unknown.
    sent = body.model_fields_set
    started_on = body.started_on if "started_on" in sent or body.status != ReadingStatus.READING.value else today
    ends = body.status in (ReadingStatus.FINISHED.value, ReadingStatus.PAUSED.value, ReadingStatus.DNF.value)
    ended_on = body.ended_on if "ended_on" in sent or not ends else today
    result = library.add_to_library(
        session=session,
        user_id=user_id,
        book=book,
        status=body.status,
        started_on=started_on,
        ended_on=ended_on,
        today=today,
    )
    if not result.created:
        response.status_code = status.HTTP_200_OK
    return library.get_detail(session=session, user_id=user_id, user_book_id=saved_id(result.user_book))


@router.get("/{user_book_id}", response_model=UserBookDetail)
def get_book(user_book_id: int, session: SessionDep, user_id: CurrentUserId):
    return library.get_detail(session=session, user_id=user_id, user_book_id=user_book_id)


@router.patch("/{user_book_id}", response_model=UserBookDetail)
def update_book(
    user_book_id: int, body: UpdateEntryRequest, session: SessionDep, user_id: CurrentUserId, tz_offset: TzOffset = 0
):
    # Only the fields sent are changed; the service applies them all or none.
    # A status change starts or ends a read today, in the reader's time zone.
    changes = library.EntryChanges(**body.model_dump(exclude_unset=True))
    return library.update_entry(
        session=session,
        user_id=user_id,
        user_book_id=user_book_id,
        changes=changes,
        today=library.reader_today(tz_offset),
    )


@router.delete("/{user_book_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_book(user_book_id: int, session: SessionDep, user_id: CurrentUserId):
    library.remove_from_library(session=session, user_id=user_id, user_book_id=user_book_id)  # posts' images too
