"""/api/v1/push: a browser's subscription is stored for its reader and only they remove it."""

from sqlmodel import Session, select

from booktracker.models import PushSubscription
from booktracker.settings import settings
from tests.support.push_endpoint import push_endpoint


def test_public_key_subscribe_and_unsubscribe(client, ann, bob, db):
    key = client.get("/api/v1/push/public-key", headers=ann).json()
    assert key == {"public_key": settings.vapid_public_key}
    with push_endpoint(settings.vapid_public_key) as service:
        info = service.subscribe().info()
    assert client.post("/api/v1/push/subscriptions", json=info).status_code == 401
    assert client.post("/api/v1/push/subscriptions", json=info, headers=ann).status_code == 204
    with Session(db) as session:
        assert session.exec(select(PushSubscription.endpoint)).all() == [info["endpoint"]]
    body = {"endpoint": info["endpoint"]}
    refused = client.request("DELETE", "/api/v1/push/subscriptions", json=body, headers=bob)
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    assert client.request("DELETE", "/api/v1/push/subscriptions", json=body, headers=ann).status_code == 204
    with Session(db) as session:
        assert session.exec(select(PushSubscription)).all() == []


def test_a_foreign_endpoint_is_refused_in_our_error_contract(client, ann):
    with push_endpoint(settings.vapid_public_key) as service:
        info = service.subscribe().info()
    info["endpoint"] = "https://attacker.example/hook"
    response = client.post("/api/v1/push/subscriptions", json=info, headers=ann)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "endpoint"
