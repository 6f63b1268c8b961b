"""Password reset, email verification and email change, through the mail a
real SMTP server on loopback received (tests/support/smtp_server.py)."""

import datetime
import logging
import statistics
import time

import pytest
from sqlmodel import col, select

from booktracker.db import utcnow
from booktracker.errors import AuthenticationFailed, Conflict, InvalidInput
from booktracker.models import AccountToken, User
from booktracker.services import account_links, account_mail, accounts, auth, mail
from booktracker.services.throttle import TooManyAttempts

PASSWORD = "password 123"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def ann(session, mailbox):
    user = auth.signup(session=session, email="ann@example.com", name="Ann", password=PASSWORD)
    mailbox.wait_for("ann@example.com")
    return user


def _reset_token(session, mailbox, email="ann@example.com", count=1):
    assert accounts.request_password_reset(session=session, email=email) == accounts.RESET_SENT
    messages = mailbox.wait_for(email, count + 1)  # + the sign-up's verification
    return mailbox.token(messages[-1])


def test_sign_up_sends_a_verification_link_that_verifies(session, mailbox, ann):
    [message] = mailbox.to("ann@example.com")
    assert message["Subject"] == "Confirm your email address for TrackMyRead"
    link = mailbox.link(message)
    assert link.startswith(f"{account_mail.settings.public_url}{account_mail.VERIFY_PATH}?token=")
    assert ann.email_verified_at is None
    user, said = accounts.verify_email(session=session, token=mailbox.token(message))
    assert said == accounts.VERIFIED and user.email_verified_at is not None
    # Only the hash is stored.
    [row] = session.exec(select(AccountToken)).all()
    assert row.token_hash == account_links.hash_token(mailbox.token(message)) and mailbox.token(message) not in str(
        row.model_dump()
    )


def test_reset_sets_the_password_and_ends_every_session(session, mailbox, ann):
    old_token = auth.issue_token(ann)
    token = _reset_token(session, mailbox)
    [_, message] = mailbox.to("ann@example.com")
    assert message["Subject"] == "Reset your TrackMyRead password"
    assert account_mail.RESET_PATH in mailbox.link(message) and account_mail.RESET_PATH in mailbox.html(message)
    accounts.reset_password(session=session, token=token, new_password=NEW_PASSWORD)
    assert auth.authenticate(session=session, email="ann@example.com", password=NEW_PASSWORD).id == ann.id
    with pytest.raises(AuthenticationFailed):
        auth.check_token(session=session, token=old_token)
    # Using the link proved the address too.
    assert session.get(User, ann.id).email_verified_at is not None


def test_reset_links_are_refused_when_reused_tampered_superseded_expired_or_after_a_password_change(
    session, mailbox, ann
):
    first = _reset_token(session, mailbox)
    second = _reset_token(session, mailbox, count=2)
    with pytest.raises(account_links.LinkRefused, match="newer link"):
        accounts.reset_password(session=session, token=first, new_password=NEW_PASSWORD)
    with pytest.raises(account_links.LinkRefused, match="not valid"):
        accounts.reset_password(session=session, token=second[:-2] + "AA", new_password=NEW_PASSWORD)
    accounts.reset_password(session=session, token=second, new_password=NEW_PASSWORD)
    with pytest.raises(account_links.LinkRefused, match="already been used"):
        accounts.reset_password(session=session, token=second, new_password="yet another one")

    third = _reset_token(session, mailbox, count=3)
    auth.change_password(session=session, user_id=ann.id, current_password=NEW_PASSWORD, new_password="changed 1234")
    with pytest.raises(account_links.LinkRefused, match="password was changed"):
        accounts.reset_password(session=session, token=third, new_password=NEW_PASSWORD)

    fourth = _reset_token(session, mailbox, count=4)
    row = session.exec(select(AccountToken).where(AccountToken.token_hash == account_links.hash_token(fourth))).one()
    row.expires_at = utcnow() - datetime.timedelta(seconds=1)
    session.add(row)
    session.commit()
    with pytest.raises(account_links.LinkRefused, match="expired"):
        accounts.reset_password(session=session, token=fourth, new_password=NEW_PASSWORD)
    assert auth.authenticate(session=session, email="ann@example.com", password="changed 1234")


def test_a_reset_link_is_no_verification_link_and_a_short_password_keeps_the_link(session, mailbox, ann):
    token = _reset_token(session, mailbox)
    with pytest.raises(account_links.LinkRefused, match="not valid"):
        accounts.verify_email(session=session, token=token)
    with pytest.raises(InvalidInput):
        accounts.reset_password(session=session, token=token, new_password="short")
    accounts.reset_password(session=session, token=token, new_password=NEW_PASSWORD)


def test_verification_links_refused_for_another_account_reused_expired_and_after_password_change(session, mailbox, ann):
    bob = auth.signup(session=session, email="bob@example.com", name="Bob", password=PASSWORD)
    token = mailbox.token(mailbox.to("ann@example.com")[0])
    with pytest.raises(account_links.LinkRefused, match="another account"):
        accounts.verify_email(session=session, token=token, user_id=bob.id)
    accounts.verify_email(session=session, token=token, user_id=ann.id)
    with pytest.raises(account_links.LinkRefused, match="already been used"):
        accounts.verify_email(session=session, token=token)

    bob_token = mailbox.token(mailbox.wait_for("bob@example.com")[0])
    auth.change_password(session=session, user_id=bob.id, current_password=PASSWORD, new_password=NEW_PASSWORD)
    with pytest.raises(account_links.LinkRefused, match="password was changed"):
        accounts.verify_email(session=session, token=bob_token)
    accounts.resend_verification(session=session, user_id=bob.id)
    fresh = mailbox.token(mailbox.wait_for("bob@example.com", 2)[-1])
    for row in session.exec(select(AccountToken).where(AccountToken.user_id == bob.id)).all():
        row.expires_at = utcnow() - datetime.timedelta(seconds=1)
        session.add(row)
    session.commit()
    with pytest.raises(account_links.LinkRefused, match="expired"):
        accounts.verify_email(session=session, token=fresh)


