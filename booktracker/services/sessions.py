"""Sign-in sessions: one row per sign-in on one device.

The session id travels in the token (``sid``, services/auth.py), so logging
out ends this device only, and each session can be seen and revoked from
another one. A token's session is checked on every event or request; its
``last_seen_at`` is written at most once a minute, not on every event.
Tokens issued before sessions existed carry no ``sid``: they keep working
until they expire or the reader signs out everywhere (``token_version``).
"""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass

from sqlmodel import Session, col, delete, select, update

from booktracker.db import utcnow
from booktracker.errors import AuthenticationFailed, NotFound
from booktracker.models import UserSession

SESSION_ENDED = "Your session was ended on another device. Please log in again."
SEEN_EVERY = datetime.timedelta(minutes=1)
# A session unseen for longer has no live token left (tokens last 7 days and are
# refreshed when used): it is no longer listed, and its row is cleared later.
IDLE_LIMIT = datetime.timedelta(days=7, hours=1)
KEEP_FOR = datetime.timedelta(days=30)
DEVICE_MAX = 120

# (pattern, name), first match wins: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = (
    (r"Edg(e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/|Chromium/", "Chrome"),
    (r"Safari/", "Safari"),
    (r"^python-httpx|^python-requests|^curl/|^okhttp", "API client"),
)
_SYSTEMS = (
    (r"iPhone|iPad|iPod", "iOS"),
    (r"Android", "Android"),
    (r"CrOS", "ChromeOS"),
    (r"Windows", "Windows"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"Linux|X11", "Linux"),
)


def device_label(user_agent: str) -> str:
    """A short, human name for a User-Agent: "Firefox on Linux"."""
    ua = user_agent or ""
    browser = next((name for pattern, name in _BROWSERS if re.search(pattern, ua)), "")
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, ua)), "")
    if browser and system:
        return f"{browser} on {system}"
    return (browser or system or "Unknown device")[:DEVICE_MAX]


def start(*, session: Session, user_id: int, user_agent: str = "", ip: str = "") -> UserSession:
    """A new session for a sign-in (committed); its id goes into the token."""
    row = UserSession(id=secrets.token_hex(16), user_id=user_id, device=device_label(user_agent), ip=(ip or "")[:64])
    session.add(row)
    # Housekeeping on the rare path (a sign-in) keeps the table small.
    session.exec(
        delete(UserSession).where(
            col(UserSession.user_id) == user_id, col(UserSession.last_seen_at) < utcnow() - KEEP_FOR
        )
    )
    session.commit()
    session.refresh(row)
    return row


def check_active(
    *, session: Session, row: UserSession | None, user_id: int, now: datetime.datetime | None = None
) -> None:
    """Refuse a revoked or unknown session (``row`` as loaded with the reader,
    in the token check's one statement); note when it was last seen, at most
    once a minute, so an ordinary event writes nothing."""
    now = now or utcnow()
    if row is None or row.user_id != user_id or row.revoked_at is not None:
        raise AuthenticationFailed(SESSION_ENDED)
    if now - row.last_seen_at >= SEEN_EVERY:
        row.last_seen_at = now
        session.add(row)
        session.commit()


def end(*, session: Session, user_id: int, sid: str) -> None:
    """End one session (this device's log-out, or revoking another device)."""
    row = session.get(UserSession, sid) if sid else None
    if row is None or row.user_id != user_id:
        raise NotFound("This session does not exist (it may have been removed already).")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.commit()


def revoke_all(*, session: Session, user_id: int) -> None:
    """End every session of the reader (sign out everywhere, password reset). Committed."""
    session.exec(
        update(UserSession)
        .where(col(UserSession.user_id) == user_id, col(UserSession.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    session.commit()


@dataclass
class SessionView:
    id: str
    device: str
    ip: str
    created_at: datetime.datetime
    last_seen_at: datetime.datetime
    current: bool


def active(*, session: Session, user_id: int, current_sid: str = "", limit: int = 100) -> list[SessionView]:
    """The reader's live sessions, most recently seen first; ``current`` marks this device."""
    rows = session.exec(
        select(UserSession)
        .where(
            col(UserSession.user_id) == user_id,
            col(UserSession.revoked_at).is_(None),
            col(UserSession.last_seen_at) > utcnow() - IDLE_LIMIT,
        )
        .order_by(col(UserSession.last_seen_at).desc(), col(UserSession.id))
        .limit(limit)
    ).all()
    return [
        SessionView(
            id=row.id,
            device=row.device,
            ip=row.ip,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            current=row.id == current_sid,
        )
        for row in rows
    ]
