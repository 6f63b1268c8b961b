"""/api/v1 stats, goals, book search and exports."""

import dataclasses
import json
from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from booktracker.api.deps import CurrentUser, SessionDep
from booktracker.services import book_search, exports, stats

router = APIRouter(tags=["reading"])


class GoalRequest(BaseModel):
    books: int | None = Field(default=None, ge=1, le=1000)
    pages: int | None = Field(default=None, ge=1, le=1_000_000)


@router.get("/stats")
def reading_stats(session: SessionDep, user: CurrentUser, tz_offset: Annotated[int, Query(ge=-840, le=840)] = 0):
    """All figures of the stats page; `tz_offset` is minutes east of UTC."""
    return dataclasses.asdict(stats.reading_stats(session=session, user_id=user.id, offset_minutes=tz_offset))


@router.put("/goals/{year}", status_code=status.HTTP_204_NO_CONTENT)
def set_goal(year: Annotated[int, Path(ge=2000, le=2100)], body: GoalRequest, session: SessionDep, user: CurrentUser):
    stats.set_goal(session=session, user_id=user.id, year=year, books=body.books, pages=body.pages)


@router.get("/books/search")
def search_books(
    session: SessionDep, user: CurrentUser, q: Annotated[str, Query(min_length=1, max_length=book_search.QUERY_MAX)]
):
    """Google Books / Open Library results; POST one to /library to add it."""
    return [dataclasses.asdict(result) for result in book_search.search(session=session, text=q)]


@router.get("/export/library.csv")
def export_csv(session: SessionDep, user: CurrentUser):
    return StreamingResponse(
        exports.goodreads_csv(session=session, user_id=user.id),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="trackmyread_library.csv"'},
    )


@router.get("/export/data.json")
def export_json(session: SessionDep, user: CurrentUser):
    body = json.dumps(exports.user_data(session=session, user_id=user.id), ensure_ascii=False)
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="trackmyread_data.json"'},
    )
