"""/api/v1/library: the reader's own books."""

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from booktracker.api.deps import CurrentUser, SessionDep
from booktracker.api.schemas import AddBookRequest, LibraryPageResponse, UpdateEntryRequest
from booktracker.models import UserBookDetail
from booktracker.services import library, storage
from booktracker.services.books import BookInput

router = APIRouter(prefix="/library", tags=["library"])
DETAIL_FIELDS = [field.name for field in dataclasses.fields(library.DetailsUpdate)]


@router.get("", response_model=LibraryPageResponse)
def list_books(
    session: SessionDep,
    user: CurrentUser,
    tab: Annotated[str, Query(max_length=20)] = "all",
    format: Annotated[str, Query(max_length=16)] = "",
    ownership: Annotated[str, Query(max_length=16)] = "",
    search: Annotated[str, Query(max_length=library.SEARCH_MAX)] = "",
    sort: Annotated[str, Query(max_length=10)] = "updated",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=50)] = 20,
):
    query = library.LibraryQuery(
        tab=tab, format=format, ownership=ownership, search=search, sort=sort, page=page, per_page=per_page
    )
    result = library.list_library(session=session, user_id=user.id, query=query)
    return LibraryPageResponse(
        items=result.items, counts=result.counts, total=result.total, page=result.page, pages=result.pages
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=UserBookDetail)
def add_book(body: AddBookRequest, session: SessionDep, user: CurrentUser, response: Response):
    book = BookInput(
        title=body.title, authors=body.authors, isbn=body.isbn, cover_url=body.cover_url, total_pages=body.total_pages
    )
    result = library.add_to_library(session=session, user_id=user.id, book=book, status=body.status)
    if not result.created:
        response.status_code = status.HTTP_200_OK
    return library.get_detail(session=session, user_id=user.id, user_book_id=result.user_book.id)


@router.get("/{user_book_id}", response_model=UserBookDetail)
def get_book(user_book_id: int, session: SessionDep, user: CurrentUser):
    return library.get_detail(session=session, user_id=user.id, user_book_id=user_book_id)


@router.patch("/{user_book_id}", response_model=UserBookDetail)
def update_book(user_book_id: int, body: UpdateEntryRequest, session: SessionDep, user: CurrentUser):
    ids = {"session": session, "user_id": user.id, "user_book_id": user_book_id}
    detail = library.get_detail(**ids)
    sent = body.model_dump(exclude_unset=True)
    if "status" in sent and sent["status"] is not None:
        detail = library.set_status(**ids, status=sent["status"])
    if sent.get("current_page") is not None:
        detail = library.update_progress(**ids, current_page=sent["current_page"])
    changed = {
        name: value
        for name, value in sent.items()
        # null clears a rating; for the other fields null means "unchanged".
        if name in DETAIL_FIELDS and (value is not None or name == "rating")
    }
    if changed:
        values = {name: getattr(detail, name) for name in DETAIL_FIELDS} | changed
        detail = library.update_details(**ids, update=library.DetailsUpdate(**values))
    return detail


@router.delete("/{user_book_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_book(user_book_id: int, session: SessionDep, user: CurrentUser):
    storage.delete_all_quietly(library.remove_from_library(session=session, user_id=user.id, user_book_id=user_book_id))
