"""Settings → notifications on this device (pages/account_push.py) and the
share button's toast (components/share.py)."""

import json

from sqlmodel import Session, select

from booktracker.models import PushSubscription
from booktracker.settings import settings
from tests.states.helpers import open_settings, redirects, route, run, sub, toasts
from tests.support.push_endpoint import push_endpoint


def _push_state(root):
    from booktracker.pages.account_push import PushState

    route(root, "/settings")
    return sub(root, PushState)


def _subscription_json():
    with push_endpoint(settings.vapid_public_key) as service:
        return service.subscribe().info()


def test_turn_on_stores_what_the_browser_returned_and_turn_off_removes_it(signed_up, db, count_statements):
    state = _push_state(signed_up)
    assert "tmrPushSubscription" in str(open_settings(signed_up))  # the page's loader asks the browser
    with count_statements() as counter:
        run(state.checked("http://127.0.0.1:9/push/unknown"))
    assert counter.count == 2  # the answer: the token, and one lookup of this browser's endpoint
    assert state.push_status == "off"
    spec = run(state.turn_on())
    assert state.push_busy and settings.vapid_public_key in str(spec)
    info = _subscription_json()
    result = run(state.subscribed(json.dumps(info)))
    assert toasts(result) == [("success", "Notifications are on for this device.")]
    assert state.push_status == "on" and not state.push_busy
    with Session(db) as session:
        assert session.exec(select(PushSubscription.endpoint)).all() == [info["endpoint"]]
    run(state.checked(info["endpoint"]))
    assert state.push_status == "on"
    run(state.turn_off())
    result = run(state.unsubscribed(info["endpoint"]))
    assert state.push_status == "off" and toasts(result)[0][0] == "info"
    with Session(db) as session:
        assert session.exec(select(PushSubscription)).all() == []


def test_a_refusal_or_a_broken_answer_is_said(signed_up):
    state = _push_state(signed_up)
    run(state.subscribed("error:denied"))
    assert "blocked" in state.push_message and not state.push_busy
    run(state.subscribed("error:AbortError: Registration failed - push service error"))
    assert "AbortError" in state.push_message
    result = run(state.subscribed("{not json"))
    assert toasts(result) and state.push_status != "on"
    run(state.checked("unsupported"))
    assert state.push_status == "unsupported"


def test_signed_out_readers_are_sent_to_log_in(root):
    state = _push_state(root)
    assert redirects(run(state.turn_on()))[0].startswith("/login")


def test_share_toast(root):
    from booktracker.components.share import ShareState

    state = sub(root, ShareState)
    assert toasts(run(state.shared("copied")))[0][0] == "success"
    # No clipboard (plain http): the link is shown to copy by hand, long enough to do it.
    shown = str(run(state.shared("failed:https://x.example/share/u/ann")))
    assert "Copy this link: https://x.example/share/u/ann" in shown and "15000" in shown
    assert run(state.shared("shared")) is None
