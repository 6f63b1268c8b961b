"""Google sign-in against a local OpenID Connect provider: what is refused,
who signs in, linking only with the password, and one way to sign in kept."""

from __future__ import annotations

import pytest
from sqlmodel import select

from booktracker.db import utcnow
from booktracker.errors import AuthenticationFailed, Conflict, InvalidInput
from booktracker.models import User
from booktracker.services import auth, google_signin
from booktracker.settings import settings
from tests.services.conftest import reader


def test_verifies_a_good_token(google):
    identity = google_signin.verify_id_token(google.id_token(email="Ann@Gmail.com"))
    assert identity == google_signin.GoogleIdentity(sub="google-sub-1", email="ann@gmail.com", name="Ann Google")


@pytest.mark.parametrize(
    ("token_args", "message"),
    [
        ({"audience": "someone-else.apps.googleusercontent.com"}, google_signin.NOT_VERIFIED),
        ({"issuer": "https://evil.example"}, google_signin.NOT_VERIFIED),
        ({"expires_in": -120}, google_signin.EXPIRED),
        ({"forged": True}, google_signin.NOT_VERIFIED),
        ({"email_verified": False}, google_signin.EMAIL_UNVERIFIED),
        ({"email_verified": "false"}, google_signin.EMAIL_UNVERIFIED),
    ],
    ids=["wrong-audience", "wrong-issuer", "expired", "forged-signature", "email-unverified", "unverified-string"],
)
def test_refuses_bad_tokens(google, session, token_args, message):
    with pytest.raises(AuthenticationFailed) as refused:
        google_signin.sign_in_with_google(session=session, id_token=google.id_token(**token_args), username="ann")
    assert refused.value.message == message
    assert session.exec(select(User)).all() == []  # nothing created


def test_refuses_garbage_and_a_server_without_google(google, session, monkeypatch):
    with pytest.raises(AuthenticationFailed):
        google_signin.verify_id_token("not.a.token")
    monkeypatch.setattr(google_signin, "settings", settings.model_copy(update={"google_client_id": ""}))
    with pytest.raises(InvalidInput, match="not set up"):
        google_signin.verify_id_token(google.id_token())


def test_keys_are_cached_and_refetched_after_rotation(google, monkeypatch):
    google_signin.verify_id_token(google.id_token())
    google_signin.verify_id_token(google.id_token(sub="another"))
    assert google.requests.count("/jwks") == 1 and google.requests.count("/.well-known/openid-configuration") == 1
    google.rotate_key()
    # Within the cooldown an unknown key id is refused without asking the provider again...
    with pytest.raises(AuthenticationFailed):
        google_signin.verify_id_token(google.id_token())
    assert google.requests.count("/jwks") == 1

    # ...after it, the keys are fetched again and the rotated key is trusted.
    monkeypatch.setattr(google_signin, "KEY_REFRESH_COOLDOWN_SECONDS", 0.0)
    google_signin.keys.forget()
    google_signin.verify_id_token(google.id_token(sub="before"))  # a fresh client fetches the new set
    google.rotate_key()
    google_signin.verify_id_token(google.id_token())  # an unknown kid: refetched at once
    assert google.requests.count("/jwks") == 3


def test_first_sign_in_asks_for_a_username_then_creates_a_verified_account(google, session):
    token = google.id_token()
    first = google_signin.sign_in_with_google(session=session, id_token=token)
    assert first.needs_username and first.suggested_username == "ann" and first.user is None

    with pytest.raises(InvalidInput, match="Username must be"):
        google_signin.sign_in_with_google(session=session, id_token=token, username="a!")
    created = google_signin.sign_in_with_google(session=session, id_token=token, username="Ann_Reads")

    user = created.user
    assert user is not None and user.username == "ann_reads" and user.name == "Ann Google"
    assert user.email_verified_at is not None and user.google_sub == "google-sub-1"
    assert not google_signin.has_password(user)
    # No password to guess: password login never matches.
    with pytest.raises(AuthenticationFailed):
        auth.authenticate(session=session, email="ann@gmail.com", password="")
    again = google_signin.sign_in_with_google(session=session, id_token=google.id_token())
    assert again.user is not None and again.user.id == user.id


def test_a_taken_username_is_refused(google, session):
    reader(session, "Ann")  # username "ann", email ann@example.com
    with pytest.raises(Conflict, match="taken"):
        google_signin.sign_in_with_google(session=session, id_token=google.id_token(), username="ann")


def test_same_email_links_only_with_the_password(google, session):
    ann = auth.signup(session=session, email="ann@gmail.com", name="Ann", password="password 123")
    token = google.id_token()

    asked = google_signin.sign_in_with_google(session=session, id_token=token, username="whatever")
    assert asked.needs_password and asked.user is None
    session.refresh(ann)
    assert ann.google_sub is None  # no takeover by a Google account with the same address

    with pytest.raises(AuthenticationFailed):
        google_signin.sign_in_with_google(session=session, id_token=token, password="wrong password")
    linked = google_signin.sign_in_with_google(session=session, id_token=token, password="password 123")
    assert linked.user is not None and linked.user.id == ann.id and linked.user.google_sub == "google-sub-1"
    later = google_signin.sign_in_with_google(session=session, id_token=google.id_token())
    assert later.user is not None and later.user.id == ann.id


def test_suspended_accounts_stay_out(google, session):
    created = google_signin.sign_in_with_google(session=session, id_token=google.id_token(), username="ann_g")
    assert created.user is not None
    created.user.suspended_at = utcnow()
    session.add(created.user)
    session.commit()
    with pytest.raises(AuthenticationFailed, match="suspended"):
        google_signin.sign_in_with_google(session=session, id_token=google.id_token())


def test_settings_link_and_unlink_keep_one_way_to_sign_in(google, session):
    bob = reader(session, "Bob")
    linked = google_signin.link(session=session, user_id=bob.id, id_token=google.id_token(sub="bob-google"))
    assert linked.google_sub == "bob-google"

    cara = reader(session, "Cara")
    with pytest.raises(Conflict, match="another TrackMyRead account"):
        google_signin.link(session=session, user_id=cara.id, id_token=google.id_token(sub="bob-google"))

    assert google_signin.unlink(session=session, user_id=bob.id).google_sub is None

    only_google = google_signin.sign_in_with_google(
        session=session, id_token=google.id_token(sub="g2", email="dee@gmail.com"), username="dee"
    ).user
    assert only_google is not None
    with pytest.raises(InvalidInput, match="only way to sign in"):
        google_signin.unlink(session=session, user_id=only_google.id)


def test_a_google_only_reader_sets_a_password_by_email_then_may_remove_google(google, session, mailbox):
    """The way out the settings page names: "Forgot password?" works for an account without one."""
    from booktracker.services import accounts

    user = google_signin.sign_in_with_google(
        session=session, id_token=google.id_token(sub="solo", email="solo@gmail.com"), username="solo"
    ).user
    assert user is not None
    accounts.request_password_reset(session=session, email="solo@gmail.com")
    [message] = mailbox.wait_for("solo@gmail.com", 1)  # no verification mail: Google verified the address
    accounts.reset_password(session=session, token=mailbox.token(message), new_password="a brand new password")

    assert auth.authenticate(session=session, email="solo@gmail.com", password="a brand new password").id == user.id
    assert google_signin.unlink(session=session, user_id=user.id).google_sub is None
