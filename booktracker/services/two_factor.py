"""Two-factor sign-in: TOTP codes from an authenticator app, and recovery codes.

Turning it on: ``start`` makes a secret (shown as a QR code and as text) that
stays pending until ``confirm`` receives a code from it; then ten single-use
recovery codes are shown once. Turning it off needs the password AND a code.

Codes: six digits from the app (the previous, current and next 30-second
step are accepted, ``valid_window=1``), never the same step twice
(``User.totp_last_step``, moved by a conditional UPDATE so two requests racing
with one code cannot both pass), or a recovery code, usable once.

Recovery codes are 16 characters from a 31-letter alphabet (~79 bits), so a
plain SHA-256 is enough to store them: nobody can brute-force that from a
leaked table. No pepper from SECRET_KEY on purpose: rotating the key would
then silently void every reader's recovery codes, the one way back in.

Wrong codes are throttled like passwords (services/throttle.py), under their
own per-account key (``2fa:<email>``): the password typed right at the first
step records a success and must not wipe out the count of wrong codes.

Signing in with two-factor on is two steps: the password gives a short-lived
signed *challenge* (``issue_challenge``, 5 minutes, bound to the reader and
their token_version, signed with a key of its own so it can never pass for a
session token), and ``complete_login`` takes it with a code.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

import jwt
import pyotp
import qrcode
import qrcode.image.svg
from pyotp.totp import TOTP
from sqlmodel import Session, col, delete, func, select, update

from booktracker.db import utcnow
from booktracker.errors import AuthenticationFailed, Conflict, InvalidInput
from booktracker.models import RecoveryCode, User
from booktracker.services import auth, throttle
from booktracker.settings import settings

ISSUER = "TrackMyRead"
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
CHALLENGE_TYPE = "two-factor-challenge"
CHALLENGE_LIFETIME = datetime.timedelta(minutes=5)

WRONG_CODE = "That code is not correct. Use the 6-digit code from your authenticator app, or a recovery code."
WRONG_PASSWORD = "Your password is not correct."
CHALLENGE_EXPIRED = "Your sign-in took too long. Please enter your email and password again."
NOT_ON = "Two-factor sign-in is not on."
ALREADY_ON = "Two-factor sign-in is already on."
NOT_STARTED = "Start turning on two-factor sign-in first: a new QR code will be shown."


def is_enabled(user: User) -> bool:
    return user.totp_enabled_at is not None and bool(user.totp_secret)


@dataclass
class Setup:
    """What the reader's app needs: the secret as text and as a QR code."""

    secret: str
    otpauth_uri: str
    qr_data_uri: str


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise AuthenticationFailed(auth.SESSION_EXPIRED)
    return user


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


def start(*, session: Session, user_id: int) -> Setup:
    """A new pending secret (replacing an unconfirmed one); on only after ``confirm``."""
    user = _user(session, user_id)
    if is_enabled(user):
        raise Conflict(ALREADY_ON)
    user.totp_secret = pyotp.random_base32()
    session.add(user)
    session.commit()
    uri = TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return Setup(secret=user.totp_secret, otpauth_uri=uri, qr_data_uri=_qr_data_uri(uri))


# ----------------------------------------------------------------- codes


def _throttle_key(user: User) -> str:
    return f"2fa:{user.email}"[:320]


def _clean(code: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (code or "").lower())[:64]


def _totp_step(secret: str, code: str, last_step: int) -> int | None:
    """The time step this 6-digit code belongs to (previous, current or next), if newer than ``last_step``."""
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = TOTP(secret)
    now = utcnow()
    for offset in (-1, 0, 1):
        moment = now + datetime.timedelta(seconds=offset * totp.interval)
        if hmac.compare_digest(totp.at(moment), code):
            step = totp.timecode(moment)
            return step if step > last_step else None
    return None


def _use_totp(session: Session, user: User, code: str) -> bool:
    step = _totp_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        return False
    # Conditional: of two requests racing with the same code, one moves the step.
    moved = session.exec(
        update(User).where(col(User.id) == user.id, col(User.totp_last_step) < step).values(totp_last_step=step)
    )
    session.commit()
    session.refresh(user)
    return moved.rowcount == 1


