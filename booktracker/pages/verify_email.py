"""/verify-email?token=…: confirm an address (sign-up, or an email change) from its emailed link.

The link is used by a click, not on load: mail scanners that open links
must not use them up.
"""

import reflex as rx

from booktracker import routes
from booktracker.components.forms import card_form, form_error
from booktracker.components.layout import page
from booktracker.db import session_scope
from booktracker.errors import ServiceError
from booktracker.services import accounts
from booktracker.state import AuthState, LoginRequired, handle_errors


class VerifyEmailState(AuthState):
    error: rx.Field[str] = rx.field("")
    done: rx.Field[str] = rx.field("")

    @rx.event
    @handle_errors
    def confirm(self, _form: dict):
        self.error, self.done = "", ""
        try:
            # Signed in: the link must be this reader's. Signed out: it confirms its own account.
            reader = self.current_user_id() if self.auth_token else None
        except LoginRequired:
            reader = None
        try:
            with session_scope() as session:
                user, self.done = accounts.verify_email(
                    session=session, token=self.router.url.query_parameters.get("token", ""), user_id=reader
                )
        except ServiceError as exc:
            self.error = exc.message
            return None
        if reader is not None and reader == user.id:
            self.email_unverified = False
        return rx.toast.success(self.done)


def verify_email_page() -> rx.Component:
    return page(
        card_form(
            "Confirm your email address",
            form_error(VerifyEmailState.error),
            rx.cond(
                VerifyEmailState.done != "",
                rx.callout(
                    VerifyEmailState.done, icon="circle-check", color_scheme="green", role="status", id="verified"
                ),
                rx.button("Confirm my address", type="submit", size="3", width="100%", id="verify-submit"),
            ),
            on_submit=VerifyEmailState.confirm,
            footer=rx.text(
                rx.cond(
                    AuthState.logged_in,
                    rx.link("Go to my library", href=routes.LIBRARY, underline="always"),
                    rx.link("Log in", href=routes.LOGIN, underline="always"),
                ),
                size="2",
                margin_top="1rem",
            ),
        )
    )
