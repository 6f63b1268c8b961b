"""/api/v1/shelves and /api/v1/library/{id}/shelves: the reader's own shelves (tags)."""

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from booktracker.api.deps import CurrentUserId, SessionDep
from booktracker.services import shelves
from booktracker.services.shelves import ShelfView

router = APIRouter(tags=["shelves"])

# Longer than a name may be, so the service (not pydantic) says what is wrong.
_NAME_FIELD = Field(max_length=4 * shelves.NAME_MAX, description=f"1 to {shelves.NAME_MAX} visible characters.")


class ShelfRequest(BaseModel):
    name: str = _NAME_FIELD


class EntryShelvesRequest(BaseModel):
    shelves: list[int | str] = Field(
        max_length=500,
        description="The shelves this book is on from now: ids (numbers) of your shelves, or names "
        "(strings; a new name makes a new shelf). Every other shelf loses the book.",
    )


class EntryShelvesResponse(BaseModel):
    shelves: list[str]


@router.get("/shelves", response_model=list[ShelfView])
def list_shelves(session: SessionDep, user_id: CurrentUserId):
    """Your shelves, A to Z, with the number of books on each."""
    return shelves.list_shelves(session=session, user_id=user_id)


@router.post("/shelves", status_code=status.HTTP_201_CREATED, response_model=ShelfView)
def create_shelf(body: ShelfRequest, session: SessionDep, user_id: CurrentUserId):
    return shelves.create_shelf(session=session, user_id=user_id, name=body.name)


@router.patch("/shelves/{shelf_id}", response_model=ShelfView)
def rename_shelf(shelf_id: int, body: ShelfRequest, session: SessionDep, user_id: CurrentUserId):
    return shelves.rename_shelf(session=session, user_id=user_id, shelf_id=shelf_id, name=body.name)


@router.delete("/shelves/{shelf_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_shelf(shelf_id: int, session: SessionDep, user_id: CurrentUserId):
    """Delete the shelf; its books stay in your library."""
    shelves.delete_shelf(session=session, user_id=user_id, shelf_id=shelf_id)


@router.put("/library/{user_book_id}/shelves", response_model=EntryShelvesResponse)
def set_entry_shelves(user_book_id: int, body: EntryShelvesRequest, session: SessionDep, user_id: CurrentUserId):
    names = shelves.set_entry_shelves(session=session, user_id=user_id, user_book_id=user_book_id, shelves=body.shelves)
    return EntryShelvesResponse(shelves=names)
