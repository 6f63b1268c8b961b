"""The auth state and the sign-up / login pages: tokens, safe redirects,
missing or bad tokens, logout, and a database outage during an event."""

import pytest
from sqlalchemy.exc import OperationalError

from booktracker.errors import AuthenticationFailed
from booktracker.services import auth
from booktracker.state import AuthState, handle_errors, safe_next_path
from tests.states.helpers import events, new_session, redirects, route, run, sub


def test_signup_stores_a_token_and_reports_duplicates(root):
    from booktracker.pages.signup import SignupState

    state = sub(root, SignupState)
    run(state.sign_up({"email": "ann@example.com", "name": "Ann", "password": "password 123"}))
    assert state.auth_token and state.user_name == "Ann"
    state.auth_token = ""
    assert run(state.sign_up({"email": "ANN@example.com", "name": "Ann", "password": "password 123"})) is None
    assert "already exists" in state.error and state.auth_token == ""


def test_login_errors_and_safe_next(signed_up):
    from booktracker.pages.login import LoginState

    state = sub(signed_up, LoginState)
    state.auth_token = ""
    run(state.log_in({"email": "ann@example.com", "password": "wrong password"}))
    assert state.error == auth.BAD_CREDENTIALS and not state.auth_token
    route(signed_up, "/login", {"next": "//evil.example.com"})
    assert redirects(run(state.log_in({"email": "ann@example.com", "password": "password 123"}))) == ["/library"]
    route(signed_up, "/login", {"next": "/books/7"})
    assert redirects(run(state.log_in({"email": "ann@example.com", "password": "password 123"}))) == ["/books/7"]
    assert [safe_next_path(p) for p in ("/x", "//x", "https://x", "/\\x")] == ["/x", "/library", "/library", "/library"]


def test_missing_or_bad_token_redirects_to_login(root):
    from booktracker.pages.library import LibraryState

    state = sub(root, LibraryState)
    route(root, "/library")
    assert redirects(state.load()) == ["/login?next=/library"]
    state.auth_token = "forged.token.value"
    assert redirects(state.load()) == ["/login?next=/library"]
    assert state.auth_token == ""  # the bad token is dropped


def test_logout_revokes_the_token(signed_up):
    state = sub(signed_up, AuthState)
    token = state.auth_token
    result = state.logout()
    assert redirects(result) == ["/login"] and state.auth_token == ""
    with new_session() as session, pytest.raises(AuthenticationFailed):
        auth.check_token(session=session, token=token)


def test_database_outage_becomes_an_error_toast():
    class Probe:
        router = None

        @handle_errors
        def handler(self):
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))

        @handle_errors
        async def async_handler(self):
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    result = Probe().handler()
    assert events(result)[0][0] == "client_call"  # rx.toast.error(...)
    assert events(run(Probe().async_handler()))[0][0] == "client_call"  # the same for async handlers
