"""Two-factor sign-in (services/two_factor.py) with real pyotp codes from the secret."""

import logging
import time

import jwt
import pytest
from pyotp.totp import TOTP
from sqlmodel import select

from booktracker.errors import AuthenticationFailed, Conflict, InvalidInput
from booktracker.models import RecoveryCode, User
from booktracker.services import auth, two_factor
from booktracker.services.throttle import TooManyAttempts
from booktracker.settings import settings

PASSWORD = "correct horse battery"


@pytest.fixture
def ann(session):
    return auth.signup(session=session, email="ann@example.com", name="Ann", password=PASSWORD)


def code(secret: str, steps_ahead: int = 0) -> str:
    return TOTP(secret).at(time.time() + 30 * steps_ahead)


def turn_on(session, user) -> tuple[str, list[str]]:
    setup = two_factor.start(session=session, user_id=user.id)
    codes = two_factor.confirm(session=session, user_id=user.id, code=code(setup.secret))
    return setup.secret, codes


def test_start_shows_a_qr_code_and_stays_off_until_confirmed(session, ann):
    setup = two_factor.start(session=session, user_id=ann.id)
    assert setup.qr_data_uri.startswith("data:image/svg+xml;base64,")
    assert setup.otpauth_uri.startswith("otpauth://totp/TrackMyRead:ann%40example.com?secret=" + setup.secret)
    assert not two_factor.is_enabled(session.get(User, ann.id))
    with pytest.raises(AuthenticationFailed):  # a wrong code does not turn it on
        two_factor.confirm(session=session, user_id=ann.id, code="000000" if code(setup.secret) != "000000" else "1")
    codes = two_factor.confirm(session=session, user_id=ann.id, code=code(setup.secret))
    assert len(codes) == 10 and len(set(codes)) == 10 and all(len(c) == 19 for c in codes)
    assert two_factor.is_enabled(session.get(User, ann.id))
    with pytest.raises(Conflict):
        two_factor.start(session=session, user_id=ann.id)


def test_confirm_needs_a_started_setup(session, ann):
    with pytest.raises(InvalidInput):
        two_factor.confirm(session=session, user_id=ann.id, code="123456")


def test_recovery_codes_are_stored_hashed(session, ann):
    _, codes = turn_on(session, ann)
    stored = list(session.exec(select(RecoveryCode.code_hash)))
    assert len(stored) == 10
    assert not {c.replace("-", "") for c in codes} & set(stored)
    assert not any(c in h or c.replace("-", "") in h for c in codes for h in stored)


def test_login_needs_the_code_and_a_code_is_never_accepted_twice(session, ann):
    secret = two_factor.start(session=session, user_id=ann.id).secret
    first = code(secret)
    two_factor.confirm(session=session, user_id=ann.id, code=first)
    challenge = two_factor.issue_challenge(ann)
    with pytest.raises(AuthenticationFailed, match="not correct"):  # replay of the confirm code
        two_factor.complete_login(session=session, challenge=challenge, code=first)
    next_code = code(secret, 1)  # the next step is within valid_window=1
    assert two_factor.complete_login(session=session, challenge=challenge, code=next_code).id == ann.id
    with pytest.raises(AuthenticationFailed):  # the same code again
        two_factor.complete_login(session=session, challenge=challenge, code=next_code)


def test_codes_outside_the_window_are_refused(session, ann):
    secret, _ = turn_on(session, ann)
    challenge = two_factor.issue_challenge(ann)
    for steps in (-3, 3):
        with pytest.raises(AuthenticationFailed):
            two_factor.complete_login(session=session, challenge=challenge, code=code(secret, steps))


def test_a_recovery_code_works_once(session, ann):
    _, codes = turn_on(session, ann)
    challenge = two_factor.issue_challenge(ann)
    typed = codes[3].upper().replace("-", " ")  # case and separators do not matter
    assert two_factor.complete_login(session=session, challenge=challenge, code=typed).id == ann.id
    with pytest.raises(AuthenticationFailed):
        two_factor.complete_login(session=session, challenge=challenge, code=codes[3])
    assert two_factor.recovery_codes_left(session=session, user_id=ann.id) == 9


