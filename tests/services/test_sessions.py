"""Sign-in sessions (services/sessions.py) and their check in services/auth.py."""

import datetime
import logging

import jwt
import pytest

from booktracker.errors import AuthenticationFailed, NotFound
from booktracker.models import UserSession
from booktracker.services import auth, sessions
from booktracker.settings import settings

PASSWORD = "correct horse battery"
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def ann(session):
    return auth.signup(session=session, email="ann@example.com", name="Ann", password=PASSWORD)


def sid_of(token: str) -> str:
    return jwt.decode(token, settings.secret_key, algorithms=["HS256"])["sid"]


@pytest.mark.parametrize(
    "user_agent, label",
    [
        (FIREFOX_LINUX, "Firefox on Linux"),
        (SAFARI_IPHONE, "Safari on iOS"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/130.0.0.0 Safari/537.36",
            "Chrome on macOS",
        ),
        ("python-httpx/0.28.1", "API client"),
        ("", "Unknown device"),
    ],
)
def test_device_labels(user_agent, label):
    assert sessions.device_label(user_agent) == label


def test_each_sign_in_is_its_own_session(session, ann):
    laptop = auth.sign_in(session=session, user=ann, user_agent=FIREFOX_LINUX, ip="10.0.0.1")
    phone = auth.sign_in(session=session, user=ann, user_agent=SAFARI_IPHONE, ip="10.0.0.2")
    assert sid_of(laptop) != sid_of(phone) and len(sid_of(laptop)) == 32
    listed = sessions.active(session=session, user_id=ann.id, current_sid=sid_of(phone))
    assert {(view.device, view.ip, view.current) for view in listed} == {
        ("Firefox on Linux", "10.0.0.1", False),
        ("Safari on iOS", "10.0.0.2", True),
    }
    assert auth.check_token(session=session, token=laptop).session_id == sid_of(laptop)


def test_logout_ends_only_this_device(session, ann):
    laptop = auth.sign_in(session=session, user=ann, user_agent=FIREFOX_LINUX)
    phone = auth.sign_in(session=session, user=ann, user_agent=SAFARI_IPHONE)
    auth.log_out(session=session, token=laptop)
    with pytest.raises(AuthenticationFailed) as refused:
        auth.check_token(session=session, token=laptop)
    assert refused.value.message == sessions.SESSION_ENDED
    assert auth.check_token(session=session, token=phone).user.id == ann.id
    assert [view.device for view in sessions.active(session=session, user_id=ann.id)] == ["Safari on iOS"]
    auth.log_out(session=session, token=laptop)  # twice: nothing to end, no error


def test_revoking_another_device_stops_it_at_its_next_check(session, ann):
    laptop = auth.sign_in(session=session, user=ann, user_agent=FIREFOX_LINUX)
    phone = auth.sign_in(session=session, user=ann, user_agent=SAFARI_IPHONE)
    sessions.end(session=session, user_id=ann.id, sid=sid_of(phone))  # from the laptop
    with pytest.raises(AuthenticationFailed, match="ended on another device"):
        auth.check_token(session=session, token=phone)
    auth.check_token(session=session, token=laptop)


def test_a_session_can_only_be_ended_by_its_reader(session, ann):
    bob = auth.signup(session=session, email="bob@example.com", name="Bob", password=PASSWORD)
    anns = auth.sign_in(session=session, user=ann)
    with pytest.raises(NotFound):
        sessions.end(session=session, user_id=bob.id, sid=sid_of(anns))
    with pytest.raises(NotFound):
        sessions.end(session=session, user_id=ann.id, sid="0" * 32)
    auth.check_token(session=session, token=anns)


def test_unknown_or_foreign_session_id_is_refused(session, ann):
    bob = auth.signup(session=session, email="bob@example.com", name="Bob", password=PASSWORD)
    bobs_sid = sid_of(auth.sign_in(session=session, user=bob))
    for sid in ("f" * 32, bobs_sid):  # a token naming another reader's session
        with pytest.raises(AuthenticationFailed, match="ended on another device"):
            auth.check_token(session=session, token=auth.issue_token(ann, sid=sid))


def test_tokens_from_before_sessions_keep_working_until_everywhere(session, ann):
    old = auth.issue_token(ann)  # no sid
    check = auth.check_token(session=session, token=old)
    assert check.session_id == "" and check.user.id == ann.id
    auth.log_out(session=session, token=old)  # no session to end: signs out everywhere, as it did
    with pytest.raises(AuthenticationFailed):
        auth.check_token(session=session, token=old)


def test_sign_out_everywhere_and_password_change_end_every_session(session, ann):
    tokens = [auth.sign_in(session=session, user=ann) for _ in range(2)]
    auth.revoke_tokens(session=session, user_id=ann.id)
    assert sessions.active(session=session, user_id=ann.id) == []
    for token in tokens:
        with pytest.raises(AuthenticationFailed):
            auth.check_token(session=session, token=token)
    auth.sign_in(session=session, user=ann)
    auth.change_password(session=session, user_id=ann.id, current_password=PASSWORD, new_password="new password 1")
    assert sessions.active(session=session, user_id=ann.id) == []


def test_revoke_all_for_a_password_reset(session, ann):
    tokens = [auth.sign_in(session=session, user=ann) for _ in range(3)]
    sessions.revoke_all(session=session, user_id=ann.id)
    for token in tokens:
        with pytest.raises(AuthenticationFailed, match="ended on another device"):
            auth.check_token(session=session, token=token)


def test_a_refreshed_token_keeps_its_session(session, ann):
    issued = datetime.datetime.now(datetime.UTC) - auth.TOKEN_REFRESH_AFTER - datetime.timedelta(minutes=1)
    row = sessions.start(session=session, user_id=ann.id)
    check = auth.check_token(session=session, token=auth.issue_token(ann, now=issued, sid=row.id))
    assert check.refreshed_token and sid_of(check.refreshed_token) == row.id


def test_last_seen_is_written_at_most_once_a_minute(session, ann, count_statements):
    token = auth.sign_in(session=session, user=ann)
    row = session.get(UserSession, sid_of(token))
    assert row is not None
    first_seen = row.last_seen_at
    with count_statements() as counter:
        for _ in range(5):
            auth.check_token(session=session, token=token)
    assert not [s for s in counter.statements if s.lstrip().upper().startswith("UPDATE")]
    session.refresh(row)
    assert row.last_seen_at == first_seen

    row.last_seen_at = first_seen - datetime.timedelta(minutes=2)
    session.add(row)
    session.commit()
    with count_statements() as counter:
        auth.check_token(session=session, token=token)
        auth.check_token(session=session, token=token)
    assert len([s for s in counter.statements if s.lstrip().upper().startswith("UPDATE")]) == 1
    session.refresh(row)
    assert row.last_seen_at > first_seen - datetime.timedelta(minutes=1)


def test_idle_sessions_are_not_listed(session, ann):
    row = sessions.start(session=session, user_id=ann.id)
    row.last_seen_at = row.last_seen_at - sessions.IDLE_LIMIT - datetime.timedelta(minutes=1)
    session.add(row)
    session.commit()
    assert sessions.active(session=session, user_id=ann.id) == []


def test_no_token_or_session_id_in_logs(session, ann, caplog):
    caplog.set_level(logging.DEBUG)
    token = auth.sign_in(session=session, user=ann, user_agent=FIREFOX_LINUX, ip="10.0.0.1")
    auth.check_token(session=session, token=token)
    auth.log_out(session=session, token=token)
    assert token not in caplog.text and sid_of(token) not in caplog.text
