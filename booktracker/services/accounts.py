"""Account recovery by email: password reset, address verification, email change.

Every use case here goes through an emailed single-use link
(services/account_links.py) and sends its mail off the request
(services/mail.py). Asking for a reset answers the same, after the same
work, whether or not the address has an account; requests are throttled per
address and per client (services/throttle.py, kinds "reset" and "verify").
"""

from __future__ import annotations

import datetime
import secrets

from sqlmodel import Session, func, select

from booktracker.db import utcnow
from booktracker.errors import Conflict, InvalidInput, NotFound
from booktracker.models import AccountTokenPurpose, User, saved_id
from booktracker.services import account_links, account_mail, auth, throttle

RESET_SENT = (
    "If an account uses this address, we sent it a link to choose a new password. "
    "It works for one hour; check your spam folder if it does not arrive."
)
RESET_DONE = "Your password was changed and every device was signed out. Log in with the new password."
VERIFY_SENT = "We sent a new confirmation link to {email}."
VERIFIED = "Your email address is confirmed."
CHANGE_SENT = "We sent a confirmation link to {email}. Your address changes once you open it."
CHANGED = "Your email address is now {email}."
ALREADY_VERIFIED = "Your email address is already confirmed."

HOUR = datetime.timedelta(hours=1)
RESET_LIMITS = {"per_email": (5, HOUR), "per_ip": (20, HOUR)}
VERIFY_LIMITS = {"per_email": (3, HOUR), "per_ip": (20, HOUR)}


# ----------------------------------------------------------------- password reset


def request_password_reset(*, session: Session, email: str, ip: str = "") -> str:
    """Email a reset link if the address has an account; the answer (and the
    work done) is the same either way, so it reveals nothing."""
    email = auth.normalize_email(email)
    throttle.limit_requests(session=session, kind="reset", email=email, ip=ip, **RESET_LIMITS)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None or user.suspended_at is not None:
        # The same work as below, minus the insert and the hand-over to the mail thread.
        account_links.hash_token(secrets.token_urlsafe(32))
        account_mail.password_reset(email, "reader", "x" * 43).build()
        return RESET_SENT
    token = account_links.issue(session=session, user=user, purpose=AccountTokenPurpose.PASSWORD_RESET)
    message = account_mail.password_reset(user.email, user.name, token)
    message.build()
    message.send()
    return RESET_SENT


def reset_password(*, session: Session, token: str, new_password: str) -> User:
    """Set a new password from a reset link; every earlier session ends.

    The link proved the reader reads this address, so it also counts as verified.
    """
    auth.validate_password(new_password)  # before using up the link
    _row, user = account_links.consume(session=session, token=token, purposes=(AccountTokenPurpose.PASSWORD_RESET,))
    user.password_hash = auth.hash_password(new_password)
    user.email_verified_at = user.email_verified_at or utcnow()
    session.add(user)
    session.commit()
    auth.revoke_tokens(session=session, user_id=saved_id(user))  # every device (token_version + sessions)
    return user


# ----------------------------------------------------------------- verification


def send_verification(*, session: Session, user: User) -> None:
    """Email a link that confirms the reader's current address (sign-up, resend)."""
    token = account_links.issue(
        session=session, user=user, purpose=AccountTokenPurpose.VERIFY_EMAIL, new_email=user.email
    )
    account_mail.verify_address(user.email, user.name, token).send()


def resend_verification(*, session: Session, user_id: int, ip: str = "") -> str:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("This account no longer exists.")
    if user.email_verified_at is not None:
        raise Conflict(ALREADY_VERIFIED)
    throttle.limit_requests(session=session, kind="verify", email=user.email, ip=ip, **VERIFY_LIMITS)
    send_verification(session=session, user=user)
    return VERIFY_SENT.format(email=user.email)


def verify_email(*, session: Session, token: str, user_id: int | None = None) -> tuple[User, str]:
    """Open a verification or email-change link; returns the reader and what to tell them.

    ``user_id``: the signed-in reader, if any (another account's link is refused).
    """
    row, user = account_links.consume(
        session=session,
        token=token,
        purposes=(AccountTokenPurpose.VERIFY_EMAIL, AccountTokenPurpose.CHANGE_EMAIL),
        user_id=user_id,
    )
    if row.purpose == AccountTokenPurpose.VERIFY_EMAIL.value:
        if row.new_email != user.email:
            raise account_links.LinkRefused("This link confirms an address the account no longer uses.", field="token")
        user.email_verified_at = user.email_verified_at or utcnow()
        session.add(user)
        session.commit()
        return user, VERIFIED
    _check_free(session, row.new_email, user_id=saved_id(user))
    old_email = user.email
    user.email, user.email_verified_at = row.new_email, utcnow()
    session.add(user)
    session.commit()
    account_mail.changed_notice(old_email, user.name, user.email).send()
    return user, CHANGED.format(email=user.email)


# ----------------------------------------------------------------- email change


def _check_free(session: Session, email: str, *, user_id: int) -> None:
    taken = session.exec(select(func.count()).select_from(User).where(User.email == email, User.id != user_id)).one()
    if taken:
        raise Conflict("Another account already uses this email address.", field="new_email")


def request_email_change(*, session: Session, user_id: int, password: str, new_email: str, ip: str = "") -> str:
    """Ask for the password (throttled like a login), then email the new
    address a link that makes the change; the old address is told."""
    user = auth._confirm_password(session, user_id, password, ip=ip, wrong="Your password is not correct.")
    try:
        new_email = auth.normalize_email(new_email)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field="new_email") from None
    if new_email == user.email:
        raise InvalidInput("This is already your email address.", field="new_email")
    _check_free(session, new_email, user_id=user_id)
    token = account_links.issue(
        session=session, user=user, purpose=AccountTokenPurpose.CHANGE_EMAIL, new_email=new_email
    )
    account_mail.confirm_new_address(new_email, user.name, token).send()
    account_mail.change_requested_notice(user.email, user.name, new_email).send()
    return CHANGE_SENT.format(email=new_email)
