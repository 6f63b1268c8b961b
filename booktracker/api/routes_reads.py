"""/api/v1/library/{id}/reads: the reads of one book (re-reads, past dates).

Dates are ISO "YYYY-MM-DD" calendar dates in the reader's time zone; null is
"unknown". ``tz_offset`` (minutes east of UTC) says which day is today, the
latest date a read may have.
"""

import datetime
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from booktracker.api.deps import CurrentUserId, SessionDep
from booktracker.errors import NotFound
from booktracker.models import READ_STATUSES, ReadingStatus, ReadView
from booktracker.services import library

router = APIRouter(prefix="/library/{user_book_id}/reads", tags=["library"])

TzOffset = Annotated[
    int, Query(ge=-840, le=840, description="The reader's UTC offset in minutes east: which day is today.")
]
_DATE = "ISO date (YYYY-MM-DD) in the reader's time zone; null for unknown."


class StartReadRequest(BaseModel):
    started_on: datetime.date | None = Field(default=None, description=f"{_DATE} Omitted: today.")


class UpdateReadRequest(BaseModel):
    """Only the fields sent are changed; null sets a date to unknown."""

    started_on: datetime.date | None = Field(default=None, description=_DATE)
    ended_on: datetime.date | None = Field(default=None, description=f"{_DATE} The day it was finished or stopped.")
    status: str | None = Field(
        default=None, max_length=16, description=f"One of: {', '.join(s.value for s in READ_STATUSES)}."
    )


@router.get("", response_model=list[ReadView])
def list_reads(user_book_id: int, session: SessionDep, user_id: CurrentUserId):
    """Newest first; the first one is the current read."""
    return library.list_reads(session=session, user_id=user_id, user_book_id=user_book_id)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ReadView)
def start_read(
    user_book_id: int, body: StartReadRequest, session: SessionDep, user_id: CurrentUserId, tz_offset: TzOffset = 0
):
    """Start a read (a re-read keeps the earlier ones); 409 while one is under way."""
    today = library.reader_today(tz_offset)
    started_on = body.started_on if "started_on" in body.model_fields_set else today
    return library.start_read(
        session=session, user_id=user_id, user_book_id=user_book_id, started_on=started_on, today=today
    )


def _date(iso: str) -> datetime.date | None:
    return datetime.date.fromisoformat(iso) if iso else None


@router.patch("/{read_id}", response_model=ReadView)
def update_read(
    user_book_id: int,
    read_id: int,
    body: UpdateReadRequest,
    session: SessionDep,
    user_id: CurrentUserId,
    tz_offset: TzOffset = 0,
):
    """Correct a read's dates or status (e.g. finish it: {"status": "finished", "ended_on": "2025-03-01"})."""
    today = library.reader_today(tz_offset)
    read = _read_of(session, user_id, user_book_id, read_id)
    sent = body.model_fields_set
    started_on = body.started_on if "started_on" in sent else _date(read.started_on)
    if "ended_on" in sent:
        ended_on = body.ended_on
    elif body.status == ReadingStatus.READING.value:
        ended_on = None  # resumed: no end any more
    else:
        ended_on = _date(read.ended_on)
    return library.update_read(
        session=session,
        user_id=user_id,
        read_id=read_id,
        started_on=started_on,
        ended_on=ended_on,
        today=today,
        status=body.status,
    )


@router.delete("/{read_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_read(user_book_id: int, read_id: int, session: SessionDep, user_id: CurrentUserId):
    """The book then shows its latest read left, or goes back to "want to read"."""
    _read_of(session, user_id, user_book_id, read_id)
    library.delete_read(session=session, user_id=user_id, read_id=read_id)


def _read_of(session, user_id: int, user_book_id: int, read_id: int) -> ReadView:
    """The read, if it is one of this book's (and so the reader's)."""
    for read in library.list_reads(session=session, user_id=user_id, user_book_id=user_book_id):
        if read.id == read_id:
            return read
    raise NotFound("That read is not in your library.")
