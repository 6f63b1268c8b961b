"""Google sign-in: verify a Google ID token, then sign in, sign up or link.

The browser gets the ID token from Google Identity Services (the "Continue
with Google" button); API clients send the same token to
``POST /api/v1/auth/google``. Here it is verified as OpenID Connect asks:
the signature against the provider's published keys (discovery document ->
``jwks_uri``, keys cached, refetched when an unknown ``kid`` appears), the
issuer, the audience (``GOOGLE_CLIENT_ID``), the expiry, and
``email_verified``. ``GOOGLE_ISSUER`` is a setting so the tests point it at a
local provider (tests/support/oidc_provider.py) and production at Google.

Who signs in:
- the account already linked to this Google account (``users.google_sub``);
- else, an account with the same email only after its password is proven
  (no takeover by a Google account that happens to use the same address),
  which links it;
- else a new account, once the reader has chosen a username.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from booktracker.db import utcnow
from booktracker.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound
from booktracker.models import User
from booktracker.services import auth, social
from booktracker.services import text as texts
from booktracker.settings import settings

# Google's ID tokens carry either spelling of its issuer.
GOOGLE_ISSUERS = ("https://accounts.google.com", "accounts.google.com")
DISCOVERY_TTL_SECONDS = 3600
# An unknown key id refetches the keys (the provider rotated them), at most
# this often: tokens with made-up key ids can't make us hammer the provider.
KEY_REFRESH_COOLDOWN_SECONDS = 30.0
NOT_SET_UP = "Google sign-in is not set up on this server."
NOT_VERIFIED = "Google could not verify your sign-in. Try again."
EXPIRED = "Your Google sign-in expired. Try again."
EMAIL_UNVERIFIED = "Google has not verified this email address. Sign up with your email and a password instead."
NO_PASSWORD_LEFT = (
    "Google is your only way to sign in. Set a password first (Log out, then “Forgot password?”), "
    "then remove Google sign-in."
)


@dataclass(frozen=True)
class GoogleIdentity:
    sub: str
    email: str
    name: str


@dataclass
class GoogleOutcome:
    """What the front end does next: sign ``user`` in, or ask for a username
    (new account) or for the existing account's password (link)."""

    user: User | None = None
    needs_username: bool = False
    suggested_username: str = ""
    needs_password: bool = False
    email: str = ""


