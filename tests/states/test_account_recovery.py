"""The password-reset, verification and email-change page states, with the
mail read from a real SMTP server on loopback."""

from booktracker.components.verify_banner import VerifyBannerState
from booktracker.pages.account_email import EmailState
from booktracker.pages.login import LoginState
from booktracker.pages.password_reset import ForgotPasswordState, ResetPasswordState
from booktracker.pages.verify_email import VerifyEmailState
from booktracker.services import accounts
from booktracker.state import AuthState
from tests.states.helpers import PASSWORD, open_settings, redirects, route, run, sub, toasts

NEW_PASSWORD = "a new passphrase"


def test_sign_up_shows_the_banner_and_verifying_hides_it(mailbox, signed_up):
    root = signed_up
    assert sub(root, AuthState).email_unverified is True
    token = mailbox.token(mailbox.wait_for("ann@example.com")[0])
    route(root, "/verify-email", {"token": token})
    state = sub(root, VerifyEmailState)
    result = run(state.confirm({}))
    assert toasts(result) == [("success", accounts.VERIFIED)] and state.done == accounts.VERIFIED
    assert sub(root, AuthState).email_unverified is False
    again = run(state.confirm({}))
    assert again is None and "already been used" in state.error


def test_banner_resend_sends_a_new_link_then_is_throttled(mailbox, signed_up):
    state = sub(signed_up, VerifyBannerState)
    for _ in range(accounts.VERIFY_LIMITS["per_email"][0]):
        assert toasts(run(state.resend()))[0][0] == "success"
    assert len(mailbox.wait_for("ann@example.com", 4)) == 4
    [(level, message)] = toasts(run(state.resend()))
    assert level == "error" and message.startswith("Too many attempts")


def test_forgot_then_reset_then_log_in(mailbox, root):
    from booktracker.pages.signup import SignupState

    run(sub(root, SignupState).sign_up({"email": "ann@example.com", "name": "Ann", "password": PASSWORD}))
    forgot = sub(root, ForgotPasswordState)
    run(forgot.request_link({"email": "nobody@example.com"}))
    unknown_answer = forgot.sent
    run(forgot.request_link({"email": "ann@example.com"}))
    assert forgot.sent == unknown_answer == accounts.RESET_SENT and forgot.error == ""
    run(forgot.request_link({"email": "not an address"}))
    assert forgot.error.startswith("Enter a valid email")

    token = mailbox.token(mailbox.wait_for("ann@example.com", 2)[-1])
    route(root, "/reset-password", {"token": token})
    reset = sub(root, ResetPasswordState)
    assert run(reset.set_password({"new_password": NEW_PASSWORD, "confirm_password": "different"})) is None
    assert reset.error == "The new passwords do not match."
    result = run(reset.set_password({"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}))
    assert redirects(result) == ["/login"] and toasts(result) == [("success", accounts.RESET_DONE)]
    assert sub(root, AuthState).auth_token == ""
    assert run(reset.set_password({"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})) is None
    assert "already been used" in reset.error

    route(root, "/login")
    login = sub(root, LoginState)
    run(login.log_in({"email": "ann@example.com", "password": NEW_PASSWORD}))
    assert login.error == "" and sub(root, AuthState).auth_token


def test_change_email_from_settings(mailbox, signed_up):
    open_settings(signed_up)
    state = sub(signed_up, EmailState)
    assert state.email == "ann@example.com" and state.verified is False
    run(state.change_email({"password": "wrong password", "new_email": "ann@new.org"}))
    assert state.error == "Your password is not correct." and state.sent == ""
    run(state.change_email({"password": PASSWORD, "new_email": "ann@new.org"}))
    assert state.error == "" and "ann@new.org" in state.sent
    token = mailbox.token(mailbox.wait_for("ann@new.org")[0])
    route(signed_up, "/verify-email", {"token": token})
    verify = sub(signed_up, VerifyEmailState)
    run(verify.confirm({}))
    assert verify.done == "Your email address is now ann@new.org."
    open_settings(signed_up)
    assert state.email == "ann@new.org" and state.verified is True
