"""/api/v1: two-factor login step, sessions, logout vs logout-all, two-factor settings."""

import logging
import time

import pytest
from fastapi.testclient import TestClient
from pyotp.totp import TOTP

from booktracker.api.app import build_api

PASSWORD = "long enough pw"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture
def client(db):
    return TestClient(build_api())


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def signup(client) -> dict:
    response = client.post(
        "/api/v1/auth/signup", json={"email": "ann@example.com", "name": "Ann", "password": PASSWORD}
    )
    assert response.status_code == 201, response.text
    return bearer(response.json()["access_token"])


def login(client, user_agent: str = "python-httpx/0.28.1"):
    return client.post(
        "/api/v1/auth/login",
        json={"email": "ann@example.com", "password": PASSWORD},
        headers={"User-Agent": user_agent},
    )


def totp(secret: str, steps_ahead: int = 0) -> str:
    return TOTP(secret).at(time.time() + 30 * steps_ahead)


def turn_on(client, headers) -> tuple[str, list[str]]:
    setup = client.post("/api/v1/me/two-factor", headers=headers)
    assert setup.status_code == 200 and setup.json()["qr_code"].startswith("data:image/svg+xml;base64,")
    secret = setup.json()["secret"]
    confirmed = client.post("/api/v1/me/two-factor/confirm", json={"code": totp(secret)}, headers=headers)
    assert confirmed.status_code == 200, confirmed.text
    return secret, confirmed.json()["recovery_codes"]


def test_sessions_list_logout_and_revoke(client):
    first = signup(client)
    laptop = bearer(login(client, FIREFOX).json()["access_token"])
    listed = client.get("/api/v1/me/sessions", headers=laptop).json()
    assert len(listed) == 2
    mine = [s for s in listed if s["current"]]
    assert [s["device"] for s in mine] == ["Firefox on Linux"] and mine[0]["ip"]

    other = next(s for s in listed if not s["current"])
    assert client.delete(f"/api/v1/me/sessions/{other['id']}", headers=laptop).status_code == 204
    refused = client.get("/api/v1/me", headers=first)
    assert refused.status_code == 401 and "ended on another device" in refused.json()["error"]["message"]
    assert client.delete(f"/api/v1/me/sessions/{other['id']}", headers=laptop).status_code == 204  # idempotent
    assert client.delete(f"/api/v1/me/sessions/{'0' * 32}", headers=laptop).status_code == 404

    phone = bearer(login(client).json()["access_token"])
    assert client.post("/api/v1/auth/logout", headers=laptop).status_code == 204  # this device only
    assert client.get("/api/v1/me", headers=laptop).status_code == 401
    assert client.get("/api/v1/me", headers=phone).status_code == 200
    assert client.post("/api/v1/auth/refresh", headers=phone).status_code == 200


def test_logout_all_signs_out_every_device(client):
    first = signup(client)
    second = bearer(login(client).json()["access_token"])
    assert client.post("/api/v1/auth/logout-all", headers=second).status_code == 204
    for headers in (first, second):
        assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_another_readers_session_is_not_found(client):
    signup(client)
    bob = client.post("/api/v1/auth/signup", json={"email": "bob@example.com", "name": "Bob", "password": PASSWORD})
    bobs = bearer(bob.json()["access_token"])
    anns_id = client.get("/api/v1/me/sessions", headers=bearer(login(client).json()["access_token"])).json()[0]["id"]
    assert client.delete(f"/api/v1/me/sessions/{anns_id}", headers=bobs).status_code == 404