class _Keys:
    """The provider's discovery document and signing keys, cached per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._issuer = ""
        self._fetched_at = 0.0
        self._client: jwt.PyJWKClient | None = None

    def client(self) -> jwt.PyJWKClient:
        issuer = settings.google_issuer.rstrip("/")
        with self._lock:
            fresh = time.monotonic() - self._fetched_at < DISCOVERY_TTL_SECONDS
            if self._client is None or self._issuer != issuer or not fresh:
                response = httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
                response.raise_for_status()
                jwks_uri = response.json()["jwks_uri"]
                self._client = jwt.PyJWKClient(
                    jwks_uri,
                    cache_keys=True,
                    lifespan=DISCOVERY_TTL_SECONDS,
                    timeout=10,
                    cooldown_duration=KEY_REFRESH_COOLDOWN_SECONDS,
                )
                self._issuer, self._fetched_at = issuer, time.monotonic()
            return self._client

    def forget(self) -> None:
        with self._lock:
            self._client, self._fetched_at = None, 0.0


keys = _Keys()


def _issuers() -> list[str]:
    issuer = settings.google_issuer.rstrip("/")
    return list(GOOGLE_ISSUERS) if issuer in GOOGLE_ISSUERS else [issuer]


def verify_id_token(id_token: str) -> GoogleIdentity:
    """The identity in a valid token; AuthenticationFailed with a plain message otherwise."""
    if not settings.google_client_id:
        raise InvalidInput(NOT_SET_UP)
    if not id_token or len(id_token) > 8192:
        raise AuthenticationFailed(NOT_VERIFIED)
    try:
        signing_key = keys.client().get_signing_key_from_jwt(id_token)
        claims: dict[str, Any] = jwt.decode(
            id_token,
            signing_key.key,
            algorithms=["RS256"],
            audience=settings.google_client_id,
            issuer=_issuers(),
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            leeway=30,
        )
    except jwt.ExpiredSignatureError:
        raise AuthenticationFailed(EXPIRED) from None
    except (jwt.PyJWTError, httpx.HTTPError, KeyError, ValueError):
        raise AuthenticationFailed(NOT_VERIFIED) from None
    # Google sends a boolean; older tokens a string.
    if claims.get("email_verified") not in (True, "true") or not claims.get("email"):
        raise AuthenticationFailed(EMAIL_UNVERIFIED)
    email = auth.normalize_email(str(claims["email"]))
    return GoogleIdentity(sub=str(claims["sub"]), email=email, name=str(claims.get("name") or ""))


def _by_sub(session: Session, sub: str) -> User | None:
    return session.exec(select(User).where(User.google_sub == sub)).first()


def _usable(user: User) -> User:
    if user.suspended_at is not None:
        raise AuthenticationFailed(auth.SUSPENDED)
    return user


def sign_in_with_google(
    *, session: Session, id_token: str, username: str = "", password: str = "", ip: str = ""
) -> GoogleOutcome:
    """Sign in, link (with the password) or create (with a username): see the module's docstring."""
    identity = verify_id_token(id_token)
    linked = _by_sub(session, identity.sub)
    if linked is not None:
        return GoogleOutcome(user=_usable(linked))
    existing = session.exec(select(User).where(User.email == identity.email)).first()
    if existing is not None:
        if not password:
            return GoogleOutcome(needs_password=True, email=identity.email)
        user = _usable(auth.authenticate(session=session, email=identity.email, password=password, ip=ip))
        return GoogleOutcome(user=_link(session, user, identity.sub))
    if not username.strip():
        suggested = auth.free_username(session=session, email=identity.email)
        return GoogleOutcome(needs_username=True, suggested_username=suggested, email=identity.email)
    return GoogleOutcome(user=_create(session, identity, username))


def _create(session: Session, identity: GoogleIdentity, username: str) -> User:
    username = social.valid_username(username)
    if session.exec(select(User.id).where(User.username == username)).first() is not None:
        raise Conflict("That username is taken.", field="username")
    name = " ".join(identity.name.split())[: auth.NAME_MAX] or identity.email.split("@", 1)[0][: auth.NAME_MAX]
    texts.check_identity(name, field="name", label="Name")
    user = User(
        email=identity.email,
        username=username,
        name=name,
        # No password: password login never matches an empty hash (auth.verify_password).
        password_hash="",
        # Google verified the address (checked above).
        email_verified_at=utcnow(),
        google_sub=identity.sub,
    )
    session.add(user)
    try:
        session.commit()
    except IntegrityError:  # the same username or Google account, a moment ago
        session.rollback()
        raise Conflict("That username is taken, or this Google account was just used. Try again.") from None
    session.refresh(user)
    return user


def _link(session: Session, user: User, sub: str) -> User:
    if user.google_sub and user.google_sub != sub:
        raise Conflict("Another Google account is already linked to this account. Remove it in Settings first.")
    user.google_sub = sub
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("This Google account already signs in to another TrackMyRead account.") from None
    session.refresh(user)
    return user


def link(*, session: Session, user_id: int, id_token: str) -> User:
    """Add Google sign-in to the signed-in reader's account (Settings)."""
    identity = verify_id_token(id_token)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such reader.")
    other = _by_sub(session, identity.sub)
    if other is not None and other.id != user_id:
        raise Conflict("This Google account already signs in to another TrackMyRead account.")
    return _link(session, user, identity.sub)


def unlink(*, session: Session, user_id: int) -> User:
    """Remove Google sign-in, as long as a password remains to sign in with."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such reader.")
    if not has_password(user):
        raise InvalidInput(NO_PASSWORD_LEFT)
    user.google_sub = None
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def has_password(user: User) -> bool:
    return bool(user.password_hash)


@dataclass(frozen=True)
class SignInMethods:
    google: bool
    password: bool


def sign_in_methods(*, session: Session, user_id: int) -> SignInMethods:
    """How the reader can sign in (the settings page): one statement."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such reader.")
    return SignInMethods(google=bool(user.google_sub), password=has_password(user))