def test_resend_is_throttled_and_refused_once_verified(session, mailbox, ann):
    for _ in range(accounts.VERIFY_LIMITS["per_email"][0]):
        accounts.resend_verification(session=session, user_id=ann.id, ip="10.0.0.1")
    with pytest.raises(TooManyAttempts):
        accounts.resend_verification(session=session, user_id=ann.id, ip="10.0.0.1")
    # The login budget is untouched.
    assert auth.authenticate(session=session, email="ann@example.com", password=PASSWORD, ip="10.0.0.1")
    # Mail goes out from a thread pool, so delivery order is not issue order:
    # use the link of the newest token (only it still works).
    newest = session.exec(select(AccountToken).order_by(col(AccountToken.id).desc())).first()
    assert newest is not None
    tokens = [mailbox.token(message) for message in mailbox.wait_for("ann@example.com", 4)]
    [latest] = [t for t in tokens if account_links.hash_token(t) == newest.token_hash]
    accounts.verify_email(session=session, token=latest)
    with pytest.raises(Conflict, match="already confirmed"):
        accounts.resend_verification(session=session, user_id=ann.id)


def test_reset_requests_are_throttled_per_address_and_per_client(session, mailbox, ann):
    per_email, per_ip = accounts.RESET_LIMITS["per_email"][0], accounts.RESET_LIMITS["per_ip"][0]
    for _ in range(per_email):
        accounts.request_password_reset(session=session, email="ann@example.com", ip="10.0.0.1")
    with pytest.raises(TooManyAttempts):
        accounts.request_password_reset(session=session, email="ann@example.com", ip="10.0.0.2")
    for index in range(per_ip - per_email):
        accounts.request_password_reset(session=session, email=f"x{index}@example.com", ip="10.0.0.1")
    with pytest.raises(TooManyAttempts):
        accounts.request_password_reset(session=session, email="someone@example.com", ip="10.0.0.1")


def test_unknown_address_same_answer_no_mail_comparable_time(session, mailbox, ann):
    def timed(email: str, index: int) -> float:
        start = time.perf_counter()
        said = accounts.request_password_reset(session=session, email=email, ip=f"10.1.{index}.1")
        elapsed = time.perf_counter() - start
        assert said == accounts.RESET_SENT
        return elapsed

    known, unknown = [], []
    for index in range(5):  # the per-address limit
        known.append(timed("ann@example.com", index))
        unknown.append(timed("nobody@example.com", index + 10))
    mail.wait_idle()
    assert mailbox.to("nobody@example.com") == []
    fast, slow = sorted([statistics.median(known), statistics.median(unknown)])
    assert slow / fast < 4, (known, unknown)


def test_email_change_needs_the_password_confirms_the_new_address_and_tells_the_old(session, mailbox, ann):
    with pytest.raises(AuthenticationFailed):
        accounts.request_email_change(session=session, user_id=ann.id, password="wrong one!", new_email="a@new.org")
    auth.signup(session=session, email="bob@example.com", name="Bob", password=PASSWORD)
    with pytest.raises(Conflict):
        accounts.request_email_change(session=session, user_id=ann.id, password=PASSWORD, new_email="BOB@example.com")
    said = accounts.request_email_change(session=session, user_id=ann.id, password=PASSWORD, new_email="Ann@New.org")
    assert "ann@new.org" in said
    [confirm] = mailbox.wait_for("ann@new.org")
    notice = mailbox.wait_for("ann@example.com", 2)[-1]
    assert "ann@new.org" in mailbox.text(notice) and "token=" not in mailbox.text(notice)
    assert session.get(User, ann.id).email == "ann@example.com"  # not before the link
    user, said = accounts.verify_email(session=session, token=mailbox.token(confirm))
    assert user.email == "ann@new.org" and user.email_verified_at is not None and said.endswith("ann@new.org.")
    changed = mailbox.wait_for("ann@example.com", 3)[-1]
    assert changed["Subject"] == "Your TrackMyRead email address was changed"
    assert auth.authenticate(session=session, email="ann@new.org", password=PASSWORD).id == ann.id


def test_no_token_or_password_in_logs(session, mailbox, caplog):
    with caplog.at_level(logging.DEBUG):
        user = auth.signup(session=session, email="cat@example.com", name="Cat", password=PASSWORD)
        verify = mailbox.token(mailbox.wait_for("cat@example.com")[0])
        accounts.verify_email(session=session, token=verify)
        accounts.request_password_reset(session=session, email="cat@example.com")
        reset = mailbox.token(mailbox.wait_for("cat@example.com", 2)[-1])
        accounts.reset_password(session=session, token=reset, new_password=NEW_PASSWORD)
        accounts.request_email_change(session=session, user_id=user.id, password=NEW_PASSWORD, new_email="c@new.org")
        change = mailbox.token(mailbox.wait_for("c@new.org")[0])
        mail.wait_idle()
    # Everything the app logged; "mail.log" is aiosmtpd, the test's server, which logs the whole DATA.
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name != "mail.log")
    assert "delivered" in logged
    for secret in (verify, reset, change, PASSWORD, NEW_PASSWORD):
        assert secret not in logged
