"""A reader's notification settings: which kinds they get (``users.notifications_off``,
read by services/notifications.py's INSERT) and the daily email digest."""

from __future__ import annotations

from sqlmodel import Session, SQLModel

from booktracker.errors import InvalidInput, NotFound
from booktracker.models import NotificationKind, User

# The switches shown in settings, in this order, with their labels.
KIND_LABELS: dict[str, str] = {
    NotificationKind.LIKE: "Likes of my posts",
    NotificationKind.COMMENT: "Comments on my posts",
    NotificationKind.REPLY: "Replies to my comments",
    NotificationKind.MENTION: "Mentions of me",
    NotificationKind.FOLLOW: "New followers",
    NotificationKind.FOLLOW_REQUEST: "Follow requests",
    NotificationKind.CIRCLE_REQUEST: "Requests to join my circles",
    NotificationKind.CIRCLE_APPROVED: "My requests to join a circle approved",
}


class KindSwitch(SQLModel):
    kind: str
    label: str
    on: bool


class NotificationSettings(SQLModel):
    kinds: list[KindSwitch]
    digest_email: bool


def _kind(kind: str) -> NotificationKind:
    try:
        return NotificationKind(kind.strip())
    except ValueError:
        choices = ", ".join(member.value for member in NotificationKind)
        raise InvalidInput(f"Notification kind must be one of: {choices}.", field="kind") from None


def turned_off(user: User) -> set[str]:
    return {k for k in user.notifications_off.split(",") if k}


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such reader.")
    return user


def _view(user: User) -> NotificationSettings:
    off = turned_off(user)
    kinds = [KindSwitch(kind=kind, label=label, on=kind not in off) for kind, label in KIND_LABELS.items()]
    return NotificationSettings(kinds=kinds, digest_email=user.digest_email)


def get(*, session: Session, user_id: int) -> NotificationSettings:
    return _view(_user(session, user_id))


def set_kind(*, session: Session, user_id: int, kind: str, on: bool) -> NotificationSettings:
    """Turn one kind on or off (only new notifications: stored ones stay)."""
    value = _kind(kind).value
    user = _user(session, user_id)
    off = turned_off(user) - {value} if on else turned_off(user) | {value}
    # Stored in the enum's order: the same set is always the same string.
    user.notifications_off = ",".join(k.value for k in NotificationKind if k.value in off)
    session.add(user)
    session.commit()
    return _view(user)


def set_digest(*, session: Session, user_id: int, on: bool) -> NotificationSettings:
    """The daily email digest of unread notifications (services/notification_digest.py)."""
    user = _user(session, user_id)
    user.digest_email = bool(on)
    session.add(user)
    session.commit()
    return _view(user)
