"""Accounts: sign-up, password checks and JWT session tokens."""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import re
from dataclasses import dataclass
from typing import Any

import bcrypt
import jwt
import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, col, delete, func, select, update

from booktracker.db import utcnow
from booktracker.errors import AuthenticationFailed, Conflict, InvalidInput
from booktracker.models import (
    AccountToken,
    Comment,
    Follow,
    Like,
    LoginAttempt,
    Post,
    ReadingGoal,
    ReadingProgress,
    RecoveryCode,
    Tag,
    User,
    UserBook,
    UserBookTag,
    UserSession,
)
from booktracker.services import avatars, sessions, storage, throttle
from booktracker.services import text as texts
from booktracker.settings import settings

PASSWORD_MIN, PASSWORD_MAX = 8, 128
NAME_MAX = 80
TOKEN_ALGORITHM = "HS256"
TOKEN_LIFETIME = datetime.timedelta(days=7)
# A token older than this is swapped for a fresh one when it is used.
TOKEN_REFRESH_AFTER = datetime.timedelta(hours=1)
BAD_CREDENTIALS = "Incorrect email or password."
SESSION_EXPIRED = "Your session has expired, please log in again."
# A moderator suspended the account (services/moderation.py): refused at log-in and at the next event / request.
SUSPENDED = "This account is suspended."
USERNAME_RE = re.compile(r"^[a-z0-9_]{3,30}$")


# ----------------------------------------------------------------- passwords


def _prehash(password: str) -> bytes:
    # bcrypt only reads 72 bytes (and bcrypt>=5 refuses more); a SHA-256
    # pre-hash keeps every character of a long passphrase significant.
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def hash_password(password: str) -> str:
    salt = bcrypt.gensalt(rounds=settings.bcrypt_rounds)
    return bcrypt.hashpw(_prehash(password), salt).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return bcrypt.checkpw(_prehash(password), password_hash.encode("ascii"))
    except ValueError:
        return False


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Checked when the email is unknown so both failures cost the same time.
    return hash_password("not-a-real-password-just-for-timing")


# ----------------------------------------------------------------- validation


def normalize_email(email: str) -> str:
    try:
        result = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInput(f"Enter a valid email address ({exc}).", field="email") from None
    return result.normalized.lower()


def validate_password(password: str) -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InvalidInput(
            f"Password must be {PASSWORD_MIN} to {PASSWORD_MAX} characters.",
            field="password",
        )


def validate_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("Enter your name.", field="name")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"Name must be at most {NAME_MAX} characters.", field="name")
    texts.check_identity(name, field="name", label="Name")
    return name


def _username_base(email: str) -> str:
    base = re.sub(r"[^a-z0-9_]+", "_", email.split("@", 1)[0].lower()).strip("_")
    return (base or "reader")[:24].ljust(3, "0")


def free_username(*, session: Session, email: str) -> str:
    """A username from the email's local part that nobody has yet ("ann", "ann2"...)."""
    base = _username_base(email)
    taken = set(session.exec(select(User.username).where(User.username.startswith(base))).all())
    if base not in taken:
        return base
    suffix = 2
    while f"{base}{suffix}" in taken:
        suffix += 1
    return f"{base}{suffix}"


# ----------------------------------------------------------------- accounts


def signup(*, session: Session, email: str, name: str, password: str) -> User:
    email = normalize_email(email)
    name = validate_name(name)
    validate_password(password)
    exists = session.exec(select(func.count()).select_from(User).where(User.email == email)).one()
    if exists:
        raise Conflict("An account with this email already exists. Log in instead.", field="email")
    user = User(
        email=email,
        name=name,
        username=free_username(session=session, email=email),
        password_hash=hash_password(password),
    )
    session.add(user)
    session.commit()
    session.refresh(user)
    # Here, not at the top: accounts builds on this module.
    from booktracker.services import accounts

    accounts.send_verification(session=session, user=user)  # the mail goes out off this thread
    return user


