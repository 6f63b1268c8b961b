"""Reports from readers, and what moderators do about them.

Moderators are the readers whose email is listed in ``ADMIN_EMAILS``
(settings.py); to everyone else the moderation page and API do not exist
(404). Every action writes a ``ModerationLog`` row with the moderator's note.
Hiding keeps a post or comment for its author only (services/privacy.py);
deleting goes through the posts' own delete use cases (images included);
a suspended reader's tokens stop working at their next event or request
(services/auth.py) and their content is hidden from everyone else.
"""

from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col, func, select
from sqlmodel.sql.expression import Select

from booktracker.db import UTCDateTime, utcnow
from booktracker.errors import Conflict, InvalidInput, NotFound
from booktracker.models import (
    Comment,
    ModerationAction,
    ModerationLog,
    Post,
    Report,
    ReportReason,
    ReportStatus,
    ReportTarget,
    User,
    saved_id,
)
from booktracker.services import posts, privacy
from booktracker.services import text as texts
from booktracker.services.posts import media
from booktracker.services.posts.cards import visible_to
from booktracker.services.throttle import TooManyAttempts
from booktracker.settings import settings

DETAILS_MAX = NOTE_MAX = 1000
REPORTS_PER_HOUR = 20
QUEUE_PAGE = LOG_PAGE = 20
NOT_FOUND = "This page does not exist."
# What each action may be applied to.
CONTENT_ACTIONS = {ModerationAction.HIDE, ModerationAction.UNHIDE, ModerationAction.DELETE}
ACCOUNT_ACTIONS = {ModerationAction.SUSPEND, ModerationAction.REINSTATE}


class ReportView(SQLModel):
    id: int
    target_kind: str
    target_id: int
    target_username: str  # the reader the content belongs to ("" once their account is gone)
    target_name: str
    content: str  # the post's or comment's text, or the reader's bio; "" once deleted
    content_exists: bool
    content_hidden: bool
    target_suspended: bool
    reason: str
    details: str
    status: str
    reporter_username: str
    created_at: str


class LogView(SQLModel):
    id: int
    moderator_username: str
    action: str
    target_kind: str
    target_id: int
    report_id: int
    note: str
    created_at: str


# ----------------------------------------------------------------- who moderates


def is_moderator(user: User | None) -> bool:
    return user is not None and user.email.strip().lower() in settings.admin_emails


def require_moderator(session: Session, user_id: int) -> User:
    """The moderator, or NotFound: the moderation tools don't exist for others."""
    user = session.get(User, user_id)
    if not is_moderator(user):
        raise NotFound(NOT_FOUND)
    assert user is not None
    return user


# ----------------------------------------------------------------- reporting


def _target_author(session: Session, reporter_id: int, kind: str, target_id: int) -> int:
    """The reader the reported thing belongs to; NotFound for what the reporter can't see."""
    if kind == ReportTarget.POST:
        author = session.exec(select(Post.user_id).where(col(Post.id) == target_id, visible_to(reporter_id))).first()
    elif kind == ReportTarget.COMMENT:
        author = session.exec(
            select(Comment.user_id)
            .join(Post, col(Post.id) == col(Comment.note_id))
            .where(
                col(Comment.id) == target_id,
                visible_to(reporter_id),
                privacy.can_see_comment(reporter_id, muted=False),
            )
        ).first()
    else:
        author = session.exec(
            select(User.id).where(
                col(User.id) == target_id,
                privacy.reader_exists_for(reporter_id),
                col(User.suspended_at).is_(None),
            )
        ).first()
    if author is None:
        raise NotFound(f"That {kind} does not exist.")
    return author


