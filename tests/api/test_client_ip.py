"""The reader's address behind reverse proxies, which the login throttle keys on.

A client can send any X-Forwarded-For; each proxy in front of us appends the
address it saw. With TRUSTED_PROXY_HOPS=N the reader is the Nth entry from the
end (Render: client -> Cloudflare -> Render's proxy, N=2); with 0 the header
is ignored. The API login (deps.client_ip) and the web login (Reflex's
router.session.client_ip, configured by rxconfig.py) must agree.
"""

import pytest
import reflex.app
from fastapi.testclient import TestClient
from reflex.app import EventNamespace
from reflex.constants import RouteVar
from sqlmodel import col, select
from starlette.requests import Request

from booktracker.api import deps
from booktracker.api.app import build_api
from booktracker.models import LoginAttempt
from booktracker.services import throttle
from tests.support.reflex_config import rxconfig_with

PEER = "10.0.0.1"  # the connection's address: the last proxy, or the client itself
READER = "203.0.113.7"
FORGED = "6.6.6.6"  # written by the client
EDGE = "198.51.100.9"  # appended by Render's proxy: the Cloudflare edge it saw

CASES = [
    # hops, X-Forwarded-For header lines, the reader's address
    (0, [], PEER),
    (0, [FORGED], PEER),  # no trusted proxy: a forged header from the peer is ignored
    (1, [f"{FORGED}, {READER}"], READER),  # forged entries in front cannot choose the address
    (1, [], PEER),  # fewer entries than proxies: not through them, the peer it is
    (2, [f"{FORGED}, {READER}, {EDGE}"], READER),  # Render
    (2, [f"{READER}, {EDGE}"], READER),
    (2, [EDGE], PEER),
    (1, [FORGED, READER], READER),  # repeated header lines are one list
]


def _request(forwarded_for: list[str]) -> Request:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded_for]
    return Request({"type": "http", "client": (PEER, 50000), "headers": headers})


@pytest.mark.parametrize("hops, forwarded_for, expected", CASES)
def test_api_client_ip(monkeypatch, hops, forwarded_for, expected):
    monkeypatch.setattr(deps, "settings", deps.settings.model_copy(update={"trusted_proxy_hops": hops}))
    assert deps.client_ip(_request(forwarded_for)) == expected


@pytest.mark.parametrize("hops, forwarded_for, expected", CASES)
def test_web_client_ip_from_reflex_with_our_rxconfig(monkeypatch, hops, forwarded_for, expected):
    config = rxconfig_with(monkeypatch, trusted_proxy_hops=hops)
    assert config.trusted_proxy_hops == hops
    monkeypatch.setattr(reflex.app, "get_config", lambda: config)
    # Reflex's own code that builds the connection's router data, which
    # becomes self.router.session.client_ip in the login page's state.
    environ = {
        "asgi.scope": {
            "client": (PEER, 50000),
            "headers": [(b"x-forwarded-for", value.encode()) for value in forwarded_for],
        }
    }
    router_data = EventNamespace._build_static_router_data(EventNamespace.__new__(EventNamespace), "sid", environ)
    assert router_data[RouteVar.CLIENT_IP] == expected


@pytest.fixture
def client(db):
    return TestClient(build_api())  # its peer address is "testclient"


def _fail_login(client, forwarded_for: str):
    return client.post(
        "/api/v1/auth/login",
        json={"email": "ann@example.com", "password": "wrong password"},
        headers={"X-Forwarded-For": forwarded_for},
    )


def _recorded_ips(session) -> list[str]:
    return list(session.exec(select(LoginAttempt.ip).order_by(col(LoginAttempt.id))).all())


def test_api_login_records_the_peer_without_trusted_proxies(client, session):
    assert _fail_login(client, FORGED).status_code == 401
    assert _recorded_ips(session) == ["testclient"]


def test_api_login_records_the_reader_behind_renders_proxies(client, session, monkeypatch):
    monkeypatch.setattr(deps, "settings", deps.settings.model_copy(update={"trusted_proxy_hops": 2}))
    assert _fail_login(client, f"{FORGED}, {READER}, {EDGE}").status_code == 401
    assert _recorded_ips(session) == [READER]


def test_throttle_keys_on_the_reader_not_on_the_proxy(client, session, monkeypatch):
    monkeypatch.setattr(deps, "settings", deps.settings.model_copy(update={"trusted_proxy_hops": 2}))
    # One reader used up its failures (for other accounts, so no account rule applies).
    session.add_all(
        LoginAttempt(email=f"guess{i}@example.com", ip=READER, succeeded=False) for i in range(throttle.IP_LIMIT)
    )
    session.commit()
    # It is refused whatever it writes in front of the proxies' entries...
    blocked = _fail_login(client, f"{FORGED}, {READER}, {EDGE}")
    assert blocked.status_code == 429 and blocked.json()["error"]["code"] == "too_many_attempts"
    # ...while another reader behind the same proxies is not.
    assert _fail_login(client, f"{READER}, 203.0.113.8, {EDGE}").status_code == 401