def test_login_with_two_factor_needs_a_second_step(client):
    headers = signup(client)
    secret, codes = turn_on(client, headers)
    first = login(client)
    assert first.status_code == 200 and first.json()["two_factor_required"] is True
    assert "access_token" not in first.json()
    challenge = first.json()["challenge"]
    assert client.get("/api/v1/me", headers=bearer(challenge)).status_code == 401  # not a session token

    wrong = client.post("/api/v1/auth/login/two-factor", json={"challenge": challenge, "code": "12345"})
    assert wrong.status_code == 401 and wrong.json()["error"]["field"] == "code"
    code = totp(secret, 1)
    done = client.post("/api/v1/auth/login/two-factor", json={"challenge": challenge, "code": code})
    assert done.status_code == 200, done.text
    assert client.get("/api/v1/me", headers=bearer(done.json()["access_token"])).status_code == 200
    replay = client.post("/api/v1/auth/login/two-factor", json={"challenge": challenge, "code": code})
    assert replay.status_code == 401

    recovered = client.post("/api/v1/auth/login/two-factor", json={"challenge": challenge, "code": codes[0]})
    assert recovered.status_code == 200
    again = client.post("/api/v1/auth/login/two-factor", json={"challenge": challenge, "code": codes[0]})
    assert again.status_code == 401


def test_wrong_codes_are_throttled(client):
    headers = signup(client)
    turn_on(client, headers)
    challenge = login(client).json()["challenge"]
    for _ in range(5):
        response = client.post("/api/v1/auth/login/two-factor", json={"challenge": challenge, "code": "999999"})
        assert response.status_code == 401
    response = client.post("/api/v1/auth/login/two-factor", json={"challenge": challenge, "code": "999999"})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1


def test_two_factor_settings_matrix(client):
    headers = signup(client)
    # Not on yet: nothing to turn off, no codes to renew, nothing to confirm.
    assert (
        client.request(
            "DELETE", "/api/v1/me/two-factor", json={"password": PASSWORD, "code": "1"}, headers=headers
        ).status_code
        == 409
    )
    assert (
        client.post("/api/v1/me/two-factor/recovery-codes", json={"code": "123456"}, headers=headers).status_code == 409
    )
    assert client.post("/api/v1/me/two-factor/confirm", json={"code": "123456"}, headers=headers).status_code == 422
    secret, old = turn_on(client, headers)
    assert client.post("/api/v1/me/two-factor", headers=headers).status_code == 409

    new = client.post("/api/v1/me/two-factor/recovery-codes", json={"code": totp(secret, 1)}, headers=headers)
    assert new.status_code == 200 and len(new.json()["recovery_codes"]) == 10
    assert not set(new.json()["recovery_codes"]) & set(old)

    body = {"password": "wrong password", "code": totp(secret, -1)}
    assert client.request("DELETE", "/api/v1/me/two-factor", json=body, headers=headers).status_code == 401
    body = {"password": PASSWORD, "code": new.json()["recovery_codes"][0]}
    assert client.request("DELETE", "/api/v1/me/two-factor", json=body, headers=headers).status_code == 204
    assert "access_token" in login(client).json()  # one step again


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/v1/me/sessions"),
        ("DELETE", "/api/v1/me/sessions/abc"),
        ("POST", "/api/v1/auth/logout-all"),
        ("POST", "/api/v1/me/two-factor"),
        ("POST", "/api/v1/me/two-factor/confirm"),
        ("DELETE", "/api/v1/me/two-factor"),
        ("POST", "/api/v1/me/two-factor/recovery-codes"),
    ],
)
def test_new_routes_need_a_token(client, method, path):
    response = client.request(method, path, json={"code": "123456", "password": PASSWORD})
    assert response.status_code == 401 and response.json()["error"]["code"] == "authentication_failed"


def test_nothing_secret_in_logs(client, caplog):
    caplog.set_level(logging.DEBUG)
    headers = signup(client)
    secret, codes = turn_on(client, headers)
    challenge = login(client).json()["challenge"]
    code = totp(secret, 1)
    token = client.post("/api/v1/auth/login/two-factor", json={"challenge": challenge, "code": code}).json()
    for text in (secret, challenge, code, token["access_token"], PASSWORD, *codes):
        assert text not in caplog.text
