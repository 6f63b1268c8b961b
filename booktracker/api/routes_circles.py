"""/api/v1/circles: reading circles, their members, schedule, posts and boards.

Routes only translate to services/circles (and services/posts for circle
posts); the services decide who may do what.
"""

import datetime
from typing import Annotated

from fastapi import APIRouter, File, Path, Query, UploadFile, status
from pydantic import BaseModel, Field

from booktracker.api.deps import CurrentUserId, OptionalUser, SessionDep
from booktracker.api.routes_posts import NewPost, publish
from booktracker.services import circles, images, posts
from booktracker.services.posts import PostView

router = APIRouter(prefix="/circles", tags=["circles"])
Cursor = Annotated[str, Query(max_length=200)]


class CircleRequest(BaseModel):
    name: str = Field(max_length=circles.NAME_MAX * 2)
    description: str = Field(default="", max_length=circles.DESCRIPTION_MAX * 2)
    is_public: bool = True


class CircleList(BaseModel):
    circles: list[circles.CircleCard]
    has_more: bool


class RoleResponse(BaseModel):
    role: str


class RoleRequest(BaseModel):
    role: str = Field(max_length=16)


class CodeResponse(BaseModel):
    code: str


class JoinedResponse(BaseModel):
    circle_id: int


class BookRequest(BaseModel):
    book_id: int | None = Field(default=None, ge=1)
    started_on: datetime.date | None = None


class CheckpointRequest(BaseModel):
    label: str = Field(max_length=400)
    due_on: datetime.date
    page: int | None = Field(default=None, ge=1, le=100_000)


class GoalRequest(BaseModel):
    kind: str = Field(max_length=8)
    target: int = Field(default=0, ge=0, le=1_000_000)


class LeaderboardOptIn(BaseModel):
    shown: bool


class FeedResponse(BaseModel):
    posts: list[PostView]
    next_cursor: str


class ActivityResponse(BaseModel):
    items: list[circles.ActivityItem]
    has_more: bool


def _viewer(user) -> int | None:
    return user.id if user else None


@router.get("", response_model=CircleList)
def list_circles(
    session: SessionDep,
    user: OptionalUser,
    tab: Annotated[str, Query(max_length=10)] = "discover",
    q: Annotated[str, Query(max_length=80)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
):
    cards, more = circles.list_circles(session=session, viewer_id=_viewer(user), tab=tab, query=q, page=page)
    return CircleList(circles=cards, has_more=more)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=circles.CircleOverview)
def create_circle(body: CircleRequest, session: SessionDep, user_id: CurrentUserId):
    data = circles.CircleInput(**body.model_dump())
    circle_id = circles.create_circle(session=session, user_id=user_id, data=data)
    return circles.overview(session=session, viewer_id=user_id, circle_id=circle_id)


@router.post("/join/{code}", response_model=JoinedResponse)
def join_by_code(code: Annotated[str, Path(max_length=64)], session: SessionDep, user_id: CurrentUserId):
    return JoinedResponse(circle_id=circles.join_by_code(session=session, user_id=user_id, code=code))


@router.get("/{circle_id}", response_model=circles.CircleOverview)
def get_circle(circle_id: int, session: SessionDep, user: OptionalUser):
    return circles.overview(session=session, viewer_id=_viewer(user), circle_id=circle_id)


@router.patch("/{circle_id}", response_model=circles.CircleOverview)
def edit_circle(circle_id: int, body: CircleRequest, session: SessionDep, user_id: CurrentUserId):
    data = circles.CircleInput(**body.model_dump())
    circles.edit_circle(session=session, user_id=user_id, circle_id=circle_id, data=data)
    return circles.overview(session=session, viewer_id=user_id, circle_id=circle_id)


