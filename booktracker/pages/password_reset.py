"""/forgot-password: ask for a reset link; /reset-password?token=…: choose the new password."""

import reflex as rx

from booktracker import routes
from booktracker.components.forms import card_form, field, form_error, new_password_input, text_input
from booktracker.components.layout import page
from booktracker.db import session_scope
from booktracker.errors import ServiceError
from booktracker.services import accounts, auth
from booktracker.state import TOKEN_STORAGE_NAME, AuthState, handle_errors, in_thread


class ForgotPasswordState(AuthState):
    error: rx.Field[str] = rx.field("")
    # The same answer whether or not the address has an account.
    sent: rx.Field[str] = rx.field("")

    @rx.event
    @handle_errors
    def request_link(self, form: dict):
        self.error, self.sent = "", ""
        try:
            with session_scope() as session:
                self.sent = accounts.request_password_reset(
                    session=session, email=form.get("email", ""), ip=self.router.session.client_ip
                )
        except ServiceError as exc:
            self.error = exc.message


class ResetPasswordState(AuthState):
    error: rx.Field[str] = rx.field("")

    @rx.event
    @handle_errors
    async def set_password(self, form: dict):
        self.error = ""
        if form.get("new_password", "") != form.get("confirm_password", ""):
            self.error = "The new passwords do not match."
            return None
        try:
            # In a thread: bcrypt.
            await in_thread(
                accounts.reset_password,
                token=self.router.url.query_parameters.get("token", ""),
                new_password=form.get("new_password", ""),
            )
        except ServiceError as exc:
            self.error = exc.message
            return None
        self._forget_user()  # every session ended, this tab's too
        return [
            rx.remove_local_storage(TOKEN_STORAGE_NAME),
            rx.redirect(routes.LOGIN),
            rx.toast.success(accounts.RESET_DONE),
        ]


def _back_to_login() -> rx.Component:
    return rx.text(
        "Remembered it? ", rx.link("Log in", href=routes.LOGIN, underline="always"), size="2", margin_top="1rem"
    )


def forgot_password_page() -> rx.Component:
    return page(
        card_form(
            "Forgot your password?",
            rx.text("Enter the email address of your account; we will send it a link to choose a new password."),
            form_error(ForgotPasswordState.error),
            rx.cond(
                ForgotPasswordState.sent != "",
                rx.callout(ForgotPasswordState.sent, icon="mail", color_scheme="green", role="status", id="reset-sent"),
            ),
            field("Email", text_input("email", type="email", required=True, auto_complete="email")),
            rx.button("Send me a link", type="submit", size="3", width="100%", id="reset-request-submit"),
            on_submit=ForgotPasswordState.request_link,
            footer=_back_to_login(),
        )
    )


def reset_password_page() -> rx.Component:
    return page(
        card_form(
            "Choose a new password",
            form_error(ResetPasswordState.error),
            field(
                "New password",
                new_password_input("new_password"),
                hint=f"{auth.PASSWORD_MIN} to {auth.PASSWORD_MAX} characters. Every device will be signed out.",
            ),
            field(
                "Repeat new password",
                text_input("confirm_password", type="password", required=True, auto_complete="new-password"),
            ),
            rx.button("Set the new password", type="submit", size="3", width="100%", id="reset-submit"),
            on_submit=ResetPasswordState.set_password,
            footer=rx.text(
                "Link expired? ",
                rx.link("Ask for a new one", href=routes.FORGOT_PASSWORD, underline="always"),
                size="2",
                margin_top="1rem",
            ),
        )
    )
