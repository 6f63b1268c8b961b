"""/api/v1 blocks, mutes, reports and moderation.

The moderation routes exist only for moderators (ADMIN_EMAILS): everyone
else, visitors included, gets the same 404 as for an unknown path.
"""

from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from booktracker.api.deps import CurrentUserId, SessionDep
from booktracker.models import ModerationAction, ReportReason, ReportTarget
from booktracker.services import moderation, safety
from booktracker.services.moderation import LogView, ReportView
from booktracker.services.safety import BlockedView

router = APIRouter(tags=["safety"])
PageNumber = Annotated[int, Query(ge=1, le=10_000)]


class ReportRequest(BaseModel):
    target_kind: ReportTarget
    target_id: int = Field(ge=1)
    reason: ReportReason
    details: str = Field(default="", max_length=moderation.DETAILS_MAX)


class ReportCreated(BaseModel):
    id: int
    status: str


class ActionRequest(BaseModel):
    action: ModerationAction
    note: str = Field(max_length=moderation.NOTE_MAX)


class ReportsPage(BaseModel):
    reports: list[ReportView]
    has_more: bool


class LogPage(BaseModel):
    entries: list[LogView]
    has_more: bool


# ----------------------------------------------------------------- blocks and mutes


@router.put("/users/{username}/block", status_code=status.HTTP_204_NO_CONTENT)
def block(username: str, session: SessionDep, user_id: CurrentUserId):
    """They can't see, follow, comment on or like anything of yours; follows between you go."""
    safety.block(session=session, user_id=user_id, username=username)


@router.delete("/users/{username}/block", status_code=status.HTTP_204_NO_CONTENT)
def unblock(username: str, session: SessionDep, user_id: CurrentUserId):
    safety.unblock(session=session, user_id=user_id, username=username)


@router.put("/users/{username}/mute", status_code=status.HTTP_204_NO_CONTENT)
def mute(username: str, session: SessionDep, user_id: CurrentUserId):
    """You stop seeing their posts and comments in feeds; they are not told."""
    safety.mute(session=session, user_id=user_id, username=username)


@router.delete("/users/{username}/mute", status_code=status.HTTP_204_NO_CONTENT)
def unmute(username: str, session: SessionDep, user_id: CurrentUserId):
    safety.unmute(session=session, user_id=user_id, username=username)


@router.get("/me/blocks", response_model=list[BlockedView])
def blocks(session: SessionDep, user_id: CurrentUserId, page: PageNumber = 1):
    return safety.blocked_readers(session=session, user_id=user_id, page=page)


@router.get("/me/mutes", response_model=list[BlockedView])
def mutes(session: SessionDep, user_id: CurrentUserId, page: PageNumber = 1):
    return safety.muted_readers(session=session, user_id=user_id, page=page)


# ----------------------------------------------------------------- reports


@router.post("/reports", status_code=status.HTTP_201_CREATED, response_model=ReportCreated)
def report(body: ReportRequest, session: SessionDep, user_id: CurrentUserId):
    """Report a post, a comment or a reader (one open report per target; 20 an hour)."""
    row = moderation.report(
        session=session,
        user_id=user_id,
        target_kind=body.target_kind.value,
        target_id=body.target_id,
        reason=body.reason.value,
        details=body.details,
    )
    assert row.id is not None  # stored
    return ReportCreated(id=row.id, status=row.status)


# ----------------------------------------------------------------- moderation


@router.get("/moderation/reports", response_model=ReportsPage)
def report_queue(session: SessionDep, user_id: CurrentUserId, page: PageNumber = 1):
    """Moderators only: open reports first, then the newest."""
    rows, more = moderation.reports(session=session, user_id=user_id, page=page)
    return ReportsPage(reports=rows, has_more=more)


@router.post("/moderation/reports/{report_id}/actions", response_model=ReportCreated)
def act(report_id: int, body: ActionRequest, session: SessionDep, user_id: CurrentUserId):
    """Moderators only: hide, unhide or delete the content, suspend or reinstate its author, or dismiss."""
    row = moderation.act(session=session, user_id=user_id, report_id=report_id, action=body.action, note=body.note)
    return ReportCreated(id=report_id, status=row.status)


@router.get("/moderation/log", response_model=LogPage)
def audit_log(session: SessionDep, user_id: CurrentUserId, page: PageNumber = 1):
    """Moderators only: every action with its note, newest first."""
    rows, more = moderation.log(session=session, user_id=user_id, page=page)
    return LogPage(entries=rows, has_more=more)
