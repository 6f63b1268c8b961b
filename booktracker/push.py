"""The web push adapter: notifications reach readers who are not looking.

Subscribed to ``events.NotificationsCreated`` at start-up (booktracker.py).
The notification service emits it after its commit; sending happens in a small
thread pool, so no event handler or request waits for a push service. Each
message is encrypted for the browser (RFC 8291, aes128gcm) and signed with our
VAPID key (RFC 8292) by ``pywebpush``. A reader's per-type settings
(``users.notifications_off``) apply to pushes as to the in-app list; a push
service answering 404 or 410 means the browser dropped the subscription, so
it is deleted. Other failures are logged and forgotten: a missed push costs
the reader nothing the notifications page doesn't show.

``python -m booktracker.push keys`` prints a new VAPID key pair for production.
"""

from __future__ import annotations

import concurrent.futures
import json
import logging
import sys
from urllib.parse import urlsplit

from pywebpush import WebPushException, webpush

from booktracker.db import session_scope
from booktracker.models.vocabulary import NotificationKind
from booktracker.services import events
from booktracker.services import push as push_service
from booktracker.settings import settings
from booktracker.settings_checks import generate_vapid_keys

log = logging.getLogger("booktracker.push")

# Push services answer within a second; a few threads cover a burst of likes.
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="push")
_pending: set[concurrent.futures.Future] = set()
TIMEOUT_SECONDS = 10
# A browser that is offline gets the push when it comes back, within a day.
TTL_SECONDS = 24 * 3600
GONE = (404, 410)

_MESSAGES = {
    NotificationKind.LIKE: "{actor} liked your post",
    NotificationKind.COMMENT: "{actor} commented on your post",
    NotificationKind.REPLY: "{actor} replied to your comment",
    NotificationKind.FOLLOW: "{actor} started following you",
    NotificationKind.FOLLOW_REQUEST: "{actor} asked to follow you",
    NotificationKind.MENTION: "{actor} mentioned you",
    NotificationKind.CIRCLE_REQUEST: "{actor} asked to join your circle",
    NotificationKind.CIRCLE_APPROVED: "{actor} let you into their circle",
}


def message_for(kind: str, actor_name: str, path: str) -> dict[str, str]:
    """What the service worker shows (assets/sw.js: title, body, url, tag)."""
    try:
        template = _MESSAGES[NotificationKind(kind)]
    except ValueError:
        template = "{actor} did something on TrackMyRead"
    url = settings.public_url + (path if path.startswith("/") else "/")
    return {"title": "TrackMyRead", "body": template.format(actor=actor_name or "Someone"), "url": url, "tag": kind}


def _send_one(target: push_service.Target, payload: dict[str, str]) -> None:
    parts = urlsplit(target.endpoint)
    try:
        webpush(
            subscription_info={"endpoint": target.endpoint, "keys": {"p256dh": target.p256dh, "auth": target.auth}},
            data=json.dumps(payload),
            vapid_private_key=settings.vapid_private_key,
            vapid_claims={"sub": settings.vapid_subject, "aud": f"{parts.scheme}://{parts.netloc}"},
            timeout=TIMEOUT_SECONDS,
            ttl=TTL_SECONDS,
        )
    except WebPushException as exc:
        status = getattr(exc.response, "status_code", None)
        if status in GONE:
            with session_scope() as session:
                push_service.remove_gone(session=session, subscription_id=target.id)
            log.info("push subscription %s is gone (%s): removed", target.id, status)
        else:
            # The endpoint is a capability URL: log the host only.
            log.warning("push to %s failed: %s", parts.hostname, status or exc.message)
    except Exception as exc:  # a connection error, a timeout
        log.warning("push to %s failed: %s", parts.hostname, type(exc).__name__)


def send(event: events.NotificationsCreated) -> None:
    """Push this event to every browser of its recipients who want this kind (blocking)."""
    kinds = dict(zip(event.user_ids, event.kinds, strict=False))
    with session_scope() as session:
        targets = push_service.targets(session=session, user_ids=event.user_ids)
    for target in targets:
        kind = kinds.get(target.user_id, "")
        if kind and kind in target.notifications_off:
            continue
        _send_one(target, message_for(kind, event.actor_name, event.path))


def _send_logged(event: events.NotificationsCreated) -> None:
    try:
        send(event)
    except Exception:  # the database, say: nobody waits on this thread to hear it
        log.exception("pushing %s failed", event)


def _on_event(event: events.Event) -> None:
    if isinstance(event, events.NotificationsCreated) and event.user_ids:
        future = _pool.submit(_send_logged, event)
        _pending.add(future)
        future.add_done_callback(_pending.discard)


def install() -> None:
    """Listen for new notifications (once per process)."""
    events.subscribe(_on_event)


def uninstall() -> None:
    events.unsubscribe(_on_event)


def wait_idle(timeout: float = 30.0) -> None:
    """Wait until every queued push was sent or given up (tests, shutdown)."""
    concurrent.futures.wait(list(_pending), timeout=timeout)


if __name__ == "__main__" and sys.argv[1:] == ["keys"]:
    private, public = generate_vapid_keys()
    print(f"VAPID_PRIVATE_KEY={private}\nVAPID_PUBLIC_KEY={public}")
