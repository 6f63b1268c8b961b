"""/api/v1/recommendations: "For you", each book with the reason it is suggested."""

from fastapi import APIRouter

from booktracker.api.deps import CurrentUserId, SessionDep
from booktracker.services import recommendations
from booktracker.services.recommendations import Suggestion

router = APIRouter(tags=["recommendations"])


@router.get("/recommendations", response_model=list[Suggestion])
def for_you(session: SessionDep, user_id: CurrentUserId):
    """Friends' picks, books by authors you rated highly, then buddy reads;
    a book only once (three SQL statements)."""
    return recommendations.for_you(session=session, user_id=user_id)
