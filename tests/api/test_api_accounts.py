"""The emailed-link routes of /api/v1, with the mail read from a real SMTP
server on loopback (tests/support/smtp_server.py)."""

import pytest
from fastapi.testclient import TestClient

from booktracker.api.app import build_api

PASSWORD = "long enough pw"


@pytest.fixture
def client(db):
    return TestClient(build_api())


def signup(client, mailbox, email="ann@example.com", name="Ann"):
    response = client.post("/api/v1/auth/signup", json={"email": email, "name": name, "password": PASSWORD})
    assert response.status_code == 201, response.text
    mailbox.wait_for(email)
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_verify_email_from_the_sign_up_mail(client, mailbox):
    ann = signup(client, mailbox)
    assert client.get("/api/v1/me", headers=ann).json()["email_verified_at"] is None
    token = mailbox.token(mailbox.to("ann@example.com")[0])
    bob = signup(client, mailbox, "bob@example.com", "Bob")
    other = client.post("/api/v1/auth/verify-email", json={"token": token}, headers=bob)
    assert other.status_code == 400 and "another account" in other.json()["error"]["message"]
    done = client.post("/api/v1/auth/verify-email", json={"token": token})
    assert done.status_code == 200 and done.json() == {"message": "Your email address is confirmed."}
    assert client.get("/api/v1/me", headers=ann).json()["email_verified_at"] is not None
    again = client.post("/api/v1/auth/verify-email", json={"token": token})
    assert again.status_code == 400 and again.json()["error"]["code"] == "link_invalid"
    assert client.post("/api/v1/auth/verify-email/resend", headers=ann).status_code == 409  # already confirmed


def test_resend_needs_a_login_and_is_throttled(client, mailbox):
    assert client.post("/api/v1/auth/verify-email/resend").status_code == 401
    ann = signup(client, mailbox)
    for _ in range(3):
        assert client.post("/api/v1/auth/verify-email/resend", headers=ann).status_code == 202
    refused = client.post("/api/v1/auth/verify-email/resend", headers=ann)
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert len(mailbox.wait_for("ann@example.com", 4)) == 4


def test_password_reset_round_trip_and_no_enumeration(client, mailbox):
    ann = signup(client, mailbox)
    known = client.post("/api/v1/auth/password-reset", json={"email": "ann@example.com"})
    unknown = client.post("/api/v1/auth/password-reset", json={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    token = mailbox.token(mailbox.wait_for("ann@example.com", 2)[-1])

    short = client.post("/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": "short"})
    assert short.status_code == 422
    tampered = client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token + "x", "new_password": "new passphrase"}
    )
    assert tampered.status_code == 400 and tampered.json()["error"]["field"] == "token"
    done = client.post("/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": "new passphrase"})
    assert done.status_code == 200
    assert client.get("/api/v1/me", headers=ann).status_code == 401  # every session ended
    login = client.post("/api/v1/auth/login", json={"email": "ann@example.com", "password": "new passphrase"})
    assert login.status_code == 200
    reused = client.post("/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": "other pass 1"})
    assert reused.status_code == 400 and "already been used" in reused.json()["error"]["message"]
    invalid = client.post("/api/v1/auth/password-reset", json={"email": "not an address"})
    assert invalid.status_code == 422


def test_change_email(client, mailbox):
    ann = signup(client, mailbox)
    wrong = client.post("/api/v1/me/email", headers=ann, json={"password": "nope nope", "new_email": "a@new.org"})
    assert wrong.status_code == 401
    asked = client.post("/api/v1/me/email", headers=ann, json={"password": PASSWORD, "new_email": "a@new.org"})
    assert asked.status_code == 202 and "a@new.org" in asked.json()["message"]
    token = mailbox.token(mailbox.wait_for("a@new.org")[0])
    assert client.post("/api/v1/auth/verify-email", json={"token": token}, headers=ann).status_code == 200
    assert client.get("/api/v1/me", headers=ann).json()["email"] == "a@new.org"
    notices = [m["Subject"] for m in mailbox.wait_for("ann@example.com", 3)]
    assert "Your TrackMyRead email address was changed" in notices
