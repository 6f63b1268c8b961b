"""The daily email digest of unread notifications, for readers who turned it on
(Settings; ``users.digest_email``, off by default).

``send_digests`` runs hourly in every worker (``run_hourly``, a lifespan task
registered in booktracker/booktracker.py). A reader gets at most one digest a
day: each one is claimed with a conditional UPDATE of ``digest_sent_at``
before it is written, so two workers never both send it. Only notifications
that arrived since the last digest and are still unread call for one; only
confirmed addresses get it (an unconfirmed one may be someone else's).
"""

from __future__ import annotations

import asyncio
import datetime
import html
import logging
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from booktracker.db import get_engine, utcnow
from booktracker.models import Notification, User
from booktracker.services import mail, notification_list, notifications
from booktracker.settings import settings

log = logging.getLogger("booktracker.digest")

EVERY = datetime.timedelta(hours=24)
CHECK_SECONDS = 3600.0
LINES = 8  # groups listed in one email
BATCH = 500  # readers per run; the next hour takes the rest
SETTINGS_PATH = "/settings"  # booktracker/routes.py ACCOUNT (tests check they agree)


def _due(now: datetime.datetime) -> sa.ColumnElement[bool]:
    return sa.or_(col(User.digest_sent_at).is_(None), col(User.digest_sent_at) <= now - EVERY)


def _candidates(session: Session, now: datetime.datetime) -> list[Any]:
    """Readers due a digest with an unread notification since their last one (one statement)."""
    news = sa.exists().where(
        col(Notification.user_id) == User.id,
        col(Notification.read_at).is_(None),
        sa.or_(col(User.digest_sent_at).is_(None), col(Notification.created_at) > col(User.digest_sent_at)),
    )
    return list(
        session.exec(
            select(User.id, User.email, User.name, User.digest_sent_at)
            .where(
                col(User.digest_email).is_(True),
                col(User.email_verified_at).is_not(None),
                col(User.suspended_at).is_(None),
                _due(now),
                news,
            )
            .order_by(col(User.id))
            .limit(BATCH)
        ).all()
    )


def _claim(session: Session, user_id: int, now: datetime.datetime) -> bool:
    """Mark the digest sent, unless another worker just did: the one that changes the row sends."""
    claimed = session.execute(
        sa.update(User).where(col(User.id) == user_id, _due(now)).values(digest_sent_at=now)
    ).rowcount  # type: ignore[attr-defined]
    return claimed == 1


def send_digests(*, session: Session, now: datetime.datetime | None = None) -> int:
    """Send the digests that are due; returns how many were queued."""
    now = now or utcnow()
    sent = 0
    for user_id, email, name, last in _candidates(session, now):
        if not _claim(session, user_id, now):
            session.rollback()
            continue
        items = [i for i in notifications.page(session=session, user_id=user_id, limit=LINES).items if i.unread]
        since = last or datetime.datetime.min.replace(tzinfo=datetime.UTC)
        if not any(i.created_at and datetime.datetime.fromisoformat(i.created_at) > since for i in items):
            session.rollback()  # nothing left that still stands (blocked or suspended actors): no mail
            continue
        session.commit()
        unread = notifications.unread_count(session=session, user_id=user_id)
        _compose_and_send(email, name, unread, [i.text for i in items])
        sent += 1
    return sent


def _compose_and_send(to: str, name: str, unread: int, lines: list[str]) -> None:
    page = f"{settings.public_url}{notifications.NOTIFICATIONS_PATH}"
    off = f"{settings.public_url}{SETTINGS_PATH}"
    noun = "notification" if unread == 1 else "notifications"
    # The count stops at UNREAD_CAP (services/notification_list.py), as the badge does.
    many = f"{unread:,}+" if unread >= notification_list.UNREAD_CAP else f"{unread:,}"
    subject = f"{many} unread {noun} on TrackMyRead"
    text = "\n".join(
        [
            *(f"Hello {name},", "", f"You have {many} unread {noun}:", ""),
            *(f"- {line}" for line in lines),
            *("", f"See them all: {page}", "", f"You get this daily digest because you turned it on: {off}"),
            "-- TrackMyRead",
        ]
    )
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    body = (
        f"<!doctype html><html><body><p>Hello {html.escape(name)},</p>"
        f"<p>You have {many} unread {noun}:</p><ul>{items}</ul>"
        f'<p><a href="{html.escape(page)}">See them all</a></p>'
        f'<p>You get this daily digest because you turned it on (<a href="{html.escape(off)}">Settings</a>).</p>'
        "<p>— TrackMyRead</p></body></html>"
    )
    mail.send(to=to, subject=subject, text=text + "\n", html=body)


def _run_once() -> int:
    with Session(get_engine(), expire_on_commit=False) as session:
        return send_digests(session=session)


async def run_hourly(*, interval: float = CHECK_SECONDS, first_after: float = 60.0) -> None:
    """A lifespan task: check for due digests a minute after start-up (migrations
    first) and then every hour, off the event loop."""
    await asyncio.sleep(first_after)
    while True:
        try:
            sent = await asyncio.to_thread(_run_once)
            if sent:
                log.info("queued %d notification digests", sent)
        except Exception:
            # A database outage: try again next hour (the digest is a nicety).
            log.exception("notification digests failed")
        await asyncio.sleep(interval)
