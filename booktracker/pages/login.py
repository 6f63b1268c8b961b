"""/login: email + password (then a two-factor code when the reader turned it
on), then back to where the reader was going."""

import reflex as rx

from booktracker import routes
from booktracker.components.forms import card_form, field, form_error, text_input
from booktracker.components.layout import page
from booktracker.db import session_scope
from booktracker.errors import ServiceError
from booktracker.pages.google_signin import google_sign_in
from booktracker.services import auth, two_factor
from booktracker.state import AuthState, handle_errors, in_thread


class LoginState(AuthState):
    # rx.Field: the class attribute type-checks as a Var (form_error), the instance one as a str.
    error: rx.Field[str] = rx.field("")
    # Two-factor second step: the password is not sent again; the signed
    # challenge from the first step stays here, in backend state only.
    needs_code: rx.Field[bool] = rx.field(False)
    _challenge: str = ""

    @rx.event
    @handle_errors
    async def log_in(self, form: dict):
        self.error = ""
        self.needs_code, self._challenge = False, ""
        try:
            user = await in_thread(
                auth.authenticate,
                email=form.get("email", ""),
                password=form.get("password", ""),
                ip=self.router.session.client_ip,
            )
        except ServiceError as exc:
            self.error = exc.message
            return None
        if two_factor.is_enabled(user):
            self._challenge = two_factor.issue_challenge(user)
            self.needs_code = True
            return None
        return self._log_in_and_go_on(user)

    @rx.event
    @handle_errors
    def submit_code(self, form: dict):
        self.error = ""
        try:
            with session_scope() as session:
                user = two_factor.complete_login(
                    session=session,
                    challenge=self._challenge,
                    code=form.get("code", ""),
                    ip=self.router.session.client_ip,
                )
        except ServiceError as exc:
            self.error = exc.message
            if exc.message == two_factor.CHALLENGE_EXPIRED:
                self.needs_code, self._challenge = False, ""
            return None
        self.needs_code, self._challenge = False, ""
        return self._log_in_and_go_on(user)

    @rx.event
    @handle_errors
    def cancel_code(self):
        self.error = ""
        self.needs_code, self._challenge = False, ""


def code_form() -> rx.Component:
    return card_form(
        "Two-factor sign-in",
        form_error(LoginState.error),
        rx.text("Enter the 6-digit code from your authenticator app, or one of your recovery codes.", size="2"),
        field(
            "Code",
            text_input(
                "code",
                required=True,
                auto_complete="one-time-code",
                input_mode="text",
                max_length=24,
                auto_focus=True,
                id="two-factor-code",
            ),
        ),
        rx.button("Verify", type="submit", size="3", width="100%", id="two-factor-submit"),
        on_submit=LoginState.submit_code,
        footer=rx.button(
            "Use another account",
            type="button",
            variant="ghost",
            size="2",
            margin_top="1rem",
            on_click=LoginState.cancel_code,
        ),
    )


def login_page() -> rx.Component:
    return page(rx.cond(LoginState.needs_code, code_form(), password_form()))


def password_form() -> rx.Component:
    return card_form(
        "Log in",
        form_error(LoginState.error),
        field("Email", text_input("email", type="email", required=True, auto_complete="email")),
        field(
            "Password",
            text_input("password", type="password", required=True, auto_complete="current-password"),
        ),
        rx.link("Forgot password?", href=routes.FORGOT_PASSWORD, size="2", id="forgot-password"),
        rx.button("Log in", type="submit", size="3", width="100%", id="login-submit"),
        on_submit=LoginState.log_in,
        footer=rx.vstack(
            google_sign_in(),
            rx.text("New here? ", rx.link("Create an account", href=routes.SIGNUP, underline="always"), size="2"),
            spacing="3",
            margin_top="1rem",
        ),
    )
