"""The Google sign-in state (pages/google_signin.py) on /login and /settings,
against the local OpenID Connect provider."""

from __future__ import annotations

import pyotp

from booktracker.services import auth, google_signin, two_factor
from tests.states.helpers import PASSWORD, client_view, new_session, open_settings, redirects, route, run, sub, toasts


def _google(root, path="/login", query=None):
    from booktracker.pages.google_signin import GoogleState

    route(root, path, query)
    return sub(root, GoogleState)


def test_new_reader_chooses_a_username_and_lands_where_they_were_going(root, google):
    state = _google(root, "/login", {"next": "/stats"})
    assert run(state.credential({"credential": google.id_token(email="newbie@gmail.com")})) is None
    assert state.step == "username" and state.suggested_username == "newbie"
    assert google.id_token() not in client_view(state)  # the ID token stays on the server
    run(state.choose_username({"username": "no spaces allowed"}))
    assert state.error.startswith("Username must be") and state.step == "username"

    result = run(state.choose_username({"username": "newbie"}))

    assert redirects(result) == ["/stats"]
    assert state.auth_token and state.username == "newbie" and state.step == ""


def test_existing_email_links_after_the_password(signed_up, google):
    token = google.id_token(email="ann@example.com", sub="ann-google")
    state = _google(signed_up, "/login")
    state.auth_token = ""  # a fresh tab
    run(state.credential({"credential": token}))
    assert state.step == "password" and state.email == "ann@example.com"
    run(state.prove_password({"password": "wrong password!"}))
    assert state.error == auth.BAD_CREDENTIALS and not state.auth_token
    assert redirects(run(state.prove_password({"password": PASSWORD}))) == ["/library"]
    assert state.username == "ann"


def test_two_factor_still_asks_for_the_code(signed_up, google):
    from booktracker.pages.login import LoginState

    state = _google(signed_up, "/login")
    user_id = state.current_user_id()
    with new_session() as session:
        setup = two_factor.start(session=session, user_id=user_id)
        codes = two_factor.confirm(session=session, user_id=user_id, code=pyotp.TOTP(setup.secret).now())
    state.auth_token = ""
    run(state.credential({"credential": google.id_token(email="ann@example.com")}))
    result = run(state.prove_password({"password": PASSWORD}))
    assert redirects(result) == ["/login"]
    login = sub(signed_up, LoginState)
    assert login.needs_code and login._challenge and not state.auth_token
    # From /login?next=...: the code step keeps where the reader was going.
    route(signed_up, "/login", {"next": "/stats"})
    # Google is linked now: its token alone gets to the code step.
    assert redirects(run(state.credential({"credential": google.id_token(email="ann@example.com")}))) == [
        "/login?next=/stats"
    ]
    assert redirects(login.submit_code({"code": codes[0]})) == ["/stats"]  # the TOTP code was used: a recovery one


def test_refused_token_says_why(root, google):
    state = _google(root)
    run(state.credential({"credential": google.id_token(expires_in=-300)}))
    assert state.error == google_signin.EXPIRED and state.step == ""


def test_settings_add_and_remove(signed_up, google):
    open_settings(signed_up)
    state = _google(signed_up, "/settings")
    assert not state.linked and state.has_password
    assert toasts(state.link({"credential": google.id_token(sub="ann-g")})) == [("success", "Google sign-in added.")]
    assert state.linked
    assert toasts(state.unlink()) == [("success", "Google sign-in removed.")]
    assert not state.linked
    state.auth_token = ""
    assert redirects(state.unlink()) == ["/login?next=/settings"]
