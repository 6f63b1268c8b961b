"""POST /api/v1/auth/google and /me/google against a local OpenID Connect provider."""

from __future__ import annotations

import pytest

from booktracker.services import google_signin


def test_sign_up_then_sign_in_with_google(client, google):
    token = google.id_token(email="new@gmail.com", name="New Reader")
    step = client.post("/api/v1/auth/google", json={"id_token": token})
    assert step.status_code == 200
    assert step.json() == {"next": "username", "email": "new@gmail.com", "suggested_username": "new"}

    created = client.post("/api/v1/auth/google", json={"id_token": token, "username": "new_reader"})
    assert created.status_code == 200 and created.json()["user"]["username"] == "new_reader"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {created.json()['access_token']}"})
    assert me.json()["email_verified_at"] is not None

    again = client.post("/api/v1/auth/google", json={"id_token": google.id_token(email="new@gmail.com")})
    assert again.json()["user"]["username"] == "new_reader"


def test_existing_email_needs_the_password(client, google, ann):
    token = google.id_token(email="ann@example.com")
    step = client.post("/api/v1/auth/google", json={"id_token": token, "username": "taker"})
    assert step.json()["next"] == "password"
    wrong = client.post("/api/v1/auth/google", json={"id_token": token, "password": "not it at all"})
    assert wrong.status_code == 401 and wrong.json()["error"]["message"] == "Incorrect email or password."
    linked = client.post("/api/v1/auth/google", json={"id_token": token, "password": "long enough pw"})
    assert linked.status_code == 200 and linked.json()["user"]["username"] == "ann"


@pytest.mark.parametrize(
    "token_args",
    [
        {"audience": "other.apps.googleusercontent.com"},
        {"expires_in": -300},
        {"forged": True},
        {"email_verified": False},
    ],
    ids=["audience", "expired", "forged", "unverified"],
)
def test_bad_tokens_are_401_with_a_message(client, google, token_args):
    response = client.post("/api/v1/auth/google", json={"id_token": google.id_token(**token_args), "username": "x_y"})
    assert response.status_code == 401
    assert response.json()["error"]["message"] in (
        google_signin.NOT_VERIFIED,
        google_signin.EXPIRED,
        google_signin.EMAIL_UNVERIFIED,
    )


def test_link_and_unlink_from_the_account(client, google, ann):
    linked = client.put("/api/v1/me/google", headers=ann, json={"id_token": google.id_token(sub="ann-g")})
    assert linked.json() == {"linked": True, "has_password": True}
    assert client.delete("/api/v1/me/google", headers=ann).status_code == 204
    assert client.delete("/api/v1/me/google").status_code == 401


def test_google_only_account_keeps_its_one_way_in(client, google):
    token = google.id_token(sub="solo", email="solo@gmail.com")
    created = client.post("/api/v1/auth/google", json={"id_token": token, "username": "solo"}).json()
    headers = {"Authorization": f"Bearer {created['access_token']}"}
    refused = client.delete("/api/v1/me/google", headers=headers)
    assert refused.status_code == 422 and "only way to sign in" in refused.json()["error"]["message"]
