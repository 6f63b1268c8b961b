"""Login throttling: back-off, hourly and per-IP caps, no indefinite lock-out."""

import datetime

import pytest
from sqlmodel import delete

from booktracker.db import utcnow
from booktracker.errors import AuthenticationFailed, ServiceError
from booktracker.models import LoginAttempt
from booktracker.services import auth, throttle

PASSWORD = "the right password"


@pytest.fixture
def user(session):
    return auth.signup(session=session, email="ann@example.com", name="Ann", password=PASSWORD)


def fail(session, email="ann@example.com", ip="10.0.0.9"):
    with pytest.raises(ServiceError) as caught:
        auth.authenticate(session=session, email=email, password="wrong password", ip=ip)
    return caught.value


def add_failures(session, count, *, email="ann@example.com", ip="10.0.0.9", ago=datetime.timedelta(seconds=0)):
    at = utcnow() - ago
    session.add_all(LoginAttempt(email=email, ip=ip, succeeded=False, created_at=at) for _ in range(count))
    session.commit()


def test_five_failures_are_free_then_back_off(session, user):
    for _ in range(5):
        assert type(fail(session)) is AuthenticationFailed
    blocked = fail(session)
    assert isinstance(blocked, throttle.TooManyAttempts)
    assert blocked.http_status == 429 and 1 <= blocked.retry_after <= 2
    # Even the right password waits out the back-off.
    with pytest.raises(throttle.TooManyAttempts):
        auth.authenticate(session=session, email="ann@example.com", password=PASSWORD, ip="10.0.0.9")


def test_back_off_grows_exponentially_and_is_capped(session, user):
    add_failures(session, 9, ip="10.0.0.1")  # from several IPs: per-account rule
    with pytest.raises(throttle.TooManyAttempts) as caught:
        throttle.check_allowed(session=session, email="ann@example.com", ip="10.0.0.2")
    assert 14 <= caught.value.retry_after <= 16  # 2**(9-5)
    session.exec(delete(LoginAttempt))
    add_failures(session, 40, ip="10.0.0.1", ago=datetime.timedelta(seconds=30))
    with pytest.raises(throttle.TooManyAttempts) as caught:
        throttle.check_allowed(session=session, email="ann@example.com", ip="10.0.0.2")
    assert caught.value.retry_after <= 15 * 60


def test_hourly_account_cap(session, user):
    add_failures(session, 100, ip="10.0.0.1", ago=datetime.timedelta(minutes=50))
    with pytest.raises(throttle.TooManyAttempts) as caught:
        throttle.check_allowed(session=session, email="ann@example.com", ip="10.0.0.3")
    assert 9 * 60 <= caught.value.retry_after <= 10 * 60 + 1
    session.exec(delete(LoginAttempt))
    add_failures(session, 100, ip="10.0.0.1", ago=datetime.timedelta(minutes=61))
    throttle.check_allowed(session=session, email="ann@example.com", ip="10.0.0.3")  # window passed


def test_per_ip_cap_across_accounts(session, user):
    for n in range(20):
        add_failures(session, 1, email=f"victim{n}@example.com", ip="10.6.6.6")
    with pytest.raises(throttle.TooManyAttempts):
        throttle.check_allowed(session=session, email="ann@example.com", ip="10.6.6.6")
    throttle.check_allowed(session=session, email="ann@example.com", ip="10.0.0.7")


def test_attacker_cannot_lock_out_the_owner_from_a_known_ip(session, user):
    auth.authenticate(session=session, email="ann@example.com", password=PASSWORD, ip="192.0.2.10")
    add_failures(session, 100, ip="198.51.100.1")  # attacker, capped and backed off
    with pytest.raises(throttle.TooManyAttempts):
        throttle.check_allowed(session=session, email="ann@example.com", ip="198.51.100.2")
    # The owner's usual IP only counts its own failures.
    assert auth.authenticate(session=session, email="ann@example.com", password=PASSWORD, ip="192.0.2.10").id == user.id


def test_unknown_email_is_throttled_the_same_way(session, user):
    for _ in range(5):
        error = fail(session, email="nobody@example.com")
        assert error.message == auth.BAD_CREDENTIALS
    assert isinstance(fail(session, email="nobody@example.com"), throttle.TooManyAttempts)
    other = fail(session)  # another account is unaffected
    assert isinstance(other, AuthenticationFailed) and not isinstance(other, throttle.TooManyAttempts)


@pytest.mark.parametrize("seconds, text", [(1, "1 second"), (2, "2 seconds"), (119, "119 seconds"), (121, "3 minutes")])
def test_the_wait_is_spelled_right(seconds, text):
    error = throttle.TooManyAttempts(datetime.timedelta(seconds=seconds))
    assert error.message == f"Too many attempts. Try again in {text}."


def _wrong_current_password(session, user, action):
    with pytest.raises(ServiceError) as caught:
        if action == "change":
            auth.change_password(
                session=session, user_id=user.id, current_password="guess", new_password="whatever 123", ip="10.0.0.9"
            )
        else:
            auth.delete_account(session=session, user_id=user.id, password="guess", ip="10.0.0.9")
    return caught.value


@pytest.mark.parametrize("action", ["change", "delete"])
def test_current_password_checks_are_throttled_like_logins(session, user, action):
    """Someone holding a stolen session gets no more guesses than at the login form."""
    auth.authenticate(session=session, email="ann@example.com", password=PASSWORD, ip="192.0.2.1")  # the owner
    for _ in range(5):
        assert type(_wrong_current_password(session, user, action)) is AuthenticationFailed
    blocked = _wrong_current_password(session, user, action)
    assert isinstance(blocked, throttle.TooManyAttempts) and blocked.http_status == 429
    # Even the right password waits, and nothing was changed or deleted; the
    # owner's own address still logs in (only its own failures count there).
    with pytest.raises(throttle.TooManyAttempts):
        auth.delete_account(session=session, user_id=user.id, password=PASSWORD, ip="10.0.0.9")
    assert auth.authenticate(session=session, email="ann@example.com", password=PASSWORD, ip="192.0.2.1").id == user.id


def test_logins_and_password_checks_share_one_budget(session, user):
    for _ in range(3):
        fail(session)
    for _ in range(2):
        _wrong_current_password(session, user, "change")
    assert isinstance(fail(session), throttle.TooManyAttempts)