def test_wrong_codes_are_throttled_like_passwords(session, ann):
    turn_on(session, ann)
    challenge = two_factor.issue_challenge(ann)
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            two_factor.complete_login(session=session, challenge=challenge, code="999999", ip="10.0.0.5")
    with pytest.raises(TooManyAttempts):
        two_factor.complete_login(session=session, challenge=challenge, code="999999", ip="10.0.0.5")
    # The password right at the first step does not wipe out the count of wrong codes.
    auth.authenticate(session=session, email="ann@example.com", password=PASSWORD, ip="10.0.0.5")
    with pytest.raises(TooManyAttempts):
        two_factor.complete_login(session=session, challenge=challenge, code="999999", ip="10.0.0.5")


def test_the_challenge_is_short_lived_bound_and_not_a_session_token(session, ann):
    secret, _ = turn_on(session, ann)
    challenge = two_factor.issue_challenge(ann)
    with pytest.raises(AuthenticationFailed):  # never passes as a session token
        auth.check_token(session=session, token=challenge)
    # A session token is not a challenge either, nor a forged or expired one.
    stale = two_factor.issue_challenge(ann, now=auth.utcnow() - two_factor.CHALLENGE_LIFETIME)
    forged = jwt.encode(
        {"typ": two_factor.CHALLENGE_TYPE, "sub": str(ann.id), "ver": 0, "iat": 0, "exp": 2**40}, "x" * 32
    )
    for bad in (auth.issue_token(ann), stale, forged, ""):
        with pytest.raises(AuthenticationFailed, match="took too long"):
            two_factor.complete_login(session=session, challenge=bad, code=code(secret, 1))
    auth.revoke_tokens(session=session, user_id=ann.id)  # signing out everywhere voids it too
    with pytest.raises(AuthenticationFailed, match="took too long"):
        two_factor.complete_login(session=session, challenge=challenge, code=code(secret, 1))
    assert settings.secret_key not in challenge


def test_turning_off_needs_password_and_code(session, ann):
    secret, _ = turn_on(session, ann)
    with pytest.raises(AuthenticationFailed, match="password"):
        two_factor.disable(session=session, user_id=ann.id, password="wrong password", code=code(secret, 1))
    with pytest.raises(AuthenticationFailed, match="code"):
        two_factor.disable(session=session, user_id=ann.id, password=PASSWORD, code="12")
    assert two_factor.is_enabled(session.get(User, ann.id))
    two_factor.disable(session=session, user_id=ann.id, password=PASSWORD, code=code(secret, 1))
    user = session.get(User, ann.id)
    assert user is not None and not two_factor.is_enabled(user) and user.totp_secret == ""
    assert two_factor.recovery_codes_left(session=session, user_id=ann.id) == 0
    with pytest.raises(Conflict):
        two_factor.disable(session=session, user_id=ann.id, password=PASSWORD, code="123456")


def test_new_recovery_codes_replace_the_old(session, ann):
    secret, old = turn_on(session, ann)
    new = two_factor.regenerate_recovery_codes(session=session, user_id=ann.id, code=code(secret, 1))
    assert len(new) == 10 and not set(new) & set(old)
    challenge = two_factor.issue_challenge(ann)
    with pytest.raises(AuthenticationFailed):
        two_factor.complete_login(session=session, challenge=challenge, code=old[0])
    two_factor.complete_login(session=session, challenge=challenge, code=new[0])


def test_deleting_the_account_removes_codes_and_sessions(session, ann):
    turn_on(session, ann)
    auth.sign_in(session=session, user=ann)
    auth.delete_account(session=session, user_id=ann.id, password=PASSWORD)
    assert list(session.exec(select(RecoveryCode))) == []


def test_no_secret_code_or_token_in_logs(session, ann, caplog):
    caplog.set_level(logging.DEBUG)
    secret, codes = turn_on(session, ann)
    challenge = two_factor.issue_challenge(ann)
    typed = code(secret, 1)
    with pytest.raises(AuthenticationFailed):
        two_factor.complete_login(session=session, challenge=challenge, code=codes[0] + "x")
    two_factor.complete_login(session=session, challenge=challenge, code=typed)
    for secret_text in (secret, challenge, typed, *codes):
        assert secret_text not in caplog.text
