"""Readers' accounts: the user, sign-in attempts, sessions, emailed links, recovery codes."""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import ClassVar

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from booktracker.models.base import fk, in_check, optional_timestamp, timestamp
from booktracker.models.vocabulary import ProfileVisibility


class User(SQLModel, table=True):
    # ClassVar: SQLModel declares __tablename__ as a declared_attr, which a plain
    # string does not type-check against (fastapi/sqlmodel#98); same table name.
    __tablename__: ClassVar[str] = "users"

    id: int | None = Field(default=None, primary_key=True)
    # Stored lower-cased so uniqueness is case-insensitive on every backend.
    email: str = Field(max_length=320, unique=True, index=True)
    username: str = Field(max_length=30, unique=True, index=True)
    name: str = Field(max_length=80)
    bio: str = Field(default="", max_length=500)
    password_hash: str = Field(max_length=100)
    # Bumped on logout / password change: every older token stops working.
    token_version: int = Field(default=0)
    profile_visibility: str = Field(
        default=ProfileVisibility.PUBLIC.value, max_length=16, sa_column_kwargs={"server_default": "public"}
    )
    # Set by a moderator: the reader's tokens stop working at the next event.
    suspended_at: datetime.datetime | None = optional_timestamp()
    # When the reader proved the address (None: not yet verified).
    email_verified_at: datetime.datetime | None = optional_timestamp()
    # Two-factor sign-in (TOTP): the shared secret once confirmed with a code,
    # and the last time step used, so a code is never accepted twice.
    totp_secret: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    totp_enabled_at: datetime.datetime | None = optional_timestamp()
    totp_last_step: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Avatar through the image pipeline: square crops at two sizes, and the
    # storage key of each for deletion (services/storage); "" = initials.
    avatar_url: str = Field(default="", max_length=1000, sa_column_kwargs={"server_default": ""})
    avatar_small_url: str = Field(default="", max_length=1000, sa_column_kwargs={"server_default": ""})
    avatar_key: str = Field(default="", max_length=700, sa_column_kwargs={"server_default": ""})
    # Blur posts and comments anchored past the reader's own page in a book.
    spoiler_shield: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    # Notification kinds the reader turned off, comma-separated
    # (NotificationKind values); "" = all on.
    notifications_off: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    # Daily email digest of unread notifications (off by default).
    digest_email: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    digest_sent_at: datetime.datetime | None = optional_timestamp()
    # Google sign-in: the ID token's "sub" once linked (None: not linked).
    google_sub: str | None = Field(default=None, max_length=255, unique=True, nullable=True)
    created_at: datetime.datetime = timestamp()

    __table_args__ = (
        sa.CheckConstraint(in_check("profile_visibility", ProfileVisibility), name="ck_users_profile_visibility"),
    )


class LoginAttempt(SQLModel, table=True):
    """One login try, kept to throttle password guessing (see services/throttle)."""

    __tablename__: ClassVar[str] = "login_attempts"

    id: int | None = Field(default=None, primary_key=True)
    # The normalised email as typed, whether or not such an account exists.
    email: str = Field(max_length=320)
    ip: str = Field(default="", max_length=64)
    succeeded: bool = Field(default=False)
    created_at: datetime.datetime = timestamp()

    __table_args__ = (
        sa.Index("ix_login_attempts_email_created", "email", "created_at"),
        sa.Index("ix_login_attempts_ip_created", "ip", "created_at"),
    )


class AccountTokenPurpose(StrEnum):
    PASSWORD_RESET = "password-reset"
    VERIFY_EMAIL = "verify-email"
    CHANGE_EMAIL = "change-email"


class AccountToken(SQLModel, table=True):
    """A single-use emailed link (reset, verification, email change), stored
    only as a hash, bound to the password it was issued under."""

    __tablename__: ClassVar[str] = "account_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = fk("users.id")
    purpose: str = Field(max_length=16)
    # SHA-256 of the token in the link; the token itself is never stored.
    token_hash: str = Field(max_length=64, unique=True, index=True)
    # A digest of the password hash when issued: a password change since
    # then makes the link void.
    password_stamp: str = Field(default="", max_length=64)
    # For an email change: the address to verify.
    new_email: str = Field(default="", max_length=320)
    created_at: datetime.datetime = timestamp()
    expires_at: datetime.datetime = timestamp()
    used_at: datetime.datetime | None = optional_timestamp()

    __table_args__ = (sa.CheckConstraint(in_check("purpose", AccountTokenPurpose), name="ck_account_tokens_purpose"),)


class RecoveryCode(SQLModel, table=True):
    """One of ten single-use two-factor recovery codes, stored hashed."""

    __tablename__: ClassVar[str] = "recovery_codes"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = fk("users.id")
    code_hash: str = Field(max_length=100)
    used_at: datetime.datetime | None = optional_timestamp()
    created_at: datetime.datetime = timestamp()


class UserSession(SQLModel, table=True):
    """One sign-in on one device: its id travels in the token (``sid``), so
    logging out ends this device only and each session can be revoked."""

    __tablename__: ClassVar[str] = "user_sessions"

    id: str = Field(primary_key=True, max_length=32)
    user_id: int = fk("users.id")
    # "Firefox on Linux" -- shown in the session list, from the User-Agent.
    device: str = Field(default="", max_length=120)
    ip: str = Field(default="", max_length=64)
    created_at: datetime.datetime = timestamp()
    last_seen_at: datetime.datetime = timestamp()
    revoked_at: datetime.datetime | None = optional_timestamp()


class PushSubscription(SQLModel, table=True):
    """One browser's Web Push subscription (endpoint + keys from PushManager)."""

    __tablename__: ClassVar[str] = "push_subscriptions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = fk("users.id")
    endpoint: str = Field(sa_type=sa.Text)
    p256dh: str = Field(max_length=200)
    auth: str = Field(max_length=100)
    created_at: datetime.datetime = timestamp()

    __table_args__ = (sa.Index("ix_push_subscriptions_endpoint", "endpoint", unique=True),)


class UserPublic(SQLModel):
    """What other readers (and the browser) may see of an account."""

    id: int
    username: str
    name: str
    bio: str
    created_at: datetime.datetime
