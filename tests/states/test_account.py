"""The account page state (/settings): password change, log out everywhere,
account deletion; form errors stay beside the form."""

import pytest
from sqlmodel import select

from booktracker.errors import AuthenticationFailed
from booktracker.models import User
from booktracker.services import auth
from tests.states.helpers import PASSWORD, events, new_session, open_settings, redirects, route, run, sub, toasts

NEW_PASSWORD = "a brand new passphrase"


def _account(root):
    from booktracker.pages.account import AccountState

    route(root, "/settings")
    return sub(root, AccountState)


def _token_works(token: str) -> bool:
    with new_session() as session:
        try:
            auth.check_token(session=session, token=token)
        except AuthenticationFailed:
            return False
        return True


def _change(state, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    form = {"current_password": current, "new_password": new, "confirm_password": new if confirm is None else confirm}
    return run(state.change_password(form))


def test_every_action_needs_a_login(root):
    state = _account(root)
    assert redirects(_change(state)) == ["/login?next=/settings"]
    assert redirects(state.log_out_everywhere()) == ["/login?next=/settings"]
    assert redirects(run(state.delete_account({"password": PASSWORD}))) == ["/login?next=/settings"]


def test_password_change_errors_stay_beside_the_form(signed_up):
    state = _account(signed_up)
    token = state.auth_token
    assert _change(state, confirm="something else") is None
    assert state.password_error == "The new passwords do not match."
    assert _change(state, current="not my password") is None
    assert state.password_error and state.auth_token == token and _token_works(token)
    assert _change(state, new="short") is None
    assert state.password_error and _token_works(token)


def test_password_change_logs_out_other_devices_and_keeps_this_one(signed_up):
    state = _account(signed_up)
    old_token = state.auth_token
    assert [level for level, _ in toasts(_change(state))] == ["success"]
    assert state.password_error == "" and state.auth_token != old_token
    assert _token_works(state.auth_token) and not _token_works(old_token)
    with new_session() as session:
        assert auth.authenticate(session=session, email="ann@example.com", password=NEW_PASSWORD).name == "Ann"


def test_log_out_everywhere_revokes_every_token(signed_up):
    state = _account(signed_up)
    token = state.auth_token
    result = state.log_out_everywhere()
    assert redirects(result) == ["/login"] and state.auth_token == "" and state.user_name == ""
    assert [kind for kind, _ in events(result)] == ["other", "redirect"]  # the stored token is removed too
    assert not _token_works(token)


def test_account_deletion_needs_the_password_then_removes_everything(signed_up):
    state = _account(signed_up)
    token = state.auth_token
    assert run(state.delete_account({"password": "not my password"})) is None
    assert state.delete_error and state.auth_token == token and _token_works(token)

    result = run(state.delete_account({"password": PASSWORD}))
    assert redirects(result) == ["/"] and [level for level, _ in toasts(result)] == ["success"]
    assert state.auth_token == "" and state.delete_error == ""
    with new_session() as session:
        assert session.exec(select(User).where(User.email == "ann@example.com")).first() is None
    with pytest.raises(AuthenticationFailed), new_session() as session:
        auth.check_token(session=session, token=token)


def test_wrong_current_passwords_are_throttled_like_logins(signed_up):
    state = _account(signed_up)
    for _ in range(5):
        assert _change(state, current="not my password") is None
        assert state.password_error == "Your current password is not correct."
    assert _change(state, current="not my password") is None
    assert state.password_error in (
        "Too many attempts. Try again in 1 second.",
        "Too many attempts. Try again in 2 seconds.",
    )
    assert run(state.delete_account({"password": "not my password"})) is None
    assert state.delete_error.startswith("Too many attempts. Try again in ")
    with new_session() as session:
        assert session.exec(select(User).where(User.email == "ann@example.com")).first() is not None


def test_privacy_section_sets_visibility_and_answers_follow_requests(signed_up):
    from booktracker.services import social

    state = _account(signed_up)
    open_settings(signed_up)
    assert state.profile_visibility == "public" and state.follow_requests == []
    assert toasts(state.set_profile_visibility("followers")) == [
        ("success", "Profile visible to: Followers I approve.")
    ]
    with new_session() as session:
        ann = session.exec(select(User).where(User.username == "ann")).one()
        assert ann.profile_visibility == "followers"
        for name in ("Bob", "Cyd"):
            reader = auth.signup(session=session, email=f"{name.lower()}@example.com", name=name, password=PASSWORD)
            assert reader.id is not None
            assert social.follow(session=session, user_id=reader.id, username="ann") == "requested"
    open_settings(signed_up)
    assert [p.username for p in state.follow_requests] == ["bob", "cyd"]
    assert toasts(state.answer_request("bob", True)) == [("success", "@bob now follows you.")]
    assert toasts(state.answer_request("cyd", False)) == [("success", "Request declined.")]
    assert state.follow_requests == []
    with new_session() as session:
        assert social.profile(session=session, viewer_id=None, username="ann").visible is False
        assert social.followers(session=session, viewer_id=ann.id, username="ann")[0].username == "bob"
    # An answer to a request that is gone is said, not a crash.
    assert toasts(state.answer_request("cyd", True)) == [("error", "No follow request from that reader.")]
    assert toasts(state.set_profile_visibility("everyone"))[0][0] == "error"


def test_the_account_page_needs_a_login(root):
    # One loader: no token, or a bad one, is one redirect (eight handlers each redirected).
    assert redirects(open_settings(root)) == ["/login?next=/settings"]
    _account(root).auth_token = "forged.token.value"
    assert redirects(open_settings(root)) == ["/login?next=/settings"]


def test_opening_settings_checks_the_token_once_and_fills_every_section(signed_up, count_statements):
    from booktracker.pages.account_avatar import AvatarState
    from booktracker.pages.account_email import EmailState
    from booktracker.pages.account_notifications import NotificationSettingsState
    from booktracker.pages.account_security import SecurityState
    from booktracker.pages.account_spoilers import SpoilerSettingState
    from booktracker.pages.google_signin import GoogleState

    route(signed_up, "/settings")
    with count_statements() as counter:
        result = open_settings(signed_up)
    # The token (1); then from one session the reader's row, read once for every section (1), the
    # follow requests, the recovery codes left and the signed-in devices (3). Eight on_load handlers,
    # each checking the token, sent 18.
    assert counter.count == 5, counter.statements
    assert len(events(result)) == 1  # the push section asks the browser whether it is subscribed
    assert sub(signed_up, EmailState).email == "ann@example.com"
    assert len(sub(signed_up, SecurityState).devices) == 1 and sub(signed_up, SpoilerSettingState).shield_on
    assert sub(signed_up, NotificationSettingsState).kinds and sub(signed_up, AvatarState).avatar_url == ""
    assert sub(signed_up, GoogleState).has_password and _account(signed_up).profile_visibility == "public"


def test_a_failed_password_change_keeps_what_was_typed_and_a_change_that_worked_empties_the_form(signed_up):
    from booktracker.pages.account import PASSWORD_FIELDS, account_page

    # The browser does not reset the form on submit (a mismatch used to clear all three fields)...
    forms = [c for c in _walk(account_page()) if "on_submit" in c.event_triggers]
    [password_form] = [f for f in forms if "change_password" in str(f.event_triggers["on_submit"])]
    assert str(password_form.reset_on_submit) == "false"
    # ...the state empties the fields only after a change that worked.
    state = _account(signed_up)
    assert _change(state, confirm="something else") is None
    result = _change(state)
    cleared = [args for kind, args in events(result) if "ref" in args]
    assert [(args["ref"], args["value"]) for args in cleared] == [(f"ref_{name}", "") for name in PASSWORD_FIELDS]


def _walk(component):
    yield component
    for child in getattr(component, "children", []):
        yield from _walk(child)
