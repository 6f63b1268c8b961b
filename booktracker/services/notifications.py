"""In-app notifications: what other readers did that concerns a reader.

Creating one (``notify``) is at most ONE statement inside the action's own
transaction: an ``INSERT … SELECT … WHERE`` that stores nothing when the
recipient turned that kind off or when either reader blocked the other, and
``RETURNING`` the new id (so we know a row went in) and the actor's name (for
a push message) in that same statement. Your own actions are skipped in
Python, before any SQL. The action commits; only then (a SQLAlchemy
``after_commit`` hook on its session) is ``events.NotificationsCreated``
emitted, so a rolled-back action tells nobody.

One row per action; grouping ("Ann and 3 others liked your post") happens
when the list is read (services/notification_list.py: ``page``,
``unread_count``, ``mark_read``, importable from here too).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import SessionTransaction, aliased
from sqlmodel import Session, col

from booktracker.db import utcnow
from booktracker.models import Notification, NotificationKind, User
from booktracker.services import events, privacy
from booktracker.services.notification_list import (
    PAGE_SIZE,
    NotificationPage,
    NotificationView,
    group_text,
    mark_read,
    page,
    unread_count,
)

# Reading the list lives in notification_list; callers use it from here too.
__all__ = [
    "NOTIFICATIONS_PATH",
    "PAGE_SIZE",
    "NotificationPage",
    "NotificationView",
    "forget_unread",
    "group_text",
    "kind_enabled",
    "mark_read",
    "notify",
    "page",
    "unread_count",
]

# The notifications page (booktracker/routes.py NOTIFICATIONS; services do not
# import Reflex, tests/services/test_notifications.py checks they agree).
NOTIFICATIONS_PATH = "/notifications"

_PENDING = "booktracker.notifications.pending"
_HOOKED = "booktracker.notifications.hooked"


@dataclass(frozen=True)
class _Pending:
    user_id: int
    actor_id: int
    kind: str
    actor_name: str
    # The transaction (or savepoint) the row was inserted in: rolling it back drops it.
    transaction: SessionTransaction | None


def kind_enabled(kind: str) -> sa.ColumnElement[bool]:
    """The recipient (the users row in the query) has not turned ``kind`` off.

    ``notifications_off`` is a comma-separated list of NotificationKind values;
    kinds hold no LIKE wildcards (``%``, ``_``)."""
    wrapped = sa.literal(",") + col(User.notifications_off) + sa.literal(",")
    return ~wrapped.like(f"%,{kind},%")


def notify(
    *,
    session: Session,
    kind: NotificationKind,
    user_id: int,
    actor_id: int,
    post_id: int | None = None,
    comment_id: int | None = None,
    circle_id: int | None = None,
    created_at: datetime.datetime | None = None,
) -> None:
    """Tell ``user_id`` that ``actor_id`` did ``kind``: one INSERT in the caller's
    transaction (not committed here), none for one's own action. The event
    follows the caller's commit."""
    if user_id == actor_id:
        return
    kind = NotificationKind(kind)
    actor = aliased(User)
    source = sa.select(
        sa.literal(user_id, sa.Integer),
        sa.literal(actor_id, sa.Integer),
        sa.literal(kind.value, sa.String),
        sa.literal(post_id, sa.Integer),
        sa.literal(comment_id, sa.Integer),
        sa.literal(circle_id, sa.Integer),
        sa.literal(created_at or utcnow(), Notification.__table__.c.created_at.type),  # type: ignore[attr-defined]
    ).where(
        # The recipient exists and has this kind on; no block either way.
        sa.exists().where(col(User.id) == user_id, kind_enabled(kind.value)),
        privacy.not_hidden_between(user_id, actor_id),
    )
    names = ["user_id", "actor_id", "kind", "post_id", "comment_id", "circle_id", "created_at"]
    actor_name = sa.select(col(actor.name)).where(col(actor.id) == actor_id).scalar_subquery()
    insert = (
        sa.insert(Notification)
        .from_select(names, source, include_defaults=False)
        .returning(col(Notification.id), actor_name)
    )
    row = session.execute(insert).first()
    if row is None:
        return
    _hook(session)
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING, []).append(_Pending(user_id, actor_id, kind.value, row[1] or "", transaction))


def forget_unread(
    *,
    session: Session,
    kinds: tuple[NotificationKind, ...],
    actor_id: int,
    user_id: int | None = None,
    post_id: int | None = None,
) -> None:
    """Take back the unread notifications of an action undone (an unlike, an
    unfollow, a withdrawn request): one DELETE in the caller's transaction.
    Read ones stay: they are history. A badge already counted drops at the
    next page load (no event: it was news for a moment)."""
    where = [
        col(Notification.kind).in_([NotificationKind(kind).value for kind in kinds]),
        col(Notification.actor_id) == actor_id,
        col(Notification.read_at).is_(None),
    ]
    if user_id is not None:
        where.append(col(Notification.user_id) == user_id)
    if post_id is not None:
        where.append(col(Notification.post_id) == post_id)
    session.execute(sa.delete(Notification).where(*where))


# ----------------------------------------------------------------- after the commit


def _hook(session: Session) -> None:
    """Listen to this session's commits and rollbacks, once per session."""
    if session.info.get(_HOOKED):
        return
    session.info[_HOOKED] = True
    event.listen(session, "after_commit", _after_commit)
    event.listen(session, "after_soft_rollback", _after_soft_rollback)


def _within(transaction: SessionTransaction | None, ended: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


def _after_soft_rollback(session: Any, previous_transaction: SessionTransaction) -> None:
    """A rolled-back savepoint drops the notifications inserted inside it; the
    whole transaction's rollback drops them all."""
    pending: list[_Pending] = session.info.get(_PENDING, [])
    if previous_transaction.nested:
        session.info[_PENDING] = [p for p in pending if not _within(p.transaction, previous_transaction)]
    else:
        session.info.pop(_PENDING, None)


def _after_commit(session: Any) -> None:
    root = session.get_transaction()
    if root is not None and root.is_active:
        return  # a savepoint was released: the action has not committed yet
    pending: list[_Pending] = session.info.pop(_PENDING, [])
    if not pending:
        return
    # One event per actor (an action has one actor; mentions notify several readers).
    by_actor: dict[int, list[_Pending]] = {}
    for p in pending:
        by_actor.setdefault(p.actor_id, []).append(p)
    for items in by_actor.values():
        events.emit(
            events.NotificationsCreated(
                user_ids=tuple(p.user_id for p in items),
                kinds=tuple(p.kind for p in items),
                actor_name=items[0].actor_name,
                path=NOTIFICATIONS_PATH,
            )
        )
