"""/api/v1 notifications: the grouped list, the unread count, mark read, and
the reader's notification settings (kinds on/off, the daily email digest)."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from booktracker.api.deps import CurrentUserId, SessionDep
from booktracker.errors import InvalidInput
from booktracker.services import notification_settings, notifications
from booktracker.services.notification_settings import NotificationSettings
from booktracker.services.notifications import NotificationPage

router = APIRouter(tags=["notifications"])


class UnreadCount(BaseModel):
    unread: int


class MarkRead(BaseModel):
    # Either the ids of the notifications to mark (a list item's ``ids``) or all of them.
    ids: list[int] | None = Field(default=None, max_length=1000)
    all: bool = False


class Marked(BaseModel):
    marked: int


class SettingsChange(BaseModel):
    """One switch at a time: a kind on or off, or the digest."""

    kind: str | None = Field(default=None, max_length=32, examples=["like"])
    on: bool | None = None
    digest_email: bool | None = None


@router.get("/notifications", response_model=NotificationPage)
def list_notifications(
    session: SessionDep,
    user_id: CurrentUserId,
    cursor: Annotated[str, Query(max_length=40)] = "",
    limit: Annotated[int, Query(ge=1, le=50)] = notifications.PAGE_SIZE,
):
    """Newest first, grouped by kind and post; ``next_cursor`` pages on ("" on the last page)."""
    return notifications.page(session=session, user_id=user_id, cursor=cursor, limit=limit)


@router.get("/notifications/unread-count", response_model=UnreadCount)
def unread_count(session: SessionDep, user_id: CurrentUserId):
    return UnreadCount(unread=notifications.unread_count(session=session, user_id=user_id))


@router.post("/notifications/read", response_model=Marked)
def mark_read(body: MarkRead, session: SessionDep, user_id: CurrentUserId):
    if body.all == (body.ids is not None):
        raise InvalidInput('Send either "ids" or "all": true.', field="ids")
    ids = None if body.all else body.ids
    return Marked(marked=notifications.mark_read(session=session, user_id=user_id, ids=ids))


@router.get("/me/notification-settings", response_model=NotificationSettings)
def get_settings(session: SessionDep, user_id: CurrentUserId):
    return notification_settings.get(session=session, user_id=user_id)


@router.patch("/me/notification-settings", response_model=NotificationSettings)
def change_settings(body: SettingsChange, session: SessionDep, user_id: CurrentUserId):
    if body.kind is not None and body.on is not None and body.digest_email is None:
        return notification_settings.set_kind(session=session, user_id=user_id, kind=body.kind, on=body.on)
    if body.digest_email is not None and body.kind is None and body.on is None:
        return notification_settings.set_digest(session=session, user_id=user_id, on=body.digest_email)
    raise InvalidInput('Send "kind" and "on", or "digest_email".', field="kind")
