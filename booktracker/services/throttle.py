"""Login throttling: slows password guessing without locking real readers out.

Every place that checks a password counts here: logging in, and the current
password asked again by a password change or an account deletion (someone
holding a stolen session must not get unlimited guesses there). They share
one budget per account, so a second door does not double the guesses.

Rules (all keyed by the typed email, so unknown emails behave the same):
- after 5 consecutive failures an account waits 2^(n-5) seconds between
  tries (capped at 15 minutes);
- at most 100 failures per hour per account;
- at most 20 failures per 15 minutes per client IP.
An IP that logged into the account successfully in the last 30 days is
"trusted" for that account: the per-account rules only count its own
failures, so an attacker hammering an account from elsewhere cannot keep
its owner out indefinitely (the owner's own IP limit still applies).
"""

from __future__ import annotations

import datetime
import math

import sqlalchemy as sa
from sqlmodel import Session, col, delete, func, select

from booktracker.db import utcnow
from booktracker.errors import ServiceError
from booktracker.models import LoginAttempt

FREE_FAILURES = 5
MAX_BACKOFF = datetime.timedelta(minutes=15)
ACCOUNT_LIMIT, ACCOUNT_WINDOW = 100, datetime.timedelta(hours=1)
IP_LIMIT, IP_WINDOW = 20, datetime.timedelta(minutes=15)
TRUST_WINDOW = datetime.timedelta(days=30)
KEEP_FOR = datetime.timedelta(days=31)


class TooManyAttempts(ServiceError):
    code = "too_many_attempts"
    http_status = 429

    def __init__(self, retry_after: datetime.timedelta):
        self.retry_after = max(1, math.ceil(retry_after.total_seconds()))
        super().__init__(f"Too many attempts. Try again in {wait_text(self.retry_after)}.")


def wait_text(seconds: int) -> str:
    """A wait in words: "1 second", "90 seconds", "3 minutes" (rounded up)."""
    if seconds < 120:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"


def _is_trusted(session: Session, email: str, ip: str, now: datetime.datetime) -> bool:
    if not ip:
        return False
    return bool(
        session.exec(
            select(func.count())
            .select_from(LoginAttempt)
            .where(
                LoginAttempt.email == email,
                LoginAttempt.ip == ip,
                col(LoginAttempt.succeeded).is_(True),
                LoginAttempt.created_at > now - TRUST_WINDOW,
            )
        ).one()
    )


def check_allowed(*, session: Session, email: str, ip: str, now: datetime.datetime | None = None) -> None:
    """Raise TooManyAttempts if this login try must wait."""
    now = now or utcnow()
    failed = col(LoginAttempt.succeeded).is_(False)

    if ip:
        ip_window = session.exec(
            select(func.count(), func.min(LoginAttempt.created_at)).where(
                LoginAttempt.ip == ip, failed, LoginAttempt.created_at > now - IP_WINDOW
            )
        ).one()
        if ip_window[0] >= IP_LIMIT:
            raise TooManyAttempts(ip_window[1] + IP_WINDOW - now)

    account = [LoginAttempt.email == email]
    if _is_trusted(session, email, ip, now):
        account.append(LoginAttempt.ip == ip)

    hour = session.exec(
        select(func.count(), func.min(LoginAttempt.created_at)).where(
            *account, failed, LoginAttempt.created_at > now - ACCOUNT_WINDOW
        )
    ).one()
    if hour[0] >= ACCOUNT_LIMIT:
        raise TooManyAttempts(hour[1] + ACCOUNT_WINDOW - now)

    # Consecutive failures since the last success (of this scope).
    last_success = (
        select(func.max(LoginAttempt.created_at))
        .where(*account, col(LoginAttempt.succeeded).is_(True))
        .scalar_subquery()
    )
    streak = session.exec(
        select(func.count(), func.max(LoginAttempt.created_at)).where(
            *account,
            failed,
            LoginAttempt.created_at > now - ACCOUNT_WINDOW,
            sa.or_(last_success.is_(None), LoginAttempt.created_at > last_success),
        )
    ).one()
    if streak[0] >= FREE_FAILURES:
        wait = min(datetime.timedelta(seconds=2 ** (streak[0] - FREE_FAILURES)), MAX_BACKOFF)
        if now < streak[1] + wait:
            raise TooManyAttempts(streak[1] + wait - now)


def record(*, session: Session, email: str, ip: str, succeeded: bool) -> None:
    session.add(LoginAttempt(email=email, ip=ip[:64], succeeded=succeeded))
    if succeeded:
        # Housekeeping on the rare path keeps the table small.
        session.exec(delete(LoginAttempt).where(col(LoginAttempt.created_at) < utcnow() - KEEP_FOR))
    session.commit()


# ----------------------------------------------------------------- emailed links


def limit_requests(
    *,
    session: Session,
    kind: str,
    email: str,
    ip: str,
    per_email: tuple[int, datetime.timedelta],
    per_ip: tuple[int, datetime.timedelta],
) -> None:
    """Count one request of ``kind`` (a password-reset or verification mail)
    for this address and client, or raise TooManyAttempts.

    Kept in the login attempts table under keys prefixed with the kind
    ("reset:ann@example.com", "reset:10.0.0.1"), so these requests never
    count toward -- or against -- the login budget, and age out with it.
    """
    now = utcnow()
    email_key, ip_key = f"{kind}:{email}"[:320], f"{kind}:{ip}"[:64]
    for column, key, (limit, window) in ((LoginAttempt.email, email_key, per_email), (LoginAttempt.ip, ip_key, per_ip)):
        if column is LoginAttempt.ip and not ip:
            continue
        count, oldest = session.exec(
            select(func.count(), func.min(LoginAttempt.created_at)).where(
                column == key, LoginAttempt.created_at > now - window
            )
        ).one()
        if count >= limit:
            raise TooManyAttempts(oldest + window - now)
    session.add(LoginAttempt(email=email_key, ip=ip_key if ip else "", succeeded=False))
    session.commit()
