"""/api/v1 readers: profiles, follows, search, friends reading."""

from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from booktracker.api.deps import CurrentUser, CurrentUserId, OptionalUser, SessionDep
from booktracker.services import privacy_settings, social
from booktracker.services.social import PersonView, ProfileView, ReadingView

router = APIRouter(tags=["readers"])
PageNumber = Annotated[int, Query(ge=1, le=10_000)]


class FollowStatus(BaseModel):
    # "requested": the profile is followers-only or private, the reader approves or declines.
    status: str = Field(examples=["following", "requested"])


@router.get("/users", response_model=list[PersonView])
def search(session: SessionDep, user: CurrentUser, q: Annotated[str, Query(max_length=80)] = "", page: PageNumber = 1):
    return social.search_people(session=session, viewer_id=user.id, text=q, page=page)


@router.get("/users/{username}", response_model=ProfileView)
def profile(username: str, session: SessionDep, user: OptionalUser):
    return social.profile(session=session, viewer_id=user.id if user else None, username=username)


@router.get("/users/{username}/followers", response_model=list[PersonView])
def followers(username: str, session: SessionDep, user: OptionalUser, page: PageNumber = 1):
    return social.followers(session=session, viewer_id=user.id if user else None, username=username, page=page)


@router.get("/users/{username}/following", response_model=list[PersonView])
def following(username: str, session: SessionDep, user: OptionalUser, page: PageNumber = 1):
    return social.following(session=session, viewer_id=user.id if user else None, username=username, page=page)


@router.put("/users/{username}/follow", response_model=FollowStatus)
def follow(username: str, session: SessionDep, user_id: CurrentUserId):
    return FollowStatus(status=social.follow(session=session, user_id=user_id, username=username))


@router.delete("/users/{username}/follow", status_code=status.HTTP_204_NO_CONTENT)
def unfollow(username: str, session: SessionDep, user_id: CurrentUserId):
    social.unfollow(session=session, user_id=user_id, username=username)


@router.get("/me/friends-reading", response_model=list[ReadingView])
def friends_reading(session: SessionDep, user_id: CurrentUserId):
    return social.friends_reading(session=session, user_id=user_id)


@router.get("/me/follow-requests", response_model=list[PersonView])
def follow_requests(session: SessionDep, user_id: CurrentUserId, page: PageNumber = 1):
    return privacy_settings.follow_requests(session=session, user_id=user_id, page=page)


@router.post("/me/follow-requests/{username}/approve", status_code=status.HTTP_204_NO_CONTENT)
def approve_follow(username: str, session: SessionDep, user_id: CurrentUserId):
    privacy_settings.approve_follow(session=session, user_id=user_id, username=username)


@router.post("/me/follow-requests/{username}/decline", status_code=status.HTTP_204_NO_CONTENT)
def decline_follow(username: str, session: SessionDep, user_id: CurrentUserId):
    privacy_settings.decline_follow(session=session, user_id=user_id, username=username)
