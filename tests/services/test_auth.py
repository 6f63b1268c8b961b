"""Accounts and tokens (services/auth.py) on the real database."""

import datetime
import os
import subprocess
import sys

import jwt
import pytest

from booktracker.db import utcnow
from booktracker.errors import AuthenticationFailed, Conflict, InvalidInput
from booktracker.models import User
from booktracker.services import auth
from booktracker.settings import PROJECT_ROOT, settings

PASSWORD = "correct horse battery"


def signup(session, email="Ann@Example.COM", name="Ann", password=PASSWORD):
    return auth.signup(session=session, email=email, name=name, password=password)


def test_signup_normalises_and_hashes(session):
    user = signup(session)
    assert user.email == "ann@example.com" and user.username == "ann"
    assert user.password_hash.startswith("$2b$") and PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"email": "not-an-email"}, "email"),
        ({"name": "   "}, "name"),
        ({"name": "n" * 81}, "name"),
        # Nothing visible: zero-width characters, Hangul fillers, a blank Braille pattern.
        ({"name": "\u200b\u200c\u200d\ufeff"}, "name"),
        ({"name": "\u3164 \u115f\u1160\uffa0"}, "name"),
        ({"name": "\u2800"}, "name"),
        # Bidi overrides/isolates reorder what follows: refused in names.
        ({"name": "Ann\u202egnp.exe"}, "name"),
        ({"name": "\u2066Ann\u2069"}, "name"),
        ({"password": "short"}, "password"),
        ({"password": "p" * 129}, "password"),
    ],
)
def test_signup_validation(session, kwargs, field):
    with pytest.raises(InvalidInput) as caught:
        signup(session, **kwargs)
    assert caught.value.field == field


def test_duplicate_email_is_a_clear_conflict(session):
    signup(session)
    with pytest.raises(Conflict, match="already exists"):
        signup(session, email="ANN@example.com")


def test_usernames_stay_unique(session):
    names = {signup(session, email=f"ann@host{i}.example.com").username for i in range(3)}
    assert names == {"ann", "ann2", "ann3"}


def test_long_passwords_are_fully_significant(session):
    """bcrypt alone reads 72 bytes; the pre-hash keeps every character."""
    base = "é" * 60  # 120 bytes of UTF-8
    user = signup(session, password=base + "A")
    assert auth.authenticate(session=session, email="ann@example.com", password=base + "A").id == user.id
    with pytest.raises(AuthenticationFailed):
        auth.authenticate(session=session, email="ann@example.com", password=base + "B")


def test_unknown_email_and_wrong_password_look_the_same(session, monkeypatch):
    signup(session)
    checked = []
    real_verify = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda pw, h: checked.append(h) or real_verify(pw, h))
    with pytest.raises(AuthenticationFailed) as wrong:
        auth.authenticate(session=session, email="ann@example.com", password="not the password")
    with pytest.raises(AuthenticationFailed) as unknown:
        auth.authenticate(session=session, email="nobody@example.com", password="not the password")
    assert wrong.value.message == unknown.value.message == auth.BAD_CREDENTIALS
    # The unknown email still costs a bcrypt check, against the dummy hash.
    assert checked[-1] == auth._dummy_hash()


def test_default_bcrypt_cost_is_12():
    env = {k: v for k, v in os.environ.items() if k != "BCRYPT_ROUNDS"}
    code = "from booktracker.services.auth import hash_password; print(hash_password('x' * 10))"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("$2b$12$")


def test_token_round_trip_and_claims(session):
    user = signup(session)
    token = auth.issue_token(user)
    claims = jwt.decode(token, settings.secret_key, algorithms=["HS256"])
    assert claims["sub"] == str(user.id) and claims["exp"] - claims["iat"] == 7 * 24 * 3600
    check = auth.check_token(session=session, token=token)
    assert check.user.id == user.id and check.refreshed_token == ""


def test_old_tokens_are_refreshed_on_use(session):
    user = signup(session)
    token = auth.issue_token(user, now=utcnow() - datetime.timedelta(hours=2))
    check = auth.check_token(session=session, token=token)
    assert check.refreshed_token and auth.check_token(session=session, token=check.refreshed_token).user.id == user.id


def _forged(claims, key, algorithm):
    return jwt.encode(claims, key, algorithm=algorithm)


def test_bad_tokens_are_rejected(session):
    user = signup(session)
    now = int(utcnow().timestamp())
    claims = {"sub": str(user.id), "ver": 0, "iat": now, "exp": now + 3600}
    _header, payload, _sig = _forged(claims, settings.secret_key, "HS256").split(".")
    none_header = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()
    bad = [
        "",
        "garbage",
        f"{none_header}.{payload}.",
        _forged(claims, "another-key-that-is-long-enough-000000", "HS256"),
        _forged(claims, settings.secret_key, "HS512"),
        _forged({**claims, "exp": now - 10}, settings.secret_key, "HS256"),
        _forged({k: v for k, v in claims.items() if k != "ver"}, settings.secret_key, "HS256"),
    ]
    for token in bad:
        with pytest.raises(AuthenticationFailed):
            auth.check_token(session=session, token=token)


def test_logout_revokes_earlier_tokens(session):
    user = signup(session)
    token = auth.issue_token(user)
    auth.revoke_tokens(session=session, user_id=user.id)
    with pytest.raises(AuthenticationFailed):
        auth.check_token(session=session, token=token)
    fresh = auth.issue_token(session.get(User, user.id))
    assert auth.check_token(session=session, token=fresh).user.id == user.id


def test_token_of_deleted_user_is_rejected(session):
    user = signup(session)
    token = auth.issue_token(user)
    session.delete(session.get(User, user.id))
    session.commit()
    with pytest.raises(AuthenticationFailed):
        auth.check_token(session=session, token=token)
