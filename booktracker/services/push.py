"""Web Push subscriptions: a reader's browsers that asked to be told.

A subscription is what the browser's ``PushManager.subscribe`` returns: the
push service's endpoint URL (unique per browser) and the two keys the message
is encrypted for (RFC 8291). Sending lives in the adapter ``booktracker/push.py``.

The server will POST to the endpoint a reader hands us, so in production only
the push services browsers use are accepted (no requests to arbitrary hosts);
development and tests also accept loopback (tests/support/push_endpoint.py).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlmodel import Session, col, select

from booktracker.errors import InvalidInput, NotFound
from booktracker.models import PushSubscription, User
from booktracker.settings import settings
from booktracker.settings_checks import is_loopback

# The push services of Chrome/Edge/Android (FCM), Firefox, Safari and Windows.
PUSH_SERVICE_HOSTS = (
    "fcm.googleapis.com",
    "android.googleapis.com",
    "push.services.mozilla.com",
    "push.apple.com",
    "notify.windows.com",
)
MAX_ENDPOINT = 2000
# A reader rarely has more browsers than this; more is a script.
MAX_PER_READER = 20


@dataclass(frozen=True)
class Target:
    """One subscription to push to, with what its reader turned off."""

    id: int
    user_id: int
    endpoint: str
    p256dh: str
    auth: str
    notifications_off: frozenset[str]


def _b64url_bytes(value: str, field: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise InvalidInput("This browser's push keys are not valid.", field=field) from None


def _check_endpoint(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if len(endpoint) > MAX_ENDPOINT or not host:
        raise InvalidInput("This is not a push service address.", field="endpoint")
    if not settings.is_production and parts.scheme in ("http", "https") and is_loopback(host):
        return endpoint
    known = any(host == name or host.endswith("." + name) for name in PUSH_SERVICE_HOSTS)
    if parts.scheme != "https" or not known:
        raise InvalidInput("Push notifications work with this browser's own push service only.", field="endpoint")
    return endpoint


def subscribe(*, session: Session, user_id: int, endpoint: str, p256dh: str, auth: str) -> None:
    """Store (or take over) this browser's subscription for the reader.

    An endpoint belongs to one browser profile: if another reader signed in
    on it before, the subscription is now this reader's.
    """
    endpoint = _check_endpoint(endpoint.strip())
    if len(_b64url_bytes(p256dh, "p256dh")) != 65 or len(p256dh) > 200:
        raise InvalidInput("This browser's push keys are not valid.", field="p256dh")
    if len(_b64url_bytes(auth, "auth")) != 16 or len(auth) > 100:
        raise InvalidInput("This browser's push keys are not valid.", field="auth")
    row = session.exec(select(PushSubscription).where(PushSubscription.endpoint == endpoint)).first()
    if row is None:
        count = session.exec(
            select(sa.func.count()).select_from(PushSubscription).where(PushSubscription.user_id == user_id)
        ).one()
        if count >= MAX_PER_READER:
            raise InvalidInput("Too many browsers get notifications; turn them off on one you no longer use.")
        row = PushSubscription(user_id=user_id, endpoint=endpoint, p256dh=p256dh, auth=auth)
    else:
        row.user_id, row.p256dh, row.auth = user_id, p256dh, auth
    session.add(row)
    session.commit()


def unsubscribe(*, session: Session, user_id: int, endpoint: str) -> None:
    """Forget this browser's subscription; only its reader may (NotFound otherwise)."""
    deleted = session.execute(
        sa.delete(PushSubscription).where(
            sa.and_(PushSubscription.endpoint == endpoint.strip(), PushSubscription.user_id == user_id)  # pyright: ignore[reportArgumentType]
        )
    )
    session.commit()
    if not getattr(deleted, "rowcount", 0):
        raise NotFound("This browser does not get notifications.")


def is_subscribed(*, session: Session, user_id: int, endpoint: str) -> bool:
    found = session.exec(
        select(PushSubscription.id).where(PushSubscription.endpoint == endpoint, PushSubscription.user_id == user_id)
    ).first()
    return found is not None


def targets(*, session: Session, user_ids: tuple[int, ...]) -> list[Target]:
    """Every subscription of these readers with their turned-off kinds (one statement)."""
    if not user_ids:
        return []
    rows = session.exec(
        select(PushSubscription, User.notifications_off)
        .join(User, User.id == PushSubscription.user_id)  # pyright: ignore[reportArgumentType]
        .where(PushSubscription.user_id.in_(set(user_ids)))  # pyright: ignore[reportAttributeAccessIssue]
        .where(col(User.suspended_at).is_(None))
        .order_by(PushSubscription.id)  # pyright: ignore[reportArgumentType]
    ).all()
    return [
        Target(
            id=row.id or 0,
            user_id=row.user_id,
            endpoint=row.endpoint,
            p256dh=row.p256dh,
            auth=row.auth,
            notifications_off=frozenset(kind.strip() for kind in off.split(",") if kind.strip()),
        )
        for row, off in rows
    ]


def remove_gone(*, session: Session, subscription_id: int) -> None:
    """The push service said this subscription no longer exists (404/410)."""
    session.execute(sa.delete(PushSubscription).where(PushSubscription.id == subscription_id))  # pyright: ignore[reportArgumentType]
    session.commit()
