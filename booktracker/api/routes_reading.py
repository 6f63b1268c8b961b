"""/api/v1 stats, goals, book search and exports."""

import json
from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from booktracker.api.deps import CurrentUserId, SessionDep
from booktracker.api.schemas import BookSearchResponse, StatsResponse
from booktracker.services import book_search, exports, stats

router = APIRouter(tags=["reading"])


class GoalRequest(BaseModel):
    books: int | None = Field(default=None, ge=1, le=1000)
    pages: int | None = Field(default=None, ge=1, le=1_000_000)


@router.get("/stats", response_model=StatsResponse)
def reading_stats(session: SessionDep, user_id: CurrentUserId, tz_offset: Annotated[int, Query(ge=-840, le=840)] = 0):
    """All figures of the stats page; `tz_offset` is minutes east of UTC."""
    return stats.reading_stats(session=session, user_id=user_id, offset_minutes=tz_offset)


@router.put("/goals/{year}", status_code=status.HTTP_204_NO_CONTENT)
def set_goal(
    year: Annotated[int, Path(ge=2000, le=2100)], body: GoalRequest, session: SessionDep, user_id: CurrentUserId
):
    stats.set_goal(session=session, user_id=user_id, year=year, books=body.books, pages=body.pages)


@router.get("/books/search", response_model=BookSearchResponse)
def search_books(
    session: SessionDep,
    _reader: CurrentUserId,  # readers only: a search may call the outside book APIs
    q: Annotated[str, Query(min_length=1, max_length=book_search.QUERY_MAX)],
):
    """Google Books / Open Library results; POST one to /library to add it."""
    return book_search.search(session=session, text=q)


# Downloads, built by hand (a streamed CSV, a JSON file): Response as the class
# keeps FastAPI from announcing a JSON body of its own, so the spec lists only
# the media type actually sent.
@router.get(
    "/export/library.csv",
    response_class=Response,
    responses={
        200: {
            "description": "Goodreads-compatible CSV of the library.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
def export_csv(session: SessionDep, user_id: CurrentUserId):
    return StreamingResponse(
        exports.goodreads_csv(session=session, user_id=user_id),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="trackmyread_library.csv"'},
    )


@router.get(
    "/export/data.json",
    response_class=Response,
    responses={
        200: {
            "description": "Everything stored about the reader, as one JSON document.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
def export_json(session: SessionDep, user_id: CurrentUserId):
    body = json.dumps(exports.user_data(session=session, user_id=user_id), ensure_ascii=False)
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="trackmyread_data.json"'},
    )
