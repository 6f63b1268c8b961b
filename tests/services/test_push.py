"""Web push: subscriptions (services/push.py) and the sending adapter
(booktracker/push.py) against a local push service that checks the VAPID
signature and decrypts each message as a browser would."""

import pytest
from sqlmodel import select

from booktracker import push
from booktracker.errors import InvalidInput, NotFound
from booktracker.models import PushSubscription
from booktracker.services import events
from booktracker.services import push as push_service
from booktracker.settings import settings
from tests.services.conftest import reader
from tests.support.push_endpoint import push_endpoint


@pytest.fixture
def service():
    with push_endpoint(settings.vapid_public_key) as local:
        yield local


@pytest.fixture
def adapter():
    push.install()
    yield
    push.wait_idle()
    push.uninstall()


def _subscribe(session, user, subscription):
    info = subscription.info()
    push_service.subscribe(session=session, user_id=user.id, endpoint=info["endpoint"], **info["keys"])


def test_subscribe_stores_takes_over_and_unsubscribes_owner_only(session, service, ann, bob):
    subscription = service.subscribe()
    _subscribe(session, ann, subscription)
    _subscribe(session, ann, subscription)  # again: still one row
    assert push_service.is_subscribed(session=session, user_id=ann.id, endpoint=subscription.endpoint)
    with pytest.raises(NotFound):
        push_service.unsubscribe(session=session, user_id=bob.id, endpoint=subscription.endpoint)
    # Bob signs in on the same browser and turns notifications on: the browser is his now.
    _subscribe(session, bob, subscription)
    rows = session.exec(select(PushSubscription)).all()
    assert [(row.user_id, row.endpoint) for row in rows] == [(bob.id, subscription.endpoint)]
    push_service.unsubscribe(session=session, user_id=bob.id, endpoint=subscription.endpoint)
    assert not session.exec(select(PushSubscription)).all()


def test_only_push_services_and_valid_keys_are_accepted(session, service, ann, monkeypatch):
    keys = service.subscribe().info()["keys"]
    for endpoint in ("https://evil.example/push/1", "http://fcm.googleapis.com/x", "file:///etc/passwd", ""):
        with pytest.raises(InvalidInput):
            push_service.subscribe(session=session, user_id=ann.id, endpoint=endpoint, **keys)
    with pytest.raises(InvalidInput):
        push_service.subscribe(
            session=session, user_id=ann.id, endpoint=f"{service.base}/push/x", p256dh="AAAA", auth=keys["auth"]
        )
    with pytest.raises(InvalidInput):
        push_service.subscribe(
            session=session, user_id=ann.id, endpoint=f"{service.base}/push/x", p256dh=keys["p256dh"], auth="@@"
        )
    push_service.subscribe(session=session, user_id=ann.id, endpoint="https://fcm.googleapis.com/fcm/send/abc", **keys)
    # Production: loopback is refused, only the browsers' push services.
    monkeypatch.setattr(push_service, "settings", settings.model_copy(update={"app_env": "production"}))
    with pytest.raises(InvalidInput):
        push_service.subscribe(session=session, user_id=ann.id, endpoint=f"{service.base}/push/y", **keys)


def test_a_notification_is_pushed_encrypted_and_signed(session, service, ann, bob, adapter, count_statements):
    phone, laptop = service.subscribe(), service.subscribe()
    _subscribe(session, ann, phone)
    _subscribe(session, ann, laptop)
    _subscribe(session, bob, service.subscribe())
    with count_statements() as counter:
        push.send(events.NotificationsCreated(user_ids=(ann.id,), kinds=("follow",), actor_name="Bob", path="/u/bob"))
    assert counter.count == 1  # the recipients' subscriptions with their settings
    received = service.wait_for(2)
    assert {item.subscription_id for item in received} == {phone.id, laptop.id}
    message = received[0].json()
    assert message == {
        "title": "TrackMyRead",
        "body": "Bob started following you",
        "url": f"{settings.public_url}/u/bob",
        "tag": "follow",
    }
    assert received[0].claims["aud"] == service.base and received[0].claims["sub"] == settings.vapid_subject
    assert int(received[0].ttl) == push.TTL_SECONDS


def test_the_adapter_pushes_off_the_caller_thread_and_respects_settings(session, service, ann, bob, adapter):
    _subscribe(session, ann, service.subscribe())
    _subscribe(session, bob, service.subscribe())
    bob.notifications_off = "like,mention"
    session.add(bob)
    session.commit()
    events.emit(
        events.NotificationsCreated(user_ids=(ann.id, bob.id), kinds=("like", "like"), actor_name="Cy", path="/")
    )
    push.wait_idle()
    [only] = service.wait_for(1)
    assert only.json()["body"] == "Cy liked your post"
    assert len(service.received) == 1  # Bob turned likes off


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_removed(session, service, ann, adapter, status):
    gone, fine = service.subscribe(status=status), service.subscribe()
    _subscribe(session, ann, gone)
    _subscribe(session, ann, fine)
    events.emit(events.NotificationsCreated(user_ids=(ann.id,), kinds=("comment",), actor_name="Bob", path="/"))
    push.wait_idle()
    service.wait_for(2)
    session.expire_all()
    assert [row.endpoint for row in session.exec(select(PushSubscription)).all()] == [fine.endpoint]


def test_other_failures_keep_the_subscription_and_are_logged(session, service, ann, adapter, caplog):
    broken = service.subscribe(status=500)
    _subscribe(session, ann, broken)
    push.send(events.NotificationsCreated(user_ids=(ann.id,), kinds=("mention",), actor_name="Bob", path="/"))
    service.wait_for(1)
    assert session.exec(select(PushSubscription)).one().endpoint == broken.endpoint
    assert "push to 127.0.0.1 failed: 500" in caplog.text


def test_a_suspended_reader_gets_no_push(session, service, adapter):
    import datetime

    cy = reader(session, "Cy")
    _subscribe(session, cy, service.subscribe())
    cy.suspended_at = datetime.datetime.now(datetime.UTC)
    session.add(cy)
    session.commit()
    push.send(events.NotificationsCreated(user_ids=(cy.id,), kinds=("like",), actor_name="Bob", path="/"))
    assert service.received == [] and service.refused == []


def test_the_local_push_service_refuses_a_wrong_signature(service):
    import httpx

    subscription = service.subscribe()
    other_public = service.vapid_public_key[:-4] + "AAAA"
    response = httpx.post(subscription.endpoint, headers={"Authorization": f"vapid t=x.y.z, k={other_public}"})
    assert response.status_code == 401
    service.refused.clear()