def authenticate(*, session: Session, email: str, password: str, ip: str = "") -> User:
    """Return the user or raise the same error whether the email exists or not.

    Throttled per account and per client IP (services/throttle.py); the
    throttle is keyed by the typed email, so unknown emails are treated alike.
    """
    try:
        email = normalize_email(email)
        valid_email = True
    except InvalidInput:
        email, valid_email = email.strip().lower()[:320], False
    throttle.check_allowed(session=session, email=email, ip=ip)
    user = session.exec(select(User).where(User.email == email)).first() if valid_email else None
    if user is None:
        verify_password(password, _dummy_hash())
    ok = user is not None and verify_password(password, user.password_hash)
    throttle.record(session=session, email=email, ip=ip, succeeded=ok)
    if user is None or not ok:
        raise AuthenticationFailed(BAD_CREDENTIALS)
    if user.suspended_at is not None:
        raise AuthenticationFailed(SUSPENDED)
    return user


def revoke_tokens(*, session: Session, user_id: int) -> None:
    """Log out everywhere: every token issued so far stops working."""
    user = session.get(User, user_id)
    if user is not None:
        user.token_version += 1
        session.add(user)
        session.commit()
        sessions.revoke_all(session=session, user_id=user_id)


def log_out(*, session: Session, token: str) -> None:
    """Log out this device: end the token's session. A token from before
    sessions has none, so it logs out everywhere as it always did."""
    try:
        check = check_token(session=session, token=token)
    except AuthenticationFailed:
        return  # already invalid: nothing to end
    assert check.user.id is not None  # a stored row
    if check.session_id:
        sessions.end(session=session, user_id=check.user.id, sid=check.session_id)
    else:
        revoke_tokens(session=session, user_id=check.user.id)


# ----------------------------------------------------------------- tokens


def issue_token(user: User, *, now: datetime.datetime | None = None, sid: str = "") -> str:
    """A session token; ``sid`` names its sign-in session (services/sessions.py)."""
    now = now or utcnow()
    claims: dict[str, object] = {
        "sub": str(user.id),
        "ver": user.token_version,
        "iat": int(now.timestamp()),
        "exp": int((now + TOKEN_LIFETIME).timestamp()),
    }
    if sid:
        claims["sid"] = sid
    return jwt.encode(claims, settings.secret_key, algorithm=TOKEN_ALGORITHM)


def sign_in(*, session: Session, user: User, user_agent: str = "", ip: str = "") -> str:
    """Start a session for this device and return its token."""
    assert user.id is not None  # a stored row
    row = sessions.start(session=session, user_id=user.id, user_agent=user_agent, ip=ip)
    return issue_token(user, sid=row.id)


@functools.cache
def _user_and_session() -> Any:
    """The reader and the token's session, built once (it runs on every event; services/params.py)."""
    same_session = sa.and_(
        col(UserSession.id) == sa.bindparam("sid", type_=sa.String), col(UserSession.user_id) == col(User.id)
    )
    user_id = sa.bindparam("user_id", type_=sa.Integer)
    return select(User, UserSession).outerjoin(UserSession, same_session).where(col(User.id) == user_id)


@dataclass
class TokenCheck:
    user: User
    # A replacement token when the presented one should be refreshed, else "".
    refreshed_token: str = ""
    # The token's sign-in session ("" for a token issued before sessions existed).
    session_id: str = ""


def check_token(*, session: Session, token: str) -> TokenCheck:
    """Validate a token against the database (revocation) and maybe refresh it."""
    if not token:
        raise AuthenticationFailed(SESSION_EXPIRED)
    try:
        claims = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[TOKEN_ALGORITHM],
            options={"require": ["sub", "ver", "iat", "exp"]},
        )
        user_id = int(claims["sub"])
    except (jwt.PyJWTError, ValueError, TypeError):
        raise AuthenticationFailed(SESSION_EXPIRED) from None
    sid = "" if claims.get("sid") is None else str(claims["sid"])
    # One statement for every event: the reader and, when the token names
    # one, its session (tokens without a session id predate sessions:
    # token_version alone revokes them).
    user_session: UserSession | None = None
    if sid:
        row = session.exec(_user_and_session(), params={"sid": sid, "user_id": user_id}).first()
        user, user_session = row if row is not None else (None, None)
    else:
        user = session.get(User, user_id)
    if user is None or user.token_version != claims["ver"]:
        raise AuthenticationFailed(SESSION_EXPIRED)
    if user.suspended_at is not None:
        raise AuthenticationFailed(SUSPENDED)
    if sid:
        sessions.check_active(session=session, row=user_session, user_id=user_id)
    issued = datetime.datetime.fromtimestamp(claims["iat"], datetime.UTC)
    refreshed = issue_token(user, sid=sid) if utcnow() - issued > TOKEN_REFRESH_AFTER else ""
    return TokenCheck(user=user, refreshed_token=refreshed, session_id=sid)