def report(
    *, session: Session, user_id: int, target_kind: str, target_id: int, reason: str, details: str = ""
) -> Report:
    """Report a post, a comment or a reader: once per target while open, 20 an hour."""
    if target_kind not in set(ReportTarget):
        raise InvalidInput("Report a post, a comment or a reader.", field="target_kind")
    if reason not in set(ReportReason):
        raise InvalidInput("Choose a reason for the report.", field="reason")
    details = texts.strip_bidi_controls(details).strip()
    if len(details) > DETAILS_MAX:
        raise InvalidInput(f"Details can be at most {DETAILS_MAX:,} characters.", field="details")
    author_id = _target_author(session, user_id, target_kind, target_id)
    if author_id == user_id:
        raise InvalidInput("You cannot report yourself or what you wrote.", field="target_id")
    hour_ago = utcnow() - datetime.timedelta(hours=1)
    mine = [col(Report.reporter_id) == user_id]
    same = sa.exists().where(
        *mine,
        col(Report.target_kind) == target_kind,
        col(Report.target_id) == target_id,
        col(Report.status) == ReportStatus.OPEN.value,
    )
    recent = select(func.count(), func.min(Report.created_at)).where(
        *mine, col(Report.created_at) > sa.literal(hour_ago, UTCDateTime())
    )
    already, (count, oldest) = session.exec(select(same)).one(), session.exec(recent).one()
    if already:
        raise Conflict("You already reported this; a moderator will look at it.")
    if count >= REPORTS_PER_HOUR:
        raise TooManyAttempts(oldest + datetime.timedelta(hours=1) - utcnow())
    row = Report(
        reporter_id=user_id,
        target_kind=target_kind,
        target_id=target_id,
        target_user_id=author_id,
        reason=reason,
        details=details,
    )
    session.add(row)
    session.commit()
    return row


# ----------------------------------------------------------------- the queue


def _content_columns() -> list[Any]:
    """The reported text and whether it is hidden / still exists, as subqueries."""
    kind = col(Report.target_kind)

    def of(model, column) -> Any:
        return select(column).where(model.id == Report.target_id).scalar_subquery()

    content = sa.case(
        (kind == ReportTarget.POST.value, of(Post, col(Post.text))),
        (kind == ReportTarget.COMMENT.value, of(Comment, col(Comment.text))),
        else_=of(User, col(User.bio)),
    )
    exists = sa.case(
        (kind == ReportTarget.POST.value, sa.exists().where(col(Post.id) == Report.target_id)),
        (kind == ReportTarget.COMMENT.value, sa.exists().where(col(Comment.id) == Report.target_id)),
        else_=sa.exists().where(col(User.id) == Report.target_id),
    )
    hidden = sa.case(
        (kind == ReportTarget.POST.value, of(Post, col(Post.hidden_at))),
        (kind == ReportTarget.COMMENT.value, of(Comment, col(Comment.hidden_at))),
        else_=sa.null(),
    )
    return [content, exists, hidden]


def reports(*, session: Session, user_id: int, page: int = 1) -> tuple[list[ReportView], bool]:
    """The report queue, open reports first then newest first, in one statement.

    Returns the page and whether there is another.
    """
    require_moderator(session, user_id)
    reporter, target = aliased(User), aliased(User)
    columns = [col(reporter.username), col(target.username), col(target.name), col(target.suspended_at)]
    query = (
        Select(Report, *columns, *_content_columns())
        .join(reporter, col(reporter.id) == col(Report.reporter_id))
        .outerjoin(target, col(target.id) == col(Report.target_user_id))
        .order_by(
            sa.case((col(Report.status) == ReportStatus.OPEN.value, 0), else_=1),
            col(Report.created_at).desc(),
            col(Report.id).desc(),
        )
        .offset((max(1, page) - 1) * QUEUE_PAGE)
        .limit(QUEUE_PAGE + 1)
    )
    rows = session.exec(query).all()
    views = [
        ReportView(
            id=saved_id(r),
            target_kind=r.target_kind,
            target_id=r.target_id,
            target_username=username or "",
            target_name=name or "",
            content=content or "",
            content_exists=bool(exists),
            content_hidden=hidden is not None,
            target_suspended=suspended is not None,
            reason=r.reason,
            details=r.details,
            status=r.status,
            reporter_username=reporter_name,
            created_at=r.created_at.isoformat(),
        )
        for r, reporter_name, username, name, suspended, content, exists, hidden in rows[:QUEUE_PAGE]
    ]
    return views, len(rows) > QUEUE_PAGE