@router.delete("/{circle_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_circle(circle_id: int, session: SessionDep, user_id: CurrentUserId):
    circles.delete_circle(session=session, user_id=user_id, circle_id=circle_id)


@router.put("/{circle_id}/cover", response_model=circles.CircleOverview)
async def set_cover(circle_id: int, session: SessionDep, user_id: CurrentUserId, image: Annotated[UploadFile, File()]):
    """Multipart; JPEG/PNG/WebP, ≤ 5 MB, ≤ 25 MP, cleaned like post images."""
    images.check_declared_size(image.size)
    data = await image.read(images.MAX_IMAGE_BYTES + 1)
    circles.set_cover(session=session, user_id=user_id, circle_id=circle_id, image=data)
    return circles.overview(session=session, viewer_id=user_id, circle_id=circle_id)


@router.delete("/{circle_id}/cover", status_code=status.HTTP_204_NO_CONTENT)
def remove_cover(circle_id: int, session: SessionDep, user_id: CurrentUserId):
    circles.set_cover(session=session, user_id=user_id, circle_id=circle_id, image=None)


@router.post("/{circle_id}/join", response_model=RoleResponse)
def join(circle_id: int, session: SessionDep, user_id: CurrentUserId):
    """Joins a public circle; for a private one, asks to join ("pending")."""
    return RoleResponse(role=circles.join(session=session, user_id=user_id, circle_id=circle_id))


@router.post("/{circle_id}/request", response_model=RoleResponse)
def request_to_join(circle_id: int, session: SessionDep, user_id: CurrentUserId):
    """The same as join: a request where approval is needed."""
    return RoleResponse(role=circles.join(session=session, user_id=user_id, circle_id=circle_id))


@router.post("/{circle_id}/leave", status_code=status.HTTP_204_NO_CONTENT)
def leave(circle_id: int, session: SessionDep, user_id: CurrentUserId):
    circles.leave(session=session, user_id=user_id, circle_id=circle_id)


@router.get("/{circle_id}/requests", response_model=list[circles.RequestView])
def requests(
    circle_id: int, session: SessionDep, user_id: CurrentUserId, offset: Annotated[int, Query(ge=0, le=100_000)] = 0
):
    return circles.pending_requests(session=session, user_id=user_id, circle_id=circle_id, offset=offset)


@router.post("/{circle_id}/requests/{member_id}/approve", status_code=status.HTTP_204_NO_CONTENT)
def approve(circle_id: int, member_id: int, session: SessionDep, user_id: CurrentUserId):
    circles.approve(session=session, user_id=user_id, circle_id=circle_id, member_id=member_id)


@router.post("/{circle_id}/requests/{member_id}/decline", status_code=status.HTTP_204_NO_CONTENT)
def decline(circle_id: int, member_id: int, session: SessionDep, user_id: CurrentUserId):
    circles.decline(session=session, user_id=user_id, circle_id=circle_id, member_id=member_id)


@router.get("/{circle_id}/members", response_model=list[circles.MemberProgress])
def members(
    circle_id: int, session: SessionDep, user: OptionalUser, offset: Annotated[int, Query(ge=0, le=100_000)] = 0
):
    """Members with their progress on the current book, furthest first."""
    return circles.members_progress(session=session, viewer_id=_viewer(user), circle_id=circle_id, offset=offset)


@router.delete("/{circle_id}/members/{member_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_member(circle_id: int, member_id: int, session: SessionDep, user_id: CurrentUserId):
    circles.remove_member(session=session, user_id=user_id, circle_id=circle_id, member_id=member_id)


@router.put("/{circle_id}/members/{member_id}/role", status_code=status.HTTP_204_NO_CONTENT)
def set_role(circle_id: int, member_id: int, body: RoleRequest, session: SessionDep, user_id: CurrentUserId):
    circles.set_role(session=session, user_id=user_id, circle_id=circle_id, member_id=member_id, role=body.role)


@router.put("/{circle_id}/leaderboard-opt-in", status_code=status.HTTP_204_NO_CONTENT)
def leaderboard_opt_in(circle_id: int, body: LeaderboardOptIn, session: SessionDep, user_id: CurrentUserId):
    circles.set_on_leaderboard(session=session, user_id=user_id, circle_id=circle_id, shown=body.shown)


@router.get("/{circle_id}/invite", response_model=CodeResponse)
def invite(circle_id: int, session: SessionDep, user_id: CurrentUserId):
    return CodeResponse(code=circles.invite_code(session=session, user_id=user_id, circle_id=circle_id))


@router.post("/{circle_id}/invite/rotate", response_model=CodeResponse)
def rotate_invite(circle_id: int, session: SessionDep, user_id: CurrentUserId):
    """A new code; the old one stops working at once."""
    return CodeResponse(code=circles.rotate_code(session=session, user_id=user_id, circle_id=circle_id))


@router.put("/{circle_id}/book", response_model=circles.CircleOverview)
def set_book(circle_id: int, body: BookRequest, session: SessionDep, user_id: CurrentUserId):
    circles.set_current_book(
        session=session, user_id=user_id, circle_id=circle_id, book_id=body.book_id, started_on=body.started_on
    )
    return circles.overview(session=session, viewer_id=user_id, circle_id=circle_id)


@router.get("/{circle_id}/checkpoints", response_model=list[circles.CheckpointView])
def checkpoints(circle_id: int, session: SessionDep, user: OptionalUser):
    return circles.schedule_of(session=session, viewer_id=_viewer(user), circle_id=circle_id)


@router.post(
    "/{circle_id}/checkpoints", status_code=status.HTTP_201_CREATED, response_model=list[circles.CheckpointView]
)
def add_checkpoint(circle_id: int, body: CheckpointRequest, session: SessionDep, user_id: CurrentUserId):
    circles.add_checkpoint(session=session, user_id=user_id, circle_id=circle_id, **body.model_dump())
    return circles.schedule_of(session=session, viewer_id=user_id, circle_id=circle_id)


@router.delete("/{circle_id}/checkpoints/{checkpoint_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_checkpoint(circle_id: int, checkpoint_id: int, session: SessionDep, user_id: CurrentUserId):
    circles.delete_checkpoint(session=session, user_id=user_id, circle_id=circle_id, checkpoint_id=checkpoint_id)


@router.put("/{circle_id}/goal", response_model=circles.CircleOverview)
def set_goal(circle_id: int, body: GoalRequest, session: SessionDep, user_id: CurrentUserId):
    circles.set_goal(session=session, user_id=user_id, circle_id=circle_id, kind=body.kind, target=body.target)
    return circles.overview(session=session, viewer_id=user_id, circle_id=circle_id)


@router.get("/{circle_id}/posts", response_model=FeedResponse)
def circle_posts(circle_id: int, session: SessionDep, user: OptionalUser, cursor: Cursor = ""):
    circles.require_content(session=session, viewer_id=_viewer(user), circle_id=circle_id)
    page = posts.circle_posts(session=session, viewer_id=_viewer(user), circle_id=circle_id, cursor=cursor)
    return FeedResponse(posts=page.posts, next_cursor=page.next_cursor)


@router.post("/{circle_id}/posts", status_code=status.HTTP_201_CREATED, response_model=PostView)
def create_post(circle_id: int, session: SessionDep, user_id: CurrentUserId, form: NewPost):
    """Members only; multipart like `POST /posts` (its audience is the circle's)."""
    return publish(session, user_id, form, circle_id=circle_id)


@router.get("/{circle_id}/leaderboard", response_model=list[circles.LeaderRow])
def leaderboard(
    circle_id: int, session: SessionDep, user: OptionalUser, period: Annotated[str, Query(max_length=8)] = "month"
):
    """Pages read this month (`month`) or all time (`all`) by members who opted in."""
    return circles.leaderboard(session=session, viewer_id=_viewer(user), circle_id=circle_id, period=period)


@router.get("/{circle_id}/activity", response_model=ActivityResponse)
def activity(circle_id: int, session: SessionDep, user: OptionalUser, page: Annotated[int, Query(ge=1, le=500)] = 1):
    items, more = circles.activity(session=session, viewer_id=_viewer(user), circle_id=circle_id, page=page)
    return ActivityResponse(items=items, has_more=more)
