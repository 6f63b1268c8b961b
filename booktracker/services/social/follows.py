"""Following a reader, or asking to (followers-only and private profiles), and unfollowing."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete

from booktracker.errors import InvalidInput
from booktracker.models import Follow, NotificationKind, saved_id
from booktracker.services import notifications, privacy, safety
from booktracker.services.social.people import reader_named

FOLLOW_FOLLOWING, FOLLOW_REQUESTED = "following", "requested"


def follow(*, session: Session, user_id: int, username: str) -> str:
    """Follow a reader; to a followers-only or private profile this is a request
    they approve or decline. Returns "following" or "requested"."""
    target = reader_named(session, username, user_id)
    target_id = saved_id(target)
    if target_id == user_id:
        raise InvalidInput("You cannot follow yourself.", field="username")
    safety.check_can_interact(session, user_id, target_id)
    existing = session.get(Follow, (user_id, target_id))
    if existing is not None:
        return FOLLOW_REQUESTED if existing.pending else FOLLOW_FOLLOWING
    pending = privacy.needs_approval(target)
    try:
        with session.begin_nested():
            session.add(Follow(follower_id=user_id, followee_id=target_id, pending=pending))
            session.flush()
            kind = NotificationKind.FOLLOW_REQUEST if pending else NotificationKind.FOLLOW
            notifications.notify(session=session, kind=kind, user_id=target_id, actor_id=user_id)
    except IntegrityError:
        pass  # followed by a concurrent request: same outcome
    session.commit()
    return FOLLOW_REQUESTED if pending else FOLLOW_FOLLOWING


def unfollow(*, session: Session, user_id: int, username: str) -> None:
    target = reader_named(session, username)
    removed = session.exec(
        delete(Follow).where(col(Follow.follower_id) == user_id, col(Follow.followee_id) == target.id)
    ).rowcount
    if removed:
        # Follow, unfollow, follow again would otherwise pile up "Bob followed you" (services/notifications.py).
        kinds = (NotificationKind.FOLLOW, NotificationKind.FOLLOW_REQUEST)
        notifications.forget_unread(session=session, kinds=kinds, actor_id=user_id, user_id=saved_id(target))
    session.commit()
