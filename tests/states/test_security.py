"""The two-factor login step (pages/login.py), the settings' two-factor and
device handlers (pages/account_security.py), and logging out one device."""

import logging
import time

import pytest
from pyotp.totp import TOTP

from booktracker.errors import AuthenticationFailed
from booktracker.services import auth, sessions, two_factor
from booktracker.state import AuthState
from tests.states.helpers import PASSWORD, client_view, new_session, open_settings, redirects, route, run, sub, toasts


def totp(secret: str, steps_ahead: int = 0) -> str:
    return TOTP(secret).at(time.time() + 30 * steps_ahead)


def security(root):
    from booktracker.pages.account_security import SecurityState

    open_settings(root)
    return sub(root, SecurityState)


def turn_on(root) -> tuple[str, list[str]]:
    state = security(root)
    run(state.start_two_factor())
    assert state.setup_qr.startswith("data:image/svg+xml;base64,") and state.setup_secret
    secret = state.setup_secret
    result = run(state.confirm_two_factor({"code": totp(secret)}))
    assert toasts(result)[0][0] == "success" and state.two_factor_on and state.setup_secret == ""
    codes = list(state.recovery_codes)
    assert len(codes) == 10 and state.codes_left == 10
    return secret, codes


def test_turn_on_shows_codes_once(signed_up):
    state = security(signed_up)
    run(state.start_two_factor())
    run(state.confirm_two_factor({"code": "000000" if totp(state.setup_secret) != "000000" else "111111"}))
    assert "not correct" in state.two_factor_error and not state.two_factor_on
    secret = state.setup_secret
    run(state.confirm_two_factor({"code": totp(secret)}))
    assert state.two_factor_on and len(state.recovery_codes) == 10
    open_settings(signed_up)  # the next visit: the codes are gone from the page
    assert state.recovery_codes == [] and state.two_factor_on and state.codes_left == 10


def test_login_asks_for_a_code_without_the_password_again(signed_up):
    from booktracker.pages.login import LoginState

    secret, codes = turn_on(signed_up)
    state = sub(signed_up, LoginState)
    state.auth_token = ""
    route(signed_up, "/login", {"next": "/stats"})
    assert run(state.log_in({"email": "ann@example.com", "password": PASSWORD})) is None
    assert state.needs_code and not state.auth_token
    assert state._challenge and state._challenge not in client_view(state)  # backend state only
    run(state.submit_code({"code": "123"}))
    assert "not correct" in state.error and state.needs_code and not state.auth_token
    assert redirects(run(state.submit_code({"code": totp(secret, 1)}))) == ["/stats"]
    assert state.auth_token and not state.needs_code and state._challenge == ""

    state.auth_token = ""
    run(state.log_in({"email": "ann@example.com", "password": PASSWORD}))
    assert redirects(run(state.submit_code({"code": codes[0]}))) == ["/stats"]


def test_an_expired_challenge_goes_back_to_the_password(signed_up):
    from booktracker.pages.login import LoginState

    turn_on(signed_up)
    state = sub(signed_up, LoginState)
    state.auth_token = ""
    run(state.log_in({"email": "ann@example.com", "password": PASSWORD}))
    state._challenge = "expired.or.forged"
    run(state.submit_code({"code": "123456"}))
    assert state.error == two_factor.CHALLENGE_EXPIRED and not state.needs_code
    run(state.log_in({"email": "ann@example.com", "password": PASSWORD}))
    run(state.cancel_code())
    assert not state.needs_code and state._challenge == ""


def test_regenerate_and_turn_off(signed_up):
    secret, old = turn_on(signed_up)
    state = security(signed_up)
    run(state.regenerate_codes({"code": "999999"}))
    assert "not correct" in state.two_factor_error
    run(state.regenerate_codes({"code": totp(secret, 1)}))
    assert len(state.recovery_codes) == 10 and not set(state.recovery_codes) & set(old)
    run(state.disable_two_factor({"password": "wrong password", "code": old[1]}))
    assert state.two_factor_error == two_factor.WRONG_PASSWORD and state.two_factor_on
    run(state.disable_two_factor({"password": PASSWORD, "code": state.recovery_codes[0]}))
    assert not state.two_factor_on and state.recovery_codes == []


def test_devices_list_and_revoke(signed_up):
    state = security(signed_up)
    with new_session() as session:
        user = auth.check_token(session=session, token=state.auth_token).user
        phone = auth.sign_in(session=session, user=user, user_agent="Mozilla/5.0 (Android 14) Firefox/130.0")
    open_settings(signed_up)
    assert len(state.devices) == 2 and [d.current for d in state.devices].count(True) == 1
    other = next(d for d in state.devices if not d.current)
    assert other.device == "Firefox on Android"
    assert toasts(run(state.revoke_device(other.id)))[0][0] == "success"
    assert len(state.devices) == 1
    with new_session() as session, pytest.raises(AuthenticationFailed):
        auth.check_token(session=session, token=phone)
    # Revoking this device's own session is logging out.
    assert redirects(run(state.revoke_device(state.devices[0].id))) == ["/login"] and state.auth_token == ""


def test_a_revoked_session_stops_at_its_next_event(signed_up):
    from booktracker.pages.library import LibraryState

    state = sub(signed_up, LibraryState)
    with new_session() as session:
        check = auth.check_token(session=session, token=state.auth_token)
        sessions.end(session=session, user_id=check.user.id, sid=check.session_id)
    route(signed_up, "/library")
    result = run(state.load())
    assert redirects(result) == ["/login"] and toasts(result) == [("error", sessions.SESSION_ENDED)]


def test_logout_ends_this_device_only(signed_up):
    state = sub(signed_up, AuthState)
    with new_session() as session:
        user = auth.check_token(session=session, token=state.auth_token).user
        other = auth.sign_in(session=session, user=user)
    mine = state.auth_token
    assert redirects(state.logout()) == ["/login"]
    with new_session() as session:
        with pytest.raises(AuthenticationFailed):
            auth.check_token(session=session, token=mine)
        auth.check_token(session=session, token=other)


def test_no_code_or_secret_in_logs(signed_up, caplog):
    from booktracker.pages.login import LoginState

    caplog.set_level(logging.DEBUG)
    secret, codes = turn_on(signed_up)
    state = sub(signed_up, LoginState)
    state.auth_token = ""
    run(state.log_in({"email": "ann@example.com", "password": PASSWORD}))
    challenge, code = state._challenge, totp(secret, 1)
    run(state.submit_code({"code": code}))
    for text in (secret, challenge, code, state.auth_token, PASSWORD, *codes):
        assert text not in caplog.text
