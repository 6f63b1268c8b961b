"""Single-use emailed links: password reset, email verification, email change.

The link carries ``secrets.token_urlsafe(32)`` (256 random bits); the
database keeps only its SHA-256, so a leaked table opens nothing. Each link
is bound to the password hash it was issued under (``password_stamp``, an
HMAC of the hash under SECRET_KEY): a password change since then voids it.
Issuing a new link of the same purpose supersedes the reader's older ones.

``consume`` refuses, each with its own message: an unknown or tampered link,
a link of another purpose, another account's link, a used one, a superseded
one, an expired one, and one issued before a password change.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from sqlmodel import Session, col, func, select, update

from booktracker.db import utcnow
from booktracker.errors import ServiceError
from booktracker.models import AccountToken, AccountTokenPurpose, User, saved_id
from booktracker.settings import settings

LIFETIMES = {
    AccountTokenPurpose.PASSWORD_RESET: datetime.timedelta(hours=1),
    AccountTokenPurpose.VERIFY_EMAIL: datetime.timedelta(hours=24),
    AccountTokenPurpose.CHANGE_EMAIL: datetime.timedelta(hours=24),
}

INVALID = "This link is not valid. Check that you opened the whole link from the email, or ask for a new one."
USED = "This link has already been used. Ask for a new one if you still need it."
SUPERSEDED = "A newer link was sent since this one, which no longer works. Use the link in the latest email."
EXPIRED = "This link has expired. Ask for a new one."
PASSWORD_CHANGED = "This link stopped working because the password was changed after it was sent. Ask for a new one."
OTHER_ACCOUNT = "This link belongs to another account. Log out, then open it again."


class LinkRefused(ServiceError):
    code = "link_invalid"
    http_status = 400


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def password_stamp(user: User) -> str:
    return hmac.new(settings.secret_key.encode(), user.password_hash.encode(), hashlib.sha256).hexdigest()


def issue(
    *,
    session: Session,
    user: User,
    purpose: AccountTokenPurpose,
    new_email: str = "",
    now: datetime.datetime | None = None,
) -> str:
    """A new link token for ``user`` (committed); only its hash is stored."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(
        AccountToken(
            user_id=saved_id(user),
            purpose=purpose.value,
            token_hash=hash_token(token),
            password_stamp=password_stamp(user),
            new_email=new_email,
            created_at=now,
            expires_at=now + LIFETIMES[purpose],
        )
    )
    session.commit()
    return token


def consume(
    *,
    session: Session,
    token: str,
    purposes: tuple[AccountTokenPurpose, ...],
    user_id: int | None = None,
    now: datetime.datetime | None = None,
) -> tuple[AccountToken, User]:
    """The link's row (marked used, not yet committed: the caller commits it
    with its own change) and its reader, or LinkRefused saying why.

    ``user_id``: the signed-in reader, when there is one; a link of another
    account is then refused.
    """
    now = now or utcnow()
    row = session.exec(select(AccountToken).where(AccountToken.token_hash == hash_token(token or ""))).first()
    if row is None or row.purpose not in {purpose.value for purpose in purposes}:
        raise LinkRefused(INVALID, field="token")
    user = session.get(User, row.user_id)
    if user is None:
        raise LinkRefused(INVALID, field="token")
    if user_id is not None and user_id != row.user_id:
        raise LinkRefused(OTHER_ACCOUNT, field="token")
    if row.used_at is not None:
        raise LinkRefused(USED, field="token")
    newer = session.exec(
        select(func.count())
        .select_from(AccountToken)
        .where(
            AccountToken.user_id == row.user_id,
            AccountToken.purpose == row.purpose,
            col(AccountToken.id) > saved_id(row),
        )
    ).one()
    if newer:
        raise LinkRefused(SUPERSEDED, field="token")
    if now >= row.expires_at:
        raise LinkRefused(EXPIRED, field="token")
    if not hmac.compare_digest(row.password_stamp, password_stamp(user)):
        raise LinkRefused(PASSWORD_CHANGED, field="token")
    # Conditional, so two tabs racing with one link cannot both use it.
    marked = session.exec(
        update(AccountToken)
        .where(col(AccountToken.id) == row.id, col(AccountToken.used_at).is_(None))
        .values(used_at=now)
    )
    if marked.rowcount != 1:
        raise LinkRefused(USED, field="token")
    return row, user