# ----------------------------------------------------------------- account


def _confirm_password(session: Session, user_id: int, password: str, *, ip: str, wrong: str) -> User:
    """The reader, once the password they typed again is right; throttled
    like a login and in the same budget (services/throttle.py)."""
    user = session.get(User, user_id)
    if user is None:
        raise AuthenticationFailed(wrong)
    throttle.check_allowed(session=session, email=user.email, ip=ip)
    ok = verify_password(password, user.password_hash)
    throttle.record(session=session, email=user.email, ip=ip, succeeded=ok)
    if not ok:
        raise AuthenticationFailed(wrong)
    return user


def change_password(*, session: Session, user_id: int, current_password: str, new_password: str, ip: str = "") -> User:
    """Change the password and revoke every existing token (all devices).

    Returns the user so the caller can issue the one new token for this device.
    """
    user = _confirm_password(session, user_id, current_password, ip=ip, wrong="Your current password is not correct.")
    validate_password(new_password)
    user.password_hash = hash_password(new_password)
    user.token_version += 1
    session.add(user)
    session.commit()
    sessions.revoke_all(session=session, user_id=user_id)
    return user


def delete_account(*, session: Session, user_id: int, password: str, ip: str = "") -> None:
    """Delete the reader and everything that is theirs, then their post images and avatar.

    The images go only after the commit, and failing to delete one is logged,
    not raised. Shared Book records stay (other readers use them). The web
    page runs this in a worker thread (bcrypt, and Cloudinary calls).
    """
    user = _confirm_password(session, user_id, password, ip=ip, wrong="Your password is not correct.")
    image_keys = list(
        session.exec(select(Post.image_key).where(col(Post.user_id) == user_id, col(Post.image_key) != ""))
    ) + avatars.keys(user.avatar_key)
    # Children first: SQLite enforces foreign keys only with the pragma on,
    # and explicit deletes make the order obvious on every backend.
    own_notes = select(Post.id).where(col(Post.user_id) == user_id)
    own_entries = select(UserBook.id).where(col(UserBook.user_id) == user_id)
    liked_by_user = select(Like.note_id).where(col(Like.user_id) == user_id)
    for statement in (
        # Other readers' posts lose this reader's likes from their counts too.
        update(Post).where(col(Post.id).in_(liked_by_user)).values(like_count=col(Post.like_count) - 1),
        delete(Like).where(sa.or_(col(Like.user_id) == user_id, col(Like.note_id).in_(own_notes))),
        delete(Comment).where(sa.or_(col(Comment.user_id) == user_id, col(Comment.note_id).in_(own_notes))),
        delete(Post).where(col(Post.user_id) == user_id),
        delete(Follow).where(sa.or_(col(Follow.follower_id) == user_id, col(Follow.followee_id) == user_id)),
        delete(UserBookTag).where(col(UserBookTag.user_book_id).in_(own_entries)),
        delete(Tag).where(col(Tag.user_id) == user_id),
        delete(ReadingProgress).where(col(ReadingProgress.user_id) == user_id),
        delete(UserBook).where(col(UserBook.user_id) == user_id),
        delete(ReadingGoal).where(col(ReadingGoal.user_id) == user_id),
        delete(UserSession).where(col(UserSession.user_id) == user_id),
        delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id),
        delete(AccountToken).where(col(AccountToken.user_id) == user_id),
        delete(LoginAttempt).where(col(LoginAttempt.email) == user.email),
    ):
        session.exec(statement)
    session.delete(user)
    session.commit()
    storage.delete_all_quietly(image_keys)