def _hash_recovery(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def _use_recovery_code(session: Session, user: User, code: str) -> bool:
    if len(code) != 16:
        return False
    used = session.exec(
        update(RecoveryCode)
        .where(
            col(RecoveryCode.user_id) == user.id,
            col(RecoveryCode.code_hash) == _hash_recovery(code),
            col(RecoveryCode.used_at).is_(None),
        )
        .values(used_at=utcnow())
    )
    session.commit()
    return used.rowcount == 1


def _check_code(session: Session, user: User, code: str, *, ip: str, recovery: bool = True) -> None:
    """Accept a fresh TOTP code (or, with ``recovery``, an unused recovery code); throttled."""
    key = _throttle_key(user)
    throttle.check_allowed(session=session, email=key, ip=ip)
    cleaned = _clean(code)
    ok = _use_totp(session, user, cleaned) or (recovery and _use_recovery_code(session, user, cleaned))
    throttle.record(session=session, email=key, ip=ip, succeeded=ok)
    if not ok:
        raise AuthenticationFailed(WRONG_CODE, field="code")


def _check_password(session: Session, user: User, password: str, *, ip: str) -> None:
    """The password typed again, in the login throttle's budget (like services/auth.py)."""
    throttle.check_allowed(session=session, email=user.email, ip=ip)
    ok = auth.verify_password(password, user.password_hash)
    throttle.record(session=session, email=user.email, ip=ip, succeeded=ok)
    if not ok:
        raise AuthenticationFailed(WRONG_PASSWORD, field="password")


def _new_recovery_codes(session: Session, user_id: int) -> list[str]:
    """Ten fresh codes replacing every earlier one; only their hashes are kept (committed)."""
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(16)) for _ in range(RECOVERY_CODE_COUNT)]
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    session.add_all(RecoveryCode(user_id=user_id, code_hash=_hash_recovery(code)) for code in codes)
    session.commit()
    return ["-".join(code[i : i + 4] for i in range(0, 16, 4)) for code in codes]


# ----------------------------------------------------------------- settings


def confirm(*, session: Session, user_id: int, code: str, ip: str = "") -> list[str]:
    """Turn two-factor on with a code from the pending secret; returns the recovery codes (shown once)."""
    user = _user(session, user_id)
    if is_enabled(user):
        raise Conflict(ALREADY_ON)
    if not user.totp_secret:
        raise InvalidInput(NOT_STARTED, field="code")
    _check_code(session, user, code, ip=ip, recovery=False)
    user.totp_enabled_at = utcnow()
    session.add(user)
    session.commit()
    return _new_recovery_codes(session, user_id)


def regenerate_recovery_codes(*, session: Session, user_id: int, code: str, ip: str = "") -> list[str]:
    """New recovery codes (the old ones stop working), after a code."""
    user = _user(session, user_id)
    if not is_enabled(user):
        raise Conflict(NOT_ON)
    _check_code(session, user, code, ip=ip)
    return _new_recovery_codes(session, user_id)


def disable(*, session: Session, user_id: int, password: str, code: str, ip: str = "") -> None:
    """Turn two-factor off: needs the password and a code (or a recovery code)."""
    user = _user(session, user_id)
    if not is_enabled(user):
        raise Conflict(NOT_ON)
    _check_password(session, user, password, ip=ip)
    _check_code(session, user, code, ip=ip)
    user.totp_secret, user.totp_enabled_at = "", None
    session.add(user)
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    session.commit()


def recovery_codes_left(*, session: Session, user_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(RecoveryCode)
        .where(col(RecoveryCode.user_id) == user_id, col(RecoveryCode.used_at).is_(None))
    ).one()


# ----------------------------------------------------------------- sign-in


def _challenge_key() -> str:
    # A key of its own: a challenge can never pass as a session token, nor the reverse.
    return hashlib.sha256(f"{settings.secret_key}:{CHALLENGE_TYPE}".encode()).hexdigest()


def issue_challenge(user: User, *, now: datetime.datetime | None = None) -> str:
    """After a correct password: the proof the first step passed, for ``complete_login``."""
    now = now or utcnow()
    claims = {
        "typ": CHALLENGE_TYPE,
        "sub": str(user.id),
        "ver": user.token_version,
        "iat": int(now.timestamp()),
        "exp": int((now + CHALLENGE_LIFETIME).timestamp()),
    }
    return jwt.encode(claims, _challenge_key(), algorithm=auth.TOKEN_ALGORITHM)


def complete_login(*, session: Session, challenge: str, code: str, ip: str = "") -> User:
    """The second step of a sign-in: the challenge from the first and a code."""
    try:
        claims = jwt.decode(
            challenge or "",
            _challenge_key(),
            algorithms=[auth.TOKEN_ALGORITHM],
            options={"require": ["typ", "sub", "ver", "iat", "exp"]},
        )
        if claims["typ"] != CHALLENGE_TYPE:
            raise ValueError("not a challenge")
        user = session.get(User, int(claims["sub"]))
    except (jwt.PyJWTError, ValueError, TypeError):
        raise AuthenticationFailed(CHALLENGE_EXPIRED) from None
    if user is None or user.token_version != claims["ver"] or not is_enabled(user):
        raise AuthenticationFailed(CHALLENGE_EXPIRED)
    if user.suspended_at is not None:
        raise AuthenticationFailed(auth.SUSPENDED)
    _check_code(session, user, code, ip=ip)
    return user