def log(*, session: Session, user_id: int, page: int = 1) -> tuple[list[LogView], bool]:
    """The audit log, newest first, in one statement."""
    require_moderator(session, user_id)
    rows = session.exec(
        select(ModerationLog, User.username)
        .outerjoin(User, col(User.id) == col(ModerationLog.moderator_id))
        .order_by(col(ModerationLog.created_at).desc(), col(ModerationLog.id).desc())
        .offset((max(1, page) - 1) * LOG_PAGE)
        .limit(LOG_PAGE + 1)
    ).all()
    views = [
        LogView(
            id=saved_id(entry),
            moderator_username=username or "",
            action=entry.action,
            target_kind=entry.target_kind,
            target_id=entry.target_id,
            report_id=entry.report_id or 0,
            note=entry.note,
            created_at=entry.created_at.isoformat(),
        )
        for entry, username in rows[:LOG_PAGE]
    ]
    return views, len(rows) > LOG_PAGE


# ----------------------------------------------------------------- actions


def act(*, session: Session, user_id: int, report_id: int, action: str, note: str) -> Report:
    """Apply a moderator's action to what a report is about, close the report
    (and every other open report of the same thing) and log it with the note."""
    require_moderator(session, user_id)
    note = texts.strip_bidi_controls(note).strip()
    if not texts.has_visible(note):
        raise InvalidInput("Write a note for the log: what was done and why.", field="note")
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"Notes can be at most {NOTE_MAX:,} characters.", field="note")
    if action not in set(ModerationAction):
        raise InvalidInput("Unknown moderation action.", field="action")
    row = session.get(Report, report_id)
    if row is None:
        raise NotFound("That report does not exist.")
    kind, target_id = row.target_kind, row.target_id
    if action in CONTENT_ACTIONS:
        if kind == ReportTarget.USER:
            raise InvalidInput("Hide or delete applies to a post or a comment; suspend the reader instead.")
        _apply_to_content(session, kind, target_id, ModerationAction(action))
    elif action in ACCOUNT_ACTIONS:
        kind, target_id = ReportTarget.USER.value, _account_of(row)
        _apply_to_account(session, user_id, target_id, suspend=action == ModerationAction.SUSPEND)
    status = ReportStatus.DISMISSED if action == ModerationAction.DISMISS else ReportStatus.RESOLVED
    now = utcnow()
    closing = sa.or_(
        col(Report.id) == report_id,
        sa.and_(
            col(Report.target_kind) == row.target_kind,
            col(Report.target_id) == row.target_id,
            col(Report.status) == ReportStatus.OPEN.value,
        ),
    )
    session.exec(sa.update(Report).where(closing).values(status=status.value, resolved_at=now, resolved_by=user_id))
    session.add(
        ModerationLog(
            moderator_id=user_id, action=action, target_kind=kind, target_id=target_id, report_id=report_id, note=note
        )
    )
    session.commit()
    # Hidden posts and a suspended reader's posts are no longer a visitor's
    # to see: their images leave public storage (and come back on unhide or
    # reinstatement).
    author_id = _account_of(row) if row.target_user_id is not None or kind == ReportTarget.USER else None
    if author_id is not None and action in (
        ModerationAction.HIDE,
        ModerationAction.UNHIDE,
        ModerationAction.SUSPEND,
        ModerationAction.REINSTATE,
    ):
        media.sync_author_images(session=session, user_id=author_id)
    session.refresh(row)
    return row


def _account_of(row: Report) -> int:
    target = row.target_id if row.target_kind == ReportTarget.USER else row.target_user_id
    if target is None:
        raise NotFound("That reader's account no longer exists.")
    return target


def _apply_to_content(session: Session, kind: str, target_id: int, action: ModerationAction) -> None:
    model = Post if kind == ReportTarget.POST else Comment
    item = session.get(model, target_id)
    if item is None:
        raise NotFound(f"That {kind} no longer exists.")
    if action == ModerationAction.DELETE:
        # The authors' own delete use cases: likes, comments and images go too.
        if isinstance(item, Post):
            posts.delete_post(session=session, user_id=item.user_id, post_id=target_id)
        else:
            posts.delete_comment(session=session, user_id=item.user_id, comment_id=target_id)
        return
    item.hidden_at = utcnow() if action == ModerationAction.HIDE else None
    session.add(item)


def _apply_to_account(session: Session, moderator_id: int, target_id: int, *, suspend: bool) -> None:
    user = session.get(User, target_id)
    if user is None:
        raise NotFound("That reader's account no longer exists.")
    if suspend and (target_id == moderator_id or is_moderator(user)):
        raise InvalidInput("Moderators cannot be suspended here; remove them from ADMIN_EMAILS first.")
    user.suspended_at = utcnow() if suspend else None
    session.add(user)
